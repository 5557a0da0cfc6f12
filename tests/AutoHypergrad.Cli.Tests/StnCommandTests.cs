using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad stn --quick</c> end to end on the real MNIST: the two rows, the trajectories, the trials and the figure.</summary>
public sealed class StnCommandTests : IDisposable
{
    private static readonly string[] Hyperparameters = ["dropout0", "dropout1", "dropout2", "l2", "inputNoise"];
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-stn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_both_rows_the_trajectories_and_the_figure()
    {
        var report = Cli.RunJson(_directory, "quick.json", "stn", "--quick", "--svg", "quick.svg");

        Assert.Equal("stn", report.GetProperty("experiment").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.Contains("stn --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());
        Assert.Equal(Hyperparameters, report.GetProperty("hyperparameters").EnumerateArray().Select(h => h.GetString()!));

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal("STN", rows[0].GetProperty("name").GetString());
        int trials = report.GetProperty("trials").GetArrayLength();
        Assert.True(trials >= 1);
        Assert.Equal($"Random search (best of {trials} by validation)", rows[1].GetProperty("name").GetString());
        foreach (var row in rows)
        {
            Assert.Equal(JsonValueKind.Null, row.GetProperty("paper").ValueKind);
            foreach (string metric in new[] { "validationLoss", "testLoss", "seconds" })
            {
                double value = row.GetProperty(metric).GetDouble();
                Assert.True(double.IsFinite(value) && value > 0, $"{row.GetProperty("name")}: {metric} {value}");
            }

            foreach (string metric in new[] { "validationAccuracy", "testAccuracy" })
            {
                double value = row.GetProperty(metric).GetDouble();
                Assert.True(value is > 0.1 and <= 1, $"{row.GetProperty("name")}: {metric} {value}");
            }

            var values = row.GetProperty("hyperparameters");
            Assert.All(Hyperparameters.Take(3), n => Assert.InRange(values.GetProperty(n).GetDouble(), double.Epsilon, 1 - 1e-12));
            Assert.True(values.GetProperty("l2").GetDouble() > 0 && values.GetProperty("inputNoise").GetDouble() > 0);
        }

        var trajectory = report.GetProperty("trajectory");
        int points = trajectory.GetProperty("epoch").GetArrayLength();
        Assert.True(points > 2);
        foreach (string name in Hyperparameters)
        {
            var values = trajectory.GetProperty("values").GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(points, values.Length);
            Assert.All(values, v => Assert.True(double.IsFinite(v) && v > 0));
            Assert.Equal(points, trajectory.GetProperty("sigma").GetProperty(name).GetArrayLength());
        }

        Assert.Equal(0.05, trajectory.GetProperty("values").GetProperty("dropout0")[0].GetDouble(), 12);
        var losses = trajectory.GetProperty("validationLoss").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Equal(rows[0].GetProperty("validationLoss").GetDouble(), losses[^1]);

        // A line per hyperparameter (the scales as log10), STN's validation loss and the random search's best.
        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(Hyperparameters.Length + 2, figure.Lines.Count);
        string[] legend = [.. Hyperparameters.Select(n => n.StartsWith("dropout", StringComparison.Ordinal) ? n : $"log10 {n}"), "STN", rows[1].GetProperty("name").GetString()!];
        Assert.All(legend, name => Assert.Equal(1, figure.Count(name)));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--train", "100")]
    [InlineData("--hyper-lr", "-1")]
    [InlineData("--hidden", "0")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "stn", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
