using System;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Distributed.Ranks;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>
/// <see cref="ReproducibleSum.Allreduce"/> across real processes: the sum is the plain sum reassociated, in one order
/// fixed by the number of ranks, the same bits on every rank and in every run.
/// </summary>
public sealed class ReproducibleSumTests
{
    private const int Length = 1000;
    private const int Seed = 5;

    [MpiTheory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_rank_gets_the_fixed_order_sum_and_a_second_run_the_same_bits(int ranks)
    {
        string[] first = Mpiexec.Run(ranks, "sum", $"{Length}", $"{Seed}");
        string[] second = Mpiexec.Run(ranks, "sum", $"{Length}", $"{Seed}");

        Assert.All(first, line => Assert.Equal(first[0], line));
        Assert.Equal(first, second);
        double[] sum = first[0].Split(' ').Select(h => BitConverter.Int64BitsToDouble(long.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();

        double[][] values = Enumerable.Range(0, ranks).Select(r => RankValues.Of(Seed, r, Length)).ToArray();
        Assert.Equal(TreeOrder(values).Select(BitConverter.DoubleToInt64Bits), sum.Select(BitConverter.DoubleToInt64Bits));
        for (int i = 0; i < Length; i++)
        {
            // The plain sum in rank order, to the rounding of reassociating P terms.
            double plain = values.Sum(v => v[i]);
            double scale = values.Sum(v => Math.Abs(v[i]));
            Assert.True(Math.Abs(sum[i] - plain) <= 4 * double.Epsilon + (ranks * scale * 1.2e-16), $"element {i}: {sum[i]} against {plain}");
        }
    }

    [Fact]
    public void Shards_split_the_examples_in_rank_order_and_a_rank_with_none_is_refused()
    {
        Assert.Equal(new[] { new Shard(0, 4), new Shard(4, 7), new Shard(7, 10) }, Enumerable.Range(0, 3).Select(r => Shard.Of(10, r, 3)));
        Assert.Equal(new Shard(0, 1), Shard.Of(2, 0, 2));
        var error = Assert.Throws<ArgumentException>(() => Shard.Of(2, 0, 3));
        Assert.StartsWith("3 ranks for 2 examples", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The binomial tree's order: at step s, partial r += partial r + s for r mod 2s = 0.</summary>
    private static double[] TreeOrder(double[][] values)
    {
        var partial = values.Select(v => (double[])v.Clone()).ToArray();
        for (int step = 1; step < partial.Length; step *= 2)
        {
            for (int r = 0; r + step < partial.Length; r += 2 * step)
            {
                for (int i = 0; i < partial[r].Length; i++)
                {
                    partial[r][i] += partial[r + step][i];
                }
            }
        }

        return partial[0];
    }
}
