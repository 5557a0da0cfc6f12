using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The results of <c>rtho</c>: table 3's rows, figure 4's trace, the random-search trials, and how the run was made.</summary>
internal sealed record RealTimeHoReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<RealTimeHoRow> Rows,
    IReadOnlyList<string> Deviations,
    string Data,
    string Precision,
    RealTimeHoSettings Settings,
    int Parameters,
    RealTimeHoTrace Trace,
    IReadOnlyList<RandomSearchTrial> Trials,
    int Processes = 1)
    : IExperimentReport;

/// <summary>
/// <c>autohypergrad rtho</c>: real-time HO of η, μ and L2 against vanilla training and random search (Franceschi et al.
/// 2017, table 3 and figure 4), on an MLP on MNIST.
/// </summary>
internal static class RthoCommand
{
    private static readonly Option<bool> Quick = new("--quick")
    {
        Description = "1000 training / 500 validation / 1000 test images, MLP 784-50-10, T = 50, a hyperstep every 10: a smoke test of a few seconds.",
    };

    private static readonly Option<int?> Steps = new("--steps") { HelpName = "T", Description = "Training steps of every run [default: 4000; 50 with --quick]." };
    private static readonly Option<int?> Interval = new("--interval") { HelpName = "Δ", Description = "RTHO's training steps between hypersteps [default: 100; 10 with --quick]." };
    private static readonly Option<string> Precision = ExperimentOptions.Precision();

    private static readonly Option<ulong> Seed = new("--seed") { Description = "The seed of the batches, the initial weights and random search.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the trace, the trials and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw η, μ, L2 and E over the training steps of the RTHO run to FILE (four panels)." };

    public static Command Create()
    {
        var command = new Command(
            "rtho",
            "Real-time HO (Franceschi et al., ICML 2017, section 5.2, table 3, figure 4) of the learning rate η, the momentum μ and the L2 strength of an MLP " +
            "trained by momentum on MNIST (standing in for TIMIT), against vanilla training at fixed defaults and random search with RTHO's wall time: test accuracy and seconds.");
        return ExperimentOptions.Assemble(command, [Quick, Steps, Interval, Precision, Seed, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            ulong seed = parse.GetValue(Seed);
            var settings = quick ? RealTimeHoSettings.Quick(seed) : RealTimeHoSettings.Full(seed);
            int steps = parse.GetValue(Steps) ?? settings.Steps;
            int interval = parse.GetValue(Interval) ?? settings.Interval;
            if (steps < 1)
            {
                throw new UsageException($"--steps {steps}: give at least 1.");
            }

            if (interval < 1 || interval > steps)
            {
                throw new UsageException($"--interval {interval}: give 1 … {steps} (the steps).");
            }

            settings = settings with { Steps = steps, Interval = interval };
            string mnist = MnistDirectory.Find();
            return parse.GetValue(Precision) == "double"
                ? Execute<double>(parse, settings, quick, mnist, commandLine, clock)
                : Execute<float>(parse, settings, quick, mnist, commandLine, clock);
        });

    private static int Execute<T>(ParseResult parse, RealTimeHoSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        var mnistTrain = MnistReader.Read<T>(mnist, MnistSplit.Train);
        var experiment = new RealTimeHo<T>(settings, mnistTrain, MnistReader.Read<T>(mnist, MnistSplit.Test));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"MLP 784-{string.Join("-", settings.Hidden)}-10 ({experiment.ParameterCount} parameters), momentum, T = {settings.Steps} steps of {settings.BatchSize}; " +
            $"{settings.TrainingRows} training / {settings.ValidationRows} validation / {settings.TestRows} test images")));

        // Under mpiexec, rank 0 trains the vanilla and RTHO rows while the others wait, then every rank runs random-search
        // trials for RTHO's wall time and the trials are gathered: random search with as many workers as ranks.
        using var ranks = MpiLaunch.Join();
        bool root = ranks?.IsRoot ?? true;
        RealTimeHoRow? vanilla = null, rtho = null;
        RealTimeHoTrace? trace = null;
        if (root)
        {
            vanilla = EngineProgressBar.Run(0, bar => experiment.Vanilla(bar));
            Print(vanilla);
            (rtho, trace) = EngineProgressBar.Run(0, bar => experiment.RealTime(bar));
            Print(rtho);
        }

        var (search, trials) = EngineProgressBar.Run(0, bar => experiment.RandomSearch(MpiLaunch.FromRoot(ranks, rtho?.Seconds ?? 0), bar, ranks));
        if (!root)
        {
            return CommandLine.Success;
        }

        foreach (var trial in trials)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  random-search trial: η {trial.LearningRate:G4}, μ {trial.Momentum:0.000}, L2 {trial.WeightDecay:G3} → E {trial.ValidationLoss:0.0000} ({trial.Seconds:0.0} s)"));
        }

        Print(search);

        var report = new RealTimeHoReport(
            "rtho", commandLine, machine, quick, clock.Elapsed.TotalSeconds, [vanilla!, search, rtho!], settings.Deviations(precision, trials.Count, ranks?.Size ?? 1),
            mnistTrain.Source, precision, settings, experiment.ParameterCount, trace!, trials, ranks?.Size ?? 1);
        ExperimentConsole.Finish(
            parse,
            report,
            Table(report),
            Svg,
            DrawFigure,
            Json);

        return CommandLine.Success;
    }

    private static void Print(RealTimeHoRow row)
        => Console.WriteLine(FormattableString.Invariant(
            $"{row.Name}: test accuracy {row.TestAccuracy:P2}, E {row.ValidationLoss:0.0000}, η {row.LearningRate:G4}, μ {row.Momentum:0.000}, L2 {row.WeightDecay:G3} ({row.Seconds:0.0} s)"));

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG).</summary>
    internal static void DrawFigure(string path, RealTimeHoReport report) => Figures.WriteLines(
        path,
        FormattableString.Invariant($"Real-time HO of an MLP on MNIST (T = {report.Settings.Steps}, Δ = {report.Settings.Interval})"),
        Figure(report.Trace));

    /// <summary>The seed's figure 4: η, μ and the L2 strength after each hyperstep, and E at it.</summary>
    internal static IReadOnlyList<FigurePanel> Figure(RealTimeHoTrace trace)
    {
        double[] x = trace.Step.Select(s => (double)s).ToArray();
        return
        [
            new FigurePanel("Learning rate η", "iteration", "η", [new FigureSeries("RTHO", x, trace.LearningRate)]),
            new FigurePanel("Momentum μ", "iteration", "μ", [new FigureSeries("RTHO", x, trace.Momentum)]),
            new FigurePanel("L2 strength", "iteration", "L2", [new FigureSeries("RTHO", x, trace.WeightDecay)]),
            new FigurePanel("Validation loss E", "iteration", "E", [new FigureSeries("RTHO", x, trace.ValidationLoss)]),
        ];
    }

    private static Table Table(RealTimeHoReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Real-time HO of η, μ and L2, MLP on MNIST ({report.Precision}, T = {report.Settings.Steps})"))
            .AddColumn("method")
            .AddColumn(new TableColumn("test accuracy %").RightAligned())
            .AddColumn(new TableColumn("E").RightAligned())
            .AddColumn(new TableColumn("η").RightAligned())
            .AddColumn(new TableColumn("μ").RightAligned())
            .AddColumn(new TableColumn("L2").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned())
            .AddColumn(new TableColumn("paper (TIMIT) %").RightAligned())
            .AddColumn(new TableColumn("paper seconds").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name + (row.Trials > 1 ? $" ({row.Trials} trials)" : "")),
                (row.TestAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                row.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
                row.Momentum.ToString("0.000", CultureInfo.InvariantCulture),
                row.WeightDecay.ToString("G3", CultureInfo.InvariantCulture),
                row.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                row.Paper is { } paper ? (paper.TestAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture) : "–",
                row.Paper?.Seconds is { } seconds ? seconds.ToString("0", CultureInfo.InvariantCulture) : "–");
        }

        return table;
    }
}
