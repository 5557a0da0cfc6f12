using System;
using System.IO;
using System.Text.Json;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Writes a command's results as JSON, atomically: a killed run never leaves a half-written file.</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Serializes <paramref name="value"/> to a temporary file beside <paramref name="path"/> and moves it into place.</summary>
    public static void Write<TValue>(string path, TValue value)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(value, Options));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
