using System;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Data;

/// <summary>Labels with some replaced by a wrong class, and which ones: the corrupted training set of data hyper-cleaning.</summary>
/// <param name="Labels">The labels after corruption.</param>
/// <param name="Corrupted">Whether each row's label was replaced.</param>
public sealed record NoisyLabels(int[] Labels, bool[] Corrupted);

/// <summary>Label noise for data hyper-cleaning (Franceschi et al. 2017, section 5.1).</summary>
public static class LabelNoise
{
    /// <summary>
    /// Replaces the labels of <paramref name="count"/> rows, chosen uniformly without replacement, each by a class drawn
    /// uniformly among the <paramref name="classCount"/> − 1 others, so every chosen label really changes. The same
    /// <paramref name="seed"/> gives the same rows and classes on every machine (SplitMix64).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is negative or above the number of labels, <paramref name="classCount"/> is below 2, or a label is not in [0, classCount).
    /// </exception>
    public static NoisyLabels Corrupt(ReadOnlySpan<int> labels, int classCount, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, labels.Length);
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"A label is {label}; the classes are 0 … {classCount - 1}.");
            }
        }

        var random = new SplitMix64(seed);
        var order = new int[labels.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // A partial Fisher–Yates shuffle: order[0 .. count) is a uniform sample without replacement.
        for (int i = 0; i < count; i++)
        {
            int j = i + random.NextInt(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        int[] noisy = labels.ToArray();
        var corrupted = new bool[labels.Length];
        for (int i = 0; i < count; i++)
        {
            int row = order[i];
            int other = random.NextInt(classCount - 1);
            noisy[row] = other >= labels[row] ? other + 1 : other;
            corrupted[row] = true;
        }

        return new NoisyLabels(noisy, corrupted);
    }
}
