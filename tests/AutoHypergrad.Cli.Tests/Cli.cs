using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;

namespace AutoHypergrad.Cli.Tests;

/// <summary>What a finished <c>autohypergrad</c> process left.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs <c>dotnet autohypergrad.dll …</c> from the tests' output folder, where the project reference puts it.</summary>
internal static class Cli
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "autohypergrad.dll");

    /// <summary>Starts the CLI with <paramref name="arguments"/> in <paramref name="directory"/>, its output captured.</summary>
    public static Process Start(string directory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Runs to the end (or fails the test after <see cref="Timeout"/>).</summary>
    public static CliResult Run(string directory, params string[] arguments)
    {
        using var process = Start(directory, arguments);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"autohypergrad {string.Join(' ', arguments)} ran past {Timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs to the end, requires exit code 0 and returns the JSON it wrote to <paramref name="json"/> (a file in <paramref name="directory"/>).</summary>
    public static JsonElement RunJson(string directory, string json, params string[] arguments)
    {
        var result = Run(directory, [.. arguments, "--json", json]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"autohypergrad exited with {result.ExitCode}: {result.Error}{result.Output}");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, json)));
        return document.RootElement.Clone();
    }

    /// <summary>An object of numbers by name (<c>hypergradient</c>, <c>lambda</c>).</summary>
    public static Dictionary<string, double> Numbers(JsonElement element)
    {
        var numbers = new Dictionary<string, double>();
        foreach (var property in element.EnumerateObject())
        {
            numbers[property.Name] = property.Value.GetDouble();
        }

        return numbers;
    }
}
