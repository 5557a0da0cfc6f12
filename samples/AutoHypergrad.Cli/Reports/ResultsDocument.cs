using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace AutoHypergrad.Cli.Reports;

/// <summary>
/// docs/RESULTS.md: one section per experiment's JSON, with its table (our numbers, the paper's in parentheses), the
/// command and machine that made it, its wall time, its figure and its deviations from the paper.
/// </summary>
internal static class ResultsDocument
{
    /// <summary>The seed papers' experiments in the order issue 9 lists them; other experiments follow by name.</summary>
    private static readonly (string Experiment, string Title)[] Known =
    [
        ("hyperclean", "Data hyper-cleaning (Franceschi, Donini, Frasconi and Pontil, ICML 2017, table 1 and figure 2)"),
        ("hd-bench", "Hypergradient descent (Baydin et al., ICLR 2018, figure 2 and the α0 table)"),
        ("rtho", "Real-time hyperparameter optimization (Franceschi et al., ICML 2017, table 3 and figure 4)"),
        ("hoag", "HOAG: L2 of logistic regression (Pedregosa, ICML 2016)"),
        ("mtl", "Learning task interactions (Franceschi et al., ICML 2017, table 2)"),
        ("stn", "Self-Tuning Networks (MacKay et al., ICLR 2019)"),
    ];

    /// <summary>
    /// The document for <paramref name="results"/>, linking files relative to <paramref name="outputDirectory"/> and
    /// showing those of each result's <paramref name="figures"/> that exist.
    /// </summary>
    public static string Render(
        IReadOnlyList<ExperimentResult> results, string outputDirectory, string regenerate, Func<ExperimentResult, IReadOnlyList<string>> figures)
    {
        var text = new StringBuilder();
        text.AppendLine("# Results");
        text.AppendLine();
        text.AppendLine("The seed papers' experiments, run by the CLI's own commands on real MNIST. This file is generated from the JSON");
        text.AppendLine("each command wrote with `--json` (the files linked below); do not edit it by hand. Regenerate it with");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(regenerate);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("Each table has our numbers with the paper's in parentheses where the paper gives one; accuracies are percentages.");
        text.AppendLine("Every departure from the paper's setting is listed under its table.");
        foreach (var result in Ordered(results))
        {
            text.AppendLine();
            Section(text, result, outputDirectory, figures(result).Where(File.Exists).ToArray());
        }

        return text.ToString();
    }

    /// <summary>The known experiments first, in issue order, then the rest by name; files of one experiment by path.</summary>
    public static IEnumerable<ExperimentResult> Ordered(IEnumerable<ExperimentResult> results)
        => results
            .OrderBy(r => Array.FindIndex(Known, k => k.Experiment == r.Experiment) is var i and >= 0 ? i : Known.Length)
            .ThenBy(r => r.Experiment, StringComparer.Ordinal)
            .ThenBy(r => Path.GetFileNameWithoutExtension(r.File), StringComparer.Ordinal);

    private static void Section(StringBuilder text, ExperimentResult result, string outputDirectory, IReadOnlyList<string> figures)
    {
        string title = Known.FirstOrDefault(k => k.Experiment == result.Experiment).Title ?? result.Experiment;
        text.AppendLine(CultureInfo.InvariantCulture, $"## `{result.Experiment}`: {title}");
        text.AppendLine();
        string json = Link(result.File, outputDirectory);
        text.Append(CultureInfo.InvariantCulture, $"Results: [{Path.GetFileName(result.File)}]({json})");
        if (figures.Count > 0)
        {
            text.Append(figures.Count == 1 ? "; figure: " : "; figures: ");
            text.AppendJoin(", ", figures.Select(svg => $"[{Path.GetFileName(svg)}]({Link(svg, outputDirectory)})"));
        }

        text.AppendLine(".");
        if (result.Quick)
        {
            text.AppendLine();
            text.AppendLine("**A `--quick` run: a smoke test at a toy size, not a result.**");
        }

        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(result.Command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Machine}; wall time {Duration(result.Seconds)}{Resumed(result.ResumedSeconds)}.");
        text.AppendLine();
        Table(text, result.Rows);
        if (result.Deviations.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Deviations from the paper:");
            text.AppendLine();
            foreach (string deviation in result.Deviations)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {deviation}");
            }
        }

        foreach (string svg in figures)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"![{result.Experiment}]({Link(svg, outputDirectory)})");
        }
    }

    /// <summary>
    /// The columns are the rows' metrics (ours or the paper's) in order of first appearance; a <c>xStd</c> metric joins
    /// <c>x</c>'s cell as <c>x ± std</c>.
    /// </summary>
    private static void Table(StringBuilder text, IReadOnlyList<ResultRow> rows)
    {
        var columns = rows
            .SelectMany(r => r.Metrics.Keys.Concat(r.Paper.Keys))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        columns.RemoveAll(c => c.EndsWith("Std", StringComparison.Ordinal) && columns.Contains(c[..^3]));
        text.AppendLine("| | " + string.Join(" | ", columns.Select(Header)) + " |");
        text.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine($"| {Escape(row.Name)} | " + string.Join(" | ", columns.Select(c => Cell(row, c))) + " |");
        }
    }

    private static string Cell(ResultRow row, string metric)
    {
        string ours = row.Metrics.TryGetValue(metric, out double value) ? Format(metric, value) : "—";
        if (row.Metrics.TryGetValue(metric + "Std", out double std))
        {
            ours += " ± " + Format(metric, std);
        }

        if (row.Paper.TryGetValue(metric, out double paper))
        {
            string theirs = Format(metric, paper);
            if (row.Paper.TryGetValue(metric + "Std", out double paperStd))
            {
                theirs += " ± " + Format(metric, paperStd);
            }

            ours += $" ({theirs})";
        }

        return ours;
    }

    /// <summary>Accuracies as percentages, F1 scores and losses to four places, times in seconds, counts as integers.</summary>
    public static string Format(string metric, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (metric.EndsWith("Accuracy", StringComparison.Ordinal))
        {
            return (value * 100).ToString("0.00", CultureInfo.InvariantCulture);
        }

        if (metric == "f1" || metric.EndsWith("Loss", StringComparison.Ordinal))
        {
            return value.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        if (metric.EndsWith("Seconds", StringComparison.Ordinal))
        {
            return value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
        }

        return value == Math.Round(value) && Math.Abs(value) < 1e9
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary><c>testAccuracy</c> → "test accuracy %", <c>f1</c> → "f1", <c>trainSeconds</c> → "train s".</summary>
    public static string Header(string metric)
    {
        var words = new StringBuilder();
        foreach (char c in metric)
        {
            if (char.IsUpper(c))
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        string header = words.ToString();
        if (header.EndsWith(" accuracy", StringComparison.Ordinal) || header == "accuracy")
        {
            return header + " %";
        }

        return header == "seconds" || header.EndsWith(" seconds", StringComparison.Ordinal) ? header[..^"seconds".Length] + "s" : header;
    }

    private static string Duration(double seconds)
        => seconds switch
        {
            < 120 => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s ({seconds / 60:0.0} min)"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s ({seconds / 3600:0.0} h)"),
        };

    /// <summary>What a run resumed from checkpoints loaded: the earlier runs' wall time, which its own does not count.</summary>
    private static string Resumed(double seconds)
        => seconds > 0 ? $", resumed from checkpoints that hold {Duration(seconds)} of earlier runs' work" : string.Empty;

    private static string Link(string path, string outputDirectory)
        => Path.GetRelativePath(outputDirectory, Path.GetFullPath(path)).Replace(Path.DirectorySeparatorChar, '/');

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
