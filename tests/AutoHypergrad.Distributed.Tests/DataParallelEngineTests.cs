using System;
using System.Globalization;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>
/// Every engine of <see cref="BilevelProblem{T}"/> on a <see cref="DataParallelObjective{T}"/> (12 SGD steps of softmax
/// regression; the example weights, the L2 strength and the learning rate tuned) against the same engine on the
/// objective over all the data in one process, in double, and a second run repeated to the bit.
/// </summary>
public sealed class DataParallelEngineTests
{
    [MpiTheory]
    [InlineData("reverse", 2)]
    [InlineData("reverse", 3)]
    [InlineData("truncated", 2)]
    [InlineData("checkpointed", 3)]
    [InlineData("forward", 2)]
    [InlineData("forward", 3)]
    [InlineData("differences", 2)]
    public void The_hypergradient_is_the_one_process_one_reassociated_and_a_second_run_the_same_bits(string engine, int ranks)
    {
        string[] first = Mpiexec.Run(ranks, "engine", engine);
        string[] second = Mpiexec.Run(ranks, "engine", engine);

        Assert.All(first, line => Assert.Equal(first[0], line));
        Assert.Equal(first, second);
        string[] words = first[0].Split(' ');
        double largest = double.Parse(words[1], CultureInfo.InvariantCulture);
        double value = double.Parse(words[3], CultureInfo.InvariantCulture);

        // The adjoint and tangent engines sum the same products in another order: 1e-12 of the largest entry is far
        // above that rounding (a few 1e-16 seen) and far below any real difference. Finite differences divide f's own
        // rounding, which the reassociated sums move by a few ulps, by 2h: each entry within 16·ε·|f|/h_i of the
        // one-process one (2.4–3.6 seen).
        Assert.True(largest <= (engine == "differences" ? 16 : 1e-12), $"{engine} on {ranks} ranks: {largest}");
        Assert.True(value <= 1e-14, $"f differs by {value} of itself");
    }

    [MpiTheory]
    [InlineData(2)]
    public void Checkpointed_equals_full_storage_to_the_bit(int ranks)
    {
        string[] full = Mpiexec.Run(ranks, "engine", "reverse");
        string[] checkpointed = Mpiexec.Run(ranks, "engine", "checkpointed");

        Assert.Equal(full[0].Split(' ')[5], checkpointed[0].Split(' ')[5]);
    }
}
