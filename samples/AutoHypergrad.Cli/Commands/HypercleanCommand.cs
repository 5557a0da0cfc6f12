using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Cuda;
using AutoHypergrad.Data;
using AutoHypergrad.Distributed;
using AutoHypergrad.Engines;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// The results of <c>hyperclean</c>: table 1's rows, figure 2's curves, and how the run was made (<see cref="Device"/>
/// is absent from results written before the CUDA backend, all of which ran on the CPU; <see cref="Processes"/>, the
/// ranks of an MPI run, from those written before the MPI backend, which ran in one process).
/// <see cref="Seconds"/> is this run's wall time; <see cref="ResumedSeconds"/> that of the hypergradients it loaded
/// from checkpoints (earlier runs' work, absent from results written before it was recorded).
/// </summary>
internal sealed record HyperCleaningReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    string Data,
    string Precision,
    bool Quick,
    HyperCleaningSettings Settings,
    IReadOnlyList<HyperCleaningRow> Rows,
    IReadOnlyList<HyperCleaningCurve> Curves,
    IReadOnlyList<string> Deviations,
    double Seconds,
    string? Device = null,
    int Processes = 1,
    RankTraffic? Traffic = null,
    double? ResumedSeconds = null)
    : IExperimentReport;

/// <summary>
/// <c>autohypergrad hyperclean</c>: data hyper-cleaning on MNIST (Franceschi et al. 2017, table 1 and figure 2).
/// </summary>
internal static class HypercleanCommand
{
    private static readonly Option<bool> Quick = new("--quick")
    {
        Description = "500 training (250 corrupted) / 500 validation / 1000 test images, T = 50, 40 hyper-iterations, R = 100: a smoke test of about ten seconds.",
    };

    private static readonly Option<int?> Steps = new("--steps") { HelpName = "T", Description = "Gradient-descent steps of each training run [default: 2000; 50 with --quick]." };
    private static readonly Option<int?> HyperIterations = new("--hyper-iterations") { HelpName = "K", Description = "Adam steps on λ per radius [default: 500; 40 with --quick]." };
    private static readonly Option<string?> Radius = new("--radius") { HelpName = "R,R,…", Description = "The radii R of {0 ≤ λ ≤ 1, Σλ ≤ R} [default: 1000,1500,2000,2500; 100 with --quick]." };
    private static readonly Option<string> Precision = ExperimentOptions.Precision();
    private static readonly Option<string> Device = ExperimentOptions.Device();
    private static readonly Option<int> Threads = ExperimentOptions.Threads();

    private static readonly Option<int?> FirstImage = new("--first-image")
    {
        HelpName = "I",
        Description = "The first MNIST training image read; the run reads the next 20,000 (2000 with --quick) [default: 5000, where the authors' script starts].",
    };

    private static readonly Option<string> AdamEpsilon = new Option<string>("--adam-epsilon")
    {
        DefaultValueFactory = _ => HyperCleaningSettings.EpsilonInside,
        Description = "Where Adam on λ adds its ε = 1e-8: inside the square root, on the uncorrected v, as the authors' script's Adam does (a floor of about 1e-4 under √v); or outside, Kingma and Ba's form.",
    }.AcceptOnlyFromAmong(HyperCleaningSettings.EpsilonInside, HyperCleaningSettings.EpsilonOutside);
    private static readonly Option<ulong> Seed = new("--seed") { Description = "The seed of the label corruption.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> CheckpointDir = new("--checkpoint-dir")
    {
        HelpName = "DIR",
        Description = "Save each radius's outer loop and curves in DIR after every hyper-iteration, and resume from them.",
    };

    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg")
    {
        HelpName = "FILE",
        Description = "Draw figure 2 (accuracies; discarded noisy and clean examples, over hyper-iterations) to FILE; with several radii, FILE-R<R>.svg for each.",
    };

    /// <summary>MNIST's training images, which the run's images are taken from.</summary>
    private const int MnistTrainingImages = 60000;

    public static Command Create()
    {
        var command = new Command(
            "hyperclean",
            "Data hyper-cleaning (Franceschi et al., ICML 2017, table 1): MNIST with half of 5000 training labels corrupted; " +
            "softmax regression by gradient descent on per-example weights λ; Reverse-HG and Adam tune λ in {0 ≤ λ ≤ 1, Σλ ≤ R}; " +
            "the final round retrains the model with the tuned weights, as the authors' script does. Rows Oracle, Baseline, DH-R with test accuracy and the F1 of finding the corrupted labels.");
        return ExperimentOptions.Assemble(command, [Quick, Steps, HyperIterations, Radius, FirstImage, AdamEpsilon, Precision, Device, Threads, Seed, CheckpointDir, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            var settings = Read(parse, quick);
            string mnist = MnistDirectory.Find();
            return parse.GetValue(Precision) == "double"
                ? Execute<double>(parse, settings, quick, mnist, commandLine, clock)
                : Execute<float>(parse, settings, quick, mnist, commandLine, clock);
        });

    private static HyperCleaningSettings Read(ParseResult parse, bool quick)
    {
        ulong seed = parse.GetValue(Seed);
        var settings = quick ? HyperCleaningSettings.Quick(seed) : HyperCleaningSettings.Paper(seed);
        int steps = parse.GetValue(Steps) ?? settings.Steps;
        int iterations = parse.GetValue(HyperIterations) ?? settings.HyperIterations;
        if (steps < 1)
        {
            throw new UsageException($"--steps {steps}: give at least 1.");
        }

        if (iterations < 0)
        {
            throw new UsageException($"--hyper-iterations {iterations}: give 0 or more.");
        }

        var radii = settings.Radii;
        if (parse.GetValue(Radius) is { } text)
        {
            radii = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(r => double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value <= settings.TrainingRows
                    ? value
                    : throw new UsageException($"--radius: '{r}' is not a number in (0, {settings.TrainingRows}], the training examples."))
                .ToArray();
            if (radii.Count == 0)
            {
                throw new UsageException("--radius: give at least one radius.");
            }
        }

        int first = parse.GetValue(FirstImage) ?? settings.FirstImage;
        if (first < 0 || first + settings.Images > MnistTrainingImages)
        {
            throw new UsageException($"--first-image {first}: give 0 … {MnistTrainingImages - settings.Images}, so that the run's {settings.Images} images lie among MNIST's {MnistTrainingImages} training images.");
        }

        return settings with { Steps = steps, HyperIterations = iterations, Radii = radii, FirstImage = first, HyperAdamForm = parse.GetValue(AdamEpsilon)! };
    }

    private static int Execute<T>(ParseResult parse, HyperCleaningSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        using var ranks = MpiLaunch.Join();
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        using var backend = TrainingBackend<T>.Open(parse.GetValue(Device)!, parse.GetValue(Threads));
        if (ranks is not null)
        {
            backend.Across(ranks);
        }

        AnsiConsole.MarkupLine(Markup.Escape($"Training on {backend.Description}"));

        var experiment = new HyperCleaning<T>(settings, MnistReader.Read<T>(mnist, MnistSplit.Train), precision, backend);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{settings.TrainingRows} training ({settings.Corrupted} corrupted) / {settings.ValidationRows} validation / {settings.TestRows} test images of {experiment.Source}; " +
            $"T = {settings.Steps}, {settings.HyperIterations} hyper-iterations, R = {string.Join(", ", settings.Radii)}")));

        var rows = new List<HyperCleaningRow>();
        foreach (var row in new Func<HyperCleaningRow>[] { experiment.Oracle, experiment.Baseline })
        {
            var trained = row();
            rows.Add(trained);
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"{trained.Name}: trained on {trained.TrainedOn} examples, test accuracy {trained.TestAccuracy:P2} ({clock.Elapsed.TotalSeconds:0.0} s so far)")));
        }

        var curves = new List<HyperCleaningCurve>();
        string? checkpoints = parse.GetValue(CheckpointDir);
        EngineProgressBar.Run(settings.HyperIterations * settings.Radii.Count, bar =>
        {
            var progress = new Progress(bar, settings.HyperIterations);
            foreach (double radius in settings.Radii)
            {
                var (row, curve) = experiment.Clean(radius, checkpoints, progress);
                rows.Add(row);
                curves.Add(curve);
            }

            return 0;
        });

        var report = new HyperCleaningReport(
            "hyperclean",
            commandLine, machine, experiment.Source, precision, quick, settings, rows, curves, settings.Deviations(precision), clock.Elapsed.TotalSeconds, backend.Description,
            backend.Distribution?.Processes ?? 1,
            RankTraffic.Of(ranks),
            curves.Sum(curve => curve.ResumedSeconds));
        if (!backend.WritesResults)
        {
            return CommandLine.Success;
        }

        ExperimentConsole.Finish(
            parse,
            report,
            Table(report),
            Svg,
            DrawFigure,
            Json);
        if (report.Traffic is { } traffic)
        {
            AnsiConsole.MarkupLine(Markup.Escape(traffic.ToString()));
        }

        return CommandLine.Success;
    }

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG); with several radii, one file per radius beside it (<see cref="FigurePaths"/>).</summary>
    internal static void DrawFigure(string path, HyperCleaningReport report)
    {
        foreach (var (curve, file) in report.Curves.Zip(FigurePaths(path, report.Curves.Select(c => c.Radius).ToArray())))
        {
            Figures.WriteLines(file, FormattableString.Invariant($"Data hyper-cleaning, R = {curve.Radius}"), Figure(curve));
        }
    }

    /// <summary>
    /// The files <see cref="DrawFigure"/> writes for <paramref name="path"/> and a report of curves at
    /// <paramref name="radii"/>: the path itself for one radius, FILE-R&lt;R&gt;.svg for each of several.
    /// </summary>
    internal static IReadOnlyList<string> FigurePaths(string path, IReadOnlyList<double> radii)
        => radii.Count <= 1 ? [path] : radii.Select(radius => SvgPath(path, radius)).ToArray();

    /// <summary>Figure 2 for one radius: the accuracies, and the discarded examples among the noisy and the clean ones.</summary>
    internal static IReadOnlyList<FigurePanel> Figure(HyperCleaningCurve curve)
    {
        double[] k = curve.Points.Select(p => (double)p.Iteration).ToArray();
        return
        [
            new FigurePanel("Accuracy of w_T", "hyper-iteration", "accuracy",
            [
                new FigureSeries("validation", k, curve.Points.Select(p => p.ValidationAccuracy).ToArray()),
                new FigureSeries("test", k, curve.Points.Select(p => p.TestAccuracy).ToArray()),
            ]),
            new FigurePanel("Discarded examples", "hyper-iteration", "examples",
            [
                new FigureSeries("noisy (TP)", k, curve.Points.Select(p => (double)p.TruePositives).ToArray()),
                new FigureSeries("clean (FP)", k, curve.Points.Select(p => (double)p.FalsePositives).ToArray()),
            ]),
        ];
    }

    private static string SvgPath(string path, double radius)
        => Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(path)}-R{HyperCleaningSettings.Invariant(radius)}{Path.GetExtension(path)}");

    private static Table Table(HyperCleaningReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Data hyper-cleaning ({report.Precision})"))
            .AddColumn("row")
            .AddColumn(new TableColumn("test accuracy %").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned())
            .AddColumn(new TableColumn("noisy discarded (TP)").RightAligned())
            .AddColumn(new TableColumn("clean discarded (FP)").RightAligned())
            .AddColumn(new TableColumn("trained on").RightAligned())
            .AddColumn(new TableColumn("hypergradients s").RightAligned())
            .AddColumn(new TableColumn("paper %").RightAligned())
            .AddColumn(new TableColumn("paper F1").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                Format(row.TestAccuracy * 100, "0.00"),
                Format(row.F1, "0.0000"),
                Format(row.TruePositives, "0"),
                Format(row.FalsePositives, "0"),
                row.TrainedOn.ToString(CultureInfo.InvariantCulture),
                Format(row.HypergradientSeconds, "0.0"),
                Format(row.Paper?.TestAccuracy * 100, "0.00"),
                Format(row.Paper?.F1, "0.0000"));
        }

        return table;
    }

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary>The engine's steps on the bar, the hyper-iterations on a second one or, redirected, a line every twentieth of the loop.</summary>
    private sealed class Progress(EngineProgressBar bar, int iterations) : IHyperCleaningProgress
    {
        private readonly bool _lines = !AnsiConsole.Profile.Capabilities.Interactive;
        private readonly int _every = Math.Max(1, iterations / 20);
        private int _completed;

        public void Report(EngineProgress value) => bar.Report(value);

        public void Iteration(double radius, HyperCleaningPoint point)
        {
            bar.Outer(++_completed, point.ValidationLoss);
            if (_lines && ((point.Iteration + 1) % _every == 0 || point.Iteration + 1 == iterations))
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"R = {radius}, hyper-iteration {point.Iteration + 1}/{iterations}: validation loss {point.ValidationLoss:0.0000}, accuracy {point.ValidationAccuracy:P2}, test {point.TestAccuracy:P2}; discarded {point.TruePositives} noisy, {point.FalsePositives} clean ({point.Seconds:0.00} s)"));
            }
        }
    }
}
