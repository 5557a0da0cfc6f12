using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Experiments;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Outer;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad hypergrad</c>: the hypergradient of the validation error after T training steps with respect to
/// chosen hyperparameters, by any engine; or an outer loop (or real-time HO) that tunes them along it.
/// </summary>
internal static class HypergradCommand
{
    /// <summary>The most entries of λ the table shows; the rest are in the JSON.</summary>
    private const int TableRows = 30;

    private static readonly Option<string[]> Hyper = new("--hyper")
    {
        Required = true,
        HelpName = "NAME,…",
        Description = "The hyperparameters λ to differentiate with respect to: optimizer names, NAME:per-step (one value per step), loss blocks, w0.",
    };
    private static readonly Option<string> Mode = new Option<string>("--mode")
    {
        DefaultValueFactory = _ => "reverse",
        Description = "The engine: reverse (all states stored), truncated (last --truncate K steps), checkpointed (--slots C states, Revolve), forward, fd (finite differences: a slow check), rtho (real-time HO), implicit (HOAG: the training loss minimized to --tolerance, no optimizer; loss blocks only).",
    }.AcceptOnlyFromAmong("reverse", "truncated", "checkpointed", "forward", "fd", "rtho", "implicit");
    private static readonly Option<double> Tolerance = new("--tolerance")
    {
        HelpName = "EPS",
        DefaultValueFactory = _ => 1e-8,
        Description = "Implicit mode: ‖∇_w J‖ ≤ EPS·‖∇_w J(w_0)‖ for the inner problem and ‖Hq − ∇_w E‖ ≤ EPS·‖∇_w E‖ for the linear solve.",
    };
    private static readonly Option<string> LinearSolverOption = new Option<string>("--linear-solver")
    {
        DefaultValueFactory = _ => "cg",
        Description = "Implicit mode: the solver of H·q = ∇_w E (MINRES takes over when it falls short).",
    }.AcceptOnlyFromAmong("cg", "minres", "neumann", "fixed-point");
    private static readonly Option<int?> Truncate = new("--truncate") { HelpName = "K", Description = "Truncated mode: the steps reversed." };
    private static readonly Option<int?> Slots = new("--slots") { HelpName = "C", Description = "Checkpointed mode: the states stored [default: ⌈√T⌉]." };
    private static readonly Option<int> Directions = new("--directions") { HelpName = "K", Description = "Forward mode: directions per pass [default: all]." };
    private static readonly Option<int> Interval = new("--interval") { HelpName = "D", DefaultValueFactory = _ => 1, Description = "rtho: steps between hypersteps." };
    private static readonly Option<int> Outer = new("--outer") { HelpName = "N", Description = "Tune λ for N hyper-iterations along the hypergradient, in λ's domains [default: 0, one hypergradient]." };
    private static readonly Option<string> HyperOptimizer = new Option<string>("--hyper-optimizer") { DefaultValueFactory = _ => "adam", Description = "The optimizer of λ (--outer, rtho)." }
        .AcceptOnlyFromAmong("sgd", "adam");
    private static readonly Option<double> HyperLr = new("--hyper-lr") { HelpName = "X", DefaultValueFactory = _ => 0.01, Description = "Its learning rate." };
    private static readonly Option<int> Patience = new("--patience") { HelpName = "P", Description = "Stop after P hyper-iterations without a better f [default: 0, never]." };
    private static readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        HelpName = "FILE",
        Description = "Save the outer loop after each hyper-iteration and resume from FILE; a checkpoint of another run is refused.",
    };
    private static readonly Option<int> Search = new("--search")
    {
        HelpName = "K",
        Description = "K trials from values drawn in the --range ranges (seeded by --seed): f(λ) after training (random search), or with --outer N an outer loop from there (restarts); under mpiexec the trials are spread over the ranks.",
    };
    private static readonly Option<string[]> RangeOption = new("--range")
    {
        HelpName = HypergradSearch.RangeForm,
        Description = "--search: the range a tuned scalar is drawn from, uniform or log-uniform (the other entries of λ keep their --set values).",
    };
    private static readonly Option<string?> CheckpointDirectory = new("--checkpoint-dir")
    {
        HelpName = "DIR",
        Description = "--search: keep each finished trial (and each restart's outer loop) in DIR and resume from it; with several machines, a directory all see.",
    };
    private static readonly Option<string[]> DomainOption = new("--domain")
    {
        HelpName = "NAME=SPEC",
        Description = $"λ's domain for a tuned block ({Domains.Domain.AcceptedForms}); defaults from the optimizer; loss strengths and weights nonnegative, logFeatureL2, taskMatrix and w0 free.",
    };

    public static Command Create()
    {
        var command = new Command(
            "hypergrad",
            "The hypergradient ∇f(λ) of the validation error f(λ) = E(w_T(λ)) after T training steps, with respect to the hyperparameters " +
            "named by --hyper, by reverse, truncated, checkpointed or forward mode or finite differences; with --outer N, N hyper-iterations " +
            "of gradient descent on λ (resumable with --checkpoint); with --search K, random search (or restarts of the outer loop) over --range ranges, spread over the ranks under mpiexec (resumable with --checkpoint-dir); with --mode rtho, real-time hyperparameter optimization; with --mode implicit, " +
            "the hypergradient at the training loss's minimizer (HOAG with --outer N). " +
            "Exit code 0 on success, 1 if the run fails (data, non-finite values, a foreign checkpoint), 2 on a usage error.");
        Option[] options =
        [
            RunOptionSet.Train, RunOptionSet.Val, RunOptionSet.Model, RunOptionSet.Hidden, RunOptionSet.ActivationOption, RunOptionSet.Optimizer,
            RunOptionSet.Set, Hyper, RunOptionSet.Steps, RunOptionSet.Batch, RunOptionSet.Seed, RunOptionSet.Init, Mode, Truncate, Slots,
            Directions, Interval, RunOptionSet.Precision, RunOptionSet.Json, Outer, HyperOptimizer, HyperLr, Patience, Checkpoint, DomainOption,
            Tolerance, LinearSolverOption, Search, RangeOption, CheckpointDirectory,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            var options = Read(parse);
            var data = TrainingData.Load(options.Train, options.Validation, regression: options.Model == ModelKind.Linear);
            return (options.Search > 0, options.SinglePrecision) switch
            {
                (true, true) => HypergradSearch.Execute<float>(options, data, commandLine, clock),
                (true, false) => HypergradSearch.Execute<double>(options, data, commandLine, clock),
                (false, true) => Execute<float>(options, data, commandLine, clock),
                (false, false) => Execute<double>(options, data, commandLine, clock),
            };
        });

    /// <summary>The options, checked beyond what the parser checks.</summary>
    private static HypergradOptions Read(ParseResult parse)
    {
        var mode = parse.GetValue(Mode) switch
        {
            "implicit" => HypergradMode.Implicit,
            "truncated" => HypergradMode.Truncated,
            "checkpointed" => HypergradMode.Checkpointed,
            "forward" => HypergradMode.Forward,
            "fd" => HypergradMode.FiniteDifferences,
            "rtho" => HypergradMode.RealTime,
            _ => HypergradMode.Reverse,
        };
        CheckImplicit(parse, mode);
        var run = RunOptionSet.Read(
            parse,
            parse.GetValue(Hyper) ?? [],
            parse.GetValue(DomainOption) ?? [],
            mode == HypergradMode.Implicit ? null : $"--mode {parse.GetValue(Mode)} trains with an optimizer: give --optimizer (only --mode implicit runs without one).");
        if (run.Settings.Tuned.Count == 0)
        {
            throw new UsageException("--hyper: name at least one hyperparameter to differentiate with respect to.");
        }

        int steps = run.Steps;
        int truncate = 0;
        if (mode == HypergradMode.Truncated)
        {
            truncate = parse.GetValue(Truncate) ?? throw new UsageException("--mode truncated needs --truncate K, the steps to reverse.");
            if (truncate < 1 || truncate > steps)
            {
                throw new UsageException($"--truncate {truncate}: K must be between 1 and --steps {steps}.");
            }
        }

        int slots = Positive(parse.GetValue(Slots) ?? (int)Math.Ceiling(Math.Sqrt(steps)), "--slots");
        int outer = parse.GetValue(Outer);
        if (outer < 0 || (outer > 0 && mode == HypergradMode.RealTime))
        {
            throw new UsageException(outer < 0 ? "--outer must be 0 or more." : "--outer and --mode rtho are two ways to tune λ: choose one.");
        }

        double hyperLr = parse.GetValue(HyperLr);
        if (!(hyperLr > 0) || !double.IsFinite(hyperLr))
        {
            throw new UsageException(FormattableString.Invariant($"--hyper-lr {hyperLr}: the learning rate of λ must be positive."));
        }

        var (search, ranges, checkpointDirectory) = ReadSearch(parse, mode);
        return new HypergradOptions(run)
        {
            Search = search,
            Ranges = ranges,
            CheckpointDirectory = checkpointDirectory,
            Mode = mode,
            TruncationSteps = truncate,
            Slots = slots,
            Directions = Math.Max(0, parse.GetValue(Directions)),
            Interval = Positive(parse.GetValue(Interval), "--interval"),
            Outer = outer,
            HyperOptimizer = parse.GetValue(HyperOptimizer)!,
            HyperLearningRate = hyperLr,
            Patience = Math.Max(0, parse.GetValue(Patience)),
            Checkpoint = parse.GetValue(Checkpoint),
            Tolerance = ReadTolerance(parse, mode),
            LinearSolver = parse.GetValue(LinearSolverOption) switch
            {
                "minres" => LinearSolverKind.Minres,
                "neumann" => LinearSolverKind.Neumann,
                "fixed-point" => LinearSolverKind.FixedPoint,
                _ => LinearSolverKind.ConjugateGradient,
            },
        };
    }

    /// <summary>
    /// <c>--search</c>'s options: K ≥ 1 trials need a range each hyperparameter drawn; the ranges and the trial directory
    /// need a search; a search runs training runs (and outer loops along a run's hypergradient), not real-time HO or the
    /// implicit engine; its trials keep their own outer loops' checkpoints, in <c>--checkpoint-dir</c>.
    /// </summary>
    private static (int Search, SearchRange[] Ranges, string? CheckpointDirectory) ReadSearch(ParseResult parse, HypergradMode mode)
    {
        int search = parse.GetValue(Search);
        var ranges = (parse.GetValue(RangeOption) ?? []).Select(HypergradSearch.ParseRange).ToArray();
        string? directory = parse.GetValue(CheckpointDirectory);
        if (search == 0 && !Given(parse, Search))
        {
            return ranges.Length > 0 || directory is not null
                ? throw new UsageException($"{(ranges.Length > 0 ? "--range" : "--checkpoint-dir")} is for --search K.")
                : (0, ranges, null);
        }

        if (search < 1)
        {
            throw new UsageException($"--search {search}: the trials must be at least 1.");
        }

        if (ranges.Length == 0)
        {
            throw new UsageException($"--search needs at least one --range ({HypergradSearch.RangeForm}): the values its trials draw.");
        }

        if (ranges.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new UsageException($"--range {twice.Key}: given twice.");
        }

        if (mode is HypergradMode.RealTime or HypergradMode.Implicit)
        {
            throw new UsageException($"--search runs training runs (with --outer, outer loops along their hypergradients), not --mode {parse.GetValue(Mode)}.");
        }

        if (Given(parse, Checkpoint))
        {
            throw new UsageException("--search keeps its trials (and each restart's outer loop) in --checkpoint-dir DIR, not --checkpoint FILE.");
        }

        return (search, ranges, directory);
    }

    /// <summary>
    /// The implicit mode's options are for it alone; and it has no optimizer, since the training loss is minimized to a
    /// tolerance, so the options of a training run (and of the other outer loop) are refused rather than silently ignored.
    /// </summary>
    private static void CheckImplicit(ParseResult parse, HypergradMode mode)
    {
        if (mode != HypergradMode.Implicit)
        {
            if (Given(parse, Tolerance) || Given(parse, LinearSolverOption))
            {
                throw new UsageException("--tolerance and --linear-solver are for --mode implicit.");
            }

            return;
        }

        if (parse.GetValue(RunOptionSet.Model) == "mlp")
        {
            throw new UsageException("--mode implicit is for models whose training loss has one minimizer (linear, logistic, softmax with l2), not mlp.");
        }

        Option[] training =
        [
            RunOptionSet.Optimizer, RunOptionSet.Steps, RunOptionSet.Batch, Truncate, Slots, Directions, Interval, Checkpoint, HyperOptimizer, HyperLr, Patience,
        ];
        if (training.FirstOrDefault(o => Given(parse, o)) is { } option)
        {
            throw new UsageException(
                $"{option.Name} does not apply to --mode implicit: it differentiates the minimizer of the training loss (no optimizer, steps or batches), and --outer runs HOAG with its own step size.");
        }
    }

    private static double ReadTolerance(ParseResult parse, HypergradMode mode)
    {
        double tolerance = parse.GetValue(Tolerance);
        return tolerance > 0 && tolerance < 1 || mode != HypergradMode.Implicit
            ? tolerance
            : throw new UsageException(FormattableString.Invariant($"--tolerance {tolerance}: must lie in (0, 1), relative to the starting gradient and to ‖∇_w E‖."));
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static int Execute<T>(HypergradOptions options, TrainingData data, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var ranks = MpiLaunch.Join();
        var run = new HypergradRun<T>(options, data, ranks);
        var report = new Dictionary<string, object?>();
        var costs = new CostTotals();
        IReadOnlyList<string> names = Enumerable.Range(0, run.Space.Count).Select(run.Space.NameOf).ToArray();
        double value;
        double[] lambda;
        double[] hypergradient;
        if (options.Mode == HypergradMode.RealTime)
        {
            var (result, finalValue) = EngineProgressBar.Run(0, bar => run.RealTime(bar));
            (value, lambda) = (finalValue, result.Lambda);
            hypergradient = result.Updates.Count > 0 ? result.Updates[^1].Hypergradient : new double[run.Space.Count];
            costs.Add(new EngineCost(0, options.Steps, 0, 0, 0, 0, result.Elapsed));
            report["lambda"] = HypergradRun<T>.ByName(names, result.Lambda);
            report["updates"] = result.Updates.Select(u => new
            {
                step = u.Step, value = u.Value, hypergradient = HypergradRun<T>.ByName(names, u.Hypergradient), lambda = HypergradRun<T>.ByName(names, u.Lambda),
            }).ToArray();
        }
        else if (options.Outer > 0 && options.Mode == HypergradMode.Implicit)
        {
            var (result, final) = EngineProgressBar.Run(options.Outer, bar =>
            {
                var result = run.Hoag((iteration, _) => bar.Outer(iteration.Iteration + 1, iteration.Value));
                return (result, costs.Add(run.Compute(result.Lambda, bar)));
            });
            (value, lambda, hypergradient) = (final.Value, result.Lambda, final.Gradient);
            ReportOuterLoop(report, names, result.Lambda, result.BestLambda, result.BestValue, result.BestIteration, stoppedEarly: false, resumedFrom: 0);
            report["history"] = result.History.Select(h => new
            {
                iteration = h.Iteration, value = h.Value, hypergradientNorm = h.HypergradientNorm, seconds = h.Seconds, tolerance = h.Tolerance,
                innerGradientNorm = h.InnerGradientNorm, linearResidual = h.LinearResidual, linearIterations = h.LinearIterations,
                linearSolver = SolverName(h.LinearSolver), lipschitz = h.Lipschitz, rejected = h.Rejected,
            }).ToArray();
            AnsiConsole.MarkupLine(FormattableString.Invariant(
                $"HOAG: {result.History.Count} hyper-iterations, f from {result.History[0].Value:G8} to {value:G8}, best {result.BestValue:G8} at iteration {result.BestIteration}."));
        }
        else if (options.Outer > 0)
        {
            var updater = run.Problem.Updater(run.HyperOptimizer());
            var outer = new HyperparameterOptimization(
                l => costs.Add(run.Compute(l, null)),
                updater,
                new OuterOptions(
                    options.Outer, options.Patience, CheckpointPath: options.Checkpoint, Fingerprint: Fingerprint(options, run.Domains), SavesCheckpoints: ranks?.IsRoot ?? true));
            var (result, final) = EngineProgressBar.Run(options.Outer, bar =>
            {
                var result = outer.Run((iteration, _) => bar.Outer(iteration.Iteration + 1, iteration.Value));
                return (result, costs.Add(run.Compute(result.Lambda, bar)));
            });
            (value, lambda, hypergradient) = (final.Value, result.Lambda, final.Gradient);
            ReportOuterLoop(report, names, result.Lambda, result.BestLambda, result.BestValue, result.BestIteration, result.StoppedEarly, result.ResumedFrom);
            report["history"] = result.History.Select(h => new { iteration = h.Iteration, value = h.Value, hypergradientNorm = h.HypergradientNorm, seconds = h.Seconds }).ToArray();
            AnsiConsole.MarkupLine(FormattableString.Invariant(
                $"Outer loop: {result.History.Count} hyper-iterations{(result.ResumedFrom > 0 ? $" ({result.ResumedFrom} resumed from {Markup.Escape(options.Checkpoint!)})" : string.Empty)}, f from {result.History[0].Value:G8} to {value:G8}, best {result.BestValue:G8} at iteration {result.BestIteration}{(result.StoppedEarly ? ", stopped early" : string.Empty)}."));
        }
        else
        {
            var result = EngineProgressBar.Run(0, bar => costs.Add(run.Compute(run.Space.InitialValues(), bar)));
            (value, lambda, hypergradient) = (result.Value, run.Space.InitialValues(), result.Gradient);
        }

        if (run.LastImplicit is { } diagnostics)
        {
            // The final hypergradient's solves, at --tolerance.
            report["innerGradientNorm"] = diagnostics.InnerGradientNorm;
            report["innerIterations"] = diagnostics.Inner.Iterations;
            report["linearResidual"] = diagnostics.LinearResidual;
            report["linearSolver"] = SolverName(diagnostics.LinearSolver);
            report["linearIterations"] = diagnostics.LinearIterations;
            report["linearFallback"] = diagnostics.FirstAttempt is not null;
            report["tolerance"] = options.Tolerance;
        }

        WriteTable(options, names, value, lambda, hypergradient, costs, clock.Elapsed);
        if (run.LastImplicit is { } last)
        {
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"Inner problem: ‖∇_w J‖ = {last.InnerGradientNorm:G3} after {last.Inner.Iterations} Newton iterations; H·q = ∇_w E by {SolverName(last.LinearSolver)}{(last.FirstAttempt is { } first ? $" after {SolverName(first.Method)} fell short" : string.Empty)}: relative residual {last.LinearResidual:G3} in {last.LinearIterations} iterations (tolerance {options.Tolerance:G3}).")));
        }

        if (RankTraffic.Of(ranks) is { } traffic)
        {
            AnsiConsole.MarkupLine(Markup.Escape(traffic.ToString()));
        }

        if (options.Json is not null && (ranks?.IsRoot ?? true))
        {
            var document = new Dictionary<string, object?>
            {
                ["value"] = value,
                ["hypergradient"] = HypergradRun<T>.ByName(names, hypergradient),
                ["mode"] = options.ModeName,
                ["precision"] = options.Precision,
                ["seconds"] = clock.Elapsed.TotalSeconds,
                ["peakBytes"] = costs.PeakBytes,
                ["storedBytes"] = costs.StoredBytes,
                ["forwardSteps"] = costs.ForwardSteps,
                ["tangentSteps"] = costs.TangentSteps,
                ["reverseSteps"] = costs.ReverseSteps,
                ["steps"] = options.Mode == HypergradMode.Implicit ? run.LastImplicit?.Inner.Iterations ?? 0 : options.Steps,
                ["processes"] = ranks?.Size ?? 1,
                ["traffic"] = RankTraffic.Of(ranks),
                ["command"] = commandLine,
            };
            foreach (var (key, entry) in report)
            {
                document[key] = entry;
            }

            JsonFile.Write(options.Json, document);
        }

        return CommandLine.Success;
    }

    private static void WriteTable(
        HypergradOptions options, IReadOnlyList<string> names, double value, double[] lambda, double[] hypergradient, CostTotals costs, TimeSpan elapsed)
    {
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"∇f(λ) by {options.ModeName} ({options.Precision}, {(options.Optimizer is { } optimizer ? $"{optimizer.Name}, T = {options.Steps}" : "at the training loss's minimizer")}){(options.Outer > 0 || options.Mode == HypergradMode.RealTime ? " at the final λ" : string.Empty)}:")));
        var table = new Table()
            .AddColumns("hyperparameter", "value", "hypergradient");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        for (int i = 0; i < Math.Min(names.Count, TableRows); i++)
        {
            table.AddRow(Markup.Escape(names[i]), Number(lambda[i]), Number(hypergradient[i]));
        }

        AnsiConsole.Write(table);
        if (names.Count > TableRows)
        {
            AnsiConsole.MarkupLine($"… {names.Count - TableRows} more entries hidden{(options.Json is null ? " (write them all with --json FILE)" : $" (all are in {Markup.Escape(options.Json)})")}.");
        }

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"f(λ) = {value:G10}; {elapsed.TotalSeconds:F2} s; {costs.ForwardSteps} forward, {costs.TangentSteps} tangent, {costs.ReverseSteps} reverse steps; peak {costs.PeakBytes / 1024.0:F1} KiB, stored states {costs.StoredBytes / 1024.0:F1} KiB.")));
    }

    /// <summary>The outer loop's part of the JSON, the same for HOAG and for gradient descent on λ.</summary>
    private static void ReportOuterLoop(
        Dictionary<string, object?> report, IReadOnlyList<string> names, double[] lambda, double[] bestLambda, double bestValue, int bestIteration, bool stoppedEarly, int resumedFrom)
    {
        report["lambda"] = HypergradRun<double>.ByName(names, lambda);
        report["bestLambda"] = HypergradRun<double>.ByName(names, bestLambda);
        report["bestValue"] = bestValue;
        report["bestIteration"] = bestIteration;
        report["stoppedEarly"] = stoppedEarly;
        report["resumedFrom"] = resumedFrom;
    }

    /// <summary>What makes a checkpoint this run's: everything that changes λ's trajectory (not --outer, so a run can be extended).</summary>
    internal static string Fingerprint(HypergradOptions o, DomainMap domains)
    {
        var s = o.Settings;
        string Values(IEnumerable<KeyValuePair<string, double>> pairs) => string.Join(",", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => FormattableString.Invariant($"{p.Key}={p.Value:R}")));
        return string.Join(' ', FormattableString.Invariant(
            $"hypergrad train={Identify(o.Train)} val={Identify(o.Validation)} model={o.Model} hidden={string.Join(",", o.Hidden)} activation={o.Activation}"),
            FormattableString.Invariant($"optimizer={o.Optimizer?.Name}({string.Join(",", s.OptimizerValues.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))})"),
            FormattableString.Invariant($"loss=({Values(s.LossValues)}) options=({Values(s.StepOptions)}) hyper={string.Join(",", s.Tuned)} steps={o.Steps} batch={o.Batch} seed={o.Seed}"),
            FormattableString.Invariant($"init={(o.RandomInit ? "random" : "zeros")} mode={o.ModeName}{ModeDetail(o)} precision={o.Precision}"),
            FormattableString.Invariant($"domains={string.Join(",", domains.Blocks.Select(b => $"{b.Name}={b.Domain}"))} hyper-optimizer={o.HyperOptimizer}({o.HyperLearningRate:R}) patience={o.Patience}"));
    }

    /// <summary>The mode's own option, for the fingerprint (the others do not matter to it).</summary>
    private static string ModeDetail(HypergradOptions o) => o.Mode switch
    {
        HypergradMode.Truncated => FormattableString.Invariant($"({o.TruncationSteps})"),
        HypergradMode.Checkpointed => FormattableString.Invariant($"({o.Slots})"),
        HypergradMode.Forward => FormattableString.Invariant($"({o.Directions})"),
        _ => string.Empty,
    };

    /// <summary>A data argument by full path and size, so a checkpoint follows the files rather than how they were named.</summary>
    private static string Identify(string data)
    {
        if (data.StartsWith("mnist:", StringComparison.OrdinalIgnoreCase))
        {
            return data.ToLowerInvariant();
        }

        var file = new FileInfo(data);
        return FormattableString.Invariant($"{file.FullName}:{(file.Exists ? file.Length : -1)}");
    }

    /// <summary>A linear solver as --linear-solver names it.</summary>
    private static string SolverName(LinearSolverKind kind) => kind switch
    {
        LinearSolverKind.ConjugateGradient => "cg",
        LinearSolverKind.FixedPoint => "fixed-point",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static int Positive(int value, string option) => RunOptionSet.Positive(value, option);

    private static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>The engines' costs over every hypergradient this process computed: sums of steps, maxima of memory.</summary>
    private sealed class CostTotals
    {
        public long ForwardSteps { get; private set; }

        public long TangentSteps { get; private set; }

        public long ReverseSteps { get; private set; }

        public long StoredBytes { get; private set; }

        public long PeakBytes { get; private set; }

        public HypergradientResult Add(HypergradientResult result)
        {
            Add(result.Cost);
            return result;
        }

        public void Add(EngineCost cost)
        {
            ForwardSteps += cost.ForwardSteps;
            TangentSteps += cost.TangentSteps;
            ReverseSteps += cost.ReverseSteps;
            StoredBytes = Math.Max(StoredBytes, cost.StoredBytes);
            PeakBytes = Math.Max(PeakBytes, cost.PeakBytes);
        }
    }
}
