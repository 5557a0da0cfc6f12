using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// The three packages, packed once for the tests of <see cref="PackageTests"/> from a copy of the sources (so that
/// packing does not touch the build outputs the test run is using), into a feed of their own, with version
/// 0.0.0-test (restored into a private package folder: a stale copy in the user's cache never stands in for this build).
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public const string Version = "0.0.0-test";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("autohypergrad-package-");

    public PackedFeed()
    {
        Repository = PackageTests.RepositoryRoot();
        var sources = Path.Combine(_work.FullName, "src");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(Repository, file), Path.Combine(sources, file).EnsureDirectory());
        }

        foreach (var project in new[] { "Generator", "Runtime", "Optimizers", "Cuda" })
        {
            PackageTests.CopyProject(Path.Combine(Repository, "src", project), Path.Combine(sources, "src", project));
        }

        Feed = Path.Combine(_work.FullName, "feed");
        foreach (var project in new[] { "Runtime", "Optimizers", "Cuda" })
        {
            Log += PackageTests.Run("dotnet", $"pack src/{project} -c Release -o \"{Feed}\" -p:PackageVersion={Version}", sources).Output;
        }
    }

    public string Repository { get; }

    public string Feed { get; }

    public string Log { get; } = string.Empty;

    /// <summary>A new folder for a consumer project, with a nuget.config that adds the feed.</summary>
    public string Consumer(string name)
    {
        var consumer = Path.Combine(_work.FullName, name);
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autohypergrad-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return consumer;
    }

    /// <summary>Builds and runs the consumer against the feed, with a private package folder; its standard output.</summary>
    public string BuildAndRun(string consumer, ITestOutputHelper output)
    {
        var (printed, log) = PackageTests.Run("dotnet", $"run -c Release --property:RestorePackagesPath=\"{Path.Combine(_work.FullName, "packages")}\"", consumer);
        output.WriteLine(log);
        return printed;
    }

    public void Dispose() => _work.Delete(recursive: true);
}

/// <summary>
/// The packages as a user gets them: one package reference brings both the runtime and the generator; the
/// optimizers and CUDA packages hold what the README says and bring the runtime with its generator; and
/// samples/OwnOptimizerAndLoss, built from the README's project file against the feed, gets hypergradients that
/// agree with central differences of a training loop written here, apart from the library.
/// </summary>
public sealed class PackageTests(PackedFeed packed, ITestOutputHelper output) : IClassFixture<PackedFeed>
{
    [Fact]
    public void The_packages_hold_the_generator_the_runtime_the_optimizers_and_the_cuda_backend()
    {
        string Package(string id) => Directory.GetFiles(packed.Feed, $"{id}.{PackedFeed.Version}.nupkg").Single();
        List<string> Entries(string id)
        {
            using var archive = ZipFile.OpenRead(Package(id));
            return archive.Entries.Select(e => e.FullName).ToList();
        }

        string Nuspec(string id)
        {
            using var archive = ZipFile.OpenRead(Package(id));
            using var reader = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            return reader.ReadToEnd();
        }

        Assert.Contains("analyzers/dotnet/cs/AutoHypergrad.Generator.dll", Entries("AutoHypergrad.Runtime"));
        Assert.Contains("lib/net10.0/AutoHypergrad.Runtime.dll", Entries("AutoHypergrad.Runtime"));
        Assert.Contains("lib/net10.0/AutoHypergrad.Optimizers.dll", Entries("AutoHypergrad.Optimizers"));
        Assert.Contains("lib/net10.0/AutoHypergrad.Cuda.dll", Entries("AutoHypergrad.Cuda"));

        // The runtime comes with the optimizers with all its assets, the generator included (not "exclude=Analyzers").
        Assert.Contains($"<dependency id=\"AutoHypergrad.Runtime\" version=\"{PackedFeed.Version}\" include=\"All\" />", Nuspec("AutoHypergrad.Optimizers"), StringComparison.Ordinal);
        Assert.DoesNotContain("AutoHypergrad.Generator", Nuspec("AutoHypergrad.Optimizers"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_of_the_runtime_package_gets_derivatives()
    {
        var consumer = packed.Consumer("square");
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), ReadmeProjectFile(packed.Repository));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using System;
            using System.Globalization;
            using AutoHypergrad;

            var (value, tangent) = Steps.SquareTangent(3.0, 1.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value} {tangent}"));

            static partial class Steps
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);

        Assert.Equal("9 6", packed.BuildAndRun(consumer, output).Trim().Split('\n').Last().Trim());
    }

    [Fact]
    public void The_own_optimizer_and_loss_sample_built_from_the_packages_agrees_with_an_unrolled_central_difference()
    {
        var consumer = packed.Consumer("own-optimizer-and-loss");
        File.WriteAllText(Path.Combine(consumer, "OwnOptimizerAndLoss.csproj"), ReadmeProjectFile(packed.Repository));
        foreach (var file in Directory.GetFiles(Path.Combine(packed.Repository, "samples", "OwnOptimizerAndLoss"), "*.cs"))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        var json = packed.BuildAndRun(consumer, output).Trim().Split('\n').Last();
        using var result = System.Text.Json.JsonDocument.Parse(json);
        double[] Read(string name) => result.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(["lr", "l2"], result.RootElement.GetProperty("Names").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(UnrolledAmsGradHuberRidge.ValidationError(UnrolledAmsGradHuberRidge.Lr, UnrolledAmsGradHuberRidge.L2), result.RootElement.GetProperty("Value").GetDouble(), 1e-12);

        var expected = UnrolledAmsGradHuberRidge.CentralDifferences();
        foreach (var engine in new[] { "Reverse", "Checkpointed", "Forward" })
        {
            var gradient = Read(engine);
            for (int k = 0; k < expected.Length; k++)
            {
                double relative = Math.Abs(gradient[k] - expected[k]) / Math.Abs(expected[k]);
                output.WriteLine($"{engine} ∂/∂{(k == 0 ? "lr" : "l2")}: {gradient[k]:R}, central difference {expected[k]:R}, relative {relative:E2}");
                Assert.True(relative <= 1e-6, $"{engine}: component {k} is {gradient[k]:R}, the central difference {expected[k]:R} (relative {relative:E2})");
            }
        }

        // The outer loop starts from the same f and lowers it, keeping lr > 0 and l2 ≥ 0.
        var tuned = result.RootElement.GetProperty("Tuned");
        double start = tuned.GetProperty("Start").GetDouble(), best = tuned.GetProperty("BestValue").GetDouble();
        var bestLambda = tuned.GetProperty("BestLambda").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        output.WriteLine($"tuned: {start:R} → {best:R} at lr = {bestLambda[0]:R}, l2 = {bestLambda[1]:R}");
        Assert.Equal(result.RootElement.GetProperty("Value").GetDouble(), start);
        Assert.True(best < 0.5 * start, $"20 hypersteps took the validation MSE from {start:R} to {best:R} only");
        Assert.True(bestLambda[0] > 0 && bestLambda[1] >= 0, $"λ left its domains: lr = {bestLambda[0]:R}, l2 = {bestLambda[1]:R}");
    }

    [Fact]
    public void The_built_in_model_sample_built_from_the_packages_tunes_a_cross_entropy_that_generalizes()
    {
        var consumer = packed.Consumer("tune-built-in-model");
        File.WriteAllText(Path.Combine(consumer, "TuneBuiltInModel.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AutoHypergrad.Optimizers" Version="{PackedFeed.Version}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var file in Directory.GetFiles(Path.Combine(packed.Repository, "samples", "TuneBuiltInModel"), "*.cs"))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        var json = packed.BuildAndRun(consumer, output).Trim().Split('\n').Last();
        using var result = System.Text.Json.JsonDocument.Parse(json);
        double[] Read(string name) => result.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double start = result.RootElement.GetProperty("Start").GetDouble(), best = result.RootElement.GetProperty("BestValue").GetDouble();
        double[] lambda = Read("BestLambda"), testLoss = Read("TestCrossEntropy");
        output.WriteLine($"validation cross-entropy {start:R} → {best:R} at lr = {lambda[0]:R}, l2 = {lambda[1]:R}; test {testLoss[0]:R} → {testLoss[1]:R}");

        // From a poor start (a small step, a strong penalty) 30 hypersteps lower the validation loss by a fifth or more,
        // and the test loss with it (held-out data the outer loop never saw); λ stays in its domains.
        Assert.True(best < 0.8 * start, $"30 hypersteps took the validation cross-entropy from {start:R} to {best:R} only");
        Assert.True(testLoss[1] < testLoss[0], $"the test cross-entropy went from {testLoss[0]:R} to {testLoss[1]:R}");
        Assert.True(lambda[0] > 0 && lambda[1] >= 0, $"λ left its domains: lr = {lambda[0]:R}, l2 = {lambda[1]:R}");
        Assert.All(Read("ValidationAccuracy").Concat(Read("TestAccuracy")), a => Assert.InRange(a, 0.5, 1.0));
    }

    [Fact]
    public void The_readme_wiring_is_at_most_ten_lines_and_is_the_samples_code()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## From your optimizer and loss to a tuned hyperparameter", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var blocks = System.Text.RegularExpressions.Regex.Matches(section, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToList();
        var wiring = blocks.Single(b => b.Contains("new BilevelProblem<double>(", StringComparison.Ordinal));
        var program = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "OwnOptimizerAndLoss", "Program.cs"));

        var code = wiring.Split('\n').Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("//", StringComparison.Ordinal)).ToList();
        Assert.True(code.Count <= 10, $"The README's wiring has {code.Count} lines of code:\n{string.Join("\n", code)}");
        Assert.Contains(wiring, program, StringComparison.Ordinal);
    }

    /// <summary>The README's consumer project file (its Install section), with the test feed's version.</summary>
    private static string ReadmeProjectFile(string repository)
    {
        var readme = File.ReadAllText(Path.Combine(repository, "README.md"));
        var block = System.Text.RegularExpressions.Regex.Matches(readme, "```xml\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .Single(b => b.Contains("<PackageReference Include=\"AutoHypergrad.Runtime\"", StringComparison.Ordinal));
        var withVersion = System.Text.RegularExpressions.Regex.Replace(block, "Include=\"AutoHypergrad.Runtime\" Version=\"[^\"]+\"", $"Include=\"AutoHypergrad.Runtime\" Version=\"{PackedFeed.Version}\"");
        Assert.NotEqual(block, withVersion);
        return withVersion;
    }

    internal static (string Output, string Log) Run(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        // No build server outlives the command: a reused MSBuild node, the MSBuild server or the compiler server
        // started here would inherit the redirected output and keep it open, so the read below would wait for the
        // server's idle timeout (minutes) on a machine where none was running before.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"'{command} {arguments}' in {directory} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return (stdout.Result, $"$ {command} {arguments}\n{stdout.Result}{stderr.Result}");
    }

    internal static void CopyProject(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj")
            {
                continue;
            }

            File.Copy(file, Path.Combine(to, relative).EnsureDirectory());
        }
    }

    internal static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        var directory = new FileInfo(thisFile).Directory;
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AutoHypergrad.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AutoHypergrad.sln not found above " + thisFile);
    }
}

internal static class PathExtensions
{
    /// <summary>Creates the directory of a file path and returns the path.</summary>
    public static string EnsureDirectory(this string filePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
        return filePath;
    }
}
