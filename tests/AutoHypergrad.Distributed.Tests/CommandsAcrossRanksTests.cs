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

    private static readonly string[] Run = ["--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "sgd", "--set", "lr=0.1", "--set", "l2=0.01", "--steps", "20"];

    [MpiTheory]
    [InlineData("reverse")]
    [InlineData("checkpointed")]
    [InlineData("forward")]
    public void Hypergrad_on_two_ranks_is_the_one_process_hypergradient(string mode)
    {
        // The example weights (split with the data, gathered at the end), the L2 strength and the learning rate.
        string[] arguments = ["hypergrad", .. Run, "--hyper", "weights,l2,lr", "--mode", mode];
        var (alone, ranked) = BothWays(arguments, $"hypergrad-{mode}");

        Assert.Equal(alone.GetProperty("value").GetDouble(), ranked.GetProperty("value").GetDouble(), 1e-14);
        double[] expected = Numbers(alone.GetProperty("hypergradient")), actual = Numbers(ranked.GetProperty("hypergradient"));
        Assert.Equal(62, expected.Length);
        double scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * scale, $"{p.First} against {p.Second}"));
    }

    [MpiFact]
    public void Train_on_two_ranks_moves_lr_as_one_process_does()
    {
        var (alone, ranked) = BothWays(["train", .. Run], "train");

        double[] expected = Numbers(alone), actual = Numbers(ranked);
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * Math.Max(1, Math.Abs(p.First)), $"{p.First} against {p.Second}"));
    }

    /// <summary>The command's JSON from one process and from two ranks, with the timings left out.</summary>
    private (JsonElement Alone, JsonElement Ranked) BothWays(string[] arguments, string name)
    {
        var alone = Mpiexec.Alone(_data.Directory, [Cli, .. arguments, "--json", $"{name}-alone.json"]);
        Assert.True(alone.ExitCode == 0, alone.Error);
        var (exitCode, _, error) = Mpiexec.Launch(2, _data.Directory, [Cli, .. arguments, "--json", $"{name}-ranked.json"]);
        Assert.True(exitCode == 0, error);
        return (Read($"{name}-alone.json"), Read($"{name}-ranked.json"));
    }

    private JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Directory, file))).RootElement.Clone();

    /// <summary>Every number in <paramref name="element"/>, in document order, but times and sizes.</summary>
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
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, property.Name, numbers);
                }

                break;
        }
    }
}
