using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoHypergrad.Experiments;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad hyperclean --quick</c> end to end on the real MNIST: table 1's rows, figure 2, a resumed run.</summary>
public sealed class HypercleanCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-hyperclean-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_the_rows_the_curves_and_the_figure_and_a_resumed_run_ends_the_same()
    {
        var report = Cli.RunJson(_directory, "quick.json", "hyperclean", "--quick", "--svg", "quick.svg");

        string[] names = report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(new[] { "Oracle", "Baseline", "DH-100" }, names);
        foreach (var row in report.GetProperty("rows").EnumerateArray())
        {
            Assert.InRange(row.GetProperty("testAccuracy").GetDouble(), 0.5, 1.0);
        }

        var cleaned = report.GetProperty("rows")[2];
        double f1 = cleaned.GetProperty("f1").GetDouble();
        Assert.InRange(f1, 0.0, 1.0);
        Assert.True(f1 > 0.3, $"40 hyper-iterations should find some corrupted labels; F1 = {f1}.");
        Assert.Equal(JsonValueKind.Null, report.GetProperty("rows")[0].GetProperty("f1").ValueKind);

        // Trained as the script trains them, on the 500 training and 500 validation images stacked: Oracle with the
        // 250 corrupted examples' weights 0, Baseline with every weight 1, the final round with the tuned weights
        // (λ below 10⁻³ counts as discarded, so the examples at exactly 0 are at most the discarded ones).
        int[] trainedOn = report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("trainedOn").GetInt32()).ToArray();
        int discarded = cleaned.GetProperty("truePositives").GetInt32() + cleaned.GetProperty("falsePositives").GetInt32();
        Assert.Equal(750, trainedOn[0]);
        Assert.Equal(1000, trainedOn[1]);
        Assert.InRange(trainedOn[2], 1000 - discarded, 1000);
        // DH-R's hypergradient time is its curve's sum, so a resumed run counts its earlier runs' too.
        Assert.Equal(JsonValueKind.Null, report.GetProperty("rows")[0].GetProperty("hypergradientSeconds").ValueKind);
        Assert.Equal(
            report.GetProperty("curves")[0].GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("seconds").GetDouble()),
            cleaned.GetProperty("hypergradientSeconds").GetDouble(),
            9);
        Assert.Equal(HyperCleaningSettings.ScriptFirstImage, report.GetProperty("settings").GetProperty("firstImage").GetInt32());
        Assert.Equal(HyperCleaningSettings.EpsilonInside, report.GetProperty("settings").GetProperty("hyperAdamForm").GetString());
        Assert.DoesNotContain(report.GetProperty("deviations").EnumerateArray(), d => d.GetString()!.Contains("Adam on λ", StringComparison.Ordinal));
        Assert.DoesNotContain(report.GetProperty("deviations").EnumerateArray(), d => d.GetString()!.Contains("MNIST training images", StringComparison.Ordinal));
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        Assert.NotEmpty(report.GetProperty("deviations").EnumerateArray());
        Assert.Contains("hyperclean --quick", report.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.Equal("hyperclean", report.GetProperty("experiment").GetString());
        // --threads defaults to the processors.
        Assert.Equal(Environment.ProcessorCount == 1 ? "CPU" : $"CPU, {Environment.ProcessorCount} threads", report.GetProperty("device").GetString());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.True(report.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);

        var points = report.GetProperty("curves")[0].GetProperty("points");
        Assert.Equal(40, points.GetArrayLength());
        foreach (var point in points.EnumerateArray())
        {
            Assert.InRange(point.GetProperty("validationAccuracy").GetDouble(), 0.0, 1.0);
            Assert.InRange(point.GetProperty("testAccuracy").GetDouble(), 0.0, 1.0);
        }

        var figure = FigureSvg.Load(Path.Combine(_directory, "quick.svg"));
        Assert.Equal(4, figure.Lines.Count);
        Assert.All(new[] { "validation", "test", "noisy (TP)", "clean (FP)" }, name => Assert.Equal(1, figure.Count(name)));

        // Stopped after 20 hyper-iterations, then resumed to 40 from the checkpoint: the same λ, so the same rows. The
        // resumed run's own wall time leaves out the first run's hypergradients; resumedSeconds holds them.
        Assert.Equal(0, report.GetProperty("resumedSeconds").GetDouble());
        var first = Cli.RunJson(_directory, "first.json", "hyperclean", "--quick", "--hyper-iterations", "20", "--checkpoint-dir", "checkpoints");
        var resumed = Cli.RunJson(_directory, "resumed.json", "hyperclean", "--quick", "--checkpoint-dir", "checkpoints");
        Assert.Equal(20, resumed.GetProperty("curves")[0].GetProperty("resumedFrom").GetInt32());
        Assert.Equal(40, resumed.GetProperty("curves")[0].GetProperty("points").GetArrayLength());
        Assert.Equal(Results(cleaned), Results(resumed.GetProperty("rows")[2]));
        double firstSeconds = first.GetProperty("curves")[0].GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("seconds").GetDouble());
        Assert.Equal(firstSeconds, resumed.GetProperty("curves")[0].GetProperty("resumedSeconds").GetDouble(), 9);
        Assert.Equal(firstSeconds, resumed.GetProperty("resumedSeconds").GetDouble(), 9);
    }

    /// <summary>A row's results, without its times.</summary>
    private static string Results(JsonElement row)
        => string.Join(", ", row.EnumerateObject().Where(p => p.Name != "hypergradientSeconds").Select(p => $"{p.Name}: {p.Value}"));

    [Fact]
    public void Several_radii_draw_one_figure_each_which_report_links_shows_and_redraws()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "results"));
        Cli.RunJson(_directory, Path.Combine("results", "two.json"), "hyperclean", "--quick", "--hyper-iterations", "2", "--radius", "100,150", "--svg", Path.Combine("results", "two.svg"));
        string[] figures = ["two-R100.svg", "two-R150.svg"];
        Assert.False(File.Exists(Path.Combine(_directory, "results", "two.svg")));
        foreach (string file in figures)
        {
            Assert.Equal(4, FigureSvg.Load(Path.Combine(_directory, "results", file)).Lines.Count);
            File.Delete(Path.Combine(_directory, "results", file));
        }

        var result = Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md", "--include-quick", "--figures");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Drew results/two-R100.svg, results/two-R150.svg.", result.Output.ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
        string document = File.ReadAllText(Path.Combine(_directory, "RESULTS.md"));
        Assert.Contains("figures: [two-R100.svg](results/two-R100.svg), [two-R150.svg](results/two-R150.svg)", document, StringComparison.Ordinal);
        foreach (string file in figures)
        {
            Assert.Contains($"![hyperclean](results/{file})", document, StringComparison.Ordinal);
            Assert.Equal(4, FigureSvg.Load(Path.Combine(_directory, "results", file)).Lines.Count);
        }
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused_in_one_line()
    {
        Cli.RunJson(_directory, "short.json", "hyperclean", "--quick", "--hyper-iterations", "1", "--checkpoint-dir", "checkpoints");
        var result = Cli.Run(_directory, "hyperclean", "--quick", "--hyper-iterations", "1", "--steps", "20", "--checkpoint-dir", "checkpoints");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("checkpoints", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Adam_with_epsilon_outside_the_root_is_a_listed_deviation_with_checkpoints_of_its_own()
    {
        var outside = Cli.RunJson(_directory, "outside.json", "hyperclean", "--quick", "--hyper-iterations", "3", "--adam-epsilon", "outside", "--checkpoint-dir", "adam");
        var inside = Cli.RunJson(_directory, "inside.json", "hyperclean", "--quick", "--hyper-iterations", "3");

        Assert.Equal(HyperCleaningSettings.EpsilonOutside, outside.GetProperty("settings").GetProperty("hyperAdamForm").GetString());
        Assert.Contains(outside.GetProperty("deviations").EnumerateArray(), d => d.GetString()!.StartsWith("Adam on λ adds its ε outside the square root", StringComparison.Ordinal));

        // The first hyperstep differs, so the third hypergradient's training run does.
        double Loss(JsonElement report) => report.GetProperty("curves")[0].GetProperty("points")[2].GetProperty("validationLoss").GetDouble();
        Assert.NotEqual(Loss(inside), Loss(outside));

        var refused = Cli.Run(_directory, "hyperclean", "--quick", "--hyper-iterations", "3", "--checkpoint-dir", "adam");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("adam-eps=outside", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_machine_without_a_GPU_device_cuda_says_what_is_missing_in_one_line()
    {
        var result = Cli.Run(_directory, "hyperclean", "--quick", "--device", "cuda", "--json", "gpu.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("autohypergrad: error: CUDA driver libcuda.so.1 not found: tried libcuda.so.1, libcuda.so, nvcuda.dll. It comes with the NVIDIA driver; this machine has none.", result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(_directory, "gpu.json")));
    }

    [Theory]
    [InlineData("--device", "tpu")]
    [InlineData("--radius", "0")]
    [InlineData("--radius", "100,x")]
    [InlineData("--steps", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--first-image", "-1")]
    [InlineData("--first-image", "58001")]
    [InlineData("--adam-epsilon", "sideways")]
    public void A_bad_option_is_a_usage_error(string option, string value)
    {
        var result = Cli.Run(_directory, "hyperclean", "--quick", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void F1_of_finding_the_corrupted_examples()
    {
        Assert.Equal(1.0, HyperCleaning<float>.F1(2500, 0, 2500));
        Assert.Equal(0.0, HyperCleaning<float>.F1(0, 100, 2500));
        // precision 2000/2250, recall 2000/2500: F1 = 2·2000 / (2250 + 2500).
        Assert.Equal(4000.0 / 4750, HyperCleaning<float>.F1(2000, 250, 2500), 12);
    }
}
