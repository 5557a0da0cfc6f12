using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using AutoHypergrad.Data;

namespace AutoHypergrad.Outer;

/// <summary>
/// The resumable state of an outer loop after a completed hyper-iteration: u, the hyper-optimizer's state, the
/// best λ so far and the history. Doubles round-trip exactly through JSON, so a resumed run continues with the same
/// bits as one that was never stopped. Written atomically: a kill at any moment leaves either the previous file or
/// the new one, never a torn one.
/// </summary>
public sealed record OuterCheckpoint
{
    /// <summary>The format tag written in every file.</summary>
    public const string FormatTag = "autohypergrad-outer/1";

    public string Format { get; init; } = FormatTag;

    /// <summary>What the run was (engine, data, hyperparameters): a checkpoint of another run is refused.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The hyper-iterations completed.</summary>
    public required int Completed { get; init; }

    public required double[] Free { get; init; }

    public required double[] OptimizerState { get; init; }

    public required double[] BestLambda { get; init; }

    public required double BestValue { get; init; }

    public required int BestIteration { get; init; }

    /// <summary>Hyper-iterations since the best value (for early stopping).</summary>
    public required int SinceBest { get; init; }

    public required bool StoppedEarly { get; init; }

    public required List<OuterIteration> History { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, Json));

    /// <summary>The checkpoint at <paramref name="path"/>, or null when there is no file.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this run; the message says why.</exception>
    public static OuterCheckpoint? Load(string path, string fingerprint)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        OuterCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<OuterCheckpoint>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a readable checkpoint ({e.Message}).", e);
        }

        if (checkpoint is null || checkpoint.Format != FormatTag)
        {
            throw new InvalidDataException($"{path}: not an AutoHypergrad outer-loop checkpoint (expected format '{FormatTag}').");
        }

        if (checkpoint.Fingerprint != fingerprint)
        {
            throw new InvalidDataException(
                $"{path}: the checkpoint is of another run ({checkpoint.Fingerprint}); this run is {fingerprint}. Delete it or choose another --checkpoint file.");
        }

        return checkpoint;
    }
}
