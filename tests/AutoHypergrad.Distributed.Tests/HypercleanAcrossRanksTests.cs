using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
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
        var alone = Mpiexec.Alone(_directory, [Cli, .. arguments, "--json", "alone.json"]);
        Assert.True(alone.ExitCode == 0, alone.Error);

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

    [MpiFact]
    public void A_rank_killed_mid_run_stops_the_run_and_a_rerun_resumes_from_rank_0s_checkpoint_to_the_same_rows()
    {
        string[] arguments = [Cli, "hyperclean", "--quick", "--hyper-iterations", "200", "--threads", "1"];
        var (exitCode, _, error) = Mpiexec.Launch(2, _directory, [.. arguments, "--json", "whole.json"]);
        Assert.True(exitCode == 0, error);

        // Kill rank 1 once rank 0 has checkpointed ten hyper-iterations.
        string checkpoint = Path.Combine(_directory, "killed", "hyperclean-R100.json");
        var run = Task.Run(() => Mpiexec.Launch(2, _directory, [.. arguments, "--checkpoint-dir", "killed", "--json", "killed.json"]));
        var clock = Stopwatch.StartNew();
        while (Completed(checkpoint) < 10)
        {
            Assert.True(clock.Elapsed < Mpiexec.Timeout && !run.IsCompleted, "the run ended or stalled before ten hyper-iterations");
            Thread.Sleep(50);
        }

        Mpiexec.KillRank(1, "hyperclean");
        var killed = run.Result;
        Assert.NotEqual(0, killed.ExitCode);
        Assert.False(File.Exists(Path.Combine(_directory, "killed.json")));
        int completed = Completed(checkpoint);
        Assert.InRange(completed, 10, 199);

        (exitCode, _, error) = Mpiexec.Launch(2, _directory, [.. arguments, "--checkpoint-dir", "killed", "--json", "resumed.json"]);
        Assert.True(exitCode == 0, error);
        using var whole = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "whole.json")));
        using var resumed = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "resumed.json")));
        Assert.True(resumed.RootElement.GetProperty("curves")[0].GetProperty("resumedFrom").GetInt32() >= completed);
        foreach (var (first, second) in whole.RootElement.GetProperty("rows").EnumerateArray().Zip(resumed.RootElement.GetProperty("rows").EnumerateArray()))
        {
            foreach (string field in new[] { "name", "testAccuracy", "f1", "trainedOn", "truePositives", "falsePositives" })
            {
                Assert.Equal(first.GetProperty(field).ToString(), second.GetProperty(field).ToString());
            }
        }
    }

    /// <summary>The hyper-iterations a checkpoint holds; 0 before it exists (it is written atomically, so it always parses).</summary>
    private static int Completed(string checkpoint)
    {
        if (!File.Exists(checkpoint))
        {
            return 0;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(checkpoint));
        return document.RootElement.GetProperty("Completed").GetInt32();
    }
}
