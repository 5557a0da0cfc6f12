using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.Data;

/// <summary>
/// A table of examples in memory: <see cref="Count"/> rows of <see cref="FeatureCount"/> features each, stored row-major,
/// with either a class index per row (classification) or a real-valued target per row (regression).
/// </summary>
/// <remarks>
/// The constructor keeps the arrays it is given (it does not copy them); every method that returns a new dataset copies.
/// </remarks>
/// <typeparam name="T">The feature (and target) type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dataset<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates a dataset over the given arrays, after checking that they are consistent.</summary>
    /// <param name="features">The features, row-major: row <c>i</c> is <c>features[i * featureCount .. (i + 1) * featureCount]</c>.</param>
    /// <param name="count">The number of rows (0 or more).</param>
    /// <param name="featureCount">The number of features per row (1 or more).</param>
    /// <param name="labels">Classification: one class index in [0, <paramref name="classCount"/>) per row. Regression: null.</param>
    /// <param name="targets">Regression: one target per row. Classification: null.</param>
    /// <param name="classCount">Classification: the number of classes (2 or more). Regression: 0.</param>
    /// <param name="source">The file the data came from, or a description; used in messages.</param>
    /// <exception cref="ArgumentException">The arguments are inconsistent; the message names the argument and its value.</exception>
    public Dataset(T[] features, int count, int featureCount, int[]? labels, T[]? targets, int classCount, string source)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(source);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count is {count}; it must be 0 or more.");
        }

        if (featureCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"featureCount is {featureCount}; it must be 1 or more.");
        }

        if (features.Length != (long)count * featureCount)
        {
            throw new ArgumentException(
                $"features has {features.Length} values; count × featureCount is {count} × {featureCount} = {(long)count * featureCount}.", nameof(features));
        }

        if (classCount == 0)
        {
            CheckRegression(labels, targets, count);
        }
        else
        {
            CheckClassification(labels, targets, count, classCount);
        }

        Features = features;
        Count = count;
        FeatureCount = featureCount;
        Labels = labels;
        Targets = targets;
        ClassCount = classCount;
        Source = source;
    }

    /// <summary>The features, row-major: <see cref="Count"/> × <see cref="FeatureCount"/> values.</summary>
    public T[] Features { get; }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>The number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Classification: the class index of each row, in [0, <see cref="ClassCount"/>). Regression: null.</summary>
    public int[]? Labels { get; }

    /// <summary>Regression: the target of each row. Classification: null.</summary>
    public T[]? Targets { get; }

    /// <summary>Classification: the number of classes (2 or more). Regression: 0.</summary>
    public int ClassCount { get; }

    /// <summary>Whether the rows have class indices (<see cref="Labels"/>) rather than targets (<see cref="Targets"/>).</summary>
    public bool IsClassification => ClassCount != 0;

    /// <summary>The file the data came from, or a description of how it was made; used in messages.</summary>
    public string Source { get; }

    /// <summary>The features of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<T> Row(int index)
    {
        CheckRowIndex(index, nameof(index), nameof(index));
        return Features.AsSpan(index * FeatureCount, FeatureCount);
    }

    /// <summary>A copy of rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public Dataset<T> Slice(int start, int count)
    {
        if (start < 0 || start > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start is {start}; it must be in [0, {Count}] ({Source} has {Count} rows).");
        }

        if (count < 0 || count > Count - start)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"count is {count}; from start {start} it must be in [0, {Count - start}] ({Source} has {Count} rows).");
        }

        return WithRows(
            Features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(),
            count,
            Labels?.AsSpan(start, count).ToArray(),
            Targets?.AsSpan(start, count).ToArray(),
            $"{Source}[{start}..{start + count})");
    }

    /// <summary>A copy of the rows at <paramref name="indices"/>, in that order (an index may repeat).</summary>
    public Dataset<T> Select(ReadOnlySpan<int> indices)
    {
        var features = new T[indices.Length * FeatureCount];
        int[]? labels = Labels is null ? null : new int[indices.Length];
        T[]? targets = Targets is null ? null : new T[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int row = indices[k];
            CheckRowIndex(row, nameof(indices), $"indices[{k}]");
            Row(row).CopyTo(features.AsSpan(k * FeatureCount, FeatureCount));
            if (labels is not null)
            {
                labels[k] = Labels![row];
            }

            if (targets is not null)
            {
                targets[k] = Targets![row];
            }
        }

        return WithRows(features, indices.Length, labels, targets, $"{Source} ({indices.Length} selected rows)");
    }

    /// <summary>A copy with features and targets converted to <typeparamref name="TOther"/> (rounded to the nearest value).</summary>
    public Dataset<TOther> Convert<TOther>()
        where TOther : unmanaged, IBinaryFloatingPointIeee754<TOther>
    {
        var features = new TOther[Features.Length];
        TensorPrimitives.ConvertTruncating<T, TOther>(Features, features);
        TOther[]? targets = null;
        if (Targets is not null)
        {
            targets = new TOther[Targets.Length];
            TensorPrimitives.ConvertTruncating<T, TOther>(Targets, targets);
        }

        return new Dataset<TOther>(features, Count, FeatureCount, (int[]?)Labels?.Clone(), targets, ClassCount, Source);
    }

    /// <summary>
    /// The rows of <paramref name="first"/> followed by those of <paramref name="second"/>. Both must have the same feature count and
    /// task; the class count is the larger of the two.
    /// </summary>
    public static Dataset<T> Concatenate(Dataset<T> first, Dataset<T> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.FeatureCount != second.FeatureCount)
        {
            throw new ArgumentException(
                $"second ({second.Source}) has {second.FeatureCount} features; first ({first.Source}) has {first.FeatureCount}.", nameof(second));
        }

        if (first.IsClassification != second.IsClassification)
        {
            throw new ArgumentException(
                $"second ({second.Source}) is a {TaskName(second)} dataset; first ({first.Source}) is a {TaskName(first)} dataset.", nameof(second));
        }

        return new Dataset<T>(
            [.. first.Features, .. second.Features],
            first.Count + second.Count,
            first.FeatureCount,
            first.Labels is null ? null : [.. first.Labels, .. second.Labels!],
            first.Targets is null ? null : [.. first.Targets, .. second.Targets!],
            Math.Max(first.ClassCount, second.ClassCount),
            $"{first.Source} + {second.Source}");
    }

    /// <summary>
    /// A copy of this classification dataset with its labels replaced by a copy of <paramref name="labels"/> (one class index in
    /// [0, <see cref="ClassCount"/>) per row), for example to corrupt a fraction of the labels for data hyper-cleaning.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is a regression dataset.</exception>
    public Dataset<T> WithLabels(int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!IsClassification)
        {
            throw new InvalidOperationException($"{Source} is a regression dataset; it has targets, not labels to replace.");
        }

        return WithRows((T[])Features.Clone(), Count, (int[])labels.Clone(), null, $"{Source} (relabelled)");
    }

    private static string TaskName(Dataset<T> dataset) => dataset.IsClassification ? "classification" : "regression";

    private static void CheckRegression(int[]? labels, T[]? targets, int count)
    {
        if (labels is not null)
        {
            throw new ArgumentException($"labels has {labels.Length} values but classCount is 0 (regression); a regression dataset has no labels.", nameof(labels));
        }

        if (targets is null)
        {
            throw new ArgumentException("targets is null but classCount is 0 (regression); a regression dataset needs targets.", nameof(targets));
        }

        if (targets.Length != count)
        {
            throw new ArgumentException($"targets has {targets.Length} values; count is {count}.", nameof(targets));
        }
    }

    private static void CheckClassification(int[]? labels, T[]? targets, int count, int classCount)
    {
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(classCount), classCount, $"classCount is {classCount}; it must be 0 (regression) or 2 or more (classification).");
        }

        if (targets is not null)
        {
            throw new ArgumentException(
                $"targets has {targets.Length} values but classCount is {classCount} (classification); a classification dataset has no targets.", nameof(targets));
        }

        if (labels is null)
        {
            throw new ArgumentException($"labels is null but classCount is {classCount} (classification); a classification dataset needs labels.", nameof(labels));
        }

        if (labels.Length != count)
        {
            throw new ArgumentException($"labels has {labels.Length} values; count is {count}.", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; a class index must be in [0, {classCount}).", nameof(labels));
            }
        }
    }

    private void CheckRowIndex(int index, string parameter, string description)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(parameter, index, $"{description} is {index}; it must be in [0, {Count}) ({Source} has {Count} rows).");
        }
    }

    private Dataset<T> WithRows(T[] features, int count, int[]? labels, T[]? targets, string source) =>
        new(features, count, FeatureCount, labels, targets, ClassCount, source);
}
