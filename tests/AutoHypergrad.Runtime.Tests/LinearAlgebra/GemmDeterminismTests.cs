using System;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// A managed product rounds the same wherever its operands lie in memory: the engines recompute products from
/// checkpoints and must get the same bits, and the garbage collector may move an array between two calls.
/// </summary>
public sealed class GemmDeterminismTests
{
    [Theory]
    [InlineData(false, 100, 10, 784)]   // x·W of a linear model: the dot kernel
    [InlineData(true, 784, 10, 100)]    // xᵀ·δ
    [InlineData(false, 64, 48, 96)]     // the packed kernel
    public void The_bits_do_not_depend_on_the_operands_addresses(bool transposeA, int m, int n, int k)
    {
        var random = new Random(7);
        var a = new float[m * k];
        var b = new float[k * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(random.NextDouble() - 0.5);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)(random.NextDouble() - 0.5);
        }

        int lda = transposeA ? m : k;
        float[]? reference = null;
        for (int shift = 0; shift < 17; shift++)
        {
            // The same A, starting `shift` elements into a larger array: another alignment.
            var shiftedA = new float[a.Length + shift];
            a.CopyTo(shiftedA, shift);
            var c = new float[m * n];
            Blas.Gemm(BlasProvider.Managed, transposeA, false, m, n, k, 1f, shiftedA.AsSpan(shift), lda, b, n, 0f, c, n);
            reference ??= c;
            for (int i = 0; i < c.Length; i++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(c[i]),
                    $"C[{i}] = {c[i]:R} with A shifted by {shift}, {reference[i]:R} unshifted.");
            }
        }
    }
}
