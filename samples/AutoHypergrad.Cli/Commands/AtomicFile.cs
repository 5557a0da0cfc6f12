using System;
using System.IO;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Writes a file atomically: a killed run never leaves a half-written one.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/> and moves it into place.</summary>
    public static void WriteAllText(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
