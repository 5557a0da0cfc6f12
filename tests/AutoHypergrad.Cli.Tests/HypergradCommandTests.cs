using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad hypergrad</c> end to end: the engines agree, errors are one line, a killed outer loop resumes.</summary>
public sealed class HypergradCommandTests(CsvFixtures data) : IClassFixture<CsvFixtures>
{
    private static readonly string[] Momentum = MomentumOn("train.csv", "val.csv");

    private string Directory => data.Directory;

    [Theory]
    [InlineData("momentum")]
    [InlineData("adam-dead-feature")]
    public void Reverse_checkpointed_forward_and_finite_differences_agree_in_double(string problem)
    {
        // Adam in its default form on data with a feature that is always 0: that weight's v̂ stays 0, where √ has an
        // infinite derivative, and no hyperparameter moves it; the generated derivatives give 0 for it, not NaN.
        string[] run = problem == "momentum"
            ? [.. Momentum, "--hyper", "lr,mu", "--precision", "double"]
            : ["hypergrad", "--train", "dead-feature-train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "adam", "--set", "lr=0.05",
               "--hyper", "lr,beta1,beta2", "--steps", "20", "--precision", "double"];
        var reverse = Hypergradient(run, "reverse");
        var checkpointed = Hypergradient([.. run, "--slots", "4"], "checkpointed");
        var forward = Hypergradient(run, "forward");
        var differences = Hypergradient(run, "fd");

        double scale = reverse.Max(Math.Abs);
        Assert.True(scale > 1e-4, $"The hypergradient ({string.Join(", ", reverse)}) is too small to compare.");
        for (int i = 0; i < reverse.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(reverse[i]), BitConverter.DoubleToInt64Bits(checkpointed[i]));
            Assert.True(Math.Abs(forward[i] - reverse[i]) <= 1e-10 * scale, $"forward {forward[i]:R} vs reverse {reverse[i]:R}");
            Assert.True(Math.Abs(differences[i] - reverse[i]) <= 1e-6 * scale, $"fd {differences[i]:R} vs reverse {reverse[i]:R}");
        }
    }

    [Fact]
    public void Float_runs_and_is_close_to_double()
    {
        var inDouble = Cli.RunJson(Directory, "double.json", [.. Momentum, "--hyper", "lr,mu", "--precision", "double"]);
        var inFloat = Cli.RunJson(Directory, "float.json", [.. Momentum, "--hyper", "lr,mu", "--precision", "float"]);

        Assert.Equal("float", inFloat.GetProperty("precision").GetString());
        Assert.Equal(inDouble.GetProperty("value").GetDouble(), inFloat.GetProperty("value").GetDouble(), 1e-5);
        var d = Cli.Numbers(inDouble.GetProperty("hypergradient"));
        var f = Cli.Numbers(inFloat.GetProperty("hypergradient"));
        double scale = d.Values.Max(Math.Abs);
        foreach (var (name, value) in d)
        {
            Assert.True(Math.Abs(f[name] - value) <= 1e-4 * scale, $"{name}: float {f[name]:R} vs double {value:R}");
        }
    }

    [Theory]
    [InlineData("missing-train", "missing.csv")]
    [InlineData("unknown-hyperparameter", "'gamma'")]
    [InlineData("label-out-of-range", "bad-label-val.csv")]
    [InlineData("bad-domain", "'wobble:3'")]
    [InlineData("implicit-with-optimizer", "--optimizer does not apply to --mode implicit")]
    [InlineData("implicit-mlp", "not mlp")]
    [InlineData("implicit-lr", "'lr'")]
    [InlineData("reverse-without-optimizer", "--mode reverse trains with an optimizer: give --optimizer")]
    [InlineData("tolerance-not-implicit", "--tolerance and --linear-solver are for --mode implicit")]
    [InlineData("range-without-search", "--range is for --search K")]
    [InlineData("search-without-range", "--search needs at least one --range")]
    [InlineData("bad-range", "--range lr=0.1: expected NAME=LOW:HIGH or NAME=LOW:HIGH:log")]
    [InlineData("empty-range", "--range lr=1:0.1: LOW must be below HIGH")]
    [InlineData("range-not-tuned", "--range mu: not a tuned hyperparameter; --hyper tunes lr")]
    [InlineData("range-outside-domain", "--range lr: [-1, 1] leaves lr's domain")]
    [InlineData("search-rtho", "--search runs training runs (with --outer, outer loops along their hypergradients), not --mode rtho")]
    [InlineData("search-checkpoint-file", "--search keeps its trials (and each restart's outer loop) in --checkpoint-dir DIR")]
    public void An_error_is_one_line_naming_the_problem_and_a_nonzero_exit(string problem, string named)
    {
        string[] arguments = problem switch
        {
            "missing-train" => [.. MomentumOn("missing.csv", "val.csv"), "--hyper", "lr"],
            "unknown-hyperparameter" => [.. Momentum, "--hyper", "lr,gamma"],
            "label-out-of-range" => [.. MomentumOn("train.csv", "bad-label-val.csv"), "--hyper", "lr"],
            "implicit-with-optimizer" => [.. Momentum, "--hyper", "l2", "--mode", "implicit"],
            "implicit-mlp" => ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "mlp", "--mode", "implicit", "--hyper", "l2"],
            "implicit-lr" => ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--mode", "implicit", "--hyper", "lr"],
            "reverse-without-optimizer" => ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--hyper", "l2"],
            "tolerance-not-implicit" => [.. Momentum, "--hyper", "lr", "--tolerance", "1e-6"],
            "range-without-search" => [.. Momentum, "--hyper", "lr", "--range", "lr=0.1:1"],
            "search-without-range" => [.. Momentum, "--hyper", "lr", "--search", "3"],
            "bad-range" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "lr=0.1"],
            "empty-range" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "lr=1:0.1"],
            "range-not-tuned" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "mu=0:0.9"],
            "range-outside-domain" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "lr=-1:1"],
            "search-rtho" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "lr=0.1:1", "--mode", "rtho"],
            "search-checkpoint-file" => [.. Momentum, "--hyper", "lr", "--search", "3", "--range", "lr=0.1:1", "--outer", "2", "--checkpoint", "c.json"],
            _ => [.. Momentum, "--hyper", "lr", "--domain", "lr=wobble:3"],
        };
        var result = Cli.Run(Directory, arguments);

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("autohypergrad: error: ", line);
        Assert.Contains(named, line);
        Assert.DoesNotContain("   at ", result.Error + result.Output);
        Assert.DoesNotContain("Exception", result.Error + result.Output);
    }

    [Fact]
    public void Implicit_matches_a_long_reverse_run_and_reports_its_solves()
    {
        // Full-batch gradient descent with lr = 1 on softmax regression with l2 = 0.1 contracts to the minimizer
        // geometrically; after 3000 steps the reverse hypergradient is the implicit one up to rounding.
        string[] data = ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--set", "l2=0.1", "--hyper", "l2"];
        var reverse = Cli.RunJson(Directory, "long-reverse.json", [.. data, "--optimizer", "sgd", "--set", "lr=1", "--steps", "3000"]);
        var implicitRun = Cli.RunJson(Directory, "implicit.json", [.. data, "--mode", "implicit", "--tolerance", "1e-10"]);

        Assert.Equal("implicit", implicitRun.GetProperty("mode").GetString());
        double expected = Cli.Numbers(reverse.GetProperty("hypergradient"))["l2"];
        double actual = Cli.Numbers(implicitRun.GetProperty("hypergradient"))["l2"];
        Assert.True(Math.Abs(actual - expected) <= 1e-8 * Math.Abs(expected), $"implicit {actual:R} vs reverse {expected:R}");
        Assert.Equal(reverse.GetProperty("value").GetDouble(), implicitRun.GetProperty("value").GetDouble(), 1e-10);
        Assert.InRange(implicitRun.GetProperty("linearResidual").GetDouble(), 0, 1e-10);
        Assert.True(implicitRun.GetProperty("innerGradientNorm").GetDouble() < 1e-8);
        Assert.Equal("cg", implicitRun.GetProperty("linearSolver").GetString());
        Assert.True(implicitRun.GetProperty("linearIterations").GetInt32() > 0);
    }

    [Fact]
    public void Hoag_lowers_the_validation_error_with_every_linear_solver()
    {
        foreach (string solver in new[] { "cg", "minres", "neumann", "fixed-point" })
        {
            var result = Cli.RunJson(
                Directory,
                $"hoag-{solver}.json",
                ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--mode", "implicit", "--set", "l2=1", "--hyper", "l2",
                    "--domain", "l2=positive:log", "--outer", "10", "--linear-solver", solver]);

            var history = result.GetProperty("history");
            Assert.Equal(10, history.GetArrayLength());
            Assert.True(result.GetProperty("bestValue").GetDouble() < history[0].GetProperty("value").GetDouble() - 1e-3, solver);
            Assert.True(Cli.Numbers(result.GetProperty("lambda"))["l2"] > 0);
            Assert.True(history[9].GetProperty("tolerance").GetDouble() < history[0].GetProperty("tolerance").GetDouble());
            Assert.Equal(solver, result.GetProperty("linearSolver").GetString());
        }
    }

    [Fact]
    public void An_outer_loop_killed_mid_run_resumes_to_the_same_bits()
    {
        string[] Outer(string checkpoint) =>
        [
            "hypergrad", "--train", "large-train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "momentum",
            "--set", "lr=0.1,mu=0.5", "--hyper", "lr,mu", "--steps", "200", "--outer", "40", "--hyper-lr", "0.02",
            "--checkpoint", checkpoint,
        ];
        var uninterrupted = Cli.RunJson(Directory, "uninterrupted.json", Outer("uninterrupted.checkpoint"));

        string checkpoint = Path.Combine(Directory, "killed.checkpoint");
        int completedAtKill;
        using (var process = Cli.Start(Directory, [.. Outer("killed.checkpoint"), "--json", "killed.json"]))
        {
            completedAtKill = WaitForCompleted(checkpoint, atLeast: 3, process);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.False(File.Exists(Path.Combine(Directory, "killed.json")), "The killed run finished before the kill.");
        var resumed = Cli.RunJson(Directory, "killed.json", Outer("killed.checkpoint"));

        int resumedFrom = resumed.GetProperty("resumedFrom").GetInt32();
        Assert.InRange(resumedFrom, Math.Max(3, completedAtKill), 39);
        var expected = Cli.Numbers(uninterrupted.GetProperty("lambda"));
        var actual = Cli.Numbers(resumed.GetProperty("lambda"));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, value) in expected)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(actual[name]));
        }

        Assert.Equal(40, resumed.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public void Example_weights_in_a_capped_simplex_stay_in_it()
    {
        const double Radius = 20;
        var result = Cli.RunJson(
            Directory,
            "simplex.json",
            [.. Momentum, "--hyper", "weights", "--set", "weights=0.3", "--domain", $"weights=capped-simplex:{Radius}", "--outer", "15", "--hyper-lr", "0.05"]);

        var lambda = Cli.Numbers(result.GetProperty("lambda"));
        Assert.Equal(60, lambda.Count);
        Assert.All(lambda.Values, w => Assert.InRange(w, 0.0, 1.0));
        Assert.True(lambda.Values.Sum() <= Radius * (1 + 1e-12), $"Σλ = {lambda.Values.Sum():R} > {Radius}");
        Assert.True(lambda.Values.Distinct().Count() > 1, "The outer loop did not move the weights.");
    }

    /// <summary>30 steps of softmax regression trained by momentum (lr = 0.1, mu = 0.5).</summary>
    private static string[] MomentumOn(string train, string validation) =>
    [
        "hypergrad", "--train", train, "--val", validation, "--model", "softmax",
        "--optimizer", "momentum", "--set", "lr=0.1,mu=0.5", "--steps", "30",
    ];

    [Fact]
    public void Random_search_evaluates_f_as_the_engines_do_keeps_the_lowest_and_ranks_a_diverged_trial_last()
    {
        var search = Cli.RunJson(Directory, "search.json", [.. Momentum, "--hyper", "lr,mu", "--search", "6", "--range", "lr=0.01:10:log", "--range", "mu=0:0.9"]);

        var trials = search.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Equal("random", search.GetProperty("search").GetString());
        Assert.Equal(6, trials.Length);
        double best = trials.Min(t => t.GetProperty("value").GetDouble());
        Assert.Equal(best, search.GetProperty("value").GetDouble());

        // f of the best trial is the hypergrad command's f at its λ, to the bit.
        var lambda = search.GetProperty("lambda");
        string at = FormattableString.Invariant($"lr={lambda.GetProperty("lr").GetDouble():R},mu={lambda.GetProperty("mu").GetDouble():R}");
        var single = Cli.RunJson(Directory, "search-best.json", ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "momentum", "--set", at, "--steps", "30", "--hyper", "lr,mu"]);
        Assert.Equal(best, single.GetProperty("value").GetDouble());

        // Linear regression at learning rates up to 10³ diverges: those trials have no value and rank last.
        var diverging = Cli.RunJson(
            Directory,
            "search-diverging.json",
            ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "linear", "--optimizer", "sgd", "--steps", "300", "--hyper", "lr", "--search", "4", "--range", "lr=0.01:1e3:log"]);
        var outcomes = diverging.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Contains(outcomes, t => t.GetProperty("value").ValueKind == JsonValueKind.Null && t.GetProperty("failure").GetString()!.Length > 0);
        Assert.Contains(outcomes, t => t.GetProperty("value").ValueKind == JsonValueKind.Number);
        Assert.NotEqual(JsonValueKind.Null, diverging.GetProperty("value").ValueKind);
    }

    /// <summary>The hypergradient's entries, ordered by name.</summary>
    private double[] Hypergradient(string[] arguments, string mode)
    {
        var json = Cli.RunJson(Directory, $"{mode}.json", [.. arguments, "--mode", mode]);
        Assert.Equal(mode, json.GetProperty("mode").GetString());
        var numbers = Cli.Numbers(json.GetProperty("hypergradient"));
        return [.. numbers.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Value)];
    }

    /// <summary>Polls the checkpoint until it holds <paramref name="atLeast"/> completed hyper-iterations; returns how many.</summary>
    private static int WaitForCompleted(string checkpoint, int atLeast, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Cli.Timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The run ended (exit code {process.ExitCode}) before its checkpoint held {atLeast} hyper-iterations.");
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(checkpoint));
                int completed = document.RootElement.GetProperty("Completed").GetInt32();
                if (completed >= atLeast)
                {
                    return completed;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Not written yet.
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException($"{checkpoint} did not reach {atLeast} hyper-iterations.");
    }
}
