using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad hoag --quick</c> end to end on the real MNIST: the JSON contract, the curves and the figure.</summary>
public sealed class HoagCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-hoag-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_a_row_and_a_curve_for_each_method_and_the_figure()
    {
        var report = Cli.RunJson(_directory, "quick.json", "hoag", "--quick", "--svg", "quick.svg");

        Assert.Equal("hoag", report.GetProperty("experiment").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.Contains("hoag --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());
        var settings = report.GetProperty("settings");
        int solves = settings.GetProperty("innerSolves").GetInt32();
        double lower = settings.GetProperty("lowerLambda").GetDouble(), upper = settings.GetProperty("upperLambda").GetDouble();

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["HOAG", "Grid search", "Random search"], rows.Select(r => r.GetProperty("name").GetString()!).ToArray());
        foreach (var row in rows)
        {
            string name = row.GetProperty("name").GetString()!;
            double loss = row.GetProperty("bestValidationLoss").GetDouble();
            Assert.True(loss > 0 && loss < Math.Log(2), $"{name}: best validation loss {loss} (ln 2 is that of w = 0).");
            Assert.InRange(row.GetProperty("testAccuracy").GetDouble(), 0.5, 1);
            Assert.True(double.IsFinite(row.GetProperty("testLoss").GetDouble()));
            Assert.InRange(row.GetProperty("lambda").GetDouble(), lower, upper);
            Assert.Equal(solves, row.GetProperty("innerSolves").GetInt32());
            Assert.True(row.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("paper").ValueKind);
        }

        foreach (var curve in report.GetProperty("curves").EnumerateArray())
        {
            var best = curve.GetProperty("bestValidationLoss").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var seconds = curve.GetProperty("seconds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(solves, best.Length);
            Assert.True(best.Zip(best.Skip(1)).All(p => p.Second <= p.First), "the best validation loss so far never rises");
            Assert.True(seconds.Zip(seconds.Skip(1)).All(p => p.Second >= p.First), "wall time never runs backwards");
        }

        // HOAG descends from the top of the range: each of its first steps lowers the validation loss.
        var hoag = report.GetProperty("curves")[0].GetProperty("bestValidationLoss").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(hoag[^1] < hoag[0] - 0.1, $"HOAG from {hoag[0]} to {hoag[^1]}");

        // Two panels (best loss, λ), each with a line and a legend entry per method.
        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(6, figure.Lines.Count);
        Assert.All(new[] { "HOAG", "Grid search", "Random search" }, name => Assert.Equal(2, figure.Count(name)));
    }

    [Theory]
    [InlineData("--solves", "0")]
    [InlineData("--images", "5")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "hoag", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
