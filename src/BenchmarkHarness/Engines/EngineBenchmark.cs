using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime;
using System.Runtime.CompilerServices;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Engines;

namespace AutoHypergrad.BenchmarkHarness.Engines;

/// <summary>
/// Times one problem's modes against plain training, in one process: training (the baseline), Reverse-HG with full
/// storage (a first call, then a second on the same engine, into the trajectory the first kept) and checkpointed on
/// c = ⌈√T⌉ states, Forward-HG with m = 2 and 4 directions together and in m separate passes. A short run of every
/// mode first compiles and warms everything.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class EngineBenchmark<T>(EngineProblem problem, EngineObjectives<T> objectives, long memoryCapBytes, EngineBenchmarkProgress progress)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const int WarmUpSteps = 3;

    /// <summary>Reverse-HG's and checkpointed reverse's targets: at most this many times training.</summary>
    private const double ReverseTarget = 3;

    private const double CheckpointedTarget = 4.5;

    /// <summary>Forward-HG with m directions together: at most 1 + this·m times training (6× at m = 4).</summary>
    public const double ForwardTargetPerDirection = 1.25;

    /// <summary>The modes measured per problem, for progress bars.</summary>
    public static int ModeCount => 4 + (2 * 2);

    /// <summary>Full storage's second call on the same engine, into the trajectory the first one kept.</summary>
    public const string RepeatedMode = "reverse, full, again";

    /// <summary>Warms up, then measures every mode.</summary>
    public EngineProblemReport Run()
    {
        progress.Quiet = true;
        Measure(WarmUpSteps);
        progress.Quiet = false;
        var (rows, agreement) = Measure(problem.Steps);
        var (dynamics, _) = objectives.Run(problem.Steps, problem.ReverseTuned);
        return new EngineProblemReport(
            problem.Name,
            problem.Describe(),
            objectives.ParameterCount,
            (long)dynamics.StateLength * Unsafe.SizeOf<T>(),
            problem.Steps,
            problem.CheckpointSlots,
            problem.ReverseTuned,
            rows,
            agreement);
    }

    private (List<EngineRow> Rows, EngineAgreement Agreement) Measure(int steps)
    {
        var rows = new List<EngineRow>();
        var response = objectives.Response;
        var (dynamics, lambda) = objectives.Run(steps, problem.ReverseTuned);
        int m = lambda.Length;

        progress.StartMode("training");
        var training = Time(() => Train(dynamics, lambda));
        rows.Add(Row("training", m, training, null, null, null, string.Empty));
        double baseline = training.Seconds;

        HypergradientResult? full = null;
        bool repeatedIdentical = true;
        long fullBytes = (long)steps * dynamics.StateLength * Unsafe.SizeOf<T>();
        if (fullBytes > memoryCapBytes)
        {
            rows.Add(Skipped(
                "reverse, full",
                m,
                $"T × state = {ByteCount.Megabytes(fullBytes)} MB exceeds the cap of {ByteCount.Megabytes(memoryCapBytes)} MB"));
        }
        else
        {
            progress.StartMode("reverse, full");
            var engine = new ReverseHypergradient<T>(dynamics, response, ReverseOptions.Full);
            var measurement = Time(() => engine.Compute(lambda, progress));
            full = measurement.Result;
            rows.Add(Row("reverse, full", m, measurement, baseline, ReverseTarget, null, $"≤ {ReverseTarget}×"));

            // Again on the same engine, as every hypergradient of an outer loop after its first: the engine writes
            // into the trajectory it kept, already mapped, where the first call touched T states' pages first.
            progress.StartMode(RepeatedMode);
            var repeated = Time(() => engine.Compute(lambda, progress));
            rows.Add(Row(RepeatedMode, m, repeated, baseline, ReverseTarget, null, $"≤ {ReverseTarget}×"));
            repeatedIdentical = repeated.Result.Gradient.AsSpan().SequenceEqual(full.Gradient);
        }

        int slots = (int)Math.Ceiling(Math.Sqrt(steps));
        string checkpointedMode = $"reverse, checkpointed c = {slots}";
        progress.StartMode(checkpointedMode);
        var checkpointed = Time(() => new ReverseHypergradient<T>(dynamics, response, ReverseOptions.Checkpointed(slots)).Compute(lambda, progress));
        rows.Add(Row(checkpointedMode, m, checkpointed, baseline, CheckpointedTarget, null, $"≤ {CheckpointedTarget}×"));
        var reverse = full ?? checkpointed.Result!;

        double forwardVsReverse = 0;
        double togetherVsSeparate = 0;
        foreach (int directions in new[] { 2, 4 })
        {
            var (forwardDynamics, forwardLambda) = objectives.Run(steps, EngineProblem.ForwardTuned.Take(directions));
            double target = 1 + (ForwardTargetPerDirection * directions);
            string togetherMode = "forward, together";
            progress.StartMode(togetherMode);
            var together = Time(() => new ForwardHypergradient<T>(forwardDynamics, response, maxDirections: 0).Compute(forwardLambda, progress));
            rows.Add(Row(togetherMode, directions, together, baseline, target, null, string.Create(CultureInfo.InvariantCulture, $"≤ {target}×")));

            string separateMode = "forward, separate passes";
            progress.StartMode(separateMode);
            var separate = Time(() => new ForwardHypergradient<T>(forwardDynamics, response, maxDirections: 1).Compute(forwardLambda, progress));
            rows.Add(Row(separateMode, directions, separate, baseline, null, separate.Seconds > together.Seconds, "> together"));

            forwardVsReverse = Math.Max(forwardVsReverse, RelativeDifference(together.Result!.Gradient.AsSpan(0, 2), reverse.Gradient.AsSpan(0, 2)));
            togetherVsSeparate = Math.Max(togetherVsSeparate, RelativeDifference(together.Result.Gradient, separate.Result!.Gradient));
        }

        bool? identical = full is null ? null : repeatedIdentical && full.Gradient.AsSpan().SequenceEqual(checkpointed.Result!.Gradient);
        return (rows, new EngineAgreement(identical, forwardVsReverse, togetherVsSeparate));
    }

    /// <summary>Plain training, T steps of Φ: what every engine is compared with.</summary>
    private HypergradientResult Train(IDynamics<T> dynamics, double[] lambda)
    {
        var clock = Stopwatch.StartNew();
        var lambdaT = lambda.Select(T.CreateChecked).ToArray();
        var state = new T[dynamics.StateLength];
        dynamics.Initialize(lambdaT, state);
        for (int t = 1; t <= dynamics.Steps; t++)
        {
            dynamics.Step(t, state, lambdaT, Span<T>.Empty);
            progress.Report(new EngineProgress("training", t, dynamics.Steps));
        }

        long stateBytes = (long)state.Length * Unsafe.SizeOf<T>();
        return new HypergradientResult(
            double.NaN, [], [], new EngineCost(dynamics.Steps, 0, 0, 0, 0, stateBytes, clock.Elapsed));
    }

    /// <summary>Runs <paramref name="run"/> from a collected heap, with its time, allocations and working set.</summary>
    private Measurement Time(Func<HypergradientResult> run)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var sampler = WorkingSetSampler.Start();
        var clock = Stopwatch.StartNew();
        var result = run();
        clock.Stop();
        long workingSet = sampler.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        progress.FinishMode();
        using var process = Process.GetCurrentProcess();
        return new Measurement(clock.Elapsed.TotalSeconds, result, allocated, workingSet, process.PeakWorkingSet64);
    }

    private static EngineRow Row(string mode, int m, Measurement measurement, double? baseline, double? target, bool? met, string targetText)
    {
        var cost = measurement.Result.Cost;
        double? ratio = baseline is { } b ? measurement.Seconds / b : null;
        return new EngineRow(
            mode,
            m,
            measurement.Seconds,
            ratio ?? 1,
            targetText,
            met ?? (target is { } limit ? ratio <= limit : null),
            cost.ForwardSteps,
            cost.TangentSteps,
            cost.ReverseSteps,
            cost.StoredBytes,
            cost.PeakBytes,
            measurement.WorkingSetPeakBytes,
            measurement.AllocatedBytes,
            measurement.ProcessPeakWorkingSetBytes,
            null);
    }

    private static EngineRow Skipped(string mode, int m, string why)
        => new(mode, m, null, null, string.Empty, null, null, null, null, null, null, null, null, null, why);

    private static double RelativeDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double scale = Math.Max(Math.Abs(a[i]), Math.Abs(b[i]));
            worst = Math.Max(worst, scale == 0 ? 0 : Math.Abs(a[i] - b[i]) / scale);
        }

        return worst;
    }

    private sealed record Measurement(double Seconds, HypergradientResult Result, long AllocatedBytes, long WorkingSetPeakBytes, long ProcessPeakWorkingSetBytes);
}

/// <summary>Where a benchmark is, for the progress bar: the mode, then the engine's steps in it.</summary>
public abstract class EngineBenchmarkProgress : IProgress<EngineProgress>
{
    /// <summary>True during the warm-up, which is not shown.</summary>
    public bool Quiet { get; set; }

    public abstract void StartMode(string mode);

    public abstract void FinishMode();

    public abstract void Report(EngineProgress value);
}
