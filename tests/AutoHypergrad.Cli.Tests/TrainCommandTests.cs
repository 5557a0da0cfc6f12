using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad train</c> end to end: the loss and α of every step in the JSON, errors as one line.</summary>
public sealed class TrainCommandTests(CsvFixtures data) : IClassFixture<CsvFixtures>
{
    private const int Steps = 25;

    private static readonly string[] Adam =
    [
        "train", "--train", "train.csv", "--val", "val.csv", "--model", "softmax", "--optimizer", "adam", "--set", "lr=0.01",
        "--steps", "25", "--batch", "10",
    ];

    [Theory]
    [InlineData("hd", "double")]
    [InlineData("hd-momentum", "double")]
    [InlineData("hd-adam", "float")]
    public void The_json_holds_the_loss_and_the_learning_rate_of_every_step(string rule, string precision)
    {
        var result = Cli.RunJson(data.Directory, $"{rule}.json", [.. Adam, "--lr-optimizer", rule, "--beta", "1e-3", "--precision", precision]);

        var loss = Numbers(result.GetProperty("loss"));
        var lr = Numbers(result.GetProperty("lr"));
        var hypergradient = Numbers(result.GetProperty("hypergradient"));
        Assert.Equal(Steps, loss.Length);
        Assert.Equal(Steps, lr.Length);
        Assert.Equal(Steps, hypergradient.Length);
        Assert.All(loss, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Equal(0.0, hypergradient[0]);
        Assert.Equal(0.01, lr[0], precision == "float" ? 1e-7 : 0);
        Assert.NotEqual(lr[0], lr[^1]);
        Assert.Equal(lr[^1], result.GetProperty("finalLr").GetDouble());
        Assert.True(loss[^1] < loss[0], $"The training loss went from {loss[0]} to {loss[^1]}.");
        Assert.True(double.IsFinite(result.GetProperty("validationLoss").GetDouble()));
        Assert.InRange(result.GetProperty("validationAccuracy").GetDouble(), 0, 1);
        Assert.StartsWith("autohypergrad train ", result.GetProperty("command").GetString());
        Assert.True(result.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void No_learning_rate_optimizer_keeps_the_learning_rate()
    {
        var result = Cli.RunJson(data.Directory, "none.json", [.. Adam, "--lr-optimizer", "none"]);

        Assert.All(Numbers(result.GetProperty("lr")), rate => Assert.Equal(0.01, rate));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("hypergradient").ValueKind);
        Assert.Equal(Steps, result.GetProperty("loss").GetArrayLength());
    }

    [Theory]
    [InlineData("--beta", "0", "--beta 0")]
    [InlineData("--lr-max", "0.001", "--lr-max 0.001")]
    [InlineData("--set", "gamma=1", "'gamma'")]
    [InlineData("--train", "missing.csv", "missing.csv")]
    public void An_error_is_one_line_naming_the_problem_and_a_nonzero_exit(string option, string value, string named)
    {
        // An option given once already is replaced, not repeated.
        string[] arguments = Adam.Contains(option)
            ? Adam.Select((a, i) => i > 0 && Adam[i - 1] == option ? value : a).ToArray()
            : [.. Adam, option, value];
        var result = Cli.Run(data.Directory, arguments);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("autohypergrad: error: ", line);
        Assert.Contains(named, line);
        Assert.DoesNotContain("Exception", result.Error + result.Output);
    }

    [Fact]
    public void Without_an_optimizer_it_is_a_usage_error_of_one_line()
    {
        var result = Cli.Run(data.Directory, Adam.Where((a, i) => a != "--optimizer" && (i == 0 || Adam[i - 1] != "--optimizer")).ToArray());

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("autohypergrad: error: train needs --optimizer", line);
        Assert.DoesNotContain("Exception", result.Error + result.Output);
    }

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
