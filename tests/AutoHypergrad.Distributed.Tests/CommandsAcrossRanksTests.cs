using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoHypergrad.Cli.Tests;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>
/// <c>mpiexec -n 2 autohypergrad hypergrad</c> and <c>train</c>: the training set split across the ranks gives the
/// one-process results, in double, to the rounding of the reassociated sums; rank 0 alone writes the JSON.
/// </summary>
public sealed class CommandsAcrossRanksTests : IClassFixture<CsvFixtures>
{
    private readonly CsvFixtures _data;

    public CommandsAcrossRanksTests(CsvFixtures data) => _data = data;

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "autohypergrad.dll");

    /// <summary>
    /// Every engine of <c>hypergrad</c>, and the outer loop and real-time HO over them. The implicit engine stops its
    /// solves at a tolerance rather than after a fixed count, and reassociated sums can move the step where they stop:
    /// at <c>--tolerance 1e-13</c> both runs end below it, so they differ by less than the bound too.
    /// </summary>
    [MpiTheory]
    [InlineData("reverse", "--optimizer sgd --set lr=0.1 --steps 20 --hyper weights,l2,lr")]
    [InlineData("checkpointed", "--optimizer sgd --set lr=0.1 --steps 20 --hyper weights,l2,lr --mode checkpointed")]
    [InlineData("truncated", "--optimizer sgd --set lr=0.1 --steps 20 --hyper weights,l2,lr --mode truncated --truncate 5")]
    [InlineData("forward", "--optimizer sgd --set lr=0.1 --steps 20 --hyper weights,l2,lr --mode forward")]
    [InlineData("outer", "--optimizer sgd --set lr=0.1 --steps 20 --hyper weights,l2,lr --outer 3")]
    [InlineData("rtho", "--optimizer sgd --set lr=0.1 --steps 20 --hyper l2,lr --mode rtho")]
    [InlineData("implicit", "--hyper weights,l2 --mode implicit --tolerance 1e-13")]
    public void Hypergrad_on_two_ranks_is_the_one_process_result(string name, string options)
    {
        // The example weights (split with the data, gathered at the end), the L2 strength and the learning rate.
        string[] arguments = ["hypergrad", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--set", "l2=0.01", .. options.Split(' ')];
        var (alone, ranked) = BothWays(arguments, $"hypergrad-{name}");

        Assert.Equal(alone.GetProperty("value").GetDouble(), ranked.GetProperty("value").GetDouble(), 1e-14);
        AssertClose(alone.GetProperty("hypergradient"), ranked.GetProperty("hypergradient"));
        Assert.Equal(options.Contains("weights", StringComparison.Ordinal) ? options.Contains("lr", StringComparison.Ordinal) ? 62 : 61 : 2, Numbers(alone.GetProperty("hypergradient")).Length);
        if (alone.TryGetProperty("lambda", out var lambda))
        {
            AssertClose(lambda, ranked.GetProperty("lambda"));
        }
    }

    [MpiTheory]
    [InlineData("more-ranks", "4 ranks for 3 examples: each rank needs at least one example, so run on at most 3 ranks.")]
    [InlineData("missing-file", "missing.csv")]
    public void Bad_input_under_mpiexec_is_one_error_line_however_many_ranks(string problem, string named)
    {
        // Three examples, one of each class.
        File.WriteAllLines(Path.Combine(_data.Directory, "three.csv"), ["label,x1,x2,x3,x4", "0,1,0,0,0", "1,0,1,0,0", "2,0,0,1,0"]);
        string train = problem == "more-ranks" ? "three.csv" : "missing.csv";
        var (exitCode, _, error) = Mpiexec.Launch(4, _data.Directory, [Cli, "hypergrad", "--train", train, "--val", "val.csv", "--model", "softmax", "--optimizer", "sgd", "--steps", "5", "--hyper", "lr"]);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(error.Split('\n'), l => l.Contains("error", StringComparison.Ordinal));
        Assert.StartsWith("autohypergrad: error: ", line);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    /// <summary>Each entry within 10⁻¹² of the block's largest: the same sums, reassociated.</summary>
    private static void AssertClose(JsonElement alone, JsonElement ranked)
    {
        double[] expected = Numbers(alone), actual = Numbers(ranked);
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * scale, $"{p.First} against {p.Second}"));
    }

    [MpiFact]
    public void Train_on_two_ranks_moves_lr_as_one_process_does()
    {
        var (alone, ranked) = BothWays(["train", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "sgd", "--set", "lr=0.1", "--set", "l2=0.01", "--steps", "20"], "train");

        double[] expected = Numbers(alone), actual = Numbers(ranked);
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * Math.Max(1, Math.Abs(p.First)), $"{p.First} against {p.Second}"));
    }

    /// <summary>The command's JSON from one process and from two ranks, with the timings left out.</summary>
    private (JsonElement Alone, JsonElement Ranked) BothWays(string[] arguments, string name)
    {
        var alone = Mpiexec.Alone(_data.Directory, [Cli, .. arguments, "--json", $"{name}-alone.json"]);
        Assert.True(alone.ExitCode == 0, alone.Error);
        var (exitCode, output, error) = Mpiexec.Launch(2, _data.Directory, [Cli, .. arguments, "--json", $"{name}-ranked.json"]);
        Assert.True(exitCode == 0, error);
        var (one, two) = (Read($"{name}-alone.json"), Read($"{name}-ranked.json"));

        // The JSON records the ranks and rank 0's sums, which the console reports once.
        Assert.Equal(1, one.GetProperty("processes").GetInt32());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("traffic").ValueKind);
        Assert.Equal(2, two.GetProperty("processes").GetInt32());
        Assert.True(two.GetProperty("traffic").GetProperty("sums").GetInt64() > 0);
        Assert.Single(output.Split('\n'), line => line.StartsWith("Rank 0's sums over the ranks", StringComparison.Ordinal));
        return (one, two);
    }

    private JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Directory, file))).RootElement.Clone();

    /// <summary>Every number in <paramref name="element"/>, in document order, but times, sizes and the ranks' record.</summary>
    private static double[] Numbers(JsonElement element)
    {
        var numbers = new List<double>();
        Collect(element, null, numbers);
        return numbers.ToArray();
    }

    private static void Collect(JsonElement element, string? name, List<double> numbers)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when name is null || !(name.Contains("seconds", StringComparison.OrdinalIgnoreCase) || name.Contains("bytes", StringComparison.OrdinalIgnoreCase)):
                numbers.Add(element.GetDouble());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, name, numbers);
                }

                break;
            case JsonValueKind.Object:
                // The ranks and their traffic differ by design (BothWays checks them).
                foreach (var property in element.EnumerateObject().Where(p => p.Name is not ("processes" or "traffic")))
                {
                    Collect(property.Value, property.Name, numbers);
                }

                break;
        }
    }
}
