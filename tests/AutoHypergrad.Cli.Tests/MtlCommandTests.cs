using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoHypergrad.Cli.Reports;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad mtl --quick</c> end to end on the real MNIST: the rows of table 2, the learned relation matrices and the heat maps.</summary>
public sealed class MtlCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-mtl-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_the_rows_and_relation_matrices_inside_their_domains()
    {
        var report = Cli.RunJson(_directory, "quick.json", "mtl", "--quick", "--svg", "quick.svg");

        Assert.Equal("mtl", report.GetProperty("experiment").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.Contains("mtl --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());
        var settings = report.GetProperty("settings");
        int seeds = settings.GetProperty("seeds").GetInt32();
        int iterations = settings.GetProperty("hyperIterations").GetInt32();
        double hyperLearningRate = settings.GetProperty("hyperLearningRate").GetDouble();
        double radius = settings.GetProperty("sparseRadius").GetDouble();

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["STL", "NMTL", "HMTL", "HMTL-S"], rows.Select(r => r.GetProperty("name").GetString()!).ToArray());
        foreach (var row in rows)
        {
            string name = row.GetProperty("name").GetString()!;
            Assert.InRange(row.GetProperty("testAccuracy").GetDouble(), 0.5, 1);
            double std = row.GetProperty("testAccuracyStd").GetDouble();
            Assert.True(double.IsFinite(std) && std >= 0, $"{name}: std {std}");
            Assert.True(double.IsFinite(row.GetProperty("validationLoss").GetDouble()), name);
            Assert.Equal(seeds, row.GetProperty("seeds").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("paper").ValueKind);
        }

        Assert.All(rows[0].GetProperty("seeds").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("coupling").GetDouble()));
        var relations = report.GetProperty("relations").EnumerateArray().ToArray();
        Assert.Equal(2 * seeds, relations.Length);
        foreach (var relation in relations)
        {
            string method = relation.GetProperty("method").GetString()!;
            double[] a = relation.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(100, a.Length);
            Assert.True(relation.GetProperty("rho").GetDouble() >= 0, $"{method}: ρ < 0");
            Assert.All(a, value => Assert.True(value >= 0, $"{method}: A has {value} < 0"));
            for (int j = 0; j < 10; j++)
            {
                // Ω does not depend on A_jj, so its hypergradient is 0 and Adam never moves it from 0.
                Assert.Equal(0, a[j * 11]);
                for (int k = 0; k < j; k++)
                {
                    // ∂f/∂A_jk and ∂f/∂A_kj are the same sums in another order: they differ by float rounding (relative
                    // 1e-6 at most), and each Adam step moves an entry by about lr, so A stays symmetric to K·lr·1e-5.
                    Assert.True(Math.Abs(a[j * 10 + k] - a[k * 10 + j]) <= iterations * hyperLearningRate * 1e-5, $"{method}: A[{j},{k}] = {a[j * 10 + k]}, A[{k},{j}] = {a[k * 10 + j]}");
                }
            }

            if (method == "HMTL-S")
            {
                Assert.True(a.Sum() <= radius * (1 + 1e-6), $"HMTL-S: ΣA = {a.Sum()} > R = {radius}");
                Assert.All(a, value => Assert.True(value <= 1));
            }
        }

        Assert.Equal(2 * seeds, report.GetProperty("curves").GetArrayLength());
        Assert.All(report.GetProperty("curves").EnumerateArray(), c => Assert.Equal(iterations, c.GetProperty("validationLoss").GetArrayLength()));

        // The heat maps: (A + Aᵀ)/2 averaged over the seeds for HMTL, then HMTL-S, each of the 200 cells with its value
        // in the unit of the largest entry (× 10^k, one decimal).
        var means = new[] { "HMTL", "HMTL-S" }.Select(method =>
        {
            var mean = new double[100];
            var ofMethod = relations.Where(r => r.GetProperty("method").GetString() == method).ToArray();
            foreach (var relation in ofMethod)
            {
                double[] a = relation.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                for (int j = 0; j < 10; j++)
                {
                    for (int k = 0; k < 10; k++)
                    {
                        mean[j * 10 + k] += (a[j * 10 + k] + a[k * 10 + j]) / (2.0 * ofMethod.Length);
                    }
                }
            }

            return mean;
        }).ToArray();
        double unit = Math.Pow(10, Math.Floor(Math.Log10(means.SelectMany(m => m).Max())));
        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(
            means.SelectMany(m => m).Select(v => (v / unit).ToString("0.0", CultureInfo.InvariantCulture)).ToArray(),
            figure.TextsOfSize(Figures.CellFontSize));
    }

    [Theory]
    [InlineData("--seeds", "1")]
    [InlineData("--radius", "0")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "mtl", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
