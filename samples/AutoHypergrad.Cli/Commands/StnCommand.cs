using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using AutoHypergrad.Outer;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The results of <c>stn</c>: the rows, the STN's trajectories, the random-search trials and how the run was made.</summary>
internal sealed record StnReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<StnRow> Rows,
    IReadOnlyList<string> Deviations,
    string Data,
    StnSettings Settings,
    IReadOnlyList<SearchRange> SearchRanges,
    IReadOnlyList<string> Hyperparameters,
    StnTrajectory Trajectory,
    IReadOnlyList<StnTrial> Trials,
    int Processes = 1)
    : IExperimentReport;

/// <summary><c>autohypergrad stn</c>: Self-Tuning Networks tune the dropout rates, L2 and input noise of an MLP on MNIST, against random search.</summary>
internal static class StnCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "2000 training and 1000 validation images, 784-50-50-10, 2 epochs: a smoke test of seconds." };
    private static readonly Option<int?> Epochs = new("--epochs") { HelpName = "E", Description = "STN passes over the training images [default: 10; 2 with --quick]." };
    private static readonly Option<int?> TrialEpochs = new("--trial-epochs") { HelpName = "E", Description = "Passes of each random-search trial [default: 3; 1 with --quick]." };
    private static readonly Option<int?> Train = new("--train") { HelpName = "N", Description = "The first N MNIST training images train [default: 50000; 2000 with --quick]." };
    private static readonly Option<int?> Validation = new("--validation") { HelpName = "N", Description = "The next N validate [default: 10000; 1000 with --quick]." };
    private static readonly Option<int?> Hidden = new("--hidden") { HelpName = "H", Description = "The width of both hidden layers [default: 200; 50 with --quick]." };
    private static readonly Option<int?> Batch = new("--batch") { HelpName = "B", Description = "Examples per step [default: 128]." };
    private static readonly Option<double?> HyperLearningRate = new("--hyper-lr") { HelpName = "β", Description = "Adam's step size on the hyperparameters and log σ [default: 0.003]." };
    private static readonly Option<string> Baseline = new Option<string>("--baseline")
    {
        Description = "random-search (default): also run random search with the STN's wall time; none: the STN alone.",
        DefaultValueFactory = _ => "random-search",
    }.AcceptOnlyFromAmong("random-search", "none");

    private static readonly Option<int> Seed = new("--seed") { Description = "Seeds the weights, batches, masks, perturbations and trials.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the trajectories and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw the hyperparameter trajectories and the validation loss to FILE." };

    public static Command Create()
    {
        var command = new Command(
            "stn",
            "Self-Tuning Networks (MacKay et al., ICLR 2019) on MNIST: an MLP of STN layers (ReLU, softmax) tunes a dropout rate per layer input, L2 and input noise " +
            "while it trains (train: the first 50000 training images; validation: the next 10000; test: the 10000 test images), against random search with the same wall time.");
        return ExperimentOptions.Assemble(command, [Quick, Epochs, TrialEpochs, Train, Validation, Hidden, Batch, HyperLearningRate, Baseline, Seed, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            int seed = parse.GetValue(Seed);
            var settings = quick ? StnSettings.Quick(seed) : StnSettings.Full(seed);
            int hidden = parse.GetValue(Hidden) ?? settings.Hidden[0];
            settings = settings with
            {
                Epochs = Positive(parse.GetValue(Epochs) ?? settings.Epochs, "--epochs"),
                TrialEpochs = Positive(parse.GetValue(TrialEpochs) ?? settings.TrialEpochs, "--trial-epochs"),
                TrainingRows = parse.GetValue(Train) ?? settings.TrainingRows,
                ValidationRows = parse.GetValue(Validation) ?? settings.ValidationRows,
                Hidden = [Positive(hidden, "--hidden"), hidden],
                BatchSize = Positive(parse.GetValue(Batch) ?? settings.BatchSize, "--batch"),
                Baseline = parse.GetValue(Baseline)!,
                HyperparameterLearningRate = parse.GetValue(HyperLearningRate) ?? settings.HyperparameterLearningRate,
            };
            if (!(settings.HyperparameterLearningRate > 0))
            {
                throw new UsageException($"--hyper-lr {settings.HyperparameterLearningRate}: give a positive step size.");
            }

            if (settings.TrainingRows < settings.BatchSize * 5 || settings.ValidationRows < 1 || settings.TrainingRows + settings.ValidationRows > 60000)
            {
                throw new UsageException(
                    $"--train {settings.TrainingRows} --validation {settings.ValidationRows}: give at least 5 batches ({5 * settings.BatchSize}) to train, at least 1 to validate, and at most 60000 in all.");
            }

            string mnist = MnistDirectory.Find();
            var machine = BenchMachine.Current();
            ExperimentConsole.Machine(machine, "double");
            var experiment = new SelfTuningExperiment(settings, MnistReader.Read<double>(mnist, MnistSplit.Train), MnistReader.Read<double>(mnist, MnistSplit.Test));
            string data = FormattableString.Invariant(
                $"MNIST: train = training images 0 … {settings.TrainingRows - 1}, validation = training images {settings.TrainingRows} … {settings.TrainingRows + settings.ValidationRows - 1}, test = the 10000 test images");
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"{data}; 784-{string.Join("-", settings.Hidden)}-10, {settings.Epochs} epochs of batch {settings.BatchSize} ({experiment.Cycles} STN cycles)")));

            // Under mpiexec, rank 0 trains the STN while the others wait, then every rank runs random-search trials for
            // the STN's wall time and the trials are gathered: random search with as many workers as ranks.
            using var ranks = MpiLaunch.Join();
            bool root = ranks?.IsRoot ?? true;
            var stn = root ? EngineProgressBar.Run(0, bar => experiment.RunStn(bar, Log)) : default;
            var rows = new List<StnRow> { stn.Row };
            IReadOnlyList<StnTrial> trials = [];
            if (settings.Baseline == "random-search")
            {
                double budget = MpiLaunch.FromRoot(ranks, root ? stn.Row.Seconds : 0);
                (StnRow searchRow, trials) = EngineProgressBar.Run(0, bar => experiment.RunRandomSearch(budget, bar, Log, ranks));
                rows.Add(searchRow);
            }

            if (!root)
            {
                return CommandLine.Success;
            }

            var report = new StnReport(
                "stn", commandLine, machine, quick, clock.Elapsed.TotalSeconds, rows, settings.Deviations(trials.Count, ranks?.Size ?? 1), data, settings, StnSettings.Ranges,
                experiment.Names, stn.Trajectory, trials, ranks?.Size ?? 1);
            ExperimentConsole.Finish(
                parse,
                report,
                Table(report),
                Svg,
                DrawFigure,
                Json);

            return CommandLine.Success;
        });

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG).</summary>
    internal static void DrawFigure(string path, StnReport report) => Figures.WriteLines(
        path,
        FormattableString.Invariant($"Self-Tuning Networks, MLP 784-{string.Join("-", report.Settings.Hidden)}-10 on MNIST ({report.Settings.TrainingRows} images, {report.Settings.Epochs} epochs)"),
        Figure(report));

    /// <summary>The dropout rates, log10 of L2 and of the input noise, and the validation loss (after the start), over the STN's epochs.</summary>
    internal static IReadOnlyList<FigurePanel> Figure(StnReport report)
    {
        var t = report.Trajectory;
        var dropout = report.Hyperparameters.Where(n => n.StartsWith("dropout", StringComparison.Ordinal))
            .Select(n => new FigureSeries(n, t.Epoch, t.Values[n])).ToArray();
        var scales = report.Hyperparameters.Where(n => !n.StartsWith("dropout", StringComparison.Ordinal))
            .Select(n => new FigureSeries($"log10 {n}", t.Epoch, t.Values[n].Select(Math.Log10).ToArray())).ToArray();
        // The loss at epoch 0 (log 10 ≈ 2.3) would flatten the rest of the curve: it starts at the second point.
        int first = Math.Min(1, t.ValidationEpoch.Count - 1);
        var validation = new List<FigureSeries> { new("STN", t.ValidationEpoch.Skip(first).ToArray(), t.ValidationLoss.Skip(first).ToArray()) };
        if (report.Rows.Count > 1)
        {
            double best = report.Rows[1].ValidationLoss;
            validation.Add(new FigureSeries(report.Rows[1].Name, [t.ValidationEpoch[first], t.ValidationEpoch[^1]], [best, best]));
        }

        return
        [
            new FigurePanel("Dropout rates", "epoch", "rate", dropout),
            new FigurePanel("L2 and input noise", "epoch", "log10 value", scales),
            new FigurePanel("Validation loss", "epoch", "cross-entropy", validation),
        ];
    }

    private static int Positive(int value, string option)
        => value >= 1 ? value : throw new UsageException($"{option} {value}: give at least 1.");

    private static void Log(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private static Table Table(StnReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Self-Tuning Networks on MNIST ({report.Settings.Epochs} epochs)"))
            .AddColumn("method")
            .AddColumn(new TableColumn("validation loss").RightAligned())
            .AddColumn(new TableColumn("validation accuracy %").RightAligned())
            .AddColumn(new TableColumn("test loss").RightAligned())
            .AddColumn(new TableColumn("test accuracy %").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned())
            .AddColumn("hyperparameters");
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                row.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                (row.ValidationAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.TestLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                (row.TestAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", row.Hyperparameters.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:G3}")))));
        }

        return table;
    }
}
