using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// The managed GEMV after validation. Memory-bound: it streams A once, in storage order; a large A (from 2¹⁸
/// elements) is split into blocks of rows that threads take in turn, since two cores draw more bandwidth than one.
/// </summary>
internal static unsafe class ManagedGemv
{
    /// <summary>Matrices of fewer elements run on the calling thread alone (2 MB of doubles: about 0.1 ms).</summary>
    private const long ParallelElements = 1 << 18;

    public static void Gemv<T>(
        bool transposeA, int m, int n, T alpha, T* a, int lda, T* x, T beta, T* y, int maxThreads, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lengthY = transposeA ? n : m;
        int inner = transposeA ? m : n;
        if (lengthY == 0)
        {
            return;
        }

        if (alpha == T.Zero || inner == 0)
        {
            // A and x are not read: y ← beta·y.
            TileWriter.Scale(1, lengthY, beta, y, 0, 1);
            return;
        }

        switch (width == VectorWidth.Auto ? VectorWidths.Best : width)
        {
            case VectorWidth.Vector512:
                Run<T, Vector512<T>, Ops512<T>>(transposeA, m, n, alpha, a, lda, x, beta, y, maxThreads);
                break;
            case VectorWidth.Vector256:
                Run<T, Vector256<T>, Ops256<T>>(transposeA, m, n, alpha, a, lda, x, beta, y, maxThreads);
                break;
            case VectorWidth.Vector128:
                Run<T, Vector128<T>, Ops128<T>>(transposeA, m, n, alpha, a, lda, x, beta, y, maxThreads);
                break;
            default:
                Run<T, T, OpsScalar<T>>(transposeA, m, n, alpha, a, lda, x, beta, y, maxThreads);
                break;
        }
    }

    private static void Run<T, TVec, TOps>(bool transposeA, int m, int n, T alpha, T* a, int lda, T* x, T beta, T* y, int maxThreads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        if (transposeA)
        {
            TileWriter.Scale(1, n, beta, y, 0, 1);
        }

        // Blocks of rows of A (whether or not it is transposed, so that each block reads whole rows, in storage
        // order): about four per thread, of at least 64 rows, so that a thread slowed by another process leaves its
        // share to the others.
        int blocks = maxThreads <= 1 || (long)m * n < ParallelElements ? 1 : Math.Min(4 * maxThreads, m / 64);
        if (blocks <= 1)
        {
            if (transposeA)
            {
                GemvKernels<T, TVec, TOps>.Transposed(m, n, alpha, a, lda, x, y);
            }
            else
            {
                GemvKernels<T, TVec, TOps>.NotTransposed(m, n, alpha, a, lda, x, beta, y);
            }

            return;
        }

        int step = (m + blocks - 1) / blocks;
        blocks = (m + step - 1) / step;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        if (!transposeA)
        {
            Parallel.For(0, blocks, options, new GemvRows<T, TVec, TOps>(step, m, n, alpha, a, lda, x, beta, y, null).Run);
            return;
        }

        // Transposed, each block of rows adds into all of y: it accumulates into a partial y of its own, and the
        // partials are then added into y in block order (the result does not depend on the threads' timing).
        int stride = (n + 15) / 16 * 16;
        T[] partialArray = ArrayPool<T>.Shared.Rent(blocks * stride);
        try
        {
            fixed (T* partials = partialArray)
            {
                Parallel.For(0, blocks, options, new GemvRows<T, TVec, TOps>(step, m, n, alpha, a, lda, x, beta, y, partials).Run);
                var sum = new Span<T>(y, n);
                for (int b = 0; b < blocks; b++)
                {
                    TensorPrimitives.Add(sum, new ReadOnlySpan<T>(partials + ((nint)b * stride), n), sum);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partialArray);
        }
    }
}

/// <summary>
/// Rows [index·step, (index + 1)·step) of a GEMV: y's elements for those rows, or (transposed, with
/// <paramref name="partials"/>) their contribution to all of y, into partial y number index.
/// </summary>
internal sealed unsafe class GemvRows<T, TVec, TOps>(int step, int m, int n, T alpha, T* a, int lda, T* x, T beta, T* y, T* partials)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TVec : struct
    where TOps : struct, IVectorOps<T, TVec, TOps>
{
    public void Run(int index)
    {
        int start = index * step;
        int count = Math.Min(step, m - start);
        T* rows = a + ((nint)start * lda);
        if (partials is null)
        {
            GemvKernels<T, TVec, TOps>.NotTransposed(count, n, alpha, rows, lda, x, beta, y + start);
            return;
        }

        T* partial = partials + ((nint)index * ((n + 15) / 16 * 16));
        new Span<T>(partial, n).Clear();
        GemvKernels<T, TVec, TOps>.Transposed(count, n, alpha, rows, lda, x + start, partial);
    }
}

/// <summary>GEMV kernels for one vector width.</summary>
internal static unsafe class GemvKernels<T, TVec, TOps>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TVec : struct
    where TOps : struct, IVectorOps<T, TVec, TOps>
{
    /// <summary>
    /// y[i] ← alpha·(A[i, ·]·x) + beta·y[i]: four rows at a time, each a dot product with two vector accumulators
    /// (eight independent chains cover the fused multiply-add latency).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NotTransposed(int m, int n, T alpha, T* a, int lda, T* x, T beta, T* y)
    {
        int w = TOps.Count;
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            T* a0 = a + ((nint)i * lda);
            T* a1 = a0 + lda;
            T* a2 = a1 + lda;
            T* a3 = a2 + lda;
            TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
            TVec t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
            int j = 0;
            for (; j <= n - (2 * w); j += 2 * w)
            {
                TVec x0 = TOps.Load(x + j);
                TVec x1 = TOps.Load(x + j + w);
                s0 = TOps.MultiplyAdd(TOps.Load(a0 + j), x0, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(a1 + j), x0, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(a2 + j), x0, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(a3 + j), x0, s3);
                t0 = TOps.MultiplyAdd(TOps.Load(a0 + j + w), x1, t0);
                t1 = TOps.MultiplyAdd(TOps.Load(a1 + j + w), x1, t1);
                t2 = TOps.MultiplyAdd(TOps.Load(a2 + j + w), x1, t2);
                t3 = TOps.MultiplyAdd(TOps.Load(a3 + j + w), x1, t3);
            }

            if (j <= n - w)
            {
                TVec x0 = TOps.Load(x + j);
                s0 = TOps.MultiplyAdd(TOps.Load(a0 + j), x0, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(a1 + j), x0, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(a2 + j), x0, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(a3 + j), x0, s3);
                j += w;
            }

            T r0 = TOps.Sum(TOps.Add(s0, t0)), r1 = TOps.Sum(TOps.Add(s1, t1));
            T r2 = TOps.Sum(TOps.Add(s2, t2)), r3 = TOps.Sum(TOps.Add(s3, t3));
            for (; j < n; j++)
            {
                T xj = x[j];
                r0 += a0[j] * xj;
                r1 += a1[j] * xj;
                r2 += a2[j] * xj;
                r3 += a3[j] * xj;
            }

            Write(y + i, r0, alpha, beta);
            Write(y + i + 1, r1, alpha, beta);
            Write(y + i + 2, r2, alpha, beta);
            Write(y + i + 3, r3, alpha, beta);
        }

        for (; i < m; i++)
        {
            T* a0 = a + ((nint)i * lda);
            TVec s0 = TOps.Zero, t0 = TOps.Zero;
            int j = 0;
            for (; j <= n - (2 * w); j += 2 * w)
            {
                s0 = TOps.MultiplyAdd(TOps.Load(a0 + j), TOps.Load(x + j), s0);
                t0 = TOps.MultiplyAdd(TOps.Load(a0 + j + w), TOps.Load(x + j + w), t0);
            }

            if (j <= n - w)
            {
                s0 = TOps.MultiplyAdd(TOps.Load(a0 + j), TOps.Load(x + j), s0);
                j += w;
            }

            T r0 = TOps.Sum(TOps.Add(s0, t0));
            for (; j < n; j++)
            {
                r0 += a0[j] * x[j];
            }

            Write(y + i, r0, alpha, beta);
        }
    }

    /// <summary>
    /// y ← y + alpha·Aᵀx, y already scaled by beta: four rows of A at a time, each scaled by alpha·x[i] and added into
    /// y, so A is read row by row, in storage order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transposed(int m, int n, T alpha, T* a, int lda, T* x, T* y)
    {
        int w = TOps.Count;
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            T* a0 = a + ((nint)i * lda);
            T* a1 = a0 + lda;
            T* a2 = a1 + lda;
            T* a3 = a2 + lda;
            T f0 = alpha * x[i], f1 = alpha * x[i + 1], f2 = alpha * x[i + 2], f3 = alpha * x[i + 3];
            TVec v0 = TOps.Broadcast(f0), v1 = TOps.Broadcast(f1), v2 = TOps.Broadcast(f2), v3 = TOps.Broadcast(f3);
            int j = 0;
            for (; j <= n - w; j += w)
            {
                TVec acc = TOps.Load(y + j);
                acc = TOps.MultiplyAdd(TOps.Load(a0 + j), v0, acc);
                acc = TOps.MultiplyAdd(TOps.Load(a1 + j), v1, acc);
                acc = TOps.MultiplyAdd(TOps.Load(a2 + j), v2, acc);
                acc = TOps.MultiplyAdd(TOps.Load(a3 + j), v3, acc);
                TOps.Store(y + j, acc);
            }

            for (; j < n; j++)
            {
                y[j] += (a0[j] * f0) + (a1[j] * f1) + (a2[j] * f2) + (a3[j] * f3);
            }
        }

        for (; i < m; i++)
        {
            T* a0 = a + ((nint)i * lda);
            T f0 = alpha * x[i];
            TVec v0 = TOps.Broadcast(f0);
            int j = 0;
            for (; j <= n - w; j += w)
            {
                TOps.Store(y + j, TOps.MultiplyAdd(TOps.Load(a0 + j), v0, TOps.Load(y + j)));
            }

            for (; j < n; j++)
            {
                y[j] += a0[j] * f0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(T* y, T sum, T alpha, T beta) => *y = beta == T.Zero ? alpha * sum : (alpha * sum) + (beta * *y);
}
