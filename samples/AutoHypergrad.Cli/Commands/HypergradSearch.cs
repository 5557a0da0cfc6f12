using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Experiments;
using AutoHypergrad.Outer;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>What one trial of <c>hypergrad --search</c> found.</summary>
/// <param name="Start">λ at the trial's start: the drawn values, the other entries at their <c>--set</c> values.</param>
/// <param name="Lambda">The trial's best λ: its start for random search, the outer loop's best for a restart.</param>
/// <param name="Value">f at <paramref name="Lambda"/>; +∞ where training diverged.</param>
/// <param name="HyperIterations">The outer loop's hyper-iterations (0 for random search).</param>
/// <param name="ResumedFrom">The hyper-iterations its outer loop loaded from its own checkpoint (a restart under way when a run was killed).</param>
/// <param name="Failure">Why the trial has no finite value, or null.</param>
internal sealed record SearchOutcome(double[] Start, double[] Lambda, double Value, int HyperIterations, int ResumedFrom, string? Failure);

/// <summary>
/// <c>hypergrad --search K --range NAME=LOW:HIGH[:log] …</c>: K independent trials from values drawn in the ranges,
/// each f(λ) after a training run (random search) or, with <c>--outer N</c>, an outer loop from there (restarts);
/// under <c>mpiexec -n P</c> the trials are spread over the ranks (trial i on rank i mod P, each on all the data) and
/// gathered, and with <c>--checkpoint-dir</c> a finished trial is kept and a restart's outer loop resumes from its own
/// checkpoint, so a run killed (or a rank lost) re-runs only what was under way.
/// </summary>
internal static class HypergradSearch
{
    /// <summary>The form of <c>--range</c>, for messages.</summary>
    public const string RangeForm = "NAME=LOW:HIGH or NAME=LOW:HIGH:log";

    /// <summary>A <c>--range</c> value: uniform in [LOW, HIGH], or log-uniform with <c>:log</c>.</summary>
    public static SearchRange ParseRange(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string[] parts = equals > 0 ? text[(equals + 1)..].Split(':') : [];
        if (parts.Length is < 2 or > 3 || (parts.Length == 3 && parts[2] != "log")
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high))
        {
            throw new UsageException($"--range {text}: expected {RangeForm} (for example lr=0.01:1:log).");
        }

        bool logarithmic = parts.Length == 3;
        if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high) || (logarithmic && !(low > 0)))
        {
            throw new UsageException(FormattableString.Invariant(
                $"--range {text}: LOW must be below HIGH, both finite{(logarithmic ? ", and LOW positive for a log range" : string.Empty)}."));
        }

        return new SearchRange(text[..equals], low, high, logarithmic);
    }

    public static int Execute<T>(HypergradOptions options, TrainingData data, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Under mpiexec the ranks share the trials, each trial on all the data: the run is built without a distribution.
        using var ranks = MpiLaunch.Join();
        var run = new HypergradRun<T>(options, data);
        IReadOnlyList<string> names = Enumerable.Range(0, run.Space.Count).Select(run.Space.NameOf).ToArray();
        var where = Positions(options.Ranges, run);
        string fingerprint = HypergradCommand.Fingerprint(options, run.Domains);
        // Not K: trial i does not depend on how many there are, so a search can be extended with more.
        var checkpoints = options.CheckpointDirectory is { } directory
            ? new TrialCheckpoints(directory, FormattableString.Invariant($"{fingerprint} outer={options.Outer} ranges={string.Join(",", options.Ranges.Select(Describe))}"))
            : null;
        var search = new RandomSearch(options.Ranges, unchecked((int)options.Seed));

        SearchOutcome Trial(IReadOnlyDictionary<string, double> drawn, int index)
        {
            double[] start = run.Space.InitialValues();
            foreach (var (name, value) in drawn)
            {
                start[where[name]] = value;
            }

            try
            {
                if (options.Outer == 0)
                {
                    double value = run.Problem.Value(start);
                    return new SearchOutcome(start, start, value, 0, 0, double.IsFinite(value) ? null : FormattableString.Invariant($"f(λ) = {value}: not finite."));
                }

                var outer = new HyperparameterOptimization(
                    lambda => run.Compute(lambda, null),
                    new HyperparameterUpdater(run.Domains, run.HyperOptimizer(), start),
                    new OuterOptions(options.Outer, options.Patience, CheckpointPath: checkpoints?.OuterPathOf(index), Fingerprint: FormattableString.Invariant($"{fingerprint} trial={index}")));
                var result = outer.Run();
                return new SearchOutcome(start, result.BestLambda, result.BestValue, result.History.Count, result.ResumedFrom, null);
            }
            catch (NonFiniteValueException e)
            {
                // A draw that diverges (too large a learning rate, say) ranks last instead of ending the search.
                return new SearchOutcome(start, start, double.PositiveInfinity, 0, 0, e.Message);
            }
        }

        int done = 0;
        var result = EngineProgressBar.Run(options.Search, bar => search.Run(
            Trial,
            outcome => outcome.Value,
            budgetSeconds: double.PositiveInfinity,
            maxTrials: options.Search,
            progress: trial => bar.Outer(++done, trial.Value),
            group: ranks,
            checkpoints: checkpoints), "trials");

        WriteTable(options, result, where);
        if (options.Json is not null && (ranks?.IsRoot ?? true))
        {
            var best = result.Best;
            JsonFile.Write(options.Json, new Dictionary<string, object?>
            {
                ["search"] = options.Outer == 0 ? "random" : "restarts",
                ["processes"] = result.Processes,
                ["bestTrial"] = best.Index,
                ["value"] = Finite(best.Value),
                ["lambda"] = HypergradRun<double>.ByName(names, best.Outcome.Lambda),
                ["trials"] = result.Trials.Select(t => new
                {
                    index = t.Index, process = t.Process, resumed = t.Resumed, drawn = t.Hyperparameters, value = Finite(t.Value),
                    lambda = HypergradRun<double>.ByName(names, t.Outcome.Lambda), hyperIterations = t.Outcome.HyperIterations, resumedFrom = t.Outcome.ResumedFrom, failure = t.Outcome.Failure, seconds = t.Seconds,
                }).ToArray(),
                ["mode"] = options.Outer == 0 ? null : options.ModeName,
                ["precision"] = options.Precision,
                ["searchSeconds"] = result.Seconds,
                ["seconds"] = clock.Elapsed.TotalSeconds,
                ["command"] = commandLine,
            });
        }

        return CommandLine.Success;
    }

    /// <summary>Where each range's hyperparameter sits in λ; a range must name a tuned scalar, with both ends in its domain.</summary>
    private static Dictionary<string, int> Positions<T>(IReadOnlyList<SearchRange> ranges, HypergradRun<T> run)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var where = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var range in ranges)
        {
            var block = run.Domains.Blocks.FirstOrDefault(b => b.Name == range.Name);
            if (block is null || block.Length != 1)
            {
                throw new UsageException(block is null
                    ? $"--range {range.Name}: not a tuned hyperparameter; --hyper tunes {string.Join(", ", run.Domains.Blocks.Select(b => b.Name))}."
                    : $"--range {range.Name}: a search draws one value, and {range.Name} has {block.Length}; search a scalar hyperparameter.");
            }

            if (!block.Domain.Contains([range.Low], out _) || !block.Domain.Contains([range.High], out _))
            {
                throw new UsageException(FormattableString.Invariant(
                    $"--range {range.Name}: [{range.Low:G}, {range.High:G}] leaves {range.Name}'s domain, {block.Domain.Describe()}."));
            }

            where[range.Name] = block.Offset;
        }

        return where;
    }

    private static void WriteTable(HypergradOptions options, RandomSearchResult<SearchOutcome> result, Dictionary<string, int> where)
    {
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{(options.Outer == 0 ? "Random search" : $"Restarts of {options.Outer} hyper-iterations by {options.ModeName}")}: {result.Trials.Count} trials on {result.Processes} process{(result.Processes == 1 ? string.Empty : "es")}, {result.Seconds:F1} s ({options.Precision}, {options.Optimizer!.Name}, T = {options.Steps})")));
        var table = new Table().AddColumns("trial", "process");
        foreach (string name in where.Keys)
        {
            table.AddColumn(options.Outer == 0 ? name : $"{name} start → best");
        }

        table.AddColumns("f", "s");
        foreach (var trial in result.Trials)
        {
            var cells = new List<string> { FormattableString.Invariant($"{trial.Index}{(trial.Index == result.Best.Index ? " (best)" : string.Empty)}"), trial.Resumed ? $"{trial.Process} (resumed)" : $"{trial.Process}" };
            cells.AddRange(where.Values.Select(i => options.Outer == 0
                ? Number(trial.Outcome.Start[i])
                : $"{Number(trial.Outcome.Start[i])} → {Number(trial.Outcome.Lambda[i])}"));
            cells.Add(trial.Outcome.Failure is null ? Number(trial.Value) : "diverged");
            cells.Add(trial.Seconds.ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"Best: trial {result.Best.Index}, f = {result.Best.Value:G10}{(result.Trials.Any(t => t.Resumed) ? $"; {result.Trials.Count(t => t.Resumed)} trials resumed from {options.CheckpointDirectory}" : string.Empty)}.")));
    }

    /// <summary>A value for the JSON, which has no ∞: null where a trial diverged.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>A range as <c>--range</c> gives it, every double to the bit.</summary>
    private static string Describe(SearchRange range)
        => FormattableString.Invariant($"{range.Name}={range.Low:R}:{range.High:R}{(range.Logarithmic ? ":log" : string.Empty)}");

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
