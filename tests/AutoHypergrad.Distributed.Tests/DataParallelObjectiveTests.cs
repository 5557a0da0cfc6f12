using System;
using System.Globalization;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>
/// <see cref="DataParallelObjective{T}"/> on 1 to 4 ranks against the same objective over all the data in one process,
/// in double: every product (value, gradient, H·v, the cross tangent and adjoint, ∂J/∂λ) on the full batch and on a
/// mini-batch spanning the shards, with a per-example block (example weights) and a shared one (L2).
/// </summary>
public sealed class DataParallelObjectiveTests
{
    [MpiTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_product_is_the_one_process_product_reassociated_and_a_second_run_the_same_bits(int ranks)
    {
        string[] first = Mpiexec.Run(ranks, "objective");
        string[] second = Mpiexec.Run(ranks, "objective");

        Assert.All(first, line => Assert.Equal(first[0], line));
        Assert.Equal(first, second);
        double largest = double.Parse(first[0].Split(' ')[1], CultureInfo.InvariantCulture);

        // The shards' means weighted and summed: a reassociation of sums of 37 terms, far below 1e-12 in double. On one
        // rank the shard is all the data and its weight exactly 1: the same operations, the same bits.
        Assert.True(largest <= (ranks == 1 ? 0 : 1e-12), $"{ranks} ranks: products differ by {largest} of their largest entry");
    }
}
