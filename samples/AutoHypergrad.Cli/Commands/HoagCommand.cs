using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The results of <c>hoag</c>: a row and a curve per method, and how the run was made.</summary>
internal sealed record HoagReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<HoagRow> Rows,
    IReadOnlyList<string> Deviations,
    IReadOnlyList<HoagCurve> Curves,
    HoagSettings Settings,
    string Data,
    int TestRows,
    string Precision)
    : IExperimentReport;

/// <summary><c>autohypergrad hoag</c>: HOAG against grid and random search for the l2 strength of logistic regression on MNIST 4 vs 9.</summary>
internal static class HoagCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "1000 training and 1000 validation images, 8 inner solves per method: a smoke test of a few seconds." };
    private static readonly Option<int?> Solves = new("--solves") { HelpName = "K", Description = "Inner solves per method (HOAG's iterations, the grid's and random search's points) [default: 30; 8 with --quick]." };
    private static readonly Option<int?> Images = new("--images") { HelpName = "N", Description = "Training images of 4 and 9 (file order); the next N validate [default: 5895, half of them; 1000 with --quick]." };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "The seed of random search.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the curves and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw the best validation loss so far against wall time, every method, to FILE." };

    public static Command Create()
    {
        var command = new Command(
            "hoag",
            "HOAG (Pedregosa, ICML 2016) against grid search and random search over log λ in [1e-6, 1], the l2 strength of binary logistic regression " +
            "on MNIST 4 vs 9, each given the same number of inner solves: best validation loss against wall time, and test accuracy and loss at the λ chosen.");
        return ExperimentOptions.Assemble(command, [Quick, Solves, Images, Seed, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            ulong seed = parse.GetValue(Seed);
            var settings = quick ? HoagSettings.Quick(seed) : HoagSettings.Full(seed);
            int solves = parse.GetValue(Solves) ?? settings.InnerSolves;
            int images = parse.GetValue(Images) ?? settings.TrainingRows;
            if (solves < 1)
            {
                throw new UsageException($"--solves {solves}: give at least 1.");
            }

            if (images < 10 || images > HoagSettings.AvailableRows / 2)
            {
                throw new UsageException($"--images {images}: give 10 … {HoagSettings.AvailableRows / 2}.");
            }

            settings = settings with { InnerSolves = solves, TrainingRows = images, ValidationRows = parse.GetValue(Images) is null ? settings.ValidationRows : images };
            string mnist = MnistDirectory.Find();
            return Execute(parse, settings, quick, mnist, commandLine, clock);
        });

    private static int Execute(ParseResult parse, HoagSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
    {
        const string precision = "double";
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        var bench = new HoagBench(settings, MnistReader.Read<double>(mnist, MnistSplit.Train), MnistReader.Read<double>(mnist, MnistSplit.Test));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"MNIST 4 vs 9: {settings.TrainingRows} training, {settings.ValidationRows} validation, {bench.TestRows} test images; {settings.InnerSolves} inner solves per method, λ in [{settings.LowerLambda:G3}, {settings.UpperLambda:G3}]")));

        var rows = new List<HoagRow>();
        var curves = new List<HoagCurve>();
        foreach (var method in new Func<Action<int, double>?, (HoagRow, HoagCurve)>[] { bench.Hoag, bench.Grid, bench.Random })
        {
            var (row, curve) = EngineProgressBar.Run(settings.InnerSolves, bar => method((done, best) => bar.Outer(done, best)));
            rows.Add(row);
            curves.Add(curve);
            Console.WriteLine(FormattableString.Invariant(
                $"{row.Name}: best validation loss {row.BestValidationLoss:0.00000} at λ = {row.Lambda:G4}, test accuracy {row.TestAccuracy:P2} ({row.InnerSolves} inner solves, {row.Seconds:0.0} s)"));
        }

        var report = new HoagReport(
            "hoag", commandLine, machine, quick, clock.Elapsed.TotalSeconds, rows, settings.Deviations(precision), curves, settings, bench.Source, bench.TestRows, precision);
        ExperimentConsole.Finish(
            parse,
            report,
            Table(report),
            Svg,
            DrawFigure,
            Json);

        return CommandLine.Success;
    }

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG).</summary>
    internal static void DrawFigure(string path, HoagReport report) => Figures.WriteLines(
        path,
        FormattableString.Invariant($"HOAG vs grid and random search, l2 of logistic regression on MNIST 4 vs 9 ({report.Settings.InnerSolves} inner solves each)"),
        Figure(report.Curves));

    /// <summary>The best validation loss so far against wall time, and the λ of each inner solve against its count.</summary>
    internal static IReadOnlyList<FigurePanel> Figure(IReadOnlyList<HoagCurve> curves) =>
    [
        new FigurePanel("Best validation loss so far", "wall time (s)", "validation loss", curves.Select(c => new FigureSeries(c.Name, c.Seconds, c.BestValidationLoss)).ToArray()),
        new FigurePanel("λ of each inner solve", "inner solve", "log10 λ", curves.Select(c => new FigureSeries(
            c.Name, Enumerable.Range(1, c.Lambda.Count).Select(i => (double)i).ToArray(), c.Lambda.Select(Math.Log10).ToArray())).ToArray()),
    ];

    private static Table Table(HoagReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"l2 of logistic regression on MNIST 4 vs 9 ({report.Settings.InnerSolves} inner solves per method)"))
            .AddColumn("method")
            .AddColumn(new TableColumn("best validation loss").RightAligned())
            .AddColumn(new TableColumn("test accuracy %").RightAligned())
            .AddColumn(new TableColumn("test loss").RightAligned())
            .AddColumn(new TableColumn("λ").RightAligned())
            .AddColumn(new TableColumn("inner solves").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                row.BestValidationLoss.ToString("0.00000", CultureInfo.InvariantCulture),
                (row.TestAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture),
                row.TestLoss.ToString("0.00000", CultureInfo.InvariantCulture),
                row.Lambda.ToString("G4", CultureInfo.InvariantCulture),
                row.InnerSolves.ToString(CultureInfo.InvariantCulture),
                row.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
