using System.Collections.Generic;
using System.Globalization;

namespace AutoHypergrad.BenchmarkHarness.Engines;

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
public sealed record EngineRow(
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
/// <param name="CheckpointedIdenticalToFull">Whether checkpointed reverse, and full storage called again, give full storage's bits (null when full was skipped).</param>
/// <param name="ForwardVsReverse">max |forward − reverse| / max(|forward|, |reverse|) over lr and mu.</param>
/// <param name="TogetherVsSeparate">The same between Forward-HG's m directions together and in separate passes, over every m.</param>
public sealed record EngineAgreement(bool? CheckpointedIdenticalToFull, double? ForwardVsReverse, double? TogetherVsSeparate);

/// <summary>The measurements of one problem.</summary>
public sealed record EngineProblemReport(
    string Name,
    string Description,
    int Parameters,
    long StateBytes,
    int Steps,
    int CheckpointSlots,
    IReadOnlyList<string> ReverseTuned,
    IReadOnlyList<EngineRow> Rows,
    EngineAgreement Agreement);

/// <summary>Byte counts as the reports print them.</summary>
public static class ByteCount
{
    /// <summary>Megabytes (10⁶ bytes): two decimals below 10 MB, none above.</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString(bytes < 10_000_000 ? "0.00" : "0", CultureInfo.InvariantCulture);
}
