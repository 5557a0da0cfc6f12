using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary><c>mpiexec -n 2 autohypergrad hyperclean</c>: the table of one process, written once by rank 0.</summary>
public sealed class HypercleanAcrossRanksTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-mpi-hyperclean-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "autohypergrad.dll");

    [MpiTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void Two_or_three_ranks_give_the_one_process_table_and_one_report(int ranks)
    {
        string[] arguments = ["hyperclean", "--quick", "--precision", "double", "--threads", "1", "--checkpoint-dir", "checkpoints"];
        var alone = Process.Start(new ProcessStartInfo("dotnet", [Cli, .. arguments, "--json", "alone.json"]) { WorkingDirectory = _directory, RedirectStandardOutput = true })!;
        alone.StandardOutput.ReadToEnd();
        alone.WaitForExit();
        Assert.Equal(0, alone.ExitCode);

        var (exitCode, output, error) = Mpiexec.Launch(ranks, _directory, [Cli, .. arguments[..^1], "ranked", "--json", "ranked.json"]);

        Assert.True(exitCode == 0, $"mpiexec exited with {exitCode}: {error}");
        // Rank 0 alone prints: one table.
        Assert.Equal(1, output.Split('\n').Count(line => line.Contains("│ DH-100", StringComparison.Ordinal)));
        using var one = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "alone.json")));
        using var many = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "ranked.json")));
        Assert.Equal(ranks, many.RootElement.GetProperty("processes").GetInt32());
        foreach (var (first, second) in one.RootElement.GetProperty("rows").EnumerateArray().Zip(many.RootElement.GetProperty("rows").EnumerateArray()))
        {
            foreach (string field in new[] { "name", "testAccuracy", "trainedOn", "truePositives", "falsePositives" })
            {
                Assert.Equal(first.GetProperty(field).ToString(), second.GetProperty(field).ToString());
            }
        }

        // The curves' validation losses: the same sums reassociated, in double.
        var alonePoints = one.RootElement.GetProperty("curves")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("validationLoss").GetDouble()).ToArray();
        var rankedPoints = many.RootElement.GetProperty("curves")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("validationLoss").GetDouble()).ToArray();
        Assert.Equal(alonePoints.Length, rankedPoints.Length);
        Assert.All(alonePoints.Zip(rankedPoints), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * Math.Abs(p.First), $"{p.First} against {p.Second}"));

        // Only rank 0 wrote the checkpoints: one radius's checkpoint and curve.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_directory, "ranked")).Length);
    }
}
