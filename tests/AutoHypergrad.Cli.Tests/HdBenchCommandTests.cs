using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad hd-bench --quick</c> end to end on the real MNIST: every run's row and curves, the figure, the MLP and the α0 table.</summary>
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

        Assert.Equal("hd-bench", report.GetProperty("experiment").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.Equal(0.3737, rows[0].GetProperty("paper").GetProperty("validationLoss").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rows[2].GetProperty("paper").ValueKind);
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

        // Two panels (loss, α), each with a line and a legend entry per run.
        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(2 * expected.Length, figure.Lines.Count);
        Assert.All(expected, name => Assert.Equal(2, figure.Count(name)));
    }

    [Fact]
    public void The_alpha0_sweep_has_a_row_per_optimizer_rule_and_alpha0_with_an_entry_per_threshold()
    {
        var report = Cli.RunJson(_directory, "sweep.json", "hd-bench", "--quick", "--alpha0-sweep", "--images", "12800");

        var sweep = report.GetProperty("alpha0Sweep");
        double[] rates = sweep.GetProperty("initialLearningRates").EnumerateArray().Select(r => r.GetDouble()).ToArray();
        Assert.Equal(new[] { 0.01, 0.005, 0.001, 0.0005, 0.0001 }, rates);
        int thresholds = sweep.GetProperty("lossThresholds").GetArrayLength();
        Assert.True(thresholds > 0);
        var rows = sweep.GetProperty("rows").EnumerateArray().ToArray();
        string[] names = ["SGD", "SGD-HD", "SGDN", "SGDN-HD", "Adam", "Adam-HD"];
        Assert.Equal(names.SelectMany(n => rates.Select(r => (n, r))), rows.Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("initialLearningRate").GetDouble())));
        foreach (var row in rows)
        {
            var iterations = row.GetProperty("iterations").EnumerateArray().ToArray();
            Assert.Equal(thresholds, iterations.Length);
            Assert.All(iterations, i => Assert.True(i.ValueKind == System.Text.Json.JsonValueKind.Null || i.GetInt32() is >= 50 and <= 100));
        }

        // A fixed α keeps α_0; 100 steps of SGD at α0 = 1e-4 stay far above every threshold.
        var slowest = rows.Single(r => r.GetProperty("name").GetString() == "SGD" && r.GetProperty("initialLearningRate").GetDouble() == 0.0001);
        Assert.Equal(0.0001, slowest.GetProperty("finalLearningRate").GetDouble(), 12);
        Assert.All(slowest.GetProperty("iterations").EnumerateArray(), i => Assert.Equal(System.Text.Json.JsonValueKind.Null, i.ValueKind));
    }

    [Fact]
    public void The_mlp_quick_run_trains_every_row_with_finite_losses()
    {
        var report = Cli.RunJson(_directory, "mlp.json", "hd-bench", "--quick", "--model", "mlp");

        Assert.Equal("mlp", report.GetProperty("model").GetString());
        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(12, rows.Length);
        foreach (var row in rows)
        {
            double loss = row.GetProperty("validationLoss").GetDouble();
            Assert.True(double.IsFinite(loss) && loss > 0, $"{row.GetProperty("name")}: validation loss {loss}.");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("paper").ValueKind);
        }

        Assert.Equal(640 / 128, report.GetProperty("steps").GetInt32());
    }

    [Theory]
    [InlineData("--weight-decay", "-1")]
    [InlineData("--epochs", "0")]
    [InlineData("--images", "10")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "hd-bench", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
