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

/// <summary>The results of <c>hd-bench</c>: the rows, the curves of every step, and how the run was made.</summary>
internal sealed record HypergradientDescentReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<HypergradientDescentRow> Rows,
    IReadOnlyList<string> Deviations,
    string Model,
    string Data,
    string Validation,
    string Precision,
    HypergradientDescentSettings Settings,
    int Steps,
    IReadOnlyList<HypergradientDescentCurve> Curves,
    InitialRateSweep? Alpha0Sweep)
    : IExperimentReport;

/// <summary>
/// <c>autohypergrad hd-bench</c>: hypergradient descent's experiments on MNIST (Baydin et al. 2018): logistic regression
/// or the MLP, and optionally the α_0-insensitivity table.
/// </summary>
internal static class HdBenchCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "One epoch of 2000 training images (15 steps) validated on 2000 test images; for the MLP 640 (5 steps) and 500: a smoke test of seconds." };
    private static readonly Option<string> Model = new Option<string>("--model")
    {
        Description = "logreg (softmax regression, default) or mlp (784-1000-1000-10, ReLU).",
        DefaultValueFactory = _ => "logreg",
    }.AcceptOnlyFromAmong("logreg", "mlp");

    private static readonly Option<int?> Epochs = new("--epochs") { HelpName = "E", Description = "Passes over the training images [default: the paper's 10 for logreg, 100 for mlp; 1 with --quick]." };
    private static readonly Option<string> Preprocessing = new Option<string>("--preprocessing")
    {
        Description = "standardize (default, as the paper's code: (x − 0.1307)/0.3081) or unit (pixels in [0, 1]).",
        DefaultValueFactory = _ => "standardize",
    }.AcceptOnlyFromAmong("standardize", "unit");

    private static readonly Option<double?> WeightDecay = new("--weight-decay") { HelpName = "WD", Description = "The optimizers' L2 weight decay [default: 1e-4, the paper's code's]." };
    private static readonly Option<bool> Alpha0Sweep = new("--alpha0-sweep")
    {
        Description = "Also the α0-insensitivity table: iterations to reach the loss thresholds for α0 ∈ {0.01, 0.005, 0.001, 0.0005, 0.0001}, each optimizer with α fixed and with hd.",
    };
    private static readonly Option<int?> Images = new("--images") { HelpName = "N", Description = "The first N MNIST training images [default: 60000; with --quick 2000, 640 for the MLP]." };
    private static readonly Option<string> Precision = ExperimentOptions.Precision();

    private static readonly Option<ulong> Seed = new("--seed") { Description = "The seed of the batch order.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the curves and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw the training-loss and α curves of every run to FILE (two panels)." };

    public static Command Create()
    {
        var command = new Command(
            "hd-bench",
            "Hypergradient descent (Baydin et al., ICLR 2018, figure 2): softmax regression or an MLP on MNIST, batch 128, α0 = 1e-3, " +
            "with SGD, SGDN (Nesterov) and Adam, each with α fixed and adapted by hd (β = 1e-3 for SGD and SGDN, 1e-7 for Adam), hd-momentum and hd-adam; " +
            "validated on MNIST's test images. Rows with the final validation loss and α beside the paper's code's.");
        return ExperimentOptions.Assemble(command, [Quick, Model, Epochs, Images, Preprocessing, WeightDecay, Alpha0Sweep, Precision, Seed, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            ulong seed = parse.GetValue(Seed);
            var model = parse.GetValue(Model) == "mlp" ? HypergradientDescentModel.Mlp : HypergradientDescentModel.LogReg;
            var settings = quick ? HypergradientDescentSettings.Quick(model, seed) : HypergradientDescentSettings.Paper(model, seed);
            int epochs = parse.GetValue(Epochs) ?? settings.Epochs;
            double weightDecay = parse.GetValue(WeightDecay) ?? settings.WeightDecay;
            if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
            {
                throw new UsageException(FormattableString.Invariant($"--weight-decay {weightDecay}: give a finite value ≥ 0."));
            }
            int images = parse.GetValue(Images) ?? settings.TrainingRows;
            if (epochs < 1)
            {
                throw new UsageException($"--epochs {epochs}: give at least 1.");
            }

            if (images < settings.BatchSize || images > 60000)
            {
                throw new UsageException($"--images {images}: give {settings.BatchSize} … 60000.");
            }

            settings = settings with
            {
                Epochs = epochs,
                TrainingRows = images,
                Standardize = parse.GetValue(Preprocessing) == "standardize",
                WeightDecay = weightDecay,
            };
            string mnist = MnistDirectory.Find();
            return parse.GetValue(Precision) == "double"
                ? Execute<double>(parse, settings, quick, mnist, commandLine, clock)
                : Execute<float>(parse, settings, quick, mnist, commandLine, clock);
        });

    private static int Execute<T>(ParseResult parse, HypergradientDescentSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        string model = ModelName(settings.Model);
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        var validation = MnistReader.Read<T>(mnist, MnistSplit.Test);
        var bench = new HypergradientDescentBench<T>(settings, MnistReader.Read<T>(mnist, MnistSplit.Train), validation);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{model}: {settings.TrainingRows} training images of {bench.Source}, {settings.Epochs} epochs of batch {settings.BatchSize} (T = {settings.Steps}); validated on {settings.ValidationRows} test images")));

        var rows = new List<HypergradientDescentRow>();
        var curves = new List<HypergradientDescentCurve>();
        foreach (var (family, optimizer, sgdFamily) in HypergradientDescentBench<T>.Families)
        {
            foreach (var (rule, suffix) in HypergradientDescentBench<T>.Rules)
            {
                var (row, curve) = EngineProgressBar.Run(0, bar => bench.Run(family, optimizer, sgdFamily, rule, suffix, bar));
                rows.Add(row);
                curves.Add(curve);
                Console.WriteLine(FormattableString.Invariant(
                    $"{row.Name}: validation loss {row.ValidationLoss:0.0000} (accuracy {row.ValidationAccuracy:P2}), final α {row.FinalLearningRate:G4} ({row.Seconds:0.0} s)"));
            }
        }

        var sweep = parse.GetValue(Alpha0Sweep) ? Sweep(bench, settings) : null;
        var deviations = settings.Deviations(precision).ToList();
        if (sweep is not null)
        {
            deviations.Add("The α0 table's loss thresholds are chosen here (the paper's were not found); the loss of an iteration is the mean of its last 50 minibatches' (the paper's code stops on one minibatch's loss).");
        }

        var report = new HypergradientDescentReport(
            "hd-bench", commandLine, machine, quick, clock.Elapsed.TotalSeconds, rows, deviations,
            settings.Model == HypergradientDescentModel.Mlp ? "mlp" : "logreg", bench.Source, $"MNIST test set (first {settings.ValidationRows} images)", precision,
            settings, settings.Steps, curves, sweep);
        if (sweep is not null)
        {
            AnsiConsole.Write(SweepTable(sweep));
        }

        ExperimentConsole.Finish(
            parse,
            report,
            Table(report, model),
            Svg,
            DrawFigure,
            Json);

        return CommandLine.Success;
    }

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG).</summary>
    internal static void DrawFigure(string path, HypergradientDescentReport report) => Figures.WriteLines(
        path,
        FormattableString.Invariant($"Hypergradient descent, {ModelName(report.Settings.Model)} on MNIST ({report.Settings.TrainingRows} images, {report.Settings.Epochs} epochs)"),
        Figure(report.Curves));

    private static string ModelName(HypergradientDescentModel model) => model == HypergradientDescentModel.Mlp ? "MLP 784-1000-1000-10 (ReLU)" : "logistic regression";

    /// <summary>Training loss (averaged over windows of T/200 steps) and α over the steps, every run.</summary>
    internal static IReadOnlyList<FigurePanel> Figure(IReadOnlyList<HypergradientDescentCurve> curves)
    {
        int steps = curves.Count == 0 ? 0 : curves[0].Loss.Count;
        int window = Math.Max(1, steps / 200);
        double[] x = Enumerable.Range(0, (steps + window - 1) / window).Select(k => (double)Math.Min(steps, (k + 1) * window)).ToArray();
        double[] Smooth(IReadOnlyList<double> values)
            => Enumerable.Range(0, x.Length).Select(k => values.Skip(k * window).Take(window).Average()).ToArray();
        return
        [
            new FigurePanel("Training loss", "iteration", "loss", curves.Select(c => new FigureSeries(c.Name, x, Smooth(c.Loss))).ToArray()),
            new FigurePanel("Learning rate α", "iteration", "α", curves.Select(c => new FigureSeries(c.Name, x, Smooth(c.LearningRate))).ToArray()),
        ];
    }

    /// <summary>Every family with α fixed and with hd, from each of the paper's α_0, T steps each.</summary>
    private static InitialRateSweep Sweep<T>(HypergradientDescentBench<T> bench, HypergradientDescentSettings settings)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var thresholds = InitialRateSweep.Thresholds(settings.Model);
        var rows = new List<InitialRateSweepRow>();
        foreach (var (family, optimizer, sgdFamily) in HypergradientDescentBench<T>.Families)
        {
            foreach (var (rule, suffix) in InitialRateSweep.Rules)
            {
                foreach (double alpha0 in InitialRateSweep.PaperRates)
                {
                    var (row, curve) = EngineProgressBar.Run(0, bar => bench.Run(family, optimizer, sgdFamily, rule, suffix, bar, alpha0));
                    var iterations = thresholds.Select(threshold => InitialRateSweep.FirstReach(curve.Loss, threshold)).ToArray();
                    rows.Add(new InitialRateSweepRow(row.Name, alpha0, iterations, row.FinalLearningRate));
                    Console.WriteLine(FormattableString.Invariant(
                        $"{row.Name}, α0 = {alpha0}: iterations to loss {string.Join(", ", thresholds.Zip(iterations, (l, i) => $"≤ {l}: {i?.ToString(CultureInfo.InvariantCulture) ?? "–"}"))} ({row.Seconds:0.0} s)"));
                }
            }
        }

        return new InitialRateSweep(InitialRateSweep.PaperRates, thresholds, rows);
    }

    private static Table SweepTable(InitialRateSweep sweep)
    {
        var table = new Table()
            .Title(Markup.Escape($"Iterations until the mean training loss of the last {InitialRateSweep.Window} minibatches reaches the threshold, by α0 (– : not within the run)"))
            .AddColumn("optimizer")
            .AddColumn("loss ≤");
        foreach (double alpha0 in sweep.InitialLearningRates)
        {
            table.AddColumn(new TableColumn(Markup.Escape(FormattableString.Invariant($"α0 = {alpha0}"))).RightAligned());
        }

        foreach (var name in sweep.Rows.Select(r => r.Name).Distinct())
        {
            for (int k = 0; k < sweep.LossThresholds.Count; k++)
            {
                var cells = new List<string> { Markup.Escape(name), sweep.LossThresholds[k].ToString("0.###", CultureInfo.InvariantCulture) };
                cells.AddRange(sweep.InitialLearningRates.Select(alpha0 =>
                    sweep.Rows.Single(r => r.Name == name && r.InitialLearningRate == alpha0).Iterations[k]?.ToString(CultureInfo.InvariantCulture) ?? "–"));
                table.AddRow(cells.ToArray());
            }
        }

        return table;
    }

    private static Table Table(HypergradientDescentReport report, string model)
    {
        var table = new Table()
            .Title(Markup.Escape($"Hypergradient descent, {model} ({report.Precision}, T = {report.Steps})"))
            .AddColumn("optimizer")
            .AddColumn(new TableColumn("validation loss").RightAligned())
            .AddColumn(new TableColumn("validation accuracy %").RightAligned())
            .AddColumn(new TableColumn("final α").RightAligned())
            .AddColumn(new TableColumn("paper's loss").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                row.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                (row.ValidationAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.FinalLearningRate.ToString("G4", CultureInfo.InvariantCulture),
                row.Paper is { } paper ? paper.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture) : "–");
        }

        return table;
    }
}
