using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

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

/// <summary>One trial of a <see cref="RandomSearch"/>: its index (from 0), the values drawn, what the trial returned, its value (lower is better) and its time.</summary>
/// <typeparam name="TOutcome">What a trial returns (trained weights, metrics).</typeparam>
public sealed record SearchTrial<TOutcome>(int Index, IReadOnlyDictionary<string, double> Hyperparameters, TOutcome Outcome, double Value, double Seconds);

/// <summary>The trials of a <see cref="RandomSearch"/> in the order run, and the best (the first of the lowest value).</summary>
/// <typeparam name="TOutcome">What a trial returns.</typeparam>
public sealed record RandomSearchResult<TOutcome>(IReadOnlyList<SearchTrial<TOutcome>> Trials, SearchTrial<TOutcome> Best, double Seconds);

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
    /// value ranks last. <paramref name="progress"/> sees each trial
    /// as it ends.
    /// </summary>
    /// <param name="trial">Runs one trial at the values given by name; the trial's index (from 0) is the second argument.</param>
    /// <param name="value">The trial's value to minimize (a validation loss).</param>
    /// <param name="budgetSeconds">The wall time to spend.</param>
    /// <param name="maxTrials">The most trials to run.</param>
    /// <param name="progress">Sees each finished trial.</param>
    public RandomSearchResult<TOutcome> Run<TOutcome>(
        Func<IReadOnlyDictionary<string, double>, int, TOutcome> trial,
        Func<TOutcome, double> value,
        double budgetSeconds,
        int maxTrials = int.MaxValue,
        Action<SearchTrial<TOutcome>>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrials, 1);
        var clock = Stopwatch.StartNew();
        using var draws = Draws().GetEnumerator();
        var trials = new List<SearchTrial<TOutcome>>();
        SearchTrial<TOutcome>? best = null;
        while (trials.Count == 0 || (trials.Count < maxTrials && clock.Elapsed.TotalSeconds < budgetSeconds))
        {
            var trialClock = Stopwatch.StartNew();
            draws.MoveNext();
            var drawn = draws.Current;
            var outcome = trial(drawn, trials.Count);
            double v = value(outcome);
            var finished = new SearchTrial<TOutcome>(trials.Count, drawn, outcome, double.IsFinite(v) ? v : double.PositiveInfinity, trialClock.Elapsed.TotalSeconds);
            trials.Add(finished);
            if (best is null || finished.Value < best.Value)
            {
                best = finished;
            }

            progress?.Invoke(finished);
        }

        return new RandomSearchResult<TOutcome>(trials, best!, clock.Elapsed.TotalSeconds);
    }
}
