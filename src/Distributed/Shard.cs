using System;

namespace AutoHypergrad.Distributed;

/// <summary>
/// The examples [<see cref="First"/>, <see cref="End"/>) of one rank: the data split into contiguous, nearly equal
/// parts in rank order (the first <c>count mod ranks</c> ranks hold one example more).
/// </summary>
public readonly record struct Shard(int First, int End)
{
    /// <summary>The examples of this shard.</summary>
    public int Count => End - First;

    /// <summary>Rank <paramref name="rank"/>'s shard of <paramref name="count"/> examples over <paramref name="ranks"/> ranks.</summary>
    /// <exception cref="ArgumentException">There are more ranks than examples, so a rank would hold none; the message says both numbers.</exception>
    public static Shard Of(int count, int rank, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        if (ranks > count)
        {
            throw new ArgumentException($"{ranks} ranks for {count} examples: each rank needs at least one example, so run on at most {count} ranks.", nameof(ranks));
        }

        int size = count / ranks, extra = count % ranks;
        int first = (rank * size) + Math.Min(rank, extra);
        return new Shard(first, first + size + (rank < extra ? 1 : 0));
    }
}
