using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad hd-bench --quick</c> end to end on the real MNIST: every run's row and curves, and the figure.</summary>
public sealed class HdBenchCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-hd-bench-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_a_row_and_curves_for_every_run_and_the_figure()
    {
        var report = Cli.RunJson(_directory, "quick.json", "hd-bench", "--quick", "--svg", "quick.svg");

        string[] expected = new[] { "SGD", "SGDN", "Adam" }
            .SelectMany(f => new[] { f, f + "-HD", f + "-HD-momentum", f + "-HD-adam" })
            .ToArray();
        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(expected, rows.Select(r => r.GetProperty("name").GetString()!).ToArray());
        foreach (var row in rows)
        {
            double loss = row.GetProperty("validationLoss").GetDouble();
            Assert.True(double.IsFinite(loss) && loss > 0, $"{row.GetProperty("name")}: validation loss {loss}.");
            Assert.True(row.GetProperty("finalLearningRate").GetDouble() > 0);
        }

        Assert.Equal(0.3737, rows[0].GetProperty("reference").GetDouble());
        Assert.Equal(0.001, rows[0].GetProperty("finalLearningRate").GetDouble(), 12);
        int steps = report.GetProperty("steps").GetInt32();
        Assert.Equal(2000 / 128, steps);
        foreach (var curve in report.GetProperty("curves").EnumerateArray())
        {
            Assert.Equal(steps, curve.GetProperty("loss").GetArrayLength());
            Assert.Equal(steps, curve.GetProperty("learningRate").GetArrayLength());
            Assert.All(curve.GetProperty("loss").EnumerateArray(), l => Assert.True(double.IsFinite(l.GetDouble())));
        }

        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());
        Assert.Contains("hd-bench --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);

        var svg = XDocument.Parse(File.ReadAllText(Path.Combine(_directory, "quick.svg")));
        Assert.Equal(2 * expected.Length, svg.Descendants().Count(e => e.Name.LocalName == "polyline"));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--images", "10")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "hd-bench", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
