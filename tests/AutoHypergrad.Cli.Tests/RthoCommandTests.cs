using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad rtho --quick</c> end to end on the real MNIST: the three rows, the trace of λ, the trials and the figure.</summary>
public sealed class RthoCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-rtho-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_the_contract_rows_the_trace_in_the_domains_and_the_figure()
    {
        var report = Cli.RunJson(_directory, "quick.json", "rtho", "--quick", "--svg", "quick.svg");

        Assert.Equal("rtho", report.GetProperty("experiment").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.Contains("rtho --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["Vanilla", "Random search", "RTHO"], rows.Select(r => r.GetProperty("name").GetString()!).ToArray());
        foreach (var row in rows)
        {
            double accuracy = row.GetProperty("testAccuracy").GetDouble();
            Assert.True(accuracy is > 0.1 and <= 1, $"{row.GetProperty("name")}: test accuracy {accuracy}.");
            Assert.True(double.IsFinite(row.GetProperty("validationLoss").GetDouble()));
            Assert.True(row.GetProperty("seconds").GetDouble() > 0);
        }

        Assert.Equal([0.5981, 0.6036, 0.6197], rows.Select(r => r.GetProperty("paper").GetProperty("testAccuracy").GetDouble()).ToArray());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("paper").GetProperty("seconds").ValueKind);
        Assert.Equal(18000, rows[1].GetProperty("paper").GetProperty("seconds").GetDouble());
        Assert.Equal(9840, rows[2].GetProperty("paper").GetProperty("seconds").GetDouble());

        // Vanilla keeps the defaults; random search keeps drawing until RTHO's wall time has passed.
        var settings = report.GetProperty("settings");
        Assert.Equal(settings.GetProperty("learningRate").GetDouble(), rows[0].GetProperty("learningRate").GetDouble());
        Assert.Equal(settings.GetProperty("momentum").GetDouble(), rows[0].GetProperty("momentum").GetDouble());
        Assert.True(rows[1].GetProperty("seconds").GetDouble() >= rows[2].GetProperty("seconds").GetDouble());
        Assert.Equal(rows[1].GetProperty("trials").GetInt32(), report.GetProperty("trials").GetArrayLength());

        // One hyperstep every Δ = 10 of T = 50 steps, every λ in its domain: η and L2 positive, μ in [0, 1).
        var trace = report.GetProperty("trace");
        Assert.Equal([10, 20, 30, 40, 50], trace.GetProperty("step").EnumerateArray().Select(s => s.GetInt32()).ToArray());
        Assert.All(trace.GetProperty("learningRate").EnumerateArray(), v => Assert.True(v.GetDouble() > 0));
        Assert.All(trace.GetProperty("momentum").EnumerateArray(), v => Assert.True(v.GetDouble() is >= 0 and < 1));
        Assert.All(trace.GetProperty("weightDecay").EnumerateArray(), v => Assert.True(v.GetDouble() > 0));
        Assert.All(trace.GetProperty("validationLoss").EnumerateArray(), v => Assert.True(double.IsFinite(v.GetDouble())));
        Assert.Equal(trace.GetProperty("learningRate")[4].GetDouble(), rows[2].GetProperty("learningRate").GetDouble());

        // Four panels (η, μ, L2, E), each with RTHO's line and its legend entry.
        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(4, figure.Lines.Count);
        Assert.Equal(4, figure.Count("RTHO"));
    }

    [Theory]
    [InlineData("--steps", "0")]
    [InlineData("--interval", "0")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "rtho", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
