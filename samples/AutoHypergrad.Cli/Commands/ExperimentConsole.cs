using System;
using System.Collections.Generic;
using System.CommandLine;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>What every experiment's report has for the end of its run: the deviations from the paper and the wall time.</summary>
internal interface IExperimentReport
{
    /// <summary>Every departure from the paper, one sentence each.</summary>
    IReadOnlyList<string> Deviations { get; }

    /// <summary>The wall time of the whole run.</summary>
    double Seconds { get; }
}

/// <summary>What every experiment command prints around its work: the machine first; the table, the deviations and the wall time last.</summary>
internal static class ExperimentConsole
{
    /// <summary>The machine the run is made on, and the element type.</summary>
    public static void Machine(BenchMachine machine, string precision)
        => AnsiConsole.MarkupLine(Markup.Escape($"{machine.Processor}, {machine.ProcessorCount} processors, {machine.Os}, {machine.Runtime}; {precision}"));

    /// <summary>
    /// The end of a run: the results table, each deviation from the paper on its own line and the wall time; then the
    /// figure by <paramref name="drawFigure"/> to the <paramref name="svg"/> option's path and the report as JSON to the
    /// <paramref name="json"/> option's path (atomically), each where given.
    /// </summary>
    public static void Finish<TReport>(
        ParseResult parse, TReport report, Table table, Option<string?> svg, Action<string, TReport> drawFigure, Option<string?> json)
        where TReport : IExperimentReport
    {
        AnsiConsole.Write(table);
        foreach (string deviation in report.Deviations)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Deviation: {deviation}"));
        }

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"Wall time {report.Seconds:0.0} s.")));
        if (parse.GetValue(svg) is { } svgPath)
        {
            drawFigure(svgPath, report);
        }

        if (parse.GetValue(json) is { } jsonPath)
        {
            JsonFile.Write(jsonPath, report);
        }
    }
}
