using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// The managed GEMM against a naive double-precision reference, within the error bound of <see cref="Reference"/>,
/// for every transpose combination, edge sizes, α/β combinations, padded leading dimensions (NaN in the padding of A
/// and B, a sentinel in C's that must survive), NaN in C with β = 0 and in A and B with α = 0.
/// </summary>
public class GemmTests
{
    public static readonly int[] Sizes = [0, 1, 2, 3, 7, 17, 31, 33, 64, 65, 100, 129];

    public static readonly double[] Scalars = [0, 1, -0.5, 2];

    public static IEnumerable<object[]> Transposes() =>
        from ta in new[] { false, true }
        from tb in new[] { false, true }
        select new object[] { ta, tb };

    public static IEnumerable<object[]> TransposesAndWidths() =>
        from ta in new[] { false, true }
        from tb in new[] { false, true }
        from width in new[] { "Scalar", "Vector128", "Vector256", "Vector512" }
        select new object[] { ta, tb, width };

    /// <summary>One product: operands with padding, the call, the check.</summary>
    internal static void Check<T>(
        bool ta, bool tb, int m, int n, int k, double alpha, double beta, int pad, int seed,
        Action<bool, bool, int, int, int, T, T[], int, T[], int, T, T[], int> gemm, bool nanInC = false, bool nanInAB = false)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int lda = Math.Max(1, ta ? m : k) + pad, ldb = Math.Max(1, tb ? k : n) + pad, ldc = Math.Max(1, n) + pad;
        T[] a = MatrixData.Matrix<T>(random, ta ? k : m, ta ? m : k, lda, double.NaN, extra: pad);
        T[] b = MatrixData.Matrix<T>(random, tb ? n : k, tb ? k : n, ldb, double.NaN, extra: pad);
        T[] c = MatrixData.Matrix<T>(random, m, n, ldc, MatrixData.Sentinel, extra: pad);
        if (nanInC)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[(i * ldc) + j] = T.NaN;
                }
            }
        }

        if (nanInAB)
        {
            Array.Fill(a, T.NaN);
            Array.Fill(b, T.NaN);
        }

        T[] before = (T[])c.Clone();
        var expected = Reference.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        gemm(ta, tb, m, n, k, T.CreateChecked(alpha), a, lda, b, ldb, T.CreateChecked(beta), c, ldc);
        Reference.AssertWithinBound(
            c, before, expected, m, n, ldc, k,
            $"{typeof(T).Name} ta={ta} tb={tb} m={m} n={n} k={k} α={alpha} β={beta} pad={pad}");
    }

    internal static void Managed<T>(bool ta, bool tb, int m, int n, int k, T alpha, T[] a, int lda, T[] b, int ldb, T beta, T[] c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ManagedBlas.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Every (m, n, k) from <see cref="Sizes"/>, α and β cycling through <see cref="Scalars"/>, padding 0, 1 or 3.</summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void AllSizesDouble(bool ta, bool tb) => AllSizes<double>(ta, tb);

    [Theory]
    [MemberData(nameof(Transposes))]
    public void AllSizesFloat(bool ta, bool tb) => AllSizes<float>(ta, tb);

    private static void AllSizes<T>(bool ta, bool tb)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = 0;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in Sizes)
                {
                    double alpha = Scalars[index % 4], beta = Scalars[(index / 4) % 4];
                    Check<T>(ta, tb, m, n, k, alpha, beta, pad: index % 3 == 2 ? 3 : index % 3, seed: index, Managed);
                    index++;
                }
            }
        }
    }

    /// <summary>Every α, β pair on shapes that reach each algorithm (packed, dot, transposed) and its edges.</summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void AlphaBetaCombinations(bool ta, bool tb)
    {
        (int M, int N, int K)[] shapes = [(33, 65, 17), (100, 10, 31), (10, 100, 31), (3, 129, 7), (129, 3, 64)];
        int seed = 0;
        foreach ((int m, int n, int k) in shapes)
        {
            foreach (double alpha in Scalars)
            {
                foreach (double beta in Scalars)
                {
                    Check<double>(ta, tb, m, n, k, alpha, beta, pad: 2, seed: seed++, Managed);
                    Check<float>(ta, tb, m, n, k, alpha, beta, pad: 0, seed: seed++, Managed);
                }
            }
        }
    }

    /// <summary>The experiments' shape (a 784-feature batch times a 784 × 10 weight matrix), every α and β.</summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void MnistShape(bool ta, bool tb)
    {
        int seed = 100;
        foreach (double alpha in Scalars)
        {
            foreach (double beta in Scalars)
            {
                Check<double>(ta, tb, 257, 10, 784, alpha, beta, pad: 1, seed: seed++, Managed);
                Check<float>(ta, tb, 257, 10, 784, alpha, beta, pad: 0, seed: seed++, Managed);
            }
        }
    }

    /// <summary>Each vector width's kernels (Vector512 and Vector256 run on any x64 with AVX-512/AVX2, in software otherwise).</summary>
    [Theory]
    [MemberData(nameof(TransposesAndWidths))]
    public void EveryVectorWidth(bool ta, bool tb, string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        int[] sizes = [0, 1, 5, 17, 33, 70];
        int seed = 0;
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                foreach (int k in new[] { 1, 9, 40 })
                {
                    seed++;
                    Check<double>(ta, tb, m, n, k, -0.5, seed % 2 == 0 ? 0 : 2, pad: seed % 3, seed, Width<double>(width, 1));
                    Check<float>(ta, tb, m, n, k, 2, seed % 2 == 0 ? 1 : 0, pad: seed % 2, seed, Width<float>(width, 1));
                }
            }
        }
    }

    /// <summary>
    /// Products large enough to be split between threads, with 2 and 3 threads: shared slices of B with row blocks
    /// (one slice, and three slices along k), blocks of columns, dot blocks, the transposed product's blocks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void ParallelSplits(bool ta, bool tb)
    {
        (int M, int N, int K)[] shapes = [(1300, 40, 160), (1100, 40, 600), (200, 300, 150), (3000, 10, 300), (300, 10, 3000), (9, 2000, 500)];
        int seed = 0;
        foreach ((int m, int n, int k) in shapes)
        {
            foreach (int threads in new[] { 2, 3 })
            {
                seed++;
                Check<double>(ta, tb, m, n, k, 1, seed % 2 == 0 ? 0 : -0.5, pad: 1, seed, Width<double>(VectorWidth.Auto, threads));
                Check<float>(ta, tb, m, n, k, -0.5, 1, pad: 0, seed, Width<float>(VectorWidth.Auto, threads));
            }
        }
    }

    /// <summary>Shared slices of B across several column blocks and k slices (double: NC = 512 columns, KC = 256).</summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void ParallelSlicesOfB(bool ta, bool tb)
        => Check<double>(ta, tb, 500, 1100, 300, -0.5, 2, pad: 1, seed: 11, Width<double>(VectorWidth.Auto, 2));

    /// <summary>The result does not depend on the number of threads: each element is computed the same way.</summary>
    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        var random = new Random(5);
        const int m = 1500, n = 200, k = 300;
        double[] a = MatrixData.Matrix<double>(random, m, k, k, 0);
        double[] b = MatrixData.Matrix<double>(random, k, n, n, 0);
        double[] one = new double[m * n], two = new double[m * n];
        ManagedBlas.Gemm(false, false, m, n, k, 1.0, a, k, b, n, 0.0, one, n, maxThreads: 1, VectorWidth.Auto);
        ManagedBlas.Gemm(false, false, m, n, k, 1.0, a, k, b, n, 0.0, two, n, maxThreads: 4, VectorWidth.Auto);
        Assert.Equal(one, two);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void BetaZeroOverwritesNaN(bool ta, bool tb)
    {
        foreach ((int m, int n, int k) in new[] { (17, 33, 9), (257, 10, 784), (5, 70, 3), (40, 40, 0) })
        {
            Check<double>(ta, tb, m, n, k, 2, 0, pad: 1, seed: m + n, Managed, nanInC: true);
            Check<float>(ta, tb, m, n, k, 1, 0, pad: 0, seed: m + n, Managed, nanInC: true);
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void AlphaZeroReadsNeitherANorB(bool ta, bool tb)
    {
        foreach (double beta in Scalars)
        {
            Check<double>(ta, tb, 17, 33, 9, 0, beta, pad: 1, seed: 3, Managed, nanInAB: true);
            Check<float>(ta, tb, 64, 10, 65, 0, beta, pad: 0, seed: 4, Managed, nanInAB: true);
        }
    }

    /// <summary>Once the pooled buffers exist, a product on one thread allocates nothing.</summary>
    [Fact]
    public void SerialProductsDoNotAllocate()
    {
        var random = new Random(9);
        double[] a = MatrixData.Matrix<double>(random, 64, 64, 64, 0);
        double[] b = MatrixData.Matrix<double>(random, 64, 64, 64, 0);
        double[] c = new double[64 * 64];
        void Run()
        {
            ManagedBlas.Gemm(false, false, 64, 64, 64, 1.0, a, 64, b, 64, 0.5, c, 64, maxThreads: 1, VectorWidth.Auto);
            ManagedBlas.Gemm(true, true, 64, 10, 64, 1.0, a, 64, b, 64, 0.5, c, 10, maxThreads: 1, VectorWidth.Auto);
            ManagedBlas.Gemm(false, true, 64, 10, 64, 1.0, a, 64, b, 64, 0.5, c, 10, maxThreads: 1, VectorWidth.Auto);
            ManagedBlas.Gemv(true, 64, 64, 1.0, a, 64, b, 0.0, c, maxThreads: 1, VectorWidth.Auto);
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static Action<bool, bool, int, int, int, T, T[], int, T[], int, T, T[], int> Width<T>(VectorWidth width, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
            ManagedBlas.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, width);
}
