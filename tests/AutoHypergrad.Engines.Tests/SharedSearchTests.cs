using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoHypergrad.Outer;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// A random search whose trials are shared by several processes (here threads that stand in for MPI ranks, through the
/// same <see cref="ITrialGroup"/>) and kept in <see cref="TrialCheckpoints"/>: every trial runs once, on the process of
/// its index, every process ends with the one-process result, and a search run again after a failure loads the
/// finished trials instead of running them.
/// </summary>
public sealed class SharedSearchTests : IDisposable
{
    private static readonly SearchRange[] Ranges = [new("lr", 1e-3, 1, Logarithmic: true), new("momentum", 0, 0.99, Logarithmic: false)];

    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-search-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A trial's outcome: a record and a tuple, as outcomes are, to cross processes and files as JSON.</summary>
    private sealed record Outcome(double[] Lambda, (double Loss, int Steps) Result);

    private static Outcome Trial(IReadOnlyDictionary<string, double> drawn, int index)
        => new([drawn["lr"], drawn["momentum"]], (Math.Pow(Math.Log(drawn["lr"]) + 3, 2) + drawn["momentum"] + (index == 4 ? double.NaN : 0), index * 10));

    private static RandomSearchResult<Outcome> Search(ITrialGroup? group = null, TrialCheckpoints? checkpoints = null, Func<IReadOnlyDictionary<string, double>, int, Outcome>? trial = null)
        => new RandomSearch(Ranges, seed: 5).Run(trial ?? Trial, o => o.Result.Loss, double.PositiveInfinity, maxTrials: 10, group: group, checkpoints: checkpoints);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Trials_shared_by_several_processes_run_once_each_on_their_process_and_every_process_gets_the_one_process_result(int processes)
    {
        var alone = Search();
        var ran = new ConcurrentDictionary<int, int>();
        var groups = ThreadGroup.Of(processes);
        var results = RunTogether(groups, group => Search(group, trial: (drawn, index) =>
        {
            Assert.True(ran.TryAdd(index, group.Process), $"trial {index} ran twice");
            return Trial(drawn, index);
        }));

        Assert.Equal(Enumerable.Range(0, 10), ran.Keys.Order());
        Assert.All(ran, pair => Assert.Equal(pair.Key % processes, pair.Value));
        foreach (var result in results)
        {
            Assert.Equal(processes, result.Processes);
            AssertSameTrials(alone, result);
            Assert.All(result.Trials, t => Assert.Equal(t.Index % processes, t.Process));
        }
    }

    [Fact]
    public void A_search_run_again_after_a_failure_loads_the_finished_trials_and_ends_as_an_uninterrupted_one()
    {
        var fingerprint = "search test";
        var alone = Search();
        Assert.Throws<InvalidOperationException>(() => Search(
            checkpoints: new TrialCheckpoints(_directory, fingerprint),
            trial: (drawn, index) => index == 6 ? throw new InvalidOperationException("killed") : Trial(drawn, index)));
        Assert.Equal(6, Directory.GetFiles(_directory, "trial-*.json").Length);

        var ran = new List<int>();
        var resumed = Search(checkpoints: new TrialCheckpoints(_directory, fingerprint), trial: (drawn, index) =>
        {
            ran.Add(index);
            return Trial(drawn, index);
        });

        Assert.Equal([6, 7, 8, 9], ran);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i < 6), resumed.Trials.Select(t => t.Resumed));
        AssertSameTrials(alone, resumed);
    }

    [Fact]
    public void Processes_resume_their_own_trials_from_a_shared_directory()
    {
        var fingerprint = "shared";
        var alone = Search();
        Assert.ThrowsAny<Exception>(() => RunTogether(ThreadGroup.Of(2), group => Search(
            group,
            new TrialCheckpoints(_directory, fingerprint),
            (drawn, index) => index == 5 ? throw group.Abort() : Trial(drawn, index))));

        var results = RunTogether(ThreadGroup.Of(2), group => Search(group, new TrialCheckpoints(_directory, fingerprint)));

        // Process 0 finished all its trials; process 1 had finished 1 and 3.
        Assert.All(results, result =>
        {
            AssertSameTrials(alone, result);
            Assert.Equal(new[] { 0, 1, 2, 3, 4, 6, 8 }, result.Trials.Where(t => t.Resumed).Select(t => t.Index));
        });
    }

    [Fact]
    public void A_trial_file_of_another_search_or_one_not_readable_is_refused_with_its_path()
    {
        Search(checkpoints: new TrialCheckpoints(_directory, "one search"));

        var foreign = Assert.Throws<InvalidDataException>(() => Search(checkpoints: new TrialCheckpoints(_directory, "another search")));
        Assert.Contains("trial-0000.json", foreign.Message, StringComparison.Ordinal);
        Assert.Contains("of another search (one search)", foreign.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_directory, "trial-0000.json"), "{ not json");
        var unreadable = Assert.Throws<InvalidDataException>(() => Search(checkpoints: new TrialCheckpoints(_directory, "one search")));
        Assert.Contains("not a readable trial file", unreadable.Message, StringComparison.Ordinal);
    }

    /// <summary>The same trials, by index, to the bit, and the same best; the non-finite one ranked last.</summary>
    private static void AssertSameTrials(RandomSearchResult<Outcome> expected, RandomSearchResult<Outcome> actual)
    {
        Assert.Equal(expected.Trials.Count, actual.Trials.Count);
        foreach (var (e, a) in expected.Trials.Zip(actual.Trials))
        {
            Assert.Equal(e.Index, a.Index);
            Assert.Equal(e.Hyperparameters, a.Hyperparameters);
            Assert.Equal(e.Value, a.Value);
            Assert.Equal(e.Outcome.Lambda, a.Outcome.Lambda);
            Assert.Equal(e.Outcome.Result.Steps, a.Outcome.Result.Steps);
        }

        Assert.Equal(double.PositiveInfinity, actual.Trials[4].Value);
        Assert.Equal(expected.Best.Index, actual.Best.Index);
    }

    private static RandomSearchResult<Outcome>[] RunTogether(ThreadGroup[] groups, Func<ThreadGroup, RandomSearchResult<Outcome>> search)
        => Task.WhenAll(groups.Select(g => Task.Factory.StartNew(() => search(g), TaskCreationOptions.LongRunning))).GetAwaiter().GetResult();

    /// <summary>
    /// Threads standing in for an MPI run's processes: <see cref="Share"/> meets at a barrier, as an allgather does, and
    /// <see cref="Abort"/> ends every thread's wait there, as MPI's launcher ends the ranks when one dies.
    /// </summary>
    private sealed class ThreadGroup(int process, string[] slots, Barrier barrier, CancellationTokenSource killed) : ITrialGroup
    {
        public static ThreadGroup[] Of(int processes)
        {
            var slots = new string[processes];
            var barrier = new Barrier(processes);
            var killed = new CancellationTokenSource();
            return Enumerable.Range(0, processes).Select(p => new ThreadGroup(p, slots, barrier, killed)).ToArray();
        }

        /// <summary>This process dies: the exception to throw, after the others are told.</summary>
        public Exception Abort()
        {
            killed.Cancel();
            return new InvalidOperationException($"process {process} killed");
        }

        public int Process => process;

        public int Processes => slots.Length;

        public IReadOnlyList<string> Share(string own)
        {
            slots[process] = own;
            barrier.SignalAndWait(killed.Token);
            string[] all = [.. slots];
            barrier.SignalAndWait(killed.Token);
            return all;
        }
    }
}
