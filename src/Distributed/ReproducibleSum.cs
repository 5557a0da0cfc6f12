using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoHypergrad.Distributed;

/// <summary>
/// Sums over the ranks in an order fixed by the number of ranks alone, so a run on a given number of ranks gives the
/// same bits every time and on every rank (MPI's own allreduce may pick its algorithm, and with it the order of the
/// additions, by message size and library version).
/// </summary>
/// <remarks>
/// A binomial tree: at step s = 1, 2, 4, …, every rank r with r mod 2s = 0 receives rank r + s's partial sums (where
/// that rank exists) and adds them after its own, element by element; rank 0 then sends the total to every rank along
/// the same tree. Each rank sends and receives at most ⌈log₂ P⌉ messages of n elements each way.
/// </remarks>
public static class ReproducibleSum
{
    private const int ReduceTag = 7101;
    private const int BroadcastTag = 7102;

    /// <summary>Replaces <paramref name="values"/> on every rank by their sum over the ranks, in the fixed order above.</summary>
    public static void Allreduce<T>(this MpiSession session, Span<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Size == 1 || values.IsEmpty)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        int n = values.Length;
        var own = Buffers<T>.Exact(ref Buffers<T>.Own, n);
        var partner = Buffers<T>.Exact(ref Buffers<T>.Partner, n);
        values.CopyTo(own);
        var world = session.World;
        int rank = session.Rank, size = session.Size, step = 1;
        for (; step < size; step *= 2)
        {
            if (rank % (2 * step) != 0)
            {
                world.Send(own, rank - step, ReduceTag);
                session.Traffic.Sent(n * Unsafe.SizeOf<T>());
                break;
            }

            if (rank + step < size)
            {
                world.Receive(rank + step, ReduceTag, ref partner);
                for (int i = 0; i < n; i++)
                {
                    own[i] += partner[i];
                }
            }
        }

        // Down the same tree: a rank receives the total from the rank it sent to, then passes it on to the ranks it
        // received from, largest step first.
        if (rank != 0)
        {
            world.Receive(rank - step, BroadcastTag, ref own);
        }

        for (step /= 2; step >= 1; step /= 2)
        {
            if (rank % (2 * step) == 0 && rank + step < size)
            {
                world.Send(own, rank + step, BroadcastTag);
                session.Traffic.Sent(n * Unsafe.SizeOf<T>());
            }
        }

        own.CopyTo(values);
        session.Traffic.Summed(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Each thread's message buffers, of the length last asked for (MPI.NET sends and receives whole arrays).</summary>
    private static class Buffers<T>
    {
        [ThreadStatic]
        public static T[]? Own;

        [ThreadStatic]
        public static T[]? Partner;

        public static T[] Exact(ref T[]? buffer, int length)
        {
            if (buffer is null || buffer.Length != length)
            {
                buffer = new T[length];
            }

            return buffer;
        }
    }
}
