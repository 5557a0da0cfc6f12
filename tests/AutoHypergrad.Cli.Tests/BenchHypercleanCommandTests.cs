using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad bench hyperclean --quick</c> end to end on the real MNIST.</summary>
public sealed class BenchHypercleanCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-bench-hyperclean-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_times_both_objectives_and_their_hypergradients_agree()
    {
        var report = Cli.RunJson(_directory, "quick.json", "bench", "hyperclean", "--quick");

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("ModelObjective", rows[0].GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Contains("WeightedSoftmaxRegression", rows[1].GetProperty("name").GetString(), StringComparison.Ordinal);
        foreach (var row in rows)
        {
            foreach (string metric in new[] { "trainingStepMs", "reverseStepMs", "trainingStepGflops", "reverseStepGflops", "hypergradientSeconds" })
            {
                Assert.True(row.GetProperty(metric).GetDouble() > 0, $"{metric} of {row.GetProperty("name")}");
            }
        }

        // The same hypergradient in float from two summation orders: agreement to float rounding over T = 20 steps.
        Assert.InRange(report.GetProperty("hypergradientRelativeDifference").GetDouble(), 0, 1e-4);
        Assert.True(report.GetProperty("fmaPeakGflops").GetDouble() > 0);
        Assert.True(report.GetProperty("readGigabytesPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("quick").GetBoolean());
    }

    [Fact]
    public void With_two_threads_the_fused_objective_is_timed_beside_one_and_agrees_with_it()
    {
        var report = Cli.RunJson(_directory, "threads.json", "bench", "hyperclean", "--quick", "--threads", "2");

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal([2, 1, 2], rows.Select(r => r.GetProperty("threads").GetInt32()));
        Assert.Contains("2 threads", rows[2].GetProperty("name").GetString(), StringComparison.Ordinal);
        foreach (string speedup in new[] { "threadsTrainingStepSpeedup", "threadsReverseStepSpeedup", "threadsHypergradientSpeedup" })
        {
            Assert.True(report.GetProperty(speedup).GetDouble() > 0, speedup);
        }

        // The threads' partial sums added in another order: float rounding over T = 20 steps, as between the objectives.
        Assert.InRange(report.GetProperty("threadsHypergradientRelativeDifference").GetDouble(), 0, 1e-4);
    }

    [Fact]
    public void No_threads_is_a_usage_error()
    {
        var result = Cli.Run(_directory, "bench", "hyperclean", "--quick", "--threads", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--threads", result.Error, StringComparison.Ordinal);
    }
}
