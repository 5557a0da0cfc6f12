using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoHypergrad.LinearAlgebra;

// The register-blocked kernels are long and regular, so they were written out by a short script; the file is
// ordinary source, edited as any other. Every accumulator is a named local so that the JIT keeps it in a register.

/// <summary>
/// GEMM micro-kernels. <c>KernelMRxNV</c>: an MR × NR tile of C (NR = NV vectors along the columns) is kept in
/// registers while a packed MR-row panel of A (p-major: MR values per p) and NV vectors of B per p are multiplied
/// and added, one rank-1 update per p (each A value is broadcast and multiplied into B's row with fused
/// multiply-adds). <c>DotRxJ</c>: R rows of A times J rows of Bᵀ, vectorized along k, for products with few
/// columns.
/// </summary>
internal static unsafe class MicroKernels
{
    /// <summary>
    /// C[0..mr, 0..nr) ← alpha·(A·B) + beta·C for a 12-row packed panel <paramref name="a"/> (kc × 12, p-major) and
    /// <paramref name="b"/>: kc rows of 2 vectors, row p at b + p·<paramref name="bRowStride"/>. The whole tile is
    /// computed (the panels are zero-padded or the rows exist); only mr × nr elements of C are written. beta = 0
    /// overwrites C without reading it. A tile that is full and has unit column stride is written with vector
    /// loads and stores; any other goes through <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel12x2<T, TVec, TOps>(
        int kc, T* a, T* b, nint bRowStride, T* c, nint rowStrideC, nint colStrideC, int mr, int nr, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        TVec c0_0 = TOps.Zero;
        TVec c0_1 = TOps.Zero;
        TVec c1_0 = TOps.Zero;
        TVec c1_1 = TOps.Zero;
        TVec c2_0 = TOps.Zero;
        TVec c2_1 = TOps.Zero;
        TVec c3_0 = TOps.Zero;
        TVec c3_1 = TOps.Zero;
        TVec c4_0 = TOps.Zero;
        TVec c4_1 = TOps.Zero;
        TVec c5_0 = TOps.Zero;
        TVec c5_1 = TOps.Zero;
        TVec c6_0 = TOps.Zero;
        TVec c6_1 = TOps.Zero;
        TVec c7_0 = TOps.Zero;
        TVec c7_1 = TOps.Zero;
        TVec c8_0 = TOps.Zero;
        TVec c8_1 = TOps.Zero;
        TVec c9_0 = TOps.Zero;
        TVec c9_1 = TOps.Zero;
        TVec c10_0 = TOps.Zero;
        TVec c10_1 = TOps.Zero;
        TVec c11_0 = TOps.Zero;
        TVec c11_1 = TOps.Zero;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(bp);
            TVec b1 = TOps.Load(bp + TOps.Count);
            TVec a0 = TOps.Broadcast(ap[0]);
            c0_0 = TOps.MultiplyAdd(a0, b0, c0_0);
            c0_1 = TOps.MultiplyAdd(a0, b1, c0_1);
            TVec a1 = TOps.Broadcast(ap[1]);
            c1_0 = TOps.MultiplyAdd(a1, b0, c1_0);
            c1_1 = TOps.MultiplyAdd(a1, b1, c1_1);
            TVec a2 = TOps.Broadcast(ap[2]);
            c2_0 = TOps.MultiplyAdd(a2, b0, c2_0);
            c2_1 = TOps.MultiplyAdd(a2, b1, c2_1);
            TVec a3 = TOps.Broadcast(ap[3]);
            c3_0 = TOps.MultiplyAdd(a3, b0, c3_0);
            c3_1 = TOps.MultiplyAdd(a3, b1, c3_1);
            TVec a4 = TOps.Broadcast(ap[4]);
            c4_0 = TOps.MultiplyAdd(a4, b0, c4_0);
            c4_1 = TOps.MultiplyAdd(a4, b1, c4_1);
            TVec a5 = TOps.Broadcast(ap[5]);
            c5_0 = TOps.MultiplyAdd(a5, b0, c5_0);
            c5_1 = TOps.MultiplyAdd(a5, b1, c5_1);
            TVec a6 = TOps.Broadcast(ap[6]);
            c6_0 = TOps.MultiplyAdd(a6, b0, c6_0);
            c6_1 = TOps.MultiplyAdd(a6, b1, c6_1);
            TVec a7 = TOps.Broadcast(ap[7]);
            c7_0 = TOps.MultiplyAdd(a7, b0, c7_0);
            c7_1 = TOps.MultiplyAdd(a7, b1, c7_1);
            TVec a8 = TOps.Broadcast(ap[8]);
            c8_0 = TOps.MultiplyAdd(a8, b0, c8_0);
            c8_1 = TOps.MultiplyAdd(a8, b1, c8_1);
            TVec a9 = TOps.Broadcast(ap[9]);
            c9_0 = TOps.MultiplyAdd(a9, b0, c9_0);
            c9_1 = TOps.MultiplyAdd(a9, b1, c9_1);
            TVec a10 = TOps.Broadcast(ap[10]);
            c10_0 = TOps.MultiplyAdd(a10, b0, c10_0);
            c10_1 = TOps.MultiplyAdd(a10, b1, c10_1);
            TVec a11 = TOps.Broadcast(ap[11]);
            c11_0 = TOps.MultiplyAdd(a11, b0, c11_0);
            c11_1 = TOps.MultiplyAdd(a11, b1, c11_1);
            ap += 12;
            bp += bRowStride;
        }

        if (mr == 12 && nr == 2 * TOps.Count && colStrideC == 1)
        {
            TVec va = TOps.Broadcast(alpha);
            if (beta == T.Zero)
            {
                TOps.Store(c + (0 * rowStrideC), TOps.Multiply(va, c0_0));
                TOps.Store(c + (0 * rowStrideC) + TOps.Count, TOps.Multiply(va, c0_1));
                TOps.Store(c + (1 * rowStrideC), TOps.Multiply(va, c1_0));
                TOps.Store(c + (1 * rowStrideC) + TOps.Count, TOps.Multiply(va, c1_1));
                TOps.Store(c + (2 * rowStrideC), TOps.Multiply(va, c2_0));
                TOps.Store(c + (2 * rowStrideC) + TOps.Count, TOps.Multiply(va, c2_1));
                TOps.Store(c + (3 * rowStrideC), TOps.Multiply(va, c3_0));
                TOps.Store(c + (3 * rowStrideC) + TOps.Count, TOps.Multiply(va, c3_1));
                TOps.Store(c + (4 * rowStrideC), TOps.Multiply(va, c4_0));
                TOps.Store(c + (4 * rowStrideC) + TOps.Count, TOps.Multiply(va, c4_1));
                TOps.Store(c + (5 * rowStrideC), TOps.Multiply(va, c5_0));
                TOps.Store(c + (5 * rowStrideC) + TOps.Count, TOps.Multiply(va, c5_1));
                TOps.Store(c + (6 * rowStrideC), TOps.Multiply(va, c6_0));
                TOps.Store(c + (6 * rowStrideC) + TOps.Count, TOps.Multiply(va, c6_1));
                TOps.Store(c + (7 * rowStrideC), TOps.Multiply(va, c7_0));
                TOps.Store(c + (7 * rowStrideC) + TOps.Count, TOps.Multiply(va, c7_1));
                TOps.Store(c + (8 * rowStrideC), TOps.Multiply(va, c8_0));
                TOps.Store(c + (8 * rowStrideC) + TOps.Count, TOps.Multiply(va, c8_1));
                TOps.Store(c + (9 * rowStrideC), TOps.Multiply(va, c9_0));
                TOps.Store(c + (9 * rowStrideC) + TOps.Count, TOps.Multiply(va, c9_1));
                TOps.Store(c + (10 * rowStrideC), TOps.Multiply(va, c10_0));
                TOps.Store(c + (10 * rowStrideC) + TOps.Count, TOps.Multiply(va, c10_1));
                TOps.Store(c + (11 * rowStrideC), TOps.Multiply(va, c11_0));
                TOps.Store(c + (11 * rowStrideC) + TOps.Count, TOps.Multiply(va, c11_1));
            }
            else
            {
                TVec vb = TOps.Broadcast(beta);
                T* c00 = c + (0 * rowStrideC);
                TOps.Store(c00, TOps.MultiplyAdd(va, c0_0, TOps.Multiply(vb, TOps.Load(c00))));
                T* c01 = c + (0 * rowStrideC) + TOps.Count;
                TOps.Store(c01, TOps.MultiplyAdd(va, c0_1, TOps.Multiply(vb, TOps.Load(c01))));
                T* c10 = c + (1 * rowStrideC);
                TOps.Store(c10, TOps.MultiplyAdd(va, c1_0, TOps.Multiply(vb, TOps.Load(c10))));
                T* c11 = c + (1 * rowStrideC) + TOps.Count;
                TOps.Store(c11, TOps.MultiplyAdd(va, c1_1, TOps.Multiply(vb, TOps.Load(c11))));
                T* c20 = c + (2 * rowStrideC);
                TOps.Store(c20, TOps.MultiplyAdd(va, c2_0, TOps.Multiply(vb, TOps.Load(c20))));
                T* c21 = c + (2 * rowStrideC) + TOps.Count;
                TOps.Store(c21, TOps.MultiplyAdd(va, c2_1, TOps.Multiply(vb, TOps.Load(c21))));
                T* c30 = c + (3 * rowStrideC);
                TOps.Store(c30, TOps.MultiplyAdd(va, c3_0, TOps.Multiply(vb, TOps.Load(c30))));
                T* c31 = c + (3 * rowStrideC) + TOps.Count;
                TOps.Store(c31, TOps.MultiplyAdd(va, c3_1, TOps.Multiply(vb, TOps.Load(c31))));
                T* c40 = c + (4 * rowStrideC);
                TOps.Store(c40, TOps.MultiplyAdd(va, c4_0, TOps.Multiply(vb, TOps.Load(c40))));
                T* c41 = c + (4 * rowStrideC) + TOps.Count;
                TOps.Store(c41, TOps.MultiplyAdd(va, c4_1, TOps.Multiply(vb, TOps.Load(c41))));
                T* c50 = c + (5 * rowStrideC);
                TOps.Store(c50, TOps.MultiplyAdd(va, c5_0, TOps.Multiply(vb, TOps.Load(c50))));
                T* c51 = c + (5 * rowStrideC) + TOps.Count;
                TOps.Store(c51, TOps.MultiplyAdd(va, c5_1, TOps.Multiply(vb, TOps.Load(c51))));
                T* c60 = c + (6 * rowStrideC);
                TOps.Store(c60, TOps.MultiplyAdd(va, c6_0, TOps.Multiply(vb, TOps.Load(c60))));
                T* c61 = c + (6 * rowStrideC) + TOps.Count;
                TOps.Store(c61, TOps.MultiplyAdd(va, c6_1, TOps.Multiply(vb, TOps.Load(c61))));
                T* c70 = c + (7 * rowStrideC);
                TOps.Store(c70, TOps.MultiplyAdd(va, c7_0, TOps.Multiply(vb, TOps.Load(c70))));
                T* c71 = c + (7 * rowStrideC) + TOps.Count;
                TOps.Store(c71, TOps.MultiplyAdd(va, c7_1, TOps.Multiply(vb, TOps.Load(c71))));
                T* c80 = c + (8 * rowStrideC);
                TOps.Store(c80, TOps.MultiplyAdd(va, c8_0, TOps.Multiply(vb, TOps.Load(c80))));
                T* c81 = c + (8 * rowStrideC) + TOps.Count;
                TOps.Store(c81, TOps.MultiplyAdd(va, c8_1, TOps.Multiply(vb, TOps.Load(c81))));
                T* c90 = c + (9 * rowStrideC);
                TOps.Store(c90, TOps.MultiplyAdd(va, c9_0, TOps.Multiply(vb, TOps.Load(c90))));
                T* c91 = c + (9 * rowStrideC) + TOps.Count;
                TOps.Store(c91, TOps.MultiplyAdd(va, c9_1, TOps.Multiply(vb, TOps.Load(c91))));
                T* c100 = c + (10 * rowStrideC);
                TOps.Store(c100, TOps.MultiplyAdd(va, c10_0, TOps.Multiply(vb, TOps.Load(c100))));
                T* c101 = c + (10 * rowStrideC) + TOps.Count;
                TOps.Store(c101, TOps.MultiplyAdd(va, c10_1, TOps.Multiply(vb, TOps.Load(c101))));
                T* c110 = c + (11 * rowStrideC);
                TOps.Store(c110, TOps.MultiplyAdd(va, c11_0, TOps.Multiply(vb, TOps.Load(c110))));
                T* c111 = c + (11 * rowStrideC) + TOps.Count;
                TOps.Store(c111, TOps.MultiplyAdd(va, c11_1, TOps.Multiply(vb, TOps.Load(c111))));
            }

            return;
        }

        int ns = 2 * TOps.Count;
        TOps.Store(scratch + (0 * ns), c0_0);
        TOps.Store(scratch + (0 * ns) + TOps.Count, c0_1);
        TOps.Store(scratch + (1 * ns), c1_0);
        TOps.Store(scratch + (1 * ns) + TOps.Count, c1_1);
        TOps.Store(scratch + (2 * ns), c2_0);
        TOps.Store(scratch + (2 * ns) + TOps.Count, c2_1);
        TOps.Store(scratch + (3 * ns), c3_0);
        TOps.Store(scratch + (3 * ns) + TOps.Count, c3_1);
        TOps.Store(scratch + (4 * ns), c4_0);
        TOps.Store(scratch + (4 * ns) + TOps.Count, c4_1);
        TOps.Store(scratch + (5 * ns), c5_0);
        TOps.Store(scratch + (5 * ns) + TOps.Count, c5_1);
        TOps.Store(scratch + (6 * ns), c6_0);
        TOps.Store(scratch + (6 * ns) + TOps.Count, c6_1);
        TOps.Store(scratch + (7 * ns), c7_0);
        TOps.Store(scratch + (7 * ns) + TOps.Count, c7_1);
        TOps.Store(scratch + (8 * ns), c8_0);
        TOps.Store(scratch + (8 * ns) + TOps.Count, c8_1);
        TOps.Store(scratch + (9 * ns), c9_0);
        TOps.Store(scratch + (9 * ns) + TOps.Count, c9_1);
        TOps.Store(scratch + (10 * ns), c10_0);
        TOps.Store(scratch + (10 * ns) + TOps.Count, c10_1);
        TOps.Store(scratch + (11 * ns), c11_0);
        TOps.Store(scratch + (11 * ns) + TOps.Count, c11_1);
        TileWriter.Write(scratch, ns, c, rowStrideC, colStrideC, mr, nr, alpha, beta);
    }

    /// <summary>
    /// C[0..mr, 0..nr) ← alpha·(A·B) + beta·C for a 6-row packed panel <paramref name="a"/> (kc × 6, p-major) and
    /// <paramref name="b"/>: kc rows of 2 vectors, row p at b + p·<paramref name="bRowStride"/>. The whole tile is
    /// computed (the panels are zero-padded or the rows exist); only mr × nr elements of C are written. beta = 0
    /// overwrites C without reading it. A tile that is full and has unit column stride is written with vector
    /// loads and stores; any other goes through <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x2<T, TVec, TOps>(
        int kc, T* a, T* b, nint bRowStride, T* c, nint rowStrideC, nint colStrideC, int mr, int nr, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        TVec c0_0 = TOps.Zero;
        TVec c0_1 = TOps.Zero;
        TVec c1_0 = TOps.Zero;
        TVec c1_1 = TOps.Zero;
        TVec c2_0 = TOps.Zero;
        TVec c2_1 = TOps.Zero;
        TVec c3_0 = TOps.Zero;
        TVec c3_1 = TOps.Zero;
        TVec c4_0 = TOps.Zero;
        TVec c4_1 = TOps.Zero;
        TVec c5_0 = TOps.Zero;
        TVec c5_1 = TOps.Zero;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(bp);
            TVec b1 = TOps.Load(bp + TOps.Count);
            TVec a0 = TOps.Broadcast(ap[0]);
            c0_0 = TOps.MultiplyAdd(a0, b0, c0_0);
            c0_1 = TOps.MultiplyAdd(a0, b1, c0_1);
            TVec a1 = TOps.Broadcast(ap[1]);
            c1_0 = TOps.MultiplyAdd(a1, b0, c1_0);
            c1_1 = TOps.MultiplyAdd(a1, b1, c1_1);
            TVec a2 = TOps.Broadcast(ap[2]);
            c2_0 = TOps.MultiplyAdd(a2, b0, c2_0);
            c2_1 = TOps.MultiplyAdd(a2, b1, c2_1);
            TVec a3 = TOps.Broadcast(ap[3]);
            c3_0 = TOps.MultiplyAdd(a3, b0, c3_0);
            c3_1 = TOps.MultiplyAdd(a3, b1, c3_1);
            TVec a4 = TOps.Broadcast(ap[4]);
            c4_0 = TOps.MultiplyAdd(a4, b0, c4_0);
            c4_1 = TOps.MultiplyAdd(a4, b1, c4_1);
            TVec a5 = TOps.Broadcast(ap[5]);
            c5_0 = TOps.MultiplyAdd(a5, b0, c5_0);
            c5_1 = TOps.MultiplyAdd(a5, b1, c5_1);
            ap += 6;
            bp += bRowStride;
        }

        if (mr == 6 && nr == 2 * TOps.Count && colStrideC == 1)
        {
            TVec va = TOps.Broadcast(alpha);
            if (beta == T.Zero)
            {
                TOps.Store(c + (0 * rowStrideC), TOps.Multiply(va, c0_0));
                TOps.Store(c + (0 * rowStrideC) + TOps.Count, TOps.Multiply(va, c0_1));
                TOps.Store(c + (1 * rowStrideC), TOps.Multiply(va, c1_0));
                TOps.Store(c + (1 * rowStrideC) + TOps.Count, TOps.Multiply(va, c1_1));
                TOps.Store(c + (2 * rowStrideC), TOps.Multiply(va, c2_0));
                TOps.Store(c + (2 * rowStrideC) + TOps.Count, TOps.Multiply(va, c2_1));
                TOps.Store(c + (3 * rowStrideC), TOps.Multiply(va, c3_0));
                TOps.Store(c + (3 * rowStrideC) + TOps.Count, TOps.Multiply(va, c3_1));
                TOps.Store(c + (4 * rowStrideC), TOps.Multiply(va, c4_0));
                TOps.Store(c + (4 * rowStrideC) + TOps.Count, TOps.Multiply(va, c4_1));
                TOps.Store(c + (5 * rowStrideC), TOps.Multiply(va, c5_0));
                TOps.Store(c + (5 * rowStrideC) + TOps.Count, TOps.Multiply(va, c5_1));
            }
            else
            {
                TVec vb = TOps.Broadcast(beta);
                T* c00 = c + (0 * rowStrideC);
                TOps.Store(c00, TOps.MultiplyAdd(va, c0_0, TOps.Multiply(vb, TOps.Load(c00))));
                T* c01 = c + (0 * rowStrideC) + TOps.Count;
                TOps.Store(c01, TOps.MultiplyAdd(va, c0_1, TOps.Multiply(vb, TOps.Load(c01))));
                T* c10 = c + (1 * rowStrideC);
                TOps.Store(c10, TOps.MultiplyAdd(va, c1_0, TOps.Multiply(vb, TOps.Load(c10))));
                T* c11 = c + (1 * rowStrideC) + TOps.Count;
                TOps.Store(c11, TOps.MultiplyAdd(va, c1_1, TOps.Multiply(vb, TOps.Load(c11))));
                T* c20 = c + (2 * rowStrideC);
                TOps.Store(c20, TOps.MultiplyAdd(va, c2_0, TOps.Multiply(vb, TOps.Load(c20))));
                T* c21 = c + (2 * rowStrideC) + TOps.Count;
                TOps.Store(c21, TOps.MultiplyAdd(va, c2_1, TOps.Multiply(vb, TOps.Load(c21))));
                T* c30 = c + (3 * rowStrideC);
                TOps.Store(c30, TOps.MultiplyAdd(va, c3_0, TOps.Multiply(vb, TOps.Load(c30))));
                T* c31 = c + (3 * rowStrideC) + TOps.Count;
                TOps.Store(c31, TOps.MultiplyAdd(va, c3_1, TOps.Multiply(vb, TOps.Load(c31))));
                T* c40 = c + (4 * rowStrideC);
                TOps.Store(c40, TOps.MultiplyAdd(va, c4_0, TOps.Multiply(vb, TOps.Load(c40))));
                T* c41 = c + (4 * rowStrideC) + TOps.Count;
                TOps.Store(c41, TOps.MultiplyAdd(va, c4_1, TOps.Multiply(vb, TOps.Load(c41))));
                T* c50 = c + (5 * rowStrideC);
                TOps.Store(c50, TOps.MultiplyAdd(va, c5_0, TOps.Multiply(vb, TOps.Load(c50))));
                T* c51 = c + (5 * rowStrideC) + TOps.Count;
                TOps.Store(c51, TOps.MultiplyAdd(va, c5_1, TOps.Multiply(vb, TOps.Load(c51))));
            }

            return;
        }

        int ns = 2 * TOps.Count;
        TOps.Store(scratch + (0 * ns), c0_0);
        TOps.Store(scratch + (0 * ns) + TOps.Count, c0_1);
        TOps.Store(scratch + (1 * ns), c1_0);
        TOps.Store(scratch + (1 * ns) + TOps.Count, c1_1);
        TOps.Store(scratch + (2 * ns), c2_0);
        TOps.Store(scratch + (2 * ns) + TOps.Count, c2_1);
        TOps.Store(scratch + (3 * ns), c3_0);
        TOps.Store(scratch + (3 * ns) + TOps.Count, c3_1);
        TOps.Store(scratch + (4 * ns), c4_0);
        TOps.Store(scratch + (4 * ns) + TOps.Count, c4_1);
        TOps.Store(scratch + (5 * ns), c5_0);
        TOps.Store(scratch + (5 * ns) + TOps.Count, c5_1);
        TileWriter.Write(scratch, ns, c, rowStrideC, colStrideC, mr, nr, alpha, beta);
    }

    /// <summary>
    /// sums[r·5 + j] ← Σₚ a_r[p]·bt[j·btStride + p] for 4 rows a_r of A and 5 rows of Bᵀ, each k long, with
    /// vectors along k and a horizontal sum at the end. The first <paramref name="head"/> (&lt; Count) elements
    /// come from one vector whose other lanes are masked off, so that the loads that follow are aligned (when A's
    /// rows and Bᵀ's are equally misaligned); the last k − head mod Count from the vector that ends at k, masked
    /// likewise. Shorter than one vector (k &lt; Count, head = 0): one element at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x5<T, TVec, TOps>(int k, int head, T* a0, T* a1, T* a2, T* a3, T* bt, nint btStride, T* sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        TVec s0_0 = TOps.Zero;
        TVec s0_1 = TOps.Zero;
        TVec s0_2 = TOps.Zero;
        TVec s0_3 = TOps.Zero;
        TVec s0_4 = TOps.Zero;
        TVec s1_0 = TOps.Zero;
        TVec s1_1 = TOps.Zero;
        TVec s1_2 = TOps.Zero;
        TVec s1_3 = TOps.Zero;
        TVec s1_4 = TOps.Zero;
        TVec s2_0 = TOps.Zero;
        TVec s2_1 = TOps.Zero;
        TVec s2_2 = TOps.Zero;
        TVec s2_3 = TOps.Zero;
        TVec s2_4 = TOps.Zero;
        TVec s3_0 = TOps.Zero;
        TVec s3_1 = TOps.Zero;
        TVec s3_2 = TOps.Zero;
        TVec s3_3 = TOps.Zero;
        TVec s3_4 = TOps.Zero;
        T* b0 = bt + (0 * btStride);
        T* b1 = bt + (1 * btStride);
        T* b2 = bt + (2 * btStride);
        T* b3 = bt + (3 * btStride);
        T* b4 = bt + (4 * btStride);
        int p = 0;
        if (k >= TOps.Count)
        {
            if (head > 0)
            {
                TVec mask = TOps.FirstLanes(head);
                TVec x0 = TOps.And(TOps.Load(a0 + 0), mask);
                TVec x1 = TOps.And(TOps.Load(a1 + 0), mask);
                TVec x2 = TOps.And(TOps.Load(a2 + 0), mask);
                TVec x3 = TOps.And(TOps.Load(a3 + 0), mask);
                TVec y0 = TOps.Load(b0 + 0);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                s2_0 = TOps.MultiplyAdd(x2, y0, s2_0);
                s3_0 = TOps.MultiplyAdd(x3, y0, s3_0);
                TVec y1 = TOps.Load(b1 + 0);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                s2_1 = TOps.MultiplyAdd(x2, y1, s2_1);
                s3_1 = TOps.MultiplyAdd(x3, y1, s3_1);
                TVec y2 = TOps.Load(b2 + 0);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                s2_2 = TOps.MultiplyAdd(x2, y2, s2_2);
                s3_2 = TOps.MultiplyAdd(x3, y2, s3_2);
                TVec y3 = TOps.Load(b3 + 0);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                s2_3 = TOps.MultiplyAdd(x2, y3, s2_3);
                s3_3 = TOps.MultiplyAdd(x3, y3, s3_3);
                TVec y4 = TOps.Load(b4 + 0);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
                s2_4 = TOps.MultiplyAdd(x2, y4, s2_4);
                s3_4 = TOps.MultiplyAdd(x3, y4, s3_4);
                p = head;
            }

            for (; p <= k - TOps.Count; p += TOps.Count)
            {
                TVec x0 = TOps.Load(a0 + p);
                TVec x1 = TOps.Load(a1 + p);
                TVec x2 = TOps.Load(a2 + p);
                TVec x3 = TOps.Load(a3 + p);
                TVec y0 = TOps.Load(b0 + p);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                s2_0 = TOps.MultiplyAdd(x2, y0, s2_0);
                s3_0 = TOps.MultiplyAdd(x3, y0, s3_0);
                TVec y1 = TOps.Load(b1 + p);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                s2_1 = TOps.MultiplyAdd(x2, y1, s2_1);
                s3_1 = TOps.MultiplyAdd(x3, y1, s3_1);
                TVec y2 = TOps.Load(b2 + p);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                s2_2 = TOps.MultiplyAdd(x2, y2, s2_2);
                s3_2 = TOps.MultiplyAdd(x3, y2, s3_2);
                TVec y3 = TOps.Load(b3 + p);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                s2_3 = TOps.MultiplyAdd(x2, y3, s2_3);
                s3_3 = TOps.MultiplyAdd(x3, y3, s3_3);
                TVec y4 = TOps.Load(b4 + p);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
                s2_4 = TOps.MultiplyAdd(x2, y4, s2_4);
                s3_4 = TOps.MultiplyAdd(x3, y4, s3_4);
            }

            if (p < k)
            {
                // The vector ending at k, without its first Count − (k − p) lanes (already counted).
                TVec mask = TOps.FirstLanes(TOps.Count - (k - p));
                int q = k - TOps.Count;
                TVec x0 = TOps.AndNot(TOps.Load(a0 + q), mask);
                TVec x1 = TOps.AndNot(TOps.Load(a1 + q), mask);
                TVec x2 = TOps.AndNot(TOps.Load(a2 + q), mask);
                TVec x3 = TOps.AndNot(TOps.Load(a3 + q), mask);
                TVec y0 = TOps.Load(b0 + q);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                s2_0 = TOps.MultiplyAdd(x2, y0, s2_0);
                s3_0 = TOps.MultiplyAdd(x3, y0, s3_0);
                TVec y1 = TOps.Load(b1 + q);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                s2_1 = TOps.MultiplyAdd(x2, y1, s2_1);
                s3_1 = TOps.MultiplyAdd(x3, y1, s3_1);
                TVec y2 = TOps.Load(b2 + q);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                s2_2 = TOps.MultiplyAdd(x2, y2, s2_2);
                s3_2 = TOps.MultiplyAdd(x3, y2, s3_2);
                TVec y3 = TOps.Load(b3 + q);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                s2_3 = TOps.MultiplyAdd(x2, y3, s2_3);
                s3_3 = TOps.MultiplyAdd(x3, y3, s3_3);
                TVec y4 = TOps.Load(b4 + q);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
                s2_4 = TOps.MultiplyAdd(x2, y4, s2_4);
                s3_4 = TOps.MultiplyAdd(x3, y4, s3_4);
                p = k;
            }
        }

        T t0_0 = TOps.Sum(s0_0);
        T t0_1 = TOps.Sum(s0_1);
        T t0_2 = TOps.Sum(s0_2);
        T t0_3 = TOps.Sum(s0_3);
        T t0_4 = TOps.Sum(s0_4);
        T t1_0 = TOps.Sum(s1_0);
        T t1_1 = TOps.Sum(s1_1);
        T t1_2 = TOps.Sum(s1_2);
        T t1_3 = TOps.Sum(s1_3);
        T t1_4 = TOps.Sum(s1_4);
        T t2_0 = TOps.Sum(s2_0);
        T t2_1 = TOps.Sum(s2_1);
        T t2_2 = TOps.Sum(s2_2);
        T t2_3 = TOps.Sum(s2_3);
        T t2_4 = TOps.Sum(s2_4);
        T t3_0 = TOps.Sum(s3_0);
        T t3_1 = TOps.Sum(s3_1);
        T t3_2 = TOps.Sum(s3_2);
        T t3_3 = TOps.Sum(s3_3);
        T t3_4 = TOps.Sum(s3_4);
        for (; p < k; p++)
        {
            T x0 = a0[p];
            T x1 = a1[p];
            T x2 = a2[p];
            T x3 = a3[p];
            T y0 = b0[p];
            t0_0 += x0 * y0;
            t1_0 += x1 * y0;
            t2_0 += x2 * y0;
            t3_0 += x3 * y0;
            T y1 = b1[p];
            t0_1 += x0 * y1;
            t1_1 += x1 * y1;
            t2_1 += x2 * y1;
            t3_1 += x3 * y1;
            T y2 = b2[p];
            t0_2 += x0 * y2;
            t1_2 += x1 * y2;
            t2_2 += x2 * y2;
            t3_2 += x3 * y2;
            T y3 = b3[p];
            t0_3 += x0 * y3;
            t1_3 += x1 * y3;
            t2_3 += x2 * y3;
            t3_3 += x3 * y3;
            T y4 = b4[p];
            t0_4 += x0 * y4;
            t1_4 += x1 * y4;
            t2_4 += x2 * y4;
            t3_4 += x3 * y4;
        }

        sums[0] = t0_0;
        sums[1] = t0_1;
        sums[2] = t0_2;
        sums[3] = t0_3;
        sums[4] = t0_4;
        sums[5] = t1_0;
        sums[6] = t1_1;
        sums[7] = t1_2;
        sums[8] = t1_3;
        sums[9] = t1_4;
        sums[10] = t2_0;
        sums[11] = t2_1;
        sums[12] = t2_2;
        sums[13] = t2_3;
        sums[14] = t2_4;
        sums[15] = t3_0;
        sums[16] = t3_1;
        sums[17] = t3_2;
        sums[18] = t3_3;
        sums[19] = t3_4;
    }

    /// <summary>
    /// <see cref="Dot4x5{T, TVec, TOps}"/> for 2 rows a_r of A: sums[r·5 + j] for r &lt; 2, each sum computed with the
    /// same operations in the same order, so to the same bits. Its 10 accumulators and the loads fit in 16 vector
    /// registers (AVX2), where Dot4x5's 20 accumulators spill to the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot2x5<T, TVec, TOps>(int k, int head, T* a0, T* a1, T* bt, nint btStride, T* sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        TVec s0_0 = TOps.Zero;
        TVec s0_1 = TOps.Zero;
        TVec s0_2 = TOps.Zero;
        TVec s0_3 = TOps.Zero;
        TVec s0_4 = TOps.Zero;
        TVec s1_0 = TOps.Zero;
        TVec s1_1 = TOps.Zero;
        TVec s1_2 = TOps.Zero;
        TVec s1_3 = TOps.Zero;
        TVec s1_4 = TOps.Zero;
        T* b0 = bt + (0 * btStride);
        T* b1 = bt + (1 * btStride);
        T* b2 = bt + (2 * btStride);
        T* b3 = bt + (3 * btStride);
        T* b4 = bt + (4 * btStride);
        int p = 0;
        if (k >= TOps.Count)
        {
            if (head > 0)
            {
                TVec mask = TOps.FirstLanes(head);
                TVec x0 = TOps.And(TOps.Load(a0 + 0), mask);
                TVec x1 = TOps.And(TOps.Load(a1 + 0), mask);
                TVec y0 = TOps.Load(b0 + 0);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + 0);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + 0);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + 0);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                TVec y4 = TOps.Load(b4 + 0);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
                p = head;
            }

            for (; p <= k - TOps.Count; p += TOps.Count)
            {
                TVec x0 = TOps.Load(a0 + p);
                TVec x1 = TOps.Load(a1 + p);
                TVec y0 = TOps.Load(b0 + p);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + p);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + p);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + p);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                TVec y4 = TOps.Load(b4 + p);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
            }

            if (p < k)
            {
                // The vector ending at k, without its first Count − (k − p) lanes (already counted).
                TVec mask = TOps.FirstLanes(TOps.Count - (k - p));
                int q = k - TOps.Count;
                TVec x0 = TOps.AndNot(TOps.Load(a0 + q), mask);
                TVec x1 = TOps.AndNot(TOps.Load(a1 + q), mask);
                TVec y0 = TOps.Load(b0 + q);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + q);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + q);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + q);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                TVec y4 = TOps.Load(b4 + q);
                s0_4 = TOps.MultiplyAdd(x0, y4, s0_4);
                s1_4 = TOps.MultiplyAdd(x1, y4, s1_4);
                p = k;
            }
        }

        T t0_0 = TOps.Sum(s0_0);
        T t0_1 = TOps.Sum(s0_1);
        T t0_2 = TOps.Sum(s0_2);
        T t0_3 = TOps.Sum(s0_3);
        T t0_4 = TOps.Sum(s0_4);
        T t1_0 = TOps.Sum(s1_0);
        T t1_1 = TOps.Sum(s1_1);
        T t1_2 = TOps.Sum(s1_2);
        T t1_3 = TOps.Sum(s1_3);
        T t1_4 = TOps.Sum(s1_4);
        for (; p < k; p++)
        {
            T x0 = a0[p];
            T x1 = a1[p];
            T y0 = b0[p];
            t0_0 += x0 * y0;
            t1_0 += x1 * y0;
            T y1 = b1[p];
            t0_1 += x0 * y1;
            t1_1 += x1 * y1;
            T y2 = b2[p];
            t0_2 += x0 * y2;
            t1_2 += x1 * y2;
            T y3 = b3[p];
            t0_3 += x0 * y3;
            t1_3 += x1 * y3;
            T y4 = b4[p];
            t0_4 += x0 * y4;
            t1_4 += x1 * y4;
        }

        sums[0] = t0_0;
        sums[1] = t0_1;
        sums[2] = t0_2;
        sums[3] = t0_3;
        sums[4] = t0_4;
        sums[5] = t1_0;
        sums[6] = t1_1;
        sums[7] = t1_2;
        sums[8] = t1_3;
        sums[9] = t1_4;
    }

    /// <summary>
    /// sums[r·4 + j] ← Σₚ a_r[p]·bt[j·btStride + p] for 2 rows a_r of A and 4 rows of Bᵀ, each k long, with
    /// vectors along k and a horizontal sum at the end. The first <paramref name="head"/> (&lt; Count) elements
    /// come from one vector whose other lanes are masked off, so that the loads that follow are aligned (when A's
    /// rows and Bᵀ's are equally misaligned); the last k − head mod Count from the vector that ends at k, masked
    /// likewise. Shorter than one vector (k &lt; Count, head = 0): one element at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot2x4<T, TVec, TOps>(int k, int head, T* a0, T* a1, T* bt, nint btStride, T* sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        TVec s0_0 = TOps.Zero;
        TVec s0_1 = TOps.Zero;
        TVec s0_2 = TOps.Zero;
        TVec s0_3 = TOps.Zero;
        TVec s1_0 = TOps.Zero;
        TVec s1_1 = TOps.Zero;
        TVec s1_2 = TOps.Zero;
        TVec s1_3 = TOps.Zero;
        T* b0 = bt + (0 * btStride);
        T* b1 = bt + (1 * btStride);
        T* b2 = bt + (2 * btStride);
        T* b3 = bt + (3 * btStride);
        int p = 0;
        if (k >= TOps.Count)
        {
            if (head > 0)
            {
                TVec mask = TOps.FirstLanes(head);
                TVec x0 = TOps.And(TOps.Load(a0 + 0), mask);
                TVec x1 = TOps.And(TOps.Load(a1 + 0), mask);
                TVec y0 = TOps.Load(b0 + 0);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + 0);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + 0);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + 0);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                p = head;
            }

            for (; p <= k - TOps.Count; p += TOps.Count)
            {
                TVec x0 = TOps.Load(a0 + p);
                TVec x1 = TOps.Load(a1 + p);
                TVec y0 = TOps.Load(b0 + p);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + p);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + p);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + p);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
            }

            if (p < k)
            {
                // The vector ending at k, without its first Count − (k − p) lanes (already counted).
                TVec mask = TOps.FirstLanes(TOps.Count - (k - p));
                int q = k - TOps.Count;
                TVec x0 = TOps.AndNot(TOps.Load(a0 + q), mask);
                TVec x1 = TOps.AndNot(TOps.Load(a1 + q), mask);
                TVec y0 = TOps.Load(b0 + q);
                s0_0 = TOps.MultiplyAdd(x0, y0, s0_0);
                s1_0 = TOps.MultiplyAdd(x1, y0, s1_0);
                TVec y1 = TOps.Load(b1 + q);
                s0_1 = TOps.MultiplyAdd(x0, y1, s0_1);
                s1_1 = TOps.MultiplyAdd(x1, y1, s1_1);
                TVec y2 = TOps.Load(b2 + q);
                s0_2 = TOps.MultiplyAdd(x0, y2, s0_2);
                s1_2 = TOps.MultiplyAdd(x1, y2, s1_2);
                TVec y3 = TOps.Load(b3 + q);
                s0_3 = TOps.MultiplyAdd(x0, y3, s0_3);
                s1_3 = TOps.MultiplyAdd(x1, y3, s1_3);
                p = k;
            }
        }

        T t0_0 = TOps.Sum(s0_0);
        T t0_1 = TOps.Sum(s0_1);
        T t0_2 = TOps.Sum(s0_2);
        T t0_3 = TOps.Sum(s0_3);
        T t1_0 = TOps.Sum(s1_0);
        T t1_1 = TOps.Sum(s1_1);
        T t1_2 = TOps.Sum(s1_2);
        T t1_3 = TOps.Sum(s1_3);
        for (; p < k; p++)
        {
            T x0 = a0[p];
            T x1 = a1[p];
            T y0 = b0[p];
            t0_0 += x0 * y0;
            t1_0 += x1 * y0;
            T y1 = b1[p];
            t0_1 += x0 * y1;
            t1_1 += x1 * y1;
            T y2 = b2[p];
            t0_2 += x0 * y2;
            t1_2 += x1 * y2;
            T y3 = b3[p];
            t0_3 += x0 * y3;
            t1_3 += x1 * y3;
        }

        sums[0] = t0_0;
        sums[1] = t0_1;
        sums[2] = t0_2;
        sums[3] = t0_3;
        sums[4] = t1_0;
        sums[5] = t1_1;
        sums[6] = t1_2;
        sums[7] = t1_3;
    }

    /// <summary>
    /// gt[j·<paramref name="gtStride"/> + o + v·Count + lane] += Σ_r x_r[o + v·Count + lane]·delta[r·<paramref name="deltaStride"/> + j]
    /// for j &lt; 10 and v &lt; 2, o = <paramref name="offset"/>: 2 vectors of 10 rows of Gᵀ (the transpose of Xᵀ·Δ)
    /// updated by <paramref name="rows"/> rows x_r of X and Δ, in row order, one fused multiply-add per row and element,
    /// so each element's sum is the same chain whichever kernel covers it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOuter2x10<T, TVec, TOps>(int rows, T** x, nint offset, T* delta, nint deltaStride, T* gt, nint gtStride)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        T* g0 = gt + (0 * gtStride) + offset;
        T* g1 = gt + (1 * gtStride) + offset;
        T* g2 = gt + (2 * gtStride) + offset;
        T* g3 = gt + (3 * gtStride) + offset;
        T* g4 = gt + (4 * gtStride) + offset;
        T* g5 = gt + (5 * gtStride) + offset;
        T* g6 = gt + (6 * gtStride) + offset;
        T* g7 = gt + (7 * gtStride) + offset;
        T* g8 = gt + (8 * gtStride) + offset;
        T* g9 = gt + (9 * gtStride) + offset;
        TVec s0_0 = TOps.Load(g0 + (0 * TOps.Count));
        TVec s0_1 = TOps.Load(g0 + (1 * TOps.Count));
        TVec s1_0 = TOps.Load(g1 + (0 * TOps.Count));
        TVec s1_1 = TOps.Load(g1 + (1 * TOps.Count));
        TVec s2_0 = TOps.Load(g2 + (0 * TOps.Count));
        TVec s2_1 = TOps.Load(g2 + (1 * TOps.Count));
        TVec s3_0 = TOps.Load(g3 + (0 * TOps.Count));
        TVec s3_1 = TOps.Load(g3 + (1 * TOps.Count));
        TVec s4_0 = TOps.Load(g4 + (0 * TOps.Count));
        TVec s4_1 = TOps.Load(g4 + (1 * TOps.Count));
        TVec s5_0 = TOps.Load(g5 + (0 * TOps.Count));
        TVec s5_1 = TOps.Load(g5 + (1 * TOps.Count));
        TVec s6_0 = TOps.Load(g6 + (0 * TOps.Count));
        TVec s6_1 = TOps.Load(g6 + (1 * TOps.Count));
        TVec s7_0 = TOps.Load(g7 + (0 * TOps.Count));
        TVec s7_1 = TOps.Load(g7 + (1 * TOps.Count));
        TVec s8_0 = TOps.Load(g8 + (0 * TOps.Count));
        TVec s8_1 = TOps.Load(g8 + (1 * TOps.Count));
        TVec s9_0 = TOps.Load(g9 + (0 * TOps.Count));
        TVec s9_1 = TOps.Load(g9 + (1 * TOps.Count));
        T* d = delta;
        for (int r = 0; r < rows; r++)
        {
            T* xr = x[r] + offset;
            TVec x0 = TOps.Load(xr + (0 * TOps.Count));
            TVec x1 = TOps.Load(xr + (1 * TOps.Count));
            TVec e0 = TOps.Broadcast(d[0]);
            s0_0 = TOps.MultiplyAdd(x0, e0, s0_0);
            s0_1 = TOps.MultiplyAdd(x1, e0, s0_1);
            TVec e1 = TOps.Broadcast(d[1]);
            s1_0 = TOps.MultiplyAdd(x0, e1, s1_0);
            s1_1 = TOps.MultiplyAdd(x1, e1, s1_1);
            TVec e2 = TOps.Broadcast(d[2]);
            s2_0 = TOps.MultiplyAdd(x0, e2, s2_0);
            s2_1 = TOps.MultiplyAdd(x1, e2, s2_1);
            TVec e3 = TOps.Broadcast(d[3]);
            s3_0 = TOps.MultiplyAdd(x0, e3, s3_0);
            s3_1 = TOps.MultiplyAdd(x1, e3, s3_1);
            TVec e4 = TOps.Broadcast(d[4]);
            s4_0 = TOps.MultiplyAdd(x0, e4, s4_0);
            s4_1 = TOps.MultiplyAdd(x1, e4, s4_1);
            TVec e5 = TOps.Broadcast(d[5]);
            s5_0 = TOps.MultiplyAdd(x0, e5, s5_0);
            s5_1 = TOps.MultiplyAdd(x1, e5, s5_1);
            TVec e6 = TOps.Broadcast(d[6]);
            s6_0 = TOps.MultiplyAdd(x0, e6, s6_0);
            s6_1 = TOps.MultiplyAdd(x1, e6, s6_1);
            TVec e7 = TOps.Broadcast(d[7]);
            s7_0 = TOps.MultiplyAdd(x0, e7, s7_0);
            s7_1 = TOps.MultiplyAdd(x1, e7, s7_1);
            TVec e8 = TOps.Broadcast(d[8]);
            s8_0 = TOps.MultiplyAdd(x0, e8, s8_0);
            s8_1 = TOps.MultiplyAdd(x1, e8, s8_1);
            TVec e9 = TOps.Broadcast(d[9]);
            s9_0 = TOps.MultiplyAdd(x0, e9, s9_0);
            s9_1 = TOps.MultiplyAdd(x1, e9, s9_1);
            d += deltaStride;
        }

        TOps.Store(g0 + (0 * TOps.Count), s0_0);
        TOps.Store(g0 + (1 * TOps.Count), s0_1);
        TOps.Store(g1 + (0 * TOps.Count), s1_0);
        TOps.Store(g1 + (1 * TOps.Count), s1_1);
        TOps.Store(g2 + (0 * TOps.Count), s2_0);
        TOps.Store(g2 + (1 * TOps.Count), s2_1);
        TOps.Store(g3 + (0 * TOps.Count), s3_0);
        TOps.Store(g3 + (1 * TOps.Count), s3_1);
        TOps.Store(g4 + (0 * TOps.Count), s4_0);
        TOps.Store(g4 + (1 * TOps.Count), s4_1);
        TOps.Store(g5 + (0 * TOps.Count), s5_0);
        TOps.Store(g5 + (1 * TOps.Count), s5_1);
        TOps.Store(g6 + (0 * TOps.Count), s6_0);
        TOps.Store(g6 + (1 * TOps.Count), s6_1);
        TOps.Store(g7 + (0 * TOps.Count), s7_0);
        TOps.Store(g7 + (1 * TOps.Count), s7_1);
        TOps.Store(g8 + (0 * TOps.Count), s8_0);
        TOps.Store(g8 + (1 * TOps.Count), s8_1);
        TOps.Store(g9 + (0 * TOps.Count), s9_0);
        TOps.Store(g9 + (1 * TOps.Count), s9_1);
    }

    /// <summary>
    /// gt[j·<paramref name="gtStride"/> + o + v·Count + lane] += Σ_r x_r[o + v·Count + lane]·delta[r·<paramref name="deltaStride"/> + j]
    /// for j &lt; 10 and v &lt; 1, o = <paramref name="offset"/>: 1 vector of 10 rows of Gᵀ (the transpose of Xᵀ·Δ)
    /// updated by <paramref name="rows"/> rows x_r of X and Δ, in row order, one fused multiply-add per row and element,
    /// so each element's sum is the same chain whichever kernel covers it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOuter1x10<T, TVec, TOps>(int rows, T** x, nint offset, T* delta, nint deltaStride, T* gt, nint gtStride)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        T* g0 = gt + (0 * gtStride) + offset;
        T* g1 = gt + (1 * gtStride) + offset;
        T* g2 = gt + (2 * gtStride) + offset;
        T* g3 = gt + (3 * gtStride) + offset;
        T* g4 = gt + (4 * gtStride) + offset;
        T* g5 = gt + (5 * gtStride) + offset;
        T* g6 = gt + (6 * gtStride) + offset;
        T* g7 = gt + (7 * gtStride) + offset;
        T* g8 = gt + (8 * gtStride) + offset;
        T* g9 = gt + (9 * gtStride) + offset;
        TVec s0_0 = TOps.Load(g0 + (0 * TOps.Count));
        TVec s1_0 = TOps.Load(g1 + (0 * TOps.Count));
        TVec s2_0 = TOps.Load(g2 + (0 * TOps.Count));
        TVec s3_0 = TOps.Load(g3 + (0 * TOps.Count));
        TVec s4_0 = TOps.Load(g4 + (0 * TOps.Count));
        TVec s5_0 = TOps.Load(g5 + (0 * TOps.Count));
        TVec s6_0 = TOps.Load(g6 + (0 * TOps.Count));
        TVec s7_0 = TOps.Load(g7 + (0 * TOps.Count));
        TVec s8_0 = TOps.Load(g8 + (0 * TOps.Count));
        TVec s9_0 = TOps.Load(g9 + (0 * TOps.Count));
        T* d = delta;
        for (int r = 0; r < rows; r++)
        {
            T* xr = x[r] + offset;
            TVec x0 = TOps.Load(xr + (0 * TOps.Count));
            TVec e0 = TOps.Broadcast(d[0]);
            s0_0 = TOps.MultiplyAdd(x0, e0, s0_0);
            TVec e1 = TOps.Broadcast(d[1]);
            s1_0 = TOps.MultiplyAdd(x0, e1, s1_0);
            TVec e2 = TOps.Broadcast(d[2]);
            s2_0 = TOps.MultiplyAdd(x0, e2, s2_0);
            TVec e3 = TOps.Broadcast(d[3]);
            s3_0 = TOps.MultiplyAdd(x0, e3, s3_0);
            TVec e4 = TOps.Broadcast(d[4]);
            s4_0 = TOps.MultiplyAdd(x0, e4, s4_0);
            TVec e5 = TOps.Broadcast(d[5]);
            s5_0 = TOps.MultiplyAdd(x0, e5, s5_0);
            TVec e6 = TOps.Broadcast(d[6]);
            s6_0 = TOps.MultiplyAdd(x0, e6, s6_0);
            TVec e7 = TOps.Broadcast(d[7]);
            s7_0 = TOps.MultiplyAdd(x0, e7, s7_0);
            TVec e8 = TOps.Broadcast(d[8]);
            s8_0 = TOps.MultiplyAdd(x0, e8, s8_0);
            TVec e9 = TOps.Broadcast(d[9]);
            s9_0 = TOps.MultiplyAdd(x0, e9, s9_0);
            d += deltaStride;
        }

        TOps.Store(g0 + (0 * TOps.Count), s0_0);
        TOps.Store(g1 + (0 * TOps.Count), s1_0);
        TOps.Store(g2 + (0 * TOps.Count), s2_0);
        TOps.Store(g3 + (0 * TOps.Count), s3_0);
        TOps.Store(g4 + (0 * TOps.Count), s4_0);
        TOps.Store(g5 + (0 * TOps.Count), s5_0);
        TOps.Store(g6 + (0 * TOps.Count), s6_0);
        TOps.Store(g7 + (0 * TOps.Count), s7_0);
        TOps.Store(g8 + (0 * TOps.Count), s8_0);
        TOps.Store(g9 + (0 * TOps.Count), s9_0);
    }
}
