using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AutoHypergrad.Cli.Tests;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>
/// <c>mpiexec -n N autohypergrad hypergrad --search K</c>: the trials spread over the ranks (trial i on rank i mod N,
/// each on all the data) give the one-process search to the bit, and a rank killed mid-search loses only the trials
/// under way: the same command resumes the finished ones from their files and the restart under way from its own
/// outer-loop checkpoint, and ends with the uninterrupted search's trials.
/// </summary>
public sealed class SearchAcrossRanksTests : IClassFixture<CsvFixtures>
{
    private readonly CsvFixtures _data;

    public SearchAcrossRanksTests(CsvFixtures data) => _data = data;

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "autohypergrad.dll");

    /// <summary>Restarts: 8 outer loops on the learning rate and the L2 strength, from learning rates drawn log-uniformly.</summary>
    private static string[] Restarts(int hyperIterations, string train) =>
    [
        Cli, "hypergrad", "--train", train, "--val", "val.csv", "--model", "softmax", "--optimizer", "sgd", "--set", "lr=0.1", "--set", "l2=0.01",
        "--steps", "200", "--hyper", "lr,l2", "--search", "8", "--range", "lr=0.01:1:log", "--outer", $"{hyperIterations}",
    ];

    [MpiTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_search_spread_over_the_ranks_is_the_one_process_search_to_the_bit(int ranks)
    {
        string[] arguments = Restarts(5, "train.csv");
        var alone = Mpiexec.Alone(_data.Directory, [.. arguments, "--json", $"search-alone-{ranks}.json"]);
        Assert.True(alone.ExitCode == 0, alone.Error);
        var (exitCode, output, error) = Mpiexec.Launch(ranks, _data.Directory, [.. arguments, "--json", $"search-ranked-{ranks}.json"]);
        Assert.True(exitCode == 0, error);

        var one = Read($"search-alone-{ranks}.json");
        var many = Read($"search-ranked-{ranks}.json");
        Assert.Equal(1, one.GetProperty("processes").GetInt32());
        Assert.Equal(ranks, many.GetProperty("processes").GetInt32());
        AssertSameTrials(one, many);
        Assert.All(many.GetProperty("trials").EnumerateArray(), t => Assert.Equal(t.GetProperty("index").GetInt32() % ranks, t.GetProperty("process").GetInt32()));

        // One table, printed by rank 0, with every trial.
        Assert.Single(output.Split('\n'), line => line.StartsWith("Restarts of 5 hyper-iterations", StringComparison.Ordinal));
    }

    [MpiFact]
    public void A_rank_killed_mid_search_loses_only_the_trials_under_way_and_a_rerun_resumes_the_rest()
    {
        string[] arguments = Restarts(40, "large-train.csv");
        string directory = Path.Combine(_data.Directory, "killed-search");
        var (exitCode, _, error) = Mpiexec.Launch(2, _data.Directory, [.. arguments, "--json", "search-whole.json"]);
        Assert.True(exitCode == 0, error);

        // Kill rank 1 once its second trial (trial 3) has checkpointed a hyper-iteration of its outer loop.
        var run = Task.Run(() => Mpiexec.Launch(2, _data.Directory, [.. arguments, "--checkpoint-dir", directory, "--json", "search-killed.json"]));
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(directory, "trial-0003.outer.json")))
        {
            Assert.True(clock.Elapsed < Mpiexec.Timeout && !run.IsCompleted, "the search ended or stalled before trial 3 started");
            Thread.Sleep(20);
        }

        Mpiexec.KillRank(1, "--search");
        var killed = run.Result;
        Assert.NotEqual(0, killed.ExitCode);
        Assert.False(File.Exists(Path.Combine(_data.Directory, "search-killed.json")));
        Assert.True(File.Exists(Path.Combine(directory, "trial-0001.json")));

        (exitCode, _, error) = Mpiexec.Launch(2, _data.Directory, [.. arguments, "--checkpoint-dir", directory, "--json", "search-resumed.json"]);
        Assert.True(exitCode == 0, error);
        var whole = Read("search-whole.json");
        var resumed = Read("search-resumed.json");
        AssertSameTrials(whole, resumed);

        var trials = resumed.GetProperty("trials").EnumerateArray().ToArray();
        Assert.True(trials[1].GetProperty("resumed").GetBoolean());
        Assert.True(
            trials[3].GetProperty("resumed").GetBoolean() || trials[3].GetProperty("resumedFrom").GetInt32() >= 1,
            "trial 3 should have resumed, whole or from its outer loop's checkpoint");
        Assert.False(trials[7].GetProperty("resumed").GetBoolean());
    }

    /// <summary>
    /// The experiments' random-search baselines: rank 0 trains the method (the STN; vanilla training and RTHO) alone,
    /// as one process does, then both ranks run trials for its wall time, and the trials of both are gathered.
    /// </summary>
    [MpiTheory]
    [InlineData("stn", "Random search (best of {0} by validation, 2 processes)", new[] { 0 })]
    [InlineData("rtho", "Random search on 2 processes", new[] { 0, 2 })]
    public void A_baselines_random_search_on_two_ranks_gathers_both_ranks_trials_and_rank_0_trains_the_method_alone(string command, string searchRow, int[] methodRows)
    {
        var alone = Mpiexec.Alone(_data.Directory, [Cli, command, "--quick", "--json", $"{command}-alone.json"]);
        Assert.True(alone.ExitCode == 0, alone.Error);
        var (exitCode, output, error) = Mpiexec.Launch(2, _data.Directory, [Cli, command, "--quick", "--json", $"{command}-ranked.json"]);
        Assert.True(exitCode == 0, error);

        var one = Read($"{command}-alone.json");
        var two = Read($"{command}-ranked.json");
        Assert.Equal(2, two.GetProperty("processes").GetInt32());
        foreach (int row in methodRows)
        {
            Assert.Equal(WithoutSeconds(one.GetProperty("rows")[row]), WithoutSeconds(two.GetProperty("rows")[row]));
        }

        var processes = two.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("process").GetInt32()).ToArray();
        Assert.Equal([0, 1], processes.Distinct().Order());
        Assert.Contains(two.GetProperty("rows").EnumerateArray(), r => r.GetProperty("name").GetString() == string.Format(CultureInfo.InvariantCulture, searchRow, processes.Length));
        Assert.Single(output.Split('\n'), line => line.StartsWith("Wall time", StringComparison.Ordinal));
    }

    /// <summary>A row's JSON but its wall time.</summary>
    private static string WithoutSeconds(JsonElement row)
        => string.Join(",", row.EnumerateObject().Where(p => p.Name != "seconds").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    /// <summary>The same trials, to the bit: drawn values, λ found, f, hyper-iterations; and the same best.</summary>
    private static void AssertSameTrials(JsonElement expected, JsonElement actual)
    {
        var e = expected.GetProperty("trials").EnumerateArray().ToArray();
        var a = actual.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Equal(8, e.Length);
        Assert.Equal(e.Length, a.Length);
        foreach (var (first, second) in e.Zip(a))
        {
            foreach (string field in new[] { "index", "drawn", "lambda", "value", "hyperIterations" })
            {
                Assert.Equal(first.GetProperty(field).GetRawText(), second.GetProperty(field).GetRawText());
            }
        }

        Assert.Equal(expected.GetProperty("bestTrial").GetInt32(), actual.GetProperty("bestTrial").GetInt32());
        Assert.Equal(expected.GetProperty("value").GetDouble(), actual.GetProperty("value").GetDouble());
    }

    private JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Directory, file))).RootElement.Clone();
}
