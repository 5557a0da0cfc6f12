using System;
using System.Collections.Generic;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>What every experiment command prints around its work: the machine first; the table, the deviations and the wall time last.</summary>
internal static class ExperimentConsole
{
    /// <summary>The machine the run is made on, and the element type.</summary>
    public static void Machine(BenchMachine machine, string precision)
        => AnsiConsole.MarkupLine(Markup.Escape($"{machine.Processor}, {machine.ProcessorCount} processors, {machine.Os}, {machine.Runtime}; {precision}"));

    /// <summary>The results table, each deviation from the paper on its own line, and the wall time.</summary>
    public static void Summary(Table table, IReadOnlyList<string> deviations, double seconds)
    {
        AnsiConsole.Write(table);
        foreach (string deviation in deviations)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Deviation: {deviation}"));
        }

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"Wall time {seconds:0.0} s.")));
    }
}
