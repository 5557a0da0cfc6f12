using System;

namespace AutoHypergrad.Objectives;

/// <summary>
/// Which examples each step of a run sees, as a function of the step index and a seed alone, so that a reverse pass
/// (or a resumed run) sees exactly the batches of the forward pass. Each epoch visits the examples in a random
/// order (a Fisher–Yates shuffle driven by SplitMix64 of the seed and the epoch: the same on every machine and .NET
/// version) and cuts it into <c>ExampleCount / BatchSize</c> batches; the last few examples of an epoch that do not
/// fill a batch are left out of it (they are in other epochs' batches). A batch size of 0, or at least the number of
/// examples, is full-batch gradient descent.
/// </summary>
public sealed class BatchSchedule
{
    private int[]? _order;
    private int _orderEpoch = -1;

    /// <param name="exampleCount">The size of the data set.</param>
    /// <param name="batchSize">Examples per step; 0 for all of them.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    public BatchSchedule(int exampleCount, int batchSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleCount);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ExampleCount = exampleCount;
        BatchSize = batchSize == 0 || batchSize >= exampleCount ? exampleCount : batchSize;
        Seed = seed;
    }

    public int ExampleCount { get; }

    public int BatchSize { get; }

    public ulong Seed { get; }

    /// <summary>Whether every step sees every example.</summary>
    public bool IsFullBatch => BatchSize == ExampleCount;

    /// <summary>Steps per pass over the data.</summary>
    public int StepsPerEpoch => ExampleCount / BatchSize;

    /// <summary>The batch of step <paramref name="step"/> (0-based).</summary>
    public Batch At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (IsFullBatch)
        {
            return Batch.Full;
        }

        int epoch = step / StepsPerEpoch;
        if (epoch != _orderEpoch)
        {
            _order = Shuffle(epoch);
            _orderEpoch = epoch;
        }

        return Batch.Of(_order.AsSpan((step % StepsPerEpoch) * BatchSize, BatchSize).ToArray());
    }

    private int[] Shuffle(int epoch)
    {
        var order = new int[ExampleCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SplitMix64(Seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1)));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
