using System;

namespace AutoHypergrad.Data;

/// <summary>
/// A data file that does not have the format its reader expects. The message names the file, the place in it and
/// what was expected there: <c>"{file}: {location}: expected {what}, found {what}"</c>, for example
/// <c>"train.csv: line 12, column 3: expected a number, found 'abc'"</c> or
/// <c>"train-images-idx3-ubyte: byte offset 0: expected the magic number 0x00000803, found 0x00000801"</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for a file in which <paramref name="expected"/> was expected at <paramref name="location"/> and <paramref name="found"/> was found.</summary>
    /// <param name="filePath">The file, as given to the reader.</param>
    /// <param name="location">The place in the file: <c>"line 12, column 3"</c>, <c>"byte offset 16"</c>, <c>"end of file"</c>.</param>
    /// <param name="expected">What the format requires there, as a noun phrase (<c>"a number"</c>).</param>
    /// <param name="found">What the file has there (<c>"'abc'"</c>, <c>"end of file"</c>).</param>
    /// <param name="innerException">The error that revealed the problem, if any (a corrupt gzip stream).</param>
    public DataFormatException(string filePath, string location, string expected, string found, Exception? innerException = null)
        : base($"{filePath}: {location}: expected {expected}, found {found}", innerException)
    {
        FilePath = filePath;
        Location = location;
    }

    /// <summary>The file, as given to the reader.</summary>
    public string FilePath { get; }

    /// <summary>The place in the file: <c>"line 12, column 3"</c>, <c>"byte offset 16"</c>, <c>"end of file"</c>.</summary>
    public string Location { get; }
}
