using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoHypergrad.Generator.Tests;

/// <summary>Thrown when an actual text does not match its approved snapshot.</summary>
public sealed class SnapshotMismatchException : Exception
{
    public SnapshotMismatchException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Approval testing of our own. The approved text lives in <c>Snapshots/{name}.verified.cs</c> in the
/// source tree (next to the test file that calls it, found through <see cref="CallerFilePathAttribute"/>).
/// On a mismatch the actual text goes to <c>{name}.received.cs</c> and the failure shows a line diff.
/// With <c>AUTOHYPERGRAD_ACCEPT=1</c> the actual text is written as the new approved file.
/// </summary>
public sealed class Snapshot
{
    public const string AcceptVariable = "AUTOHYPERGRAD_ACCEPT";
    public const string VerifiedSuffix = ".verified.cs";
    public const string ReceivedSuffix = ".received.cs";

    public Snapshot(string directory, bool accept)
    {
        Directory = directory;
        Accept = accept;
    }

    /// <summary>The folder holding the .verified.cs / .received.cs files.</summary>
    public string Directory { get; }

    /// <summary>When true, a mismatching or missing snapshot is overwritten with the actual text.</summary>
    public bool Accept { get; }

    /// <summary>Whether <c>AUTOHYPERGRAD_ACCEPT</c> is set to 1 or true.</summary>
    public static bool AcceptFromEnvironment
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(AcceptVariable);
            return value is not null
                && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The snapshot folder for tests in the source file <paramref name="callerFilePath"/>.</summary>
    public static Snapshot ForSourceFile([CallerFilePath] string callerFilePath = "")
    {
        if (string.IsNullOrEmpty(callerFilePath))
        {
            throw new InvalidOperationException("The caller's source path is unknown; cannot locate Snapshots/.");
        }

        var directory = Path.Combine(Path.GetDirectoryName(callerFilePath)!, "Snapshots");
        return new Snapshot(directory, AcceptFromEnvironment);
    }

    /// <summary>Checks <paramref name="actual"/> against <c>Snapshots/{name}.verified.cs</c> beside the calling file.</summary>
    public static void Verify(string actual, string name, [CallerFilePath] string callerFilePath = "")
        => ForSourceFile(callerFilePath).Check(actual, name);

    public static string NormalizeLineEndings(string text)
        => text.Replace("\r\n", "\n").Replace('\r', '\n');

    public string VerifiedPath(string name) => Path.Combine(Directory, name + VerifiedSuffix);

    public string ReceivedPath(string name) => Path.Combine(Directory, name + ReceivedSuffix);

    /// <summary>Compares, accepts or fails (throwing <see cref="SnapshotMismatchException"/>).</summary>
    public void Check(string actual, string name)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"Invalid snapshot name '{name}'.", nameof(name));
        }

        var normalized = NormalizeLineEndings(actual);
        if (!normalized.EndsWith('\n'))
        {
            normalized += "\n";
        }

        var verifiedPath = VerifiedPath(name);
        var receivedPath = ReceivedPath(name);

        if (Accept)
        {
            System.IO.Directory.CreateDirectory(Directory);
            WriteText(verifiedPath, normalized);
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        if (!File.Exists(verifiedPath))
        {
            System.IO.Directory.CreateDirectory(Directory);
            WriteText(receivedPath, normalized);
            throw new SnapshotMismatchException(
                $"No approved snapshot '{name}': {verifiedPath} does not exist.\n"
                + $"The output was written to {receivedPath}.\n"
                + $"To accept it, rename it to {Path.GetFileName(verifiedPath)}, or rerun the tests with {AcceptVariable}=1 "
                + $"(e.g. `{AcceptVariable}=1 dotnet test tests/AutoHypergrad.Generator.Tests`), then review the file.");
        }

        var expected = NormalizeLineEndings(File.ReadAllText(verifiedPath));
        if (!expected.EndsWith('\n'))
        {
            expected += "\n";
        }

        if (string.Equals(expected, normalized, StringComparison.Ordinal))
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        WriteText(receivedPath, normalized);
        var diff = LineDiff.Render(expected, normalized);
        if (diff.Length == 0)
        {
            diff = "(the lines are equal; the texts differ only in trailing whitespace at the end of the file)\n";
        }

        throw new SnapshotMismatchException(
            $"Snapshot '{name}' does not match {verifiedPath}.\n"
            + $"Received: {receivedPath}\n"
            + $"To accept the new output, rerun with {AcceptVariable}=1 and review the diff.\n"
            + "- verified, + received:\n"
            + diff);
    }

    private static void WriteText(string path, string text)
        => File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
