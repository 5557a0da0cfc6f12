using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;

namespace AutoHypergrad.Data;

/// <summary>
/// Reads a comma-separated file whose first column is the label and whose other columns are the features, numbers in the
/// invariant culture (<c>1.5</c>, <c>-2e-3</c>). Blank lines are skipped; quoting is not supported.
/// </summary>
/// <remarks>
/// The first line is a header, and is skipped, when one of its fields after the first is neither blank nor a number
/// (<c>label,x1,x2</c>); otherwise it is data. Every line has the number of fields of the first line.
/// Classification: the label is a class index (a non-negative integer; <c>3</c> and <c>3.0</c> are accepted) and the class count is
/// the largest index plus one, and at least 2. Regression: the label is the target.
/// </remarks>
public static class CsvReader
{
    private const char Separator = ',';
    private const string Unit = "column";

    /// <summary>Reads <paramref name="path"/> as a classification or regression dataset.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// A field is not a number (a class index, for the label of a classification file), a line has a different number of fields than
    /// the first, or there are no data lines; the message names the line and column.
    /// </exception>
    public static Dataset<T> Read<T>(string path, DataTask task)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var features = new List<T>();
        var labels = new List<int>();
        var targets = new List<T>();
        int fieldCount = 0;
        int firstLine = 0;
        bool header = false;
        foreach (DataLine line in TextData.ReadLines(path, commentMarker: null))
        {
            ReadOnlySpan<char> text = line.Text;
            int fields = text.Count(Separator) + 1;
            if (fieldCount == 0)
            {
                if (fields < 2)
                {
                    throw line.Error(Unit, 2, "a label and at least one feature (2 or more comma-separated fields)", "1 field");
                }

                fieldCount = fields;
                firstLine = line.Number;
                if (IsHeader(text))
                {
                    header = true;
                    continue;
                }
            }
            else if (fields != fieldCount)
            {
                throw line.Error(Unit, Math.Min(fields, fieldCount) + 1, $"{fieldCount} fields, as on line {firstLine}", $"{fields}");
            }

            int column = 0;
            foreach (Range range in text.Split(Separator))
            {
                column++;
                ReadOnlySpan<char> field = text[range];
                if (column > 1)
                {
                    features.Add(TextData.ParseFinite<T>(line, Unit, column, field));
                }
                else if (task == DataTask.Classification)
                {
                    labels.Add(ParseClassIndex(line, field));
                }
                else
                {
                    targets.Add(TextData.ParseFinite<T>(line, Unit, column, field));
                }
            }
        }

        int count = task == DataTask.Classification ? labels.Count : targets.Count;
        if (count == 0)
        {
            throw new DataFormatException(path, "end of file", "at least one data line", header ? "only a header" : "none");
        }

        return task == DataTask.Classification
            ? new Dataset<T>([.. features], count, fieldCount - 1, [.. labels], null, Math.Max(labels.Max() + 1, 2), path)
            : new Dataset<T>([.. features], count, fieldCount - 1, null, [.. targets], 0, path);
    }

    private static bool IsHeader(ReadOnlySpan<char> line)
    {
        int column = 0;
        foreach (Range range in line.Split(Separator))
        {
            ReadOnlySpan<char> field = line[range];
            if (++column > 1 && !field.IsWhiteSpace() && !TextData.IsNumber(field))
            {
                return true;
            }
        }

        return false;
    }

    private static int ParseClassIndex(DataLine line, ReadOnlySpan<char> field)
    {
        if (TextData.TryParseFinite(field, out double value) && double.IsInteger(value) && value >= 0 && value < int.MaxValue)
        {
            return (int)value;
        }

        throw line.Error(Unit, 1, "a class index (a non-negative integer)", TextData.Describe(field));
    }
}
