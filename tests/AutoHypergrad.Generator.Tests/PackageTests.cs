using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// One package reference brings both the runtime and the generator: pack AutoHypergrad.Runtime from a copy of the
/// sources, then build and run a new project that references only that package and uses [Differentiable].
/// </summary>
public sealed class PackageTests
{
    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_runtime_package_carries_the_generator_and_a_consumer_gets_derivatives()
    {
        var repository = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("autohypergrad-package-");
        try
        {
            // A copy, so that packing does not touch the build outputs this test run is using.
            var sources = Path.Combine(work.FullName, "src");
            foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
            {
                File.Copy(Path.Combine(repository, file), Path.Combine(sources, file).EnsureDirectory());
            }

            CopyProject(Path.Combine(repository, "src", "Generator"), Path.Combine(sources, "src", "Generator"));
            CopyProject(Path.Combine(repository, "src", "Runtime"), Path.Combine(sources, "src", "Runtime"));

            var feed = Path.Combine(work.FullName, "feed");
            Run("dotnet", $"pack src/Runtime -c Release -o \"{feed}\" -p:PackageVersion=0.0.0-test", sources);

            var package = Directory.GetFiles(feed, "AutoHypergrad.Runtime.*.nupkg").Single();
            using (var archive = ZipFile.OpenRead(package))
            {
                var entries = archive.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/AutoHypergrad.Generator.dll", entries);
                Assert.Contains("lib/net10.0/AutoHypergrad.Runtime.dll", entries);
            }

            var consumer = Path.Combine(work.FullName, "consumer");
            Directory.CreateDirectory(consumer);
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AutoHypergrad.Runtime" Version="0.0.0-test" />
                  </ItemGroup>
                </Project>
                """);
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
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="autohypergrad-test-feed" value="{feed}" />
                  </packageSources>
                </configuration>
                """);

            // A private package folder: a stale 0.0.0-test in the user's cache must never stand in for this build.
            var packages = Path.Combine(work.FullName, "packages");
            var printed = Run("dotnet", $"run -c Release --property:RestorePackagesPath=\"{packages}\"", consumer);
            Assert.Equal("9 6", printed.Trim().Split('\n').Last().Trim());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private string Run(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        _output.WriteLine($"$ {command} {arguments}\n{stdout.Result}{stderr.Result}");
        Assert.True(process.ExitCode == 0, $"'{command} {arguments}' in {directory} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    private static void CopyProject(string from, string to)
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

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
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
