using System.Collections.Generic;
using System.Globalization;
using AutoHypergrad.Cli.Commands;
using Spectre.Console;

namespace AutoHypergrad.Cli.Engines;

/// <summary>
/// One mode of one problem: its wall time, its ratio to plain training and the target, and what the engine and the
/// process spent. A skipped mode has no time and says why in <see cref="Note"/>.
/// </summary>
/// <param name="Mode">training, reverse (full), reverse (checkpointed), forward (together or separate passes).</param>
/// <param name="Hyperparameters">m, the length of λ.</param>
/// <param name="Seconds">Wall time (Stopwatch), null when skipped.</param>
/// <param name="OverTraining">Seconds over the training run's.</param>
/// <param name="Target">The target in words (≤ 3×, faster than together).</param>
/// <param name="Met">Whether the target holds; null when there is none.</param>
/// <param name="ForwardSteps">Primal steps, recomputations included (EngineCost.ForwardSteps).</param>
/// <param name="TangentSteps">Steps run with tangents, one per direction chunk and step.</param>
/// <param name="ReverseSteps">Adjoint steps.</param>
/// <param name="StoredBytes">The states stored for the reverse pass (EngineCost.StoredBytes).</param>
/// <param name="PeakBytes">The engine's own count of its buffers at their peak (EngineCost.PeakBytes).</param>
/// <param name="WorkingSetPeakBytes">The process's highest working set during this mode (sampled every 20 ms).</param>
/// <param name="AllocatedBytes">GC.GetTotalAllocatedBytes after less before.</param>
/// <param name="ProcessPeakWorkingSetBytes">Process.PeakWorkingSet64 after this mode (cumulative over the run).</param>
/// <param name="Note">Why a mode was skipped.</param>
internal sealed record EngineRow(
    string Mode,
    int Hyperparameters,
    double? Seconds,
    double? OverTraining,
    string Target,
    bool? Met,
    long? ForwardSteps,
    long? TangentSteps,
    long? ReverseSteps,
    long? StoredBytes,
    long? PeakBytes,
    long? WorkingSetPeakBytes,
    long? AllocatedBytes,
    long? ProcessPeakWorkingSetBytes,
    string? Note);

/// <summary>Whether the engines agree on the hypergradient of the problem (a benchmark of wrong answers is worth nothing).</summary>
/// <param name="CheckpointedIdenticalToFull">Whether checkpointed reverse gives full storage's bits (null when full was skipped).</param>
/// <param name="ForwardVsReverse">max |forward − reverse| / max(|forward|, |reverse|) over lr and mu.</param>
/// <param name="TogetherVsSeparate">The same between Forward-HG's m directions together and in separate passes, over every m.</param>
internal sealed record EngineAgreement(bool? CheckpointedIdenticalToFull, double? ForwardVsReverse, double? TogetherVsSeparate);

/// <summary>The measurements of one problem.</summary>
internal sealed record EngineProblemReport(
    string Name,
    string Description,
    int Parameters,
    long StateBytes,
    int Steps,
    int CheckpointSlots,
    IReadOnlyList<string> ReverseTuned,
    IReadOnlyList<EngineRow> Rows,
    EngineAgreement Agreement)
{
    public Table Table(string precision)
    {
        var table = new Table()
            .Title(Markup.Escape($"{Name} ({precision}): {Description}"))
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
                $"{Parameters:N0} parameters, state {Megabytes(StateBytes)} MB, T = {Steps}, c = {CheckpointSlots}; reverse tunes " +
                $"{string.Join(", ", ReverseTuned)}. peak MB: the engine's buffers (EngineCost.PeakBytes); working set MB: the " +
                "process's highest during the mode (sampled every 20 ms), data and runtime included. Targets: reverse ≤ 3×, " +
                "checkpointed ≤ 4.5×, forward with m together ≤ 1 + 1.5m, and faster than m separate passes."));
        foreach (var row in Rows)
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
                row.StoredBytes is { } stored ? Megabytes(stored) : "–",
                row.PeakBytes is { } peak ? Megabytes(peak) : "–",
                row.WorkingSetPeakBytes is { } workingSet ? Megabytes(workingSet) : "–",
                row.AllocatedBytes is { } allocated ? Megabytes(allocated) : "–");
        }

        return table;
    }

    /// <summary>The agreement in words.</summary>
    public string DescribeAgreement()
        => string.Join(
            "; ",
            [
                Agreement.CheckpointedIdenticalToFull switch
                {
                    true => "checkpointed reverse = full storage, bit for bit",
                    false => "checkpointed reverse differs from full storage",
                    null => "full storage skipped",
                },
                $"forward vs reverse on lr, mu: relative difference {Scientific(Agreement.ForwardVsReverse)}",
                $"forward together vs separate passes: {Scientific(Agreement.TogetherVsSeparate)}",
            ]);

    internal static string Megabytes(long bytes) => (bytes / 1e6).ToString(bytes < 10_000_000 ? "0.00" : "0", CultureInfo.InvariantCulture);

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
