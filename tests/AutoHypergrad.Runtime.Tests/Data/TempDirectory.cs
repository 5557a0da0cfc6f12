using System;
using System.IO;
using System.Text;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>A new directory under the system's temporary directory, deleted with its contents on Dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("autohypergrad-data-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte order mark) to a file of this directory; returns its path.</summary>
    public string WriteText(string name, string text) => WriteBytes(name, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to a file of this directory; returns its path.</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
