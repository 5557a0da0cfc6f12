using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using AutoHypergrad.BenchmarkHarness.Engines;
using AutoHypergrad.BenchmarkHarness.Gemm;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Data;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Experiments;
using AutoHypergrad.LinearAlgebra;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>One objective's times on the hyper-cleaning problem.</summary>
/// <param name="Name">The objective.</param>
/// <param name="TrainingStepMs">One step of gradient descent (the gradient and the update), the fastest of the timed calls.</param>
/// <param name="ReverseStepMs">One reverse step of Reverse-HG (H·ḡ and the example weights' adjoint, the update's adjoint), the fastest of the timed calls.</param>
/// <param name="TrainingStepMedianMs">The median of the same calls.</param>
/// <param name="ReverseStepMedianMs">The median of the same calls.</param>
/// <param name="TrainingStepGflops">4·N·d·K flops of X·W and Xᵀ·Δ per training step over its time.</param>
/// <param name="ReverseStepGflops">6·N·d·K flops of X·[W V] and Xᵀ·Δ per reverse step over its time.</param>
/// <param name="TrainingStepGigabytesPerSecond">One read of X per training step over its time.</param>
/// <param name="ReverseStepGigabytesPerSecond">One read of X per reverse step over its time.</param>
/// <param name="HypergradientSeconds">One Reverse-HG hypergradient (full storage) of T steps, wall time; null when not run.</param>
/// <param name="HypergradientCpuSeconds">The process's processor time over the same hypergradient (one thread: the time it ran, not waited).</param>
/// <param name="Threads">The threads of its passes (or of its BLAS), which its share of the FMA peak counts.</param>
internal sealed record HypercleanObjectiveTiming(
    string Name,
    double TrainingStepMs,
    double ReverseStepMs,
    double TrainingStepMedianMs,
    double ReverseStepMedianMs,
    double TrainingStepGflops,
    double ReverseStepGflops,
    double TrainingStepGigabytesPerSecond,
    double ReverseStepGigabytesPerSecond,
    double? HypergradientSeconds,
    double? HypergradientCpuSeconds,
    int Threads);

/// <summary>The results of <c>bench hyperclean</c>.</summary>
internal sealed record HypercleanBenchReport(
    string Command,
    BenchMachine Machine,
    string Precision,
    bool Quick,
    string Blas,
    int TrainingRows,
    int Features,
    int Classes,
    int Steps,
    double FmaPeakGflops,
    double ReadGigabytesPerSecond,
    IReadOnlyList<HypercleanObjectiveTiming> Rows,
    double TrainingStepSpeedup,
    double ReverseStepSpeedup,
    double? HypergradientSpeedup,
    double? HypergradientRelativeDifference,
    int Threads,
    double? ThreadsTrainingStepSpeedup,
    double? ThreadsReverseStepSpeedup,
    double? ThreadsHypergradientSpeedup,
    double? ThreadsHypergradientRelativeDifference,
    double? PaperRunHours,
    double? PaperRunCpuHours,
    double Seconds);

/// <summary>
/// <c>autohypergrad bench hyperclean</c>: the hyper-cleaning problem's training and reverse steps, and one whole
/// hypergradient, with <see cref="ModelObjective{T}"/> (GEMMs and back-propagation) and with the fused
/// <see cref="WeightedSoftmaxRegression{T}"/>, in one run; their GFLOP/s and GB/s against the FMA peak and the read
/// bandwidth of the data matrix measured in the same run. With <c>--threads N</c> above 1 the fused objective is also
/// timed on N threads, beside its one-thread row.
/// </summary>
internal static class BenchHypercleanCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "500 training images, T = 20, short measurements: a few seconds." };
    private static readonly Option<int?> Steps = new("--steps") { HelpName = "T", Description = "T of the timed hypergradient [default: 2000, the paper's; 20 with --quick]; 0 skips it." };
    private static readonly Option<string> Precision = new Option<string>("--precision")
    {
        Description = "Element type: float (default, hyperclean's) or double.",
        DefaultValueFactory = _ => "float",
    }.AcceptOnlyFromAmong("float", "double");

    private static readonly Option<int> Threads = new("--threads")
    {
        HelpName = "N",
        Description = "Threads of the model objective's matrix products (managed kernels and OpenBLAS), and above 1 a second row of the fused objective on that many threads beside its one-thread row [default: 1].",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results to FILE as JSON (atomically)." };

    public static Command Create()
    {
        var command = new Command(
            "hyperclean",
            "Times the hyper-cleaning problem (softmax regression on the first 5000 MNIST training images, the 5000 example " +
            "weights tuned, gradient descent with hyperclean's step at R = 1000) with the generic model objective and the fused " +
            "one, in one process: a training step, a reverse step, and one Reverse-HG hypergradient of T steps; GFLOP/s against " +
            "the one-thread FMA peak and GB/s against the read bandwidth of the data matrix, both measured in the same run.");
        foreach (var option in new Option[] { Quick, Steps, Precision, Threads, Json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            int steps = parse.GetValue(Steps) ?? (quick ? 20 : HyperCleaningSettings.Paper(1).Steps);
            if (steps < 0)
            {
                throw new UsageException($"--steps {steps}: give 0 or more.");
            }

            int threads = parse.GetValue(Threads);
            if (threads < 1)
            {
                throw new UsageException($"--threads {threads}: give at least 1.");
            }

            ManagedBlas.MaxDegreeOfParallelism = threads;
            OpenBlasThreads.TrySet(threads);

            string mnist = MnistDirectory.Find();
            var report = parse.GetValue(Precision) == "double"
                ? Run<double>(mnist, quick, steps, threads, commandLine, clock)
                : Run<float>(mnist, quick, steps, threads, commandLine, clock);
            if (parse.GetValue(Json) is { } json)
            {
                JsonFile.Write(json, report);
            }

            return CommandLine.Success;
        }));
        return command;
    }

    private static HypercleanBenchReport Run<T>(string mnist, bool quick, int steps, int threads, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        var machine = BenchMachine.Current();
        var settings = quick ? HyperCleaningSettings.Quick(1) : HyperCleaningSettings.Paper(1);
        var images = MnistReader.Read<T>(mnist, MnistSplit.Train);
        var training = images.Slice(0, settings.TrainingRows);
        var validation = ModelObjective<T>.Create(images.Slice(settings.TrainingRows, settings.ValidationRows), new ModelOptions(ModelKind.Softmax));
        int n = training.Count, d = training.FeatureCount, k = training.ClassCount;
        double radius = settings.Radii[0];
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{machine.Processor}, {machine.ProcessorCount} processors, {machine.Runtime}; {precision}; vectors {WeightedSoftmaxRegression<T>.VectorWidthName}; " +
            $"N = {n}, d = {d}, K = {k}, lr = {settings.LearningRate}·N/R at R = {radius}, T = {steps}")));

        AnsiConsole.MarkupLine(Markup.Escape($"BLAS of the model objective: {Blas.Describe()}"));
        // The best of many short measurements, as for the steps: on a shared machine a long one is always interrupted.
        double peak = Enumerable.Range(0, quick ? 3 : 20).Max(_ => FmaPeak.GigaflopsPerSecond<T>(1, 0.01));
        double bytes = (double)n * d * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        T sink = T.Zero;
        double readMs = StepTiming.Times(quick ? 11 : 41, () => sink += TensorPrimitives.Sum<T>(training.Features.AsSpan(0, n * d))).Best;
        double bandwidth = bytes / readMs / 1e6;
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"FMA peak, one thread, fastest of {(quick ? 9 : 60)} 10 ms loops: {peak:0.0} GFLOP/s; reading X ({bytes / 1e6:0.0} MB) with TensorPrimitives.Sum, fastest call: {bandwidth:0.0} GB/s{(T.IsNaN(sink) ? " (NaN)" : string.Empty)}")));

        var objectives = new List<(string Name, IObjective<T> Objective, int Threads)>
        {
            ("ModelObjective (GEMM + back-propagation)", ModelObjective<T>.Create(training, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights }), threads),
            ("WeightedSoftmaxRegression (fused)", WeightedSoftmaxRegression<T>.Create(training, exampleWeights: true), 1),
        };
        if (threads > 1)
        {
            objectives.Add(($"WeightedSoftmaxRegression (fused, {threads} threads)", WeightedSoftmaxRegression<T>.Create(training, exampleWeights: true, threads), threads));
        }

        double trainingFlops = 4.0 * n * d * k, reverseFlops = 6.0 * n * d * k;
        var rows = new List<HypercleanObjectiveTiming>();
        var gradients = new List<double[]>();
        foreach (var (name, objective, objectiveThreads) in objectives)
        {
            var problem = HyperCleaning<T>.Problem(objective, new ValidationError<T>(validation), settings.LearningRate, Math.Max(steps, 2), radius);
            var (trainingMs, reverseMs) = StepTiming.TrainingAndReverse(problem.Dynamics!, quick ? 11 : 41);
            double? hypergradientSeconds = null, hypergradientCpuSeconds = null;
            if (steps > 0)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var result = EngineProgressBar.Run(0, bar => problem.Hypergradient(Engine.Reverse, bar));
                hypergradientSeconds = result.Cost.Elapsed.TotalSeconds;
                hypergradientCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                gradients.Add(result.Gradient);
            }

            rows.Add(new HypercleanObjectiveTiming(
                name, trainingMs.Best, reverseMs.Best, trainingMs.Median, reverseMs.Median, trainingFlops / trainingMs.Best / 1e6, reverseFlops / reverseMs.Best / 1e6,
                bytes / trainingMs.Best / 1e6, bytes / reverseMs.Best / 1e6, hypergradientSeconds, hypergradientCpuSeconds, objectiveThreads));
        }

        var (model, fused) = (rows[0], rows[1]);
        var threaded = rows.Count > 2 ? rows[2] : null;
        double? difference = gradients.Count >= 2 ? MaxRelativeDifference(gradients[0], gradients[1]) : null;
        double? threadsDifference = gradients.Count == 3 ? MaxRelativeDifference(gradients[1], gradients[2]) : null;
        var paper = HyperCleaningSettings.Paper(1);
        double? PaperRun(double? seconds) => seconds * paper.Steps / steps * paper.HyperIterations * paper.Radii.Count / 3600;
        var report = new HypercleanBenchReport(
            commandLine, machine, precision, quick, Blas.Describe(), n, d, k, steps, peak, bandwidth, rows,
            model.TrainingStepMs / fused.TrainingStepMs, model.ReverseStepMs / fused.ReverseStepMs,
            model.HypergradientSeconds / fused.HypergradientSeconds, difference,
            threads, fused.TrainingStepMs / threaded?.TrainingStepMs, fused.ReverseStepMs / threaded?.ReverseStepMs,
            fused.HypergradientSeconds / threaded?.HypergradientSeconds, threadsDifference,
            PaperRun((threaded ?? fused).HypergradientSeconds), PaperRun((threaded ?? fused).HypergradientCpuSeconds),
            clock.Elapsed.TotalSeconds);
        Print(report);
        return report;
    }

    /// <summary>max |a − b| / max |a|.</summary>
    private static double MaxRelativeDifference(double[] reference, double[] other)
    {
        double scale = reference.Max(Math.Abs);
        return scale == 0 ? 0 : reference.Zip(other, (a, b) => Math.Abs(a - b)).Max() / scale;
    }

    private static void Print(HypercleanBenchReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Hyper-cleaning steps ({report.Precision}, N = {report.TrainingRows}; fastest call)"))
            .AddColumn("objective");
        foreach (string column in new[] { "training step ms", "GFLOP/s", "% FMA peak", "GB/s", "reverse step ms", "GFLOP/s", "% FMA peak", "GB/s", $"hypergradient s (T = {report.Steps})", "its CPU s" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                F(row.TrainingStepMs, "0.000"),
                F(row.TrainingStepGflops, "0.0"),
                F(100 * row.TrainingStepGflops / (report.FmaPeakGflops * row.Threads), "0"),
                F(row.TrainingStepGigabytesPerSecond, "0.0"),
                F(row.ReverseStepMs, "0.000"),
                F(row.ReverseStepGflops, "0.0"),
                F(100 * row.ReverseStepGflops / (report.FmaPeakGflops * row.Threads), "0"),
                F(row.ReverseStepGigabytesPerSecond, "0.0"),
                row.HypergradientSeconds is { } s ? F(s, "0.00") : "–",
                row.HypergradientCpuSeconds is { } c ? F(c, "0.00") : "–");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"Fused over model objective: training step {report.TrainingStepSpeedup:0.00}× faster, reverse step {report.ReverseStepSpeedup:0.00}×") +
            (report.HypergradientSpeedup is { } h ? FormattableString.Invariant($", hypergradient {h:0.00}× (hypergradients differ by {report.HypergradientRelativeDifference:E2} of the largest entry)") : string.Empty) + "."));
        if (report.ThreadsTrainingStepSpeedup is { } training)
        {
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"Fused, {report.Threads} threads over one: training step {training:0.00}× faster, reverse step {report.ThreadsReverseStepSpeedup:0.00}×") +
                (report.ThreadsHypergradientSpeedup is { } threadsH ? FormattableString.Invariant($", hypergradient {threadsH:0.00}× (hypergradients differ by {report.ThreadsHypergradientRelativeDifference:E2} of the largest entry)") : string.Empty) + "."));
        }

        if (report.PaperRunHours is { } hours)
        {
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"The paper's run (T = 2000, 500 hyper-iterations, 4 radii) at the fused objective's rate on {report.Threads} thread(s): {hours:0.0} h of hypergradients ({report.PaperRunCpuHours:0.0} h of processor time).")));
        }

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"FMA peak {report.FmaPeakGflops:0.0} GFLOP/s and X read at {report.ReadGigabytesPerSecond:0.0} GB/s, measured in this run. Wall time {report.Seconds:0.0} s.")));
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
