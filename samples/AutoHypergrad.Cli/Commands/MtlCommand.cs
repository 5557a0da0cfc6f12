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

/// <summary>The results of <c>mtl</c>: the rows of table 2, every learned relation matrix, and how the run was made.</summary>
internal sealed record MultiTaskReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<MultiTaskRow> Rows,
    IReadOnlyList<string> Deviations,
    IReadOnlyList<RelationMatrix> Relations,
    IReadOnlyList<MultiTaskCurve> Curves,
    MultiTaskSettings Settings,
    string Data,
    string Precision)
    : IExperimentReport;

/// <summary><c>autohypergrad mtl</c>: learning task interactions (Franceschi et al. 2017, section 5.3) on a few-shot MNIST problem.</summary>
internal static class MtlCommand
{
    private static readonly string[] Digits = Enumerable.Range(0, MultiTaskLearning<float>.Tasks).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly Option<bool> Quick = new("--quick") { Description = "2 seeds, T = 100, 5 hyper-iterations, smaller grids: a smoke test of a few seconds." };
    private static readonly Option<int?> Seeds = new("--seeds") { HelpName = "S", Description = "Draws of the images, seeds 1 … S [default: 5; 2 with --quick]." };
    private static readonly Option<int?> Steps = new("--steps") { HelpName = "T", Description = "Momentum steps of every training run [default: 600; 100 with --quick]." };
    private static readonly Option<int?> HyperIterations = new("--hyper-iterations") { HelpName = "K", Description = "Adam steps on (A, ρ) of HMTL and HMTL-S [default: 25; 5 with --quick]." };
    private static readonly Option<double?> Radius = new("--radius") { HelpName = "R", Description = "HMTL-S's bound Σ A_jk ≤ R [default: 0.01]." };
    private static readonly Option<string> Precision = ExperimentOptions.Precision();

    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the rows, the relation matrices and the run's settings to FILE as JSON (atomically)." };
    private static readonly Option<string?> Svg = new("--svg") { HelpName = "FILE", Description = "Draw the learned relation graphs (A + Aᵀ)/2 of HMTL and HMTL-S, averaged over the seeds, as heat maps to FILE." };

    public static Command Create()
    {
        var command = new Command(
            "mtl",
            "Learning task interactions (Franceschi et al., ICML 2017, section 5.3, table 2) on MNIST: 50 training and 50 validation images per digit, " +
            "one linear one-vs-rest task per digit coupled by Σ A_jk‖w_j − w_k‖² + ρΣ‖w_k‖²; STL (A = 0), NMTL (A = a·1), HMTL (A and ρ by Reverse-HG) " +
            "and HMTL-S (A in an L1 ball); test accuracy mean ± std over the seeds, and the learned relation graph.");
        return ExperimentOptions.Assemble(command, [Quick, Seeds, Steps, HyperIterations, Radius, Precision, Json, Svg], Run);
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            var settings = quick ? MultiTaskSettings.Quick() : MultiTaskSettings.Full();
            settings = settings with
            {
                Seeds = parse.GetValue(Seeds) ?? settings.Seeds,
                Steps = parse.GetValue(Steps) ?? settings.Steps,
                HyperIterations = parse.GetValue(HyperIterations) ?? settings.HyperIterations,
                SparseRadius = parse.GetValue(Radius) ?? settings.SparseRadius,
            };
            if (settings.Seeds < 2)
            {
                throw new UsageException($"--seeds {settings.Seeds}: give at least 2 (the rows are a mean ± std).");
            }

            if (settings.Steps < 1 || settings.HyperIterations < 1)
            {
                throw new UsageException($"--steps {settings.Steps} and --hyper-iterations {settings.HyperIterations}: give at least 1 each.");
            }

            if (!(settings.SparseRadius > 0 && double.IsFinite(settings.SparseRadius)))
            {
                throw new UsageException($"--radius {settings.SparseRadius}: give a positive number.");
            }

            string mnist = MnistDirectory.Find();
            return parse.GetValue(Precision) == "double"
                ? Execute<double>(parse, settings, quick, mnist, commandLine, clock)
                : Execute<float>(parse, settings, quick, mnist, commandLine, clock);
        });

    private static int Execute<T>(ParseResult parse, MultiTaskSettings settings, bool quick, string mnist, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        var machine = BenchMachine.Current();
        ExperimentConsole.Machine(machine, precision);
        var training = MnistReader.Read<T>(mnist, MnistSplit.Train);
        var experiment = new MultiTaskLearning<T>(settings, training, MnistReader.Read<T>(mnist, MnistSplit.Test));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{settings.TrainingPerClass} training and {settings.ValidationPerClass} validation images per digit, {settings.Seeds} seeds; T = {settings.Steps}, {settings.HyperIterations} hyper-iterations; tested on MNIST's 10000 test images")));

        string[] methods = ["STL", "NMTL", "HMTL", "HMTL-S"];
        var results = methods.ToDictionary(m => m, _ => new List<MultiTaskSeedResult>());
        var relations = new List<RelationMatrix>();
        var curves = new List<MultiTaskCurve>();
        for (int seed = 1; seed <= settings.Seeds; seed++)
        {
            var (train, validation) = experiment.Draw(seed);
            var single = experiment.SingleTask(seed, train, validation);
            Report("STL", single);
            Report("NMTL", experiment.NaiveMultiTask(seed, train, validation));
            foreach (bool sparse in new[] { false, true })
            {
                var (result, relation, curve) = EngineProgressBar.Run(
                    settings.HyperIterations, bar => experiment.Learn(seed, train, validation, sparse, single.Rho, bar, bar.Outer));
                Report(relation.Method, result);
                relations.Add(relation);
                curves.Add(curve);
            }

            void Report(string method, MultiTaskSeedResult result)
            {
                results[method].Add(result);
                Console.WriteLine(FormattableString.Invariant(
                    $"seed {seed} {method}: test accuracy {result.TestAccuracy:P2}, validation loss {result.ValidationLoss:0.0000}, ρ = {result.Rho:G3}, ΣA = {result.Coupling:G3} ({result.Seconds:0.0} s)"));
            }
        }

        var rows = methods.Select(m => Row(m, results[m])).ToArray();
        var report = new MultiTaskReport(
            "mtl", commandLine, machine, quick, clock.Elapsed.TotalSeconds, rows, settings.Deviations(precision), relations, curves, settings, training.Source, precision);
        ExperimentConsole.Finish(
            parse,
            report,
            Table(report),
            Svg,
            DrawFigure,
            Json);

        return CommandLine.Success;
    }

    /// <summary>Writes the report's figure to <paramref name="path"/> (SVG): the learned relations of HMTL and HMTL-S as heat maps.</summary>
    internal static void DrawFigure(string path, MultiTaskReport report) => Figures.WriteHeatMaps(
        path,
        FormattableString.Invariant($"Learned task relations (A + Aᵀ)/2 on MNIST digits, mean over {report.Settings.Seeds} seeds"),
        new[] { "HMTL", "HMTL-S" }.Select(m => new FigureMatrix(m, Digits, MeanSymmetric(report.Relations.Where(r => r.Method == m).ToArray()))).ToArray());

    /// <summary>(A + Aᵀ)/2 averaged over the seeds: Ω depends on A only through A + Aᵀ.</summary>
    internal static double[] MeanSymmetric(IReadOnlyList<RelationMatrix> relations)
    {
        int k = MultiTaskLearning<float>.Tasks;
        var mean = new double[k * k];
        foreach (var relation in relations)
        {
            for (int j = 0; j < k; j++)
            {
                for (int l = 0; l < k; l++)
                {
                    mean[j * k + l] += (relation.Values[j * k + l] + relation.Values[l * k + j]) / (2.0 * relations.Count);
                }
            }
        }

        return mean;
    }

    private static MultiTaskRow Row(string name, IReadOnlyList<MultiTaskSeedResult> seeds)
    {
        double mean = seeds.Average(s => s.TestAccuracy);
        double std = Math.Sqrt(seeds.Sum(s => (s.TestAccuracy - mean) * (s.TestAccuracy - mean)) / (seeds.Count - 1));
        return new MultiTaskRow(name, mean, std, seeds.Average(s => s.ValidationLoss), seeds.Sum(s => s.Seconds), seeds, null);
    }

    private static Table Table(MultiTaskReport report)
    {
        var table = new Table()
            .Title(Markup.Escape($"Learning task interactions on MNIST ({report.Settings.Seeds} seeds, {report.Precision})"))
            .AddColumn("method")
            .AddColumn(new TableColumn("test accuracy %").RightAligned())
            .AddColumn(new TableColumn("validation loss").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                FormattableString.Invariant($"{row.TestAccuracy * 100:0.00} ± {row.TestAccuracyStd * 100:0.00}"),
                row.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                row.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
