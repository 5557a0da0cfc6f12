using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;

namespace AutoHypergrad.Data;

/// <summary>A non-blank line of a text data file, with its 1-based number, and the errors that name it.</summary>
internal readonly record struct DataLine(string Path, int Number, string Text)
{
    /// <summary>An error at a column (CSV) or token (LIBSVM) of this line: <c>"{file}: line 12, column 3: expected …, found …"</c>.</summary>
    public DataFormatException Error(string unit, int position, string expected, string found) =>
        new(Path, $"line {Number}, {unit} {position}", expected, found);
}

/// <summary>What the CSV and LIBSVM readers share: reading lines and numbers, and saying what was found where a number was expected.</summary>
internal static class TextData
{
    private const int LongestQuotedToken = 40;

    /// <summary>The non-blank lines of <paramref name="path"/>, each with anything from <paramref name="commentMarker"/> on removed.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IEnumerable<DataLine> ReadLines(string path, char? commentMarker)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadLinesOfExistingFile(path, commentMarker, File.ReadLines(path));
    }

    /// <summary>Whether <paramref name="text"/> is a number in the invariant culture (finite or not).</summary>
    public static bool IsNumber(ReadOnlySpan<char> text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Parses a finite number in the invariant culture.</summary>
    public static bool TryParseFinite<T>(ReadOnlySpan<char> text, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && T.IsFinite(value);

    /// <summary>Parses a finite number in the invariant culture, or throws an error naming the line, the column or token, and the text.</summary>
    public static T ParseFinite<T>(DataLine line, string unit, int position, ReadOnlySpan<char> text)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (TryParseFinite(text, out T value))
        {
            return value;
        }

        throw line.Error(unit, position, IsNumber(text) ? "a finite number" : "a number", Describe(text));
    }

    /// <summary>The text as an error message shows what was found: quoted (shortened when long), or <c>nothing</c> when blank.</summary>
    public static string Describe(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return "nothing";
        }

        return text.Length <= LongestQuotedToken ? $"'{text}'" : $"'{text[..LongestQuotedToken]}…'";
    }

    // File.ReadLines opens the file at once, so that a missing file throws when ReadLines is called, not at the first MoveNext.
    private static IEnumerable<DataLine> ReadLinesOfExistingFile(string path, char? commentMarker, IEnumerable<string> lines)
    {
        int number = 0;
        foreach (string line in lines)
        {
            number++;
            int comment = commentMarker is char marker ? line.IndexOf(marker, StringComparison.Ordinal) : -1;
            string text = comment >= 0 ? line[..comment] : line;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return new DataLine(path, number, text);
            }
        }
    }
}
