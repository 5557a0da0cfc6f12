using System;
using System.Numerics;
using System.Threading;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// The managed implementation behind <see cref="Blas"/> when OpenBLAS is absent (or
/// <c>AUTOHYPERGRAD_BLAS=managed</c>), callable directly whatever <see cref="Blas.Provider"/> is. Same arguments,
/// checks and results (within rounding) as <see cref="Blas"/>.
/// </summary>
/// <remarks>
/// GEMM packs A and B into cache-sized panels (GotoBLAS/BLIS) and multiplies them with a register-blocked
/// micro-kernel of fused multiply-adds on the widest hardware-accelerated vectors (Vector512, else Vector256, else
/// Vector128, else scalar); products with few columns (or rows), such as a 784 × 10 weight matrix, use kernels that
/// waste no vector lane on the short dimension and do not copy the large operand. Products of more than about
/// 10⁷ flops (GEMVs of more than 2¹⁸ elements) are split into blocks run in parallel, on up to
/// <see cref="MaxDegreeOfParallelism"/> threads. Nothing is allocated per call except packing buffers rented from
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> (and, for a parallel call, the task machinery's objects).
/// </remarks>
public static class ManagedBlas
{
    private static int maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>The most threads one call uses (default: <see cref="Environment.ProcessorCount"/>; 1 = the calling thread only).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref maxDegreeOfParallelism);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref maxDegreeOfParallelism, value);
        }
    }

    /// <summary>A one-line description of the kernels this machine runs, e.g. "Vector512, 12×16 (double) / 12×32 (float) tiles".</summary>
    public static string Describe() => $"managed ({ManagedGemm.Describe()}, up to {MaxDegreeOfParallelism} threads)";

    /// <inheritdoc cref="Blas.Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>
    public static void Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, MaxDegreeOfParallelism, VectorWidth.Auto);

    /// <summary><see cref="Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/> on at most <paramref name="maxThreads"/> threads with the given vector width (tests).</summary>
    internal static unsafe void Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, int maxThreads, VectorWidth width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        BlasArguments.CheckType<T>("ManagedBlas.Gemm");
        BlasArguments.Gemm(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (T* pa = a, pb = b, pc = c)
        {
            ManagedGemm.Gemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, maxThreads, width);
        }
    }

    /// <inheritdoc cref="Blas.Gemv{T}(bool, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, T, Span{T})"/>
    public static void Gemv<T>(
        bool transposeA, int m, int n, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Gemv(transposeA, m, n, alpha, a, lda, x, beta, y, MaxDegreeOfParallelism, VectorWidth.Auto);

    /// <summary><see cref="Gemv{T}(bool, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, T, Span{T})"/> on at most <paramref name="maxThreads"/> threads with the given vector width (tests).</summary>
    internal static unsafe void Gemv<T>(
        bool transposeA, int m, int n, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> x, T beta, Span<T> y, int maxThreads, VectorWidth width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        BlasArguments.CheckType<T>("ManagedBlas.Gemv");
        BlasArguments.Gemv(transposeA, m, n, a.Length, lda, x.Length, y.Length);
        fixed (T* pa = a, px = x, py = y)
        {
            ManagedGemv.Gemv(transposeA, m, n, alpha, pa, lda, px, beta, py, maxThreads, width);
        }
    }
}
