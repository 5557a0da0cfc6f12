using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Experiments;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The results of <c>hd-bench</c>: the rows, the curves of every step, and how the run was made.</summary>
internal sealed record HypergradientDescentReport(
    string Command,
    BenchMachine Machine,
    string Data,
    string Validation,
    string Precision,
    bool Quick,
    HypergradientDescentSettings Settings,
    int Steps,
    IReadOnlyList<HypergradientDescentRow> Rows,
    IReadOnlyList<HypergradientDescentCurve> Curves,
    IReadOnlyList<string> Deviations,
    double Seconds);

/// <summary>
/// <c>autohypergrad hd-bench</c>: hypergradient descent's logistic-regression experiment on MNIST (Baydin et al. 2018).
/// </summary>
internal static class HdBenchCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "2000 training images, 1 epoch (15 steps): a smoke test of a few seconds." };
    private static readonly Option<int?> Epochs = new("--epochs") { HelpName = "E", Description = "Passes over the training images [default: 10; 1 with --quick]." };
    private static readonly Option<int?> Images = new("--images") { HelpName = "N", Description = "The first N MNIST training images [default: 60000; 2000 with --quick]." };
    private static readonly Option<string> Precision = new Option<string>("--precision")
    {
        Description = "Element type: float (default, for speed) or double.",
        DefaultValueFactory = _ => "float",
    }.AcceptOnlyFromAmong("float", "double");

    private static readonly Option<ulong> Seed = new("--seed") { Description = "The seed of the batch order.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the curves and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw the training-loss and α curves of every run to FILE (two panels)." };

    public static Command Create()
    {
        var command = new Command(
            "hd-bench",
            "Hypergradient descent (Baydin et al., ICLR 2018, figure 2 left): softmax regression on MNIST, batch 128, α0 = 1e-3, " +
            "with SGD, SGDN (Nesterov) and Adam, each with α fixed and adapted by hd (β = 1e-3 for SGD and SGDN, 1e-7 for Adam), hd-momentum and hd-adam; " +
            "validated on MNIST's test images. Rows with the final validation loss and α beside a PyTorch re-implementation's.");
        foreach (var option in new Option[] { Quick, Epochs, Images, Precision, Seed, Json, Svg })
        {
            command.Options.Add(option);
        }

        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            ulong seed = parse.GetValue(Seed);
            var settings = quick ? HypergradientDescentSettings.Quick(seed) : HypergradientDescentSettings.Paper(seed);
            int epochs = parse.GetValue(Epochs) ?? settings.Epochs;
            int images = parse.GetValue(Images) ?? settings.TrainingRows;
            if (epochs < 1)
            {
                throw new UsageException($"--epochs {epochs}: give at least 1.");
            }

            if (images < settings.BatchSize || images > 60000)
            {
                throw new UsageException($"--images {images}: give {settings.BatchSize} … 60000.");
            }

            settings = settings with { Epochs = epochs, TrainingRows = images };
            string mnist = MnistDirectory.Find();
            return parse.GetValue(Precision) == "double"
                ? Execute<double>(parse, settings, quick, mnist, commandLine, clock)
                : Execute<float>(parse, settings, quick, mnist, commandLine, clock);
        });

    private static int Execute<T>(ParseResult parse, HypergradientDescentSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        var validation = MnistReader.Read<T>(mnist, MnistSplit.Test);
        var bench = new HypergradientDescentBench<T>(settings, MnistReader.Read<T>(mnist, MnistSplit.Train), validation);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{settings.TrainingRows} training images of {bench.Source}, {settings.Epochs} epochs of batch {settings.BatchSize} (T = {settings.Steps}); validated on the {validation.Count} test images")));

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

        var report = new HypergradientDescentReport(
            commandLine, machine, bench.Source, "MNIST test set (10000 images)", precision, quick, settings, settings.Steps, rows, curves,
            settings.Deviations(precision), clock.Elapsed.TotalSeconds);
        ExperimentConsole.Summary(Table(report), report.Deviations, report.Seconds);
        if (parse.GetValue(Svg) is { } svg)
        {
            SvgPlot.Write(svg, FormattableString.Invariant($"Hypergradient descent, logistic regression on MNIST ({settings.TrainingRows} images, {settings.Epochs} epochs)"), Figure(curves));
        }

        if (parse.GetValue(Json) is { } json)
        {
            JsonFile.Write(json, report);
        }

        return CommandLine.Success;
    }

    /// <summary>Training loss (averaged over windows of T/200 steps) and α over the steps, every run.</summary>
    internal static IReadOnlyList<SvgPanel> Figure(IReadOnlyList<HypergradientDescentCurve> curves)
    {
        int steps = curves.Count == 0 ? 0 : curves[0].Loss.Count;
        int window = Math.Max(1, steps / 200);
        double[] x = Enumerable.Range(0, (steps + window - 1) / window).Select(k => (double)Math.Min(steps, (k + 1) * window)).ToArray();
        double[] Smooth(IReadOnlyList<double> values)
            => Enumerable.Range(0, x.Length).Select(k => values.Skip(k * window).Take(window).Average()).ToArray();
        return
        [
            new SvgPanel("Training loss", "iteration", "loss", curves.Select(c => new SvgSeries(c.Name, x, Smooth(c.Loss))).ToArray()),
            new SvgPanel("Learning rate α", "iteration", "α", curves.Select(c => new SvgSeries(c.Name, x, Smooth(c.LearningRate))).ToArray()),
        ];
    }

    private static Table Table(HypergradientDescentReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Hypergradient descent, logistic regression ({report.Precision}, T = {report.Steps})"))
            .AddColumn("optimizer")
            .AddColumn(new TableColumn("validation loss").RightAligned())
            .AddColumn(new TableColumn("validation accuracy %").RightAligned())
            .AddColumn(new TableColumn("final α").RightAligned())
            .AddColumn(new TableColumn("reference loss").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                row.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                (row.ValidationAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.FinalLearningRate.ToString("G4", CultureInfo.InvariantCulture),
                row.Reference is { } r ? r.ToString("0.0000", CultureInfo.InvariantCulture) : "–");
        }

        return table;
    }
}
