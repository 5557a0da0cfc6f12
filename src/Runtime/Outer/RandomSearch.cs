using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;

namespace AutoHypergrad.Outer;

/// <summary>A hyperparameter's search range: uniform in [<paramref name="Low"/>, <paramref name="High"/>], or uniform in the logarithm.</summary>
/// <param name="Name">The hyperparameter.</param>
/// <param name="Low">The lower end; positive when <paramref name="Logarithmic"/>.</param>
/// <param name="High">The upper end, above <paramref name="Low"/>.</param>
/// <param name="Logarithmic">Whether log(value) is uniform (a scale such as an L2 weight), rather than the value.</param>
public sealed record SearchRange(string Name, double Low, double High, bool Logarithmic)
{
    /// <summary>
    /// A draw from <paramref name="random"/>. A uniform draw of exactly <see cref="Low"/> is drawn again, so that a
    /// range that starts at an open end of a domain (a rate of 0) never yields it.
    /// </summary>
    public double Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Logarithmic)
        {
            return Math.Exp(Math.Log(Low) + (Math.Log(High) - Math.Log(Low)) * random.NextDouble());
        }

        double value;
        do
        {
            value = Low + (High - Low) * random.NextDouble();
        }
        while (value == Low);
        return value;
    }
}

/// <summary>One trial of a <see cref="RandomSearch"/>.</summary>
/// <typeparam name="TOutcome">What a trial returns (trained weights, metrics).</typeparam>
/// <param name="Index">The trial's index, from 0: it drew the search's <paramref name="Index"/>-th values.</param>
/// <param name="Hyperparameters">The values drawn, by name.</param>
/// <param name="Outcome">What the trial returned.</param>
/// <param name="Value">Its value (lower is better; +∞ where it was not finite).</param>
/// <param name="Seconds">Its wall time.</param>
/// <param name="Process">The process that ran it (<see cref="ITrialGroup.Process"/>; 0 in one process).</param>
/// <param name="Resumed">Whether it was loaded from <see cref="TrialCheckpoints"/> rather than run by this search.</param>
public sealed record SearchTrial<TOutcome>(
    int Index, IReadOnlyDictionary<string, double> Hyperparameters, TOutcome Outcome, double Value, double Seconds, int Process = 0, bool Resumed = false);

/// <summary>The trials of a <see cref="RandomSearch"/> by index, the best (the first of the lowest value), the wall time and the processes that shared the trials.</summary>
/// <typeparam name="TOutcome">What a trial returns.</typeparam>
public sealed record RandomSearchResult<TOutcome>(IReadOnlyList<SearchTrial<TOutcome>> Trials, SearchTrial<TOutcome> Best, double Seconds, int Processes = 1);

/// <summary>
/// Random search (Bergstra and Bengio, 2012), the baseline that hypergradient methods are measured against: trials at
/// hyperparameters drawn independently from their <see cref="SearchRange"/>s, within a time budget, the best by value
/// kept. The draws depend on the seed alone, so two searches with one seed try the same values in the same order.
/// </summary>
public sealed class RandomSearch
{
    private readonly int _seed;

    /// <summary>A search over <paramref name="ranges"/> (drawn in this order each trial) from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">No range, a name twice, or a range that is empty or, logarithmic, not positive.</exception>
    public RandomSearch(IReadOnlyList<SearchRange> ranges, int seed)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0)
        {
            throw new ArgumentException("A random search needs at least one range.", nameof(ranges));
        }

        foreach (var range in ranges)
        {
            if (!(range.Low < range.High) || !double.IsFinite(range.Low) || !double.IsFinite(range.High) || (range.Logarithmic && !(range.Low > 0)))
            {
                throw new ArgumentException(
                    $"The range of '{range.Name}', [{range.Low}, {range.High}]{(range.Logarithmic ? " (logarithmic)" : string.Empty)}, is not a finite interval with Low < High{(range.Logarithmic ? " and Low > 0" : string.Empty)}.",
                    nameof(ranges));
            }
        }

        if (ranges.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"'{twice.Key}' has two ranges.", nameof(ranges));
        }

        Ranges = ranges;
        _seed = seed;
    }

    /// <summary>The ranges, in the order each trial draws them.</summary>
    public IReadOnlyList<SearchRange> Ranges { get; }

    /// <summary>
    /// The values the trials try, in order: each range drawn in turn, trial after trial, from the seed. Endless; take
    /// as many as needed (a fixed number of trials that share state, say).
    /// </summary>
    public IEnumerable<IReadOnlyDictionary<string, double>> Draws()
    {
        var random = new Random(_seed);
        while (true)
        {
            yield return Ranges.ToDictionary(r => r.Name, r => r.Draw(random));
        }
    }

    /// <summary>
    /// Runs <paramref name="trial"/> at drawn values while <paramref name="budgetSeconds"/> lasts: a trial starts while
    /// the time so far is under the budget (the first always starts, and the last may end past it, as a search given
    /// another method's wall time gets at least as much), and at most <paramref name="maxTrials"/> run. A non-finite
    /// value ranks last. <paramref name="progress"/> sees each trial as it ends (or is loaded).
    /// </summary>
    /// <remarks>
    /// <para>
    /// With a <paramref name="group"/> of several processes, each runs the trials whose index is its own modulo their
    /// number (trial i draws the i-th values, whichever process runs it), under the budget on its own clock; the
    /// finished trials are then shared, so every process returns all of them, by index, and the same best. With a
    /// given <paramref name="maxTrials"/> and an unreachable budget the trials, and so the result, do not depend on
    /// the number of processes.
    /// </para>
    /// <para>
    /// With <paramref name="checkpoints"/>, each trial is saved as it ends and a trial already saved is loaded instead
    /// of run (its time counts against its process's budget), so the same search run again after a kill re-runs only
    /// the trials that were under way.
    /// </para>
    /// <para>
    /// Across processes or to disk, trials travel as JSON (System.Text.Json, fields included, doubles to the bit):
    /// the outcome must survive that round trip.
    /// </para>
    /// </remarks>
    /// <param name="trial">Runs one trial at the values given by name; the trial's index (from 0) is the second argument.</param>
    /// <param name="value">The trial's value to minimize (a validation loss).</param>
    /// <param name="budgetSeconds">The wall time to spend (on each process).</param>
    /// <param name="maxTrials">The most trials to run, over all processes.</param>
    /// <param name="progress">Sees each of this process's trials as it ends or is loaded.</param>
    /// <param name="group">The processes that share the trials; one process when null.</param>
    /// <param name="checkpoints">Where finished trials are kept and resumed from; nowhere when null.</param>
    /// <exception cref="System.IO.InvalidDataException">A trial file in <paramref name="checkpoints"/> is not of this search.</exception>
    public RandomSearchResult<TOutcome> Run<TOutcome>(
        Func<IReadOnlyDictionary<string, double>, int, TOutcome> trial,
        Func<TOutcome, double> value,
        double budgetSeconds,
        int maxTrials = int.MaxValue,
        Action<SearchTrial<TOutcome>>? progress = null,
        ITrialGroup? group = null,
        TrialCheckpoints? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrials, 1);
        group ??= SingleProcess.Instance;
        var clock = Stopwatch.StartNew();
        using var draws = Draws().GetEnumerator();
        int drawn = 0;
        var own = new List<SearchTrial<TOutcome>>();
        double loadedSeconds = 0;
        for (int index = group.Process; index < maxTrials; index += group.Processes)
        {
            if (own.Count > 0 && loadedSeconds + clock.Elapsed.TotalSeconds >= budgetSeconds)
            {
                break;
            }

            for (; drawn <= index; drawn++)
            {
                draws.MoveNext();
            }

            SearchTrial<TOutcome> finished;
            if (checkpoints?.Load<TOutcome>(index) is { } saved)
            {
                finished = saved with { Resumed = true };
                loadedSeconds += saved.Seconds;
            }
            else
            {
                var trialClock = Stopwatch.StartNew();
                var values = draws.Current;
                var outcome = trial(values, index);
                double v = value(outcome);
                finished = new SearchTrial<TOutcome>(index, values, outcome, double.IsFinite(v) ? v : double.PositiveInfinity, trialClock.Elapsed.TotalSeconds, group.Process);
                checkpoints?.Save(finished);
            }

            own.Add(finished);
            progress?.Invoke(finished);
        }

        var (trials, seconds) = Shared(group, own, clock.Elapsed.TotalSeconds);
        var best = trials[0];
        foreach (var t in trials)
        {
            if (t.Value < best.Value)
            {
                best = t;
            }
        }

        return new RandomSearchResult<TOutcome>(trials, best, seconds, group.Processes);
    }

    /// <summary>Every process's trials, by index, and the longest of the processes' times.</summary>
    private static (IReadOnlyList<SearchTrial<TOutcome>> Trials, double Seconds) Shared<TOutcome>(ITrialGroup group, List<SearchTrial<TOutcome>> own, double seconds)
    {
        if (group.Processes == 1)
        {
            return (own, seconds);
        }

        var all = new List<SearchTrial<TOutcome>>(own);
        double longest = seconds;
        var shares = group.Share(JsonSerializer.Serialize(new ProcessShare<TOutcome>(seconds, own), TrialJson.Options));
        for (int process = 0; process < shares.Count; process++)
        {
            if (process == group.Process)
            {
                continue;
            }

            var share = JsonSerializer.Deserialize<ProcessShare<TOutcome>>(shares[process], TrialJson.Options)!;
            all.AddRange(share.Trials);
            longest = Math.Max(longest, share.Seconds);
        }

        all.Sort((a, b) => a.Index.CompareTo(b.Index));
        return (all, longest);
    }

    /// <summary>What a process shares at the end of a search: its time and its trials.</summary>
    private sealed record ProcessShare<TOutcome>(double Seconds, List<SearchTrial<TOutcome>> Trials);
}
