using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>The managed GEMV against the double-precision reference, within the bound of <see cref="Reference"/>.</summary>
public class GemvTests
{
    public static readonly int[] Sizes = [0, 1, 2, 3, 7, 17, 31, 33, 64, 65, 100, 129, 784];

    public static IEnumerable<object[]> TransposesAndWidths() =>
        from ta in new[] { false, true }
        from width in new[] { "Auto", "Scalar", "Vector128", "Vector256", "Vector512" }
        select new object[] { ta, width };

    internal static void Check<T>(
        bool ta, int m, int n, double alpha, double beta, int pad, int seed,
        Action<bool, int, int, T, T[], int, T[], T, T[]> gemv, bool nanInY = false, bool nanInAX = false)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int lda = Math.Max(1, n) + pad;
        int lengthX = ta ? m : n, lengthY = ta ? n : m;
        T[] a = MatrixData.Matrix<T>(random, m, n, lda, double.NaN, extra: pad);
        T[] x = MatrixData.Vector<T>(random, lengthX, double.NaN, extra: pad);
        T[] y = MatrixData.Vector<T>(random, lengthY, MatrixData.Sentinel, extra: pad);
        if (nanInY)
        {
            Array.Fill(y, T.NaN, 0, lengthY);
        }

        if (nanInAX)
        {
            Array.Fill(a, T.NaN);
            Array.Fill(x, T.NaN);
        }

        T[] before = (T[])y.Clone();
        var expected = Reference.Gemv(ta, m, n, alpha, a, lda, x, beta, y);
        gemv(ta, m, n, T.CreateChecked(alpha), a, lda, x, T.CreateChecked(beta), y);
        Reference.AssertWithinBound(
            y, before, expected, 1, lengthY, Math.Max(1, y.Length), ta ? m : n,
            $"{typeof(T).Name} ta={ta} m={m} n={n} α={alpha} β={beta} pad={pad}");
    }

    internal static Action<bool, int, int, T, T[], int, T[], T, T[]> Width<T>(VectorWidth width, int threads = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => (ta, m, n, alpha, a, lda, x, beta, y) => ManagedBlas.Gemv(ta, m, n, alpha, a, lda, x, beta, y, threads, width);

    [Theory]
    [MemberData(nameof(TransposesAndWidths))]
    public void AllSizes(bool ta, string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        int seed = 0;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                double alpha = GemmTests.Scalars[seed % 4], beta = GemmTests.Scalars[(seed / 4) % 4];
                Check<double>(ta, m, n, alpha, beta, pad: seed % 3, seed, Width<double>(width));
                Check<float>(ta, m, n, beta == 0 ? 2 : alpha, beta, pad: (seed + 1) % 3, seed, Width<float>(width));
                seed++;
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AlphaBetaCombinations(bool ta)
    {
        int seed = 0;
        foreach (double alpha in GemmTests.Scalars)
        {
            foreach (double beta in GemmTests.Scalars)
            {
                Check<double>(ta, 10, 784, alpha, beta, pad: 1, seed++, Width<double>(VectorWidth.Auto));
                Check<float>(ta, 784, 10, alpha, beta, pad: 0, seed++, Width<float>(VectorWidth.Auto));
                Check<double>(ta, 33, 65, alpha, beta, pad: 2, seed++, Width<double>(VectorWidth.Auto));
            }
        }
    }

    /// <summary>Matrices large enough to be split between threads (from 2¹⁸ elements), with 2 and 3 threads.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParallelSplits(bool ta)
    {
        int seed = 0;
        foreach ((int m, int n) in new[] { (5000, 64), (400, 784), (67, 4001) })
        {
            foreach (int threads in new[] { 2, 3 })
            {
                seed++;
                Check<double>(ta, m, n, 1, seed % 2 == 0 ? 0 : -0.5, pad: 1, seed, Width<double>(VectorWidth.Auto, threads), nanInY: seed % 2 == 0);
                Check<float>(ta, m, n, -0.5, 2, pad: 0, seed, Width<float>(VectorWidth.Auto, threads));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BetaZeroOverwritesNaN(bool ta)
    {
        Check<double>(ta, 17, 784, 1, 0, pad: 1, seed: 1, Width<double>(VectorWidth.Auto), nanInY: true);
        Check<float>(ta, 784, 17, 2, 0, pad: 0, seed: 2, Width<float>(VectorWidth.Auto), nanInY: true);
        Check<double>(ta, 17, 0, 1, 0, pad: 0, seed: 3, Width<double>(VectorWidth.Auto), nanInY: true);
        Check<double>(ta, 0, 17, 1, 0, pad: 0, seed: 3, Width<double>(VectorWidth.Auto), nanInY: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AlphaZeroReadsNeitherANorX(bool ta)
    {
        foreach (double beta in GemmTests.Scalars)
        {
            Check<double>(ta, 17, 33, 0, beta, pad: 1, seed: 5, Width<double>(VectorWidth.Auto), nanInAX: true);
            Check<float>(ta, 64, 10, 0, beta, pad: 0, seed: 6, Width<float>(VectorWidth.Auto), nanInAX: true);
        }
    }
}
