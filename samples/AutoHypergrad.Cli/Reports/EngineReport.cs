using System.Collections.Generic;
using System.Globalization;
using AutoHypergrad.BenchmarkHarness.Engines;
using AutoHypergrad.Cli.Commands;
using Spectre.Console;

namespace AutoHypergrad.Cli.Reports;

/// <summary>The table of one problem's measurements.</summary>
internal static class EngineProblemTables
{
    public static Table Table(this EngineProblemReport report, string precision)
    {
        var table = new Table()
            .Title(Markup.Escape($"{report.Name} ({precision}): {report.Description}"))
            .AddColumn("mode")
            .AddColumn(new TableColumn("m").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned())
            .AddColumn(new TableColumn("× training").RightAligned())
            .AddColumn("target")
            .AddColumn("met")
            .AddColumn(new TableColumn("forward steps").RightAligned())
            .AddColumn(new TableColumn("tangent steps").RightAligned())
            .AddColumn(new TableColumn("stored MB").RightAligned())
            .AddColumn(new TableColumn("peak MB").RightAligned())
            .AddColumn(new TableColumn("working set MB").RightAligned())
            .AddColumn(new TableColumn("allocated MB").RightAligned())
            .Caption(Markup.Escape(
                $"{report.Parameters:N0} parameters, state {ByteCount.Megabytes(report.StateBytes)} MB, T = {report.Steps}, c = {report.CheckpointSlots}; reverse tunes " +
                $"{string.Join(", ", report.ReverseTuned)}. peak MB: the engine's buffers (EngineCost.PeakBytes); working set MB: the " +
                "process's highest during the mode (sampled every 20 ms), data and runtime included. Targets: reverse ≤ 3×, " +
                "checkpointed ≤ 4.5×, forward with m together ≤ 1 + 1.25m, and faster than m separate passes."));
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Mode + (row.Note is null ? string.Empty : $" — {row.Note}")),
                row.Hyperparameters.ToString(CultureInfo.InvariantCulture),
                row.Seconds is { } seconds ? seconds.ToString(seconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) : "skipped",
                row.OverTraining is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "–",
                Markup.Escape(row.Target),
                row.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "–" },
                Count(row.ForwardSteps),
                Count(row.TangentSteps),
                row.StoredBytes is { } stored ? ByteCount.Megabytes(stored) : "–",
                row.PeakBytes is { } peak ? ByteCount.Megabytes(peak) : "–",
                row.WorkingSetPeakBytes is { } workingSet ? ByteCount.Megabytes(workingSet) : "–",
                row.AllocatedBytes is { } allocated ? ByteCount.Megabytes(allocated) : "–");
        }

        return table;
    }

    /// <summary>The agreement in words.</summary>
    public static string DescribeAgreement(this EngineProblemReport report)
        => string.Join(
            "; ",
            [
                report.Agreement.CheckpointedIdenticalToFull switch
                {
                    true => "checkpointed reverse = full storage = full storage again, bit for bit",
                    false => "checkpointed reverse or full storage again differs from full storage",
                    null => "full storage skipped",
                },
                $"forward vs reverse on lr, mu: relative difference {Scientific(report.Agreement.ForwardVsReverse)}",
                $"forward together vs separate passes: {Scientific(report.Agreement.TogetherVsSeparate)}",
            ]);

    private static string Count(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Scientific(double? value) => value is { } v ? v.ToString("0.0E+0", CultureInfo.InvariantCulture) : "–";
}

/// <summary>The results of a run of <c>bench engines</c>: printed as tables, written as JSON.</summary>
internal sealed record EngineReport(
    string CommandLine,
    string Arguments,
    BenchMachine Machine,
    string Blas,
    IReadOnlyDictionary<string, string?> Environment,
    string Data,
    string Precision,
    bool Quick,
    long MemoryCapBytes,
    double WallSeconds,
    long ProcessPeakWorkingSetBytes,
    IReadOnlyList<EngineProblemReport> Problems);
