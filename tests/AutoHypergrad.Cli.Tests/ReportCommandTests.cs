using System;
using System.IO;
using System.Linq;
using AutoHypergrad.Cli.Commands;
using AutoHypergrad.Cli.Reports;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad report</c>: experiments' JSON files gathered into one Markdown document.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-report-").FullName;

    public ReportCommandTests() => Directory.CreateDirectory(Path.Combine(_directory, "results"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Machine = """{ "processorCount": 2, "processor": "Test CPU", "os": "Linux", "architecture": "X64", "runtime": ".NET 10.0.0" }""";

    private void WriteResult(string file, string json) => File.WriteAllText(Path.Combine(_directory, "results", file), json);

    private static string Result(string experiment, bool quick, string rows, string deviations = """["Fewer steps."]""")
        => $$"""
             { "experiment": "{{experiment}}", "command": "autohypergrad {{experiment}} --json x.json", "machine": {{Machine}},
               "quick": {{(quick ? "true" : "false")}}, "seconds": 125.5, "rows": {{rows}}, "deviations": {{deviations}},
               "curves": [ { "points": [1, 2, 3] } ] }
             """;

    private string ReadReport() => File.ReadAllText(Path.Combine(_directory, "RESULTS.md"));

    [Fact]
    public void Tables_put_the_papers_numbers_in_parentheses_and_experiments_in_issue_order()
    {
        WriteResult("stn.json", Result("stn", false, """[ { "name": "STN", "testAccuracy": 0.9812, "paper": null } ]"""));
        WriteResult("hyperclean.json", Result("hyperclean", false, """
            [ { "name": "Oracle", "testAccuracy": 0.8994, "f1": null, "paper": { "testAccuracy": 0.9046 } },
              { "name": "DH-1000", "testAccuracy": 0.9001, "f1": 0.91234, "truePositives": 2196, "paper": { "testAccuracy": 0.9007, "f1": 0.9137 } } ]
            """));
        WriteResult("mtl.json", Result("mtl", false, """[ { "name": "HMTL", "testAccuracy": 0.7, "testAccuracyStd": 0.0125, "paper": { "testAccuracy": 0.7318, "testAccuracyStd": 0.0124 } } ]"""));
        File.WriteAllText(Path.Combine(_directory, "results", "hyperclean.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");

        var result = Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md");

        Assert.Equal(0, result.ExitCode);
        string report = ReadReport();
        Assert.Contains("| | test accuracy % | f1 | true positives |", report, StringComparison.Ordinal);
        Assert.Contains("| Oracle | 89.94 (90.46) | — | — |", report, StringComparison.Ordinal);
        Assert.Contains("| DH-1000 | 90.01 (90.07) | 0.9123 (0.9137) | 2196 |", report, StringComparison.Ordinal);
        Assert.Contains("| HMTL | 70.00 ± 1.25 (73.18 ± 1.24) |", report, StringComparison.Ordinal);
        Assert.Contains("| STN | 98.12 |", report, StringComparison.Ordinal);
        Assert.Contains("![hyperclean](results/hyperclean.svg)", report, StringComparison.Ordinal);
        Assert.Contains("- Fewer steps.", report, StringComparison.Ordinal);
        Assert.Contains("Test CPU, 2 processors, .NET 10.0.0; wall time 126 s (2.1 min).", report, StringComparison.Ordinal);
        int[] sections = new[] { "## `hyperclean`", "## `mtl`", "## `stn`" }.Select(s => report.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(sections, i => Assert.True(i >= 0));
        Assert.Equal(sections.Order().ToArray(), sections);
    }

    [Fact]
    public void A_run_resumed_from_checkpoints_says_how_much_earlier_work_they_hold_and_F1_has_four_places()
    {
        WriteResult("hyperclean.json", Result("hyperclean", false, """[ { "name": "DH-1000", "testAccuracy": 0.9, "f1": 0.915 } ]""").Replace(
            "\"seconds\": 125.5", "\"seconds\": 125.5, \"resumedSeconds\": 9000", StringComparison.Ordinal));
        WriteResult("stn.json", Result("stn", false, """[ { "name": "STN", "testAccuracy": 0.98 } ]"""));

        Assert.Equal(0, Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md").ExitCode);

        string report = ReadReport();
        Assert.Contains("wall time 126 s (2.1 min), resumed from checkpoints that hold 9000 s (2.5 h) of earlier runs' work.", report, StringComparison.Ordinal);
        Assert.Contains("wall time 126 s (2.1 min).", report, StringComparison.Ordinal);
        Assert.Contains("| DH-1000 | 90.00 | 0.9150 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Quick_runs_are_skipped_unless_asked_for_and_then_marked()
    {
        WriteResult("hoag.json", Result("hoag", false, """[ { "name": "HOAG", "validationLoss": 0.1 } ]"""));
        WriteResult("hoag-quick.json", Result("hoag", true, """[ { "name": "HOAG quick", "validationLoss": 0.2 } ]"""));

        Assert.Equal(0, Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md").ExitCode);
        Assert.DoesNotContain("HOAG quick", ReadReport(), StringComparison.Ordinal);

        Assert.Equal(0, Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md", "--include-quick").ExitCode);
        Assert.Contains("| HOAG quick | 0.2000 |", ReadReport(), StringComparison.Ordinal);
        Assert.Contains("A `--quick` run", ReadReport(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_required_field_is_named_in_one_error_line_and_nothing_is_written()
    {
        WriteResult("good.json", Result("rtho", false, """[ { "name": "RTHO", "testAccuracy": 0.9 } ]"""));
        WriteResult("bad.json", Result("rtho", false, """[ { "testAccuracy": 0.9 } ]"""));
        File.WriteAllText(Path.Combine(_directory, "RESULTS.md"), "what the user had");

        var result = Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md");

        Assert.Equal(1, result.ExitCode);
        string error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad.json: rows[0]: no \"name\" field.", error, StringComparison.Ordinal);
        Assert.Equal("what the user had", ReadReport());
    }

    [Fact]
    public void Docs_RESULTS_md_is_what_report_makes_of_docs_results()
    {
        // Run where docs/ holds a copy of the repository's results, with the default options, as the document says.
        string repository = RepositoryRoot();
        string results = Path.Combine(_directory, "docs", "results");
        Directory.CreateDirectory(results);
        foreach (string file in Directory.GetFiles(Path.Combine(repository, "docs", "results")))
        {
            File.Copy(file, Path.Combine(results, Path.GetFileName(file)));
        }

        var result = Cli.Run(_directory, "report");

        Assert.True(result.ExitCode == 0, result.Error);
        string expected = File.ReadAllText(Path.Combine(_directory, "docs", "RESULTS.md"));
        string committed = File.ReadAllText(Path.Combine(repository, "docs", "RESULTS.md"));
        Assert.True(expected == committed, "docs/RESULTS.md differs from what `autohypergrad report` makes of docs/results: run it from the repository root.");
    }

    [Fact]
    public void Figures_redraws_every_results_figure_from_its_json()
    {
        string repository = RepositoryRoot();
        var files = Directory.GetFiles(Path.Combine(repository, "docs", "results"), "*.json");
        foreach (string file in files)
        {
            File.Copy(file, Path.Combine(_directory, "results", Path.GetFileName(file)));
        }

        var result = Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md", "--figures");

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (string file in files)
        {
            // FILE.svg beside FILE.json, or for hyper-cleaning with several radii FILE-R<R>.svg for each.
            var figures = ReportCommand.FigureFiles(ExperimentResult.Read(Path.Combine(_directory, "results", Path.GetFileName(file))))
                .Select(svg => Path.GetRelativePath(_directory, svg))
                .ToArray();
            Assert.NotEmpty(figures);
            foreach (string svg in figures)
            {
                Assert.True(File.Exists(Path.Combine(_directory, svg)), $"{svg} was not drawn.");
            }

            Assert.Contains($"Drew {string.Join(", ", figures)}.", result.Output.ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
        }

        // What each figure shows, from the committed results: hd-bench's 12 runs in two panels, RTHO's four panels, the
        // 200 cells of the task relations, figure 2's four curves for each of table 1's four radii.
        Assert.Equal(24, FigureSvg.Load(Path.Combine(_directory, "results", "hd-bench.svg")).Lines.Count);
        Assert.Equal(4, FigureSvg.Load(Path.Combine(_directory, "results", "rtho.svg")).Lines.Count);
        Assert.Equal(200, FigureSvg.Load(Path.Combine(_directory, "results", "mtl.svg")).TextsOfSize(Figures.CellFontSize).Count);
        foreach (int radius in new[] { 1000, 1500, 2000, 2500 })
        {
            var cleaning = FigureSvg.Load(Path.Combine(_directory, "results", $"hyperclean-T2000-R{radius}.svg"));
            Assert.Equal(4, cleaning.Lines.Count);
            Assert.Contains($"Data hyper-cleaning, R = {radius}", cleaning.Texts);
        }
    }

    [Fact]
    public void Figures_of_a_result_with_fields_missing_is_one_error_naming_the_file_and_the_fields()
    {
        WriteResult("rtho.json", Result("rtho", false, """[ { "name": "RTHO", "testAccuracy": 0.97, "paper": null } ]"""));

        var result = Cli.Run(_directory, "report", "--results", "results", "--output", "RESULTS.md", "--figures");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rtho.json", result.Error, StringComparison.Ordinal);
        Assert.Contains("missing required properties", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_directory, "results", "rtho.svg")));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AutoHypergrad.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AutoHypergrad.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void A_missing_folder_is_a_usage_error()
    {
        var result = Cli.Run(_directory, "report", "--results", "nowhere");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--results nowhere: no such directory", result.Error, StringComparison.Ordinal);
    }
}
