using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad bench objectives --quick</c> end to end: every shape of the harness timed, every product.</summary>
public sealed class BenchObjectivesCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-bench-objectives-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_times_every_product_of_the_experiments_objectives_in_double()
    {
        var report = Cli.RunJson(_directory, "objectives.json", "bench", "objectives", "--quick");

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(
            ["hyper-cleaning: softmax, example weights", "HOAG: logistic, l2", "HD: softmax, batch 128", "HD: MLP 784-1000-1000-10 ReLU, batch 128"],
            rows.Select(r => r.GetProperty("objective").GetString()!));
        Assert.All(rows, r => Assert.Equal("double", r.GetProperty("precision").GetString()));
        Assert.Equal([5000, 5000, 128, 128], rows.Select(r => r.GetProperty("batchRows").GetInt32()));
        foreach (var row in rows)
        {
            // H·v after the gradient is a difference of two timings and may round to zero; every product alone takes time.
            foreach (string metric in new[] { "gradientMs", "hessianVectorMs", "fusedMs" })
            {
                Assert.True(row.GetProperty(metric).GetDouble() > 0, $"{metric} of {row.GetProperty("objective")}");
            }
        }

        Assert.False(string.IsNullOrEmpty(report.GetProperty("blas").GetString()));
    }
}
