using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoHypergrad.Data;

namespace AutoHypergrad.Outer;

/// <summary>
/// A search's trials kept on disk as they finish, so that a search run again with the same directory and fingerprint
/// loads them rather than running them again: a killed run (or a killed rank of an MPI run) loses only the trials that
/// were under way, and a trial that checkpoints itself (an outer loop, at <see cref="OuterPathOf"/>) resumes those
/// from its own checkpoint. Every file is written atomically, by the process that ran the trial; with several
/// machines the directory must be one they all see.
/// </summary>
public sealed class TrialCheckpoints
{
    /// <summary>The format tag every trial file carries.</summary>
    public const string FormatTag = "autohypergrad-trial/1";

    /// <summary>Trials kept in <paramref name="directory"/> (created if missing) under <paramref name="fingerprint"/>: what makes a trial file this search's.</summary>
    public TrialCheckpoints(string directory, string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(fingerprint);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        Fingerprint = fingerprint;
    }

    /// <summary>The directory of the trial files.</summary>
    public string Directory { get; }

    /// <summary>What a trial file must carry to be loaded: everything that changes a trial's outcome.</summary>
    public string Fingerprint { get; }

    /// <summary>The finished trial <paramref name="index"/>'s file.</summary>
    public string PathOf(int index) => Path.Combine(Directory, FormattableString.Invariant($"trial-{index:D4}.json"));

    /// <summary>Where trial <paramref name="index"/> keeps its own checkpoint while it runs (an outer loop's <see cref="OuterOptions.CheckpointPath"/>).</summary>
    public string OuterPathOf(int index) => Path.Combine(Directory, FormattableString.Invariant($"trial-{index:D4}.outer.json"));

    /// <summary>Trial <paramref name="index"/> as it was saved, or null when it has no file.</summary>
    /// <exception cref="InvalidDataException">The file is not a trial of this search; the message names it and says why.</exception>
    public SearchTrial<TOutcome>? Load<TOutcome>(int index)
    {
        string path = PathOf(index);
        if (!File.Exists(path))
        {
            return null;
        }

        TrialFile<TOutcome>? file;
        try
        {
            file = JsonSerializer.Deserialize<TrialFile<TOutcome>>(File.ReadAllText(path), TrialJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a readable trial file ({e.Message}).", e);
        }

        if (file?.Format != FormatTag || file.Trial is null || file.Trial.Index != index)
        {
            throw new InvalidDataException($"{path}: not an AutoHypergrad trial file of trial {index} (expected format '{FormatTag}').");
        }

        if (file.Fingerprint != Fingerprint)
        {
            throw new InvalidDataException(
                $"{path}: the trial is of another search ({file.Fingerprint}); this search is {Fingerprint}. Delete the directory's trial files or choose another directory.");
        }

        return file.Trial;
    }

    /// <summary>Writes <paramref name="trial"/> to its file, atomically.</summary>
    public void Save<TOutcome>(SearchTrial<TOutcome> trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var file = new TrialFile<TOutcome>(FormatTag, Fingerprint, trial);
        AtomicFile.Write(PathOf(trial.Index), stream => JsonSerializer.Serialize(stream, file, TrialJson.Options));
    }

    private sealed record TrialFile<TOutcome>(string Format, string Fingerprint, SearchTrial<TOutcome>? Trial);
}

/// <summary>How trials travel between processes and to disk: JSON, every double to the bit (∞ and NaN included), tuples' fields too.</summary>
internal static class TrialJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
