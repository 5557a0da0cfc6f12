using System.Text.Json;
using AutoHypergrad.Data;

namespace AutoHypergrad.Experiments;

/// <summary>Writes results as JSON, atomically: a killed run never leaves a half-written file.</summary>
public static class JsonFile
{
    /// <summary>Indented, camelCase: the options of every file the commands write (and read back).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Serializes <paramref name="value"/> to a temporary file beside <paramref name="path"/> and moves it into place.</summary>
    public static void Write<TValue>(string path, TValue value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, SerializerOptions));
}
