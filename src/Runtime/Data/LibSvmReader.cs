using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;

namespace AutoHypergrad.Data;

/// <summary>
/// Reads the sparse LIBSVM format: one example per line, <c>label index:value index:value …</c>, separated by spaces or tabs, with
/// 1-based, strictly increasing feature indices; a feature that is not listed is 0. Anything from <c>#</c> to the end of a line is a
/// comment; blank lines are skipped. Numbers are in the invariant culture.
/// </summary>
/// <remarks>
/// Classification: the distinct label values, sorted in ascending order, become the class indices 0, 1, …, k − 1 (so −1/+1 become
/// 0/1, and 1 to 10 become 0 to 9); the <see cref="Read{T}(string, DataTask, out double[], int?)"/> overload returns the label value
/// of each class. The mapping depends only on the labels present in the file: when reading a training and a test file, check that
/// both return the same label values. Regression: the label is the target.
/// </remarks>
public static class LibSvmReader
{
    private const string Unit = "token";

    /// <summary>Reads <paramref name="path"/> as a classification or regression dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="task">Whether the labels are classes or targets.</param>
    /// <param name="featureCount">The number of features; by default the largest index in the file. An index above it is an error.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// A token is not a number or an <c>index:value</c> pair, an index does not increase or exceeds <paramref name="featureCount"/>, or
    /// the file has no data lines, no feature, or (classification) fewer than two distinct labels; the message names the line and token.
    /// </exception>
    public static Dataset<T> Read<T>(string path, DataTask task, int? featureCount = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Read<T>(path, task, out _, featureCount);

    /// <summary>Reads <paramref name="path"/> as a classification or regression dataset, and returns the label value of each class.</summary>
    /// <param name="path">The file.</param>
    /// <param name="task">Whether the labels are classes or targets.</param>
    /// <param name="labelValues">
    /// Classification: the label value of each class index, ascending (<c>labelValues[c]</c> is the label that became class <c>c</c>).
    /// Regression: empty.
    /// </param>
    /// <param name="featureCount">The number of features; by default the largest index in the file. An index above it is an error.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// A token is not a number or an <c>index:value</c> pair, an index does not increase or exceeds <paramref name="featureCount"/>, or
    /// the file has no data lines, no feature, or (classification) fewer than two distinct labels; the message names the line and token.
    /// </exception>
    public static Dataset<T> Read<T>(string path, DataTask task, out double[] labelValues, int? featureCount = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (featureCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"featureCount is {featureCount}; it must be 1 or more.");
        }

        var labels = new List<double>();
        var targets = new List<T>();
        var rowEnds = new List<int>();
        var indices = new List<int>();
        var values = new List<T>();
        foreach (DataLine line in TextData.ReadLines(path, commentMarker: '#'))
        {
            ReadOnlySpan<char> text = line.Text;
            int token = 0;
            int previousIndex = 0;
            foreach (Range range in text.SplitAny(" \t"))
            {
                ReadOnlySpan<char> item = text[range];
                if (item.IsEmpty)
                {
                    continue;
                }

                token++;
                if (token > 1)
                {
                    previousIndex = ParseFeature(line, token, item, previousIndex, featureCount, indices, values);
                }
                else if (task == DataTask.Classification)
                {
                    labels.Add(ParseLabel(line, item));
                }
                else
                {
                    targets.Add(TextData.ParseFinite<T>(line, Unit, token, item));
                }
            }

            rowEnds.Add(indices.Count);
        }

        int count = rowEnds.Count;
        if (count == 0)
        {
            throw new DataFormatException(path, "end of file", "at least one data line", "none");
        }

        int width = featureCount ?? (indices.Count == 0 ? 0 : indices.Max());
        if (width == 0)
        {
            throw new DataFormatException(path, "end of file", "at least one feature (an index:value pair)", "none on any line");
        }

        if ((long)count * width > Array.MaxLength)
        {
            throw new DataFormatException(path, "end of file", $"at most {Array.MaxLength} values in all", $"{count} lines × {width} features");
        }

        var features = new T[count * width];
        for (int row = 0, k = 0; row < count; row++)
        {
            for (; k < rowEnds[row]; k++)
            {
                features[row * width + indices[k] - 1] = values[k];
            }
        }

        if (task == DataTask.Regression)
        {
            labelValues = [];
            return new Dataset<T>(features, count, width, null, [.. targets], 0, path);
        }

        labelValues = [.. labels.Distinct().Order()];
        if (labelValues.Length < 2)
        {
            throw new DataFormatException(
                path, "end of file", "at least two distinct labels for classification", $"only the label {labelValues[0].ToString(CultureInfo.InvariantCulture)}");
        }

        double[] classes = labelValues;
        int[] classIndices = [.. labels.Select(label => Array.BinarySearch(classes, label))];
        return new Dataset<T>(features, count, width, classIndices, null, labelValues.Length, path);
    }

    private static double ParseLabel(DataLine line, ReadOnlySpan<char> item) =>
        TextData.TryParseFinite(item, out double label) ? label : throw line.Error(Unit, 1, "a label (a number)", TextData.Describe(item));

    /// <summary>Parses the feature token <c>index:value</c> into <paramref name="indices"/> and <paramref name="values"/>; returns the index.</summary>
    private static int ParseFeature<T>(DataLine line, int token, ReadOnlySpan<char> item, int previousIndex, int? featureCount, List<int> indices, List<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int colon = item.IndexOf(':');
        if (colon < 0)
        {
            throw line.Error(Unit, token, "a feature as index:value", TextData.Describe(item));
        }

        ReadOnlySpan<char> indexText = item[..colon];
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
        {
            throw line.Error(Unit, token, "a feature index (a positive integer) before ':'", TextData.Describe(indexText));
        }

        if (index <= previousIndex)
        {
            throw line.Error(Unit, token, $"a feature index above {previousIndex} (indices must increase)", TextData.Describe(indexText));
        }

        if (index > featureCount)
        {
            throw line.Error(Unit, token, $"a feature index at most {featureCount} (the feature count given)", TextData.Describe(indexText));
        }

        values.Add(TextData.ParseFinite<T>(line, Unit, token, item[(colon + 1)..]));
        indices.Add(index);
        return index;
    }
}
