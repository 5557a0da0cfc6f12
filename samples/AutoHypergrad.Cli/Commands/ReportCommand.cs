using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad report</c>: gathers the experiments' JSON results (docs/results/*.json, written by the experiment
/// commands' <c>--json</c>) into docs/RESULTS.md, our numbers beside the papers'.
/// </summary>
internal static class ReportCommand
{
    private const string DefaultResults = "docs/results";
    private const string DefaultOutput = "docs/RESULTS.md";

    private static readonly Option<string> Results = new("--results")
    {
        HelpName = "DIR",
        Description = "The folder of the experiments' JSON files.",
        DefaultValueFactory = _ => DefaultResults,
    };

    private static readonly Option<string> Output = new("--output")
    {
        HelpName = "FILE",
        Description = "The Markdown file to write (atomically).",
        DefaultValueFactory = _ => DefaultOutput,
    };

    private static readonly Option<bool> IncludeQuick = new("--include-quick")
    {
        Description = "Also report results of --quick runs (smoke tests), marked as such; without it they are skipped.",
    };

    private static readonly Option<bool> RedrawFigures = new("--figures")
    {
        Description = "Also redraw each reported result's figure from its JSON, as FILE.svg beside FILE.json (atomically), without rerunning the experiment.",
    };

    /// <summary>
    /// How to draw each experiment's figure from its JSON file to the given SVG path, and which files that writes: the
    /// path itself, or for hyper-cleaning with several radii one file per radius beside it.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, (Action<string, string> Draw, Func<string, string, IReadOnlyList<string>> Files)> FigureOf =
        new Dictionary<string, (Action<string, string>, Func<string, string, IReadOnlyList<string>>)>
        {
            ["hyperclean"] = (
                (json, svg) => HypercleanCommand.DrawFigure(svg, ReadReport<HyperCleaningReport>(json)),
                (json, svg) => HypercleanCommand.FigurePaths(svg, CurveRadii(json))),
            ["hd-bench"] = ((json, svg) => HdBenchCommand.DrawFigure(svg, ReadReport<HypergradientDescentReport>(json)), OneFile),
            ["rtho"] = ((json, svg) => RthoCommand.DrawFigure(svg, ReadReport<RealTimeHoReport>(json)), OneFile),
            ["hoag"] = ((json, svg) => HoagCommand.DrawFigure(svg, ReadReport<HoagReport>(json)), OneFile),
            ["mtl"] = ((json, svg) => MtlCommand.DrawFigure(svg, ReadReport<MultiTaskReport>(json)), OneFile),
            ["stn"] = ((json, svg) => StnCommand.DrawFigure(svg, ReadReport<StnReport>(json)), OneFile),
        };

    /// <summary>
    /// The figure files of <paramref name="result"/>, drawn or not: FILE.svg beside FILE.json, or what its experiment
    /// draws for that path.
    /// </summary>
    internal static IReadOnlyList<string> FigureFiles(ExperimentResult result)
    {
        string svg = Path.ChangeExtension(result.File, ".svg");
        return FigureOf.TryGetValue(result.Experiment, out var figure) ? figure.Files(result.File, svg) : OneFile(result.File, svg);
    }

    public static Command Create()
    {
        var command = new Command(
            "report",
            "Gather the experiments' JSON results (each command's --json) into one Markdown document with our numbers beside the papers', " +
            "the commands, machines, wall times, figures and deviations.");
        command.Options.Add(Results);
        command.Options.Add(Output);
        command.Options.Add(IncludeQuick);
        command.Options.Add(RedrawFigures);
        command.SetAction(parse => CommandFailure.Guard(parse, (_, _) =>
        {
            string directory = parse.GetValue(Results)!;
            string output = parse.GetValue(Output)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"--results {directory}: no such directory (run from the repository root, or give --results DIR).");
            }

            var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray();
            var read = files.Select(ExperimentResult.Read).ToArray();
            bool includeQuick = parse.GetValue(IncludeQuick);
            var kept = read.Where(r => includeQuick || !r.Quick).ToArray();
            if (kept.Length == 0)
            {
                throw new UsageException($"--results {directory}: no experiment results there ({files.Length} JSON files, {read.Length - kept.Length} of --quick runs).");
            }

            if (parse.GetValue(RedrawFigures))
            {
                foreach (var result in kept)
                {
                    if (FigureOf.TryGetValue(result.Experiment, out var figure))
                    {
                        figure.Draw(result.File, Path.ChangeExtension(result.File, ".svg"));
                        AnsiConsole.MarkupLine(Markup.Escape($"Drew {string.Join(", ", FigureFiles(result))}."));
                    }
                    else
                    {
                        AnsiConsole.MarkupLine(Markup.Escape($"{result.File}: '{result.Experiment}' has no figure."));
                    }
                }
            }

            string outputDirectory = Path.GetDirectoryName(Path.GetFullPath(output))!;
            string regenerate = "dotnet run --project samples/AutoHypergrad.Cli -c Release -- report" +
                                (directory == DefaultResults ? string.Empty : $" --results {directory}") +
                                (output == DefaultOutput ? string.Empty : $" --output {output}");
            AtomicFile.WriteAllText(output, ResultsDocument.Render(ResultsDocument.Ordered(kept).ToArray(), outputDirectory, regenerate, FigureFiles));

            var table = new Table().AddColumn("experiment").AddColumn("file").AddColumn(new TableColumn("rows").RightAligned()).AddColumn("run");
            foreach (var result in ResultsDocument.Ordered(read))
            {
                table.AddRow(
                    Markup.Escape(result.Experiment),
                    Markup.Escape(Path.GetFileName(result.File)),
                    result.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    result.Quick && !includeQuick ? "--quick: skipped" : result.Quick ? "--quick" : "full");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"Wrote {output}: {kept.Length} results."));
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<string> OneFile(string json, string svg) => [svg];

    /// <summary>The radii of a hyper-cleaning result's curves (<c>curves[i].radius</c>), which name its figures; none where its curves give none.</summary>
    private static double[] CurveRadii(string json)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        return document.RootElement.TryGetProperty("curves", out var curves) && curves.ValueKind == JsonValueKind.Array
            ? curves.EnumerateArray()
                .Where(curve => curve.ValueKind == JsonValueKind.Object && curve.TryGetProperty("radius", out var radius) && radius.ValueKind == JsonValueKind.Number)
                .Select(curve => curve.GetProperty("radius").GetDouble())
                .ToArray()
            : [];
    }

    /// <summary>The experiments' options, and a field that a report's constructor needs is an error when it is missing.</summary>
    private static readonly JsonSerializerOptions ReadOptions = new(JsonFile.SerializerOptions) { RespectRequiredConstructorParameters = true };

    private static TReport ReadReport<TReport>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TReport>(File.ReadAllText(path), ReadOptions)
                   ?? throw new InvalidDataException($"{path}: null instead of a {typeof(TReport).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a {typeof(TReport).Name} ({e.Message})");
        }
    }
}
