using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// The managed GEMM for one vector width, on strided operands: op(A)[i, p] = a[i·rsa + p·csa],
/// op(B)[p, j] = b[p·rsb + j·csb], C[i, j] = c[i·rsc + j·csc]. One stride of A and one of B is 1 (transposing
/// swaps them), so the four transpose combinations are one problem here, and so is the transposed product
/// Cᵀ = op(B)ᵀ·op(A)ᵀ, which turns a product with few rows into one with few columns.
/// </summary>
/// <remarks>
/// <para>
/// <b>Packed</b> (GotoBLAS/BLIS), for most shapes. For each NC-column block of op(B) and KC-deep slice, op(B) is
/// packed into NR-wide panels (KC × NC, about 1 MB: L2); for each MC-row block, op(A) is packed into MR-row panels;
/// then each MR-row panel of A (KC × MR, 24 KB for double: L1) is multiplied by every NR-column panel of B, streamed
/// from L2, into MR × NR tiles of C held in registers (<see cref="MicroKernels"/>). Running along the rows of C
/// (the A panel fixed, B streaming) rather than down its columns writes C row block by row block, in storage order:
/// with a shallow product (k = 10) the writes of C dominate, and the column order was five times slower. Packing
/// reads the source in storage order whatever the transposition, and zero-pads the edge panels, so the kernel always
/// computes a full tile and writes only its valid part. The k slices are balanced (784 = 4 × 196, not 3 × 256 + 16).
/// </para>
/// <para>
/// <b>Dot</b>, for few columns when the rows of op(A) are contiguous (X·W with X 5000 × 784 and W 784 × 10): a
/// 12 × 32 float tile would leave 22 of its 32 lanes empty, so instead each element of C is a dot product along k,
/// R × J of them at a time (<see cref="MicroKernels.Dot4x5{T, TVec, TOps}"/>), A read where it lies (no copy of the
/// large operand) and op(B)ᵀ (n × k, small) packed once. Few columns with op(A) transposed (Xᵀ·R) become few rows
/// of the transposed product, which the packed algorithm handles with one MR-row panel (10 of 12 rows used).
/// </para>
/// <para>
/// <b>Threads</b> (products of at least <see cref="ParallelThreshold"/> flops): the packed algorithm with many rows
/// shares each packed slice of B between the threads (<see cref="SharedSlices"/>); otherwise C is cut into blocks of
/// rows or columns computed as separate products (<see cref="Split"/>). Either way one Parallel.For per call, and
/// each element of C is computed the same way whatever the number of threads.
/// </para>
/// </remarks>
internal static unsafe class GemmDriver<T, TVec, TOps>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TVec : struct
    where TOps : struct, IVectorOps<T, TVec, TOps>
{
    /// <summary>Depth of a packed slice: a KC × MR panel of A (24 KB, double, AVX-512) stays in L1.</summary>
    private const int KC = 256;

    /// <summary>32 vector registers (AVX-512) hold a 12 × 2-vector tile: 24 accumulators, 2 for B, 1 broadcast.</summary>
    public static bool Wide => TOps.WideRegisterBlocks;

    /// <summary>Rows of a micro-tile.</summary>
    public static int MR => Wide ? 12 : 6;

    /// <summary>Columns of a micro-tile: two vectors.</summary>
    public static int NR => 2 * TOps.Count;

    /// <summary>Rows of a packed block of A (about 256 KB; its panels are used one at a time).</summary>
    private static int MC => Math.Max(MR, (256 << 10) / (KC * sizeof(T)) / MR * MR);

    /// <summary>Columns of a packed block of B: about 1 MB, streamed from L2 once per panel of A.</summary>
    private static int NC => Math.Max(NR, (1 << 20) / (KC * sizeof(T)) / NR * NR);

    /// <summary>Rows and columns of C per dot-kernel call.</summary>
    private static int DotRows => Wide ? 4 : 2;

    private static int DotColumns => Wide ? 5 : 4;

    /// <summary>Products of fewer flops (2mnk) than this run on the calling thread alone: about 0.1 ms of work.</summary>
    internal const double ParallelThreshold = 8e6;

    /// <summary>
    /// C ← alpha·op(A)·op(B) + beta·C for m, n, k &gt; 0 and alpha ≠ 0, on up to <paramref name="threads"/> threads.
    /// </summary>
    public static void Run(in Operands<T> p, int threads)
    {
        if (2.0 * p.M * p.N * p.K < ParallelThreshold)
        {
            threads = 1;
        }

        // Fewer columns than a tile's width (16 double, 32 float): the packed kernel would leave lanes empty.
        if (p.N < NR && p.N <= p.M)
        {
            if (p.Csa == 1)
            {
                Split(p, threads, rows: true, DotRows, Algorithm.Dot);
            }
            else
            {
                // Cᵀ = op(B)ᵀ·op(A)ᵀ: the few columns become one panel of rows, and the vectors run along m.
                Split(p.Transposed(), threads, rows: false, NR, Algorithm.Packed);
            }
        }
        else if (p.M < NR && p.Rsb == 1)
        {
            // Few rows and op(B) transposed (its columns contiguous along k): the transposed product has few
            // columns and rows of its A contiguous, the dot kernel's case.
            Split(p.Transposed(), threads, rows: true, DotRows, Algorithm.Dot);
        }
        else if (p.M < 4 * MC)
        {
            // Too few row blocks to share: blocks of columns, each packing its own part of B.
            Split(p, threads, rows: false, NR, Algorithm.Packed);
        }
        else
        {
            Packed(p, threads);
        }
    }

    private enum Algorithm
    {
        Packed,
        Dot,
    }

    /// <summary>
    /// Runs <paramref name="algorithm"/> on blocks of rows (or columns) of C in parallel, as separate products: about
    /// four blocks per thread, so that a thread slowed by another process leaves its share to the others.
    /// </summary>
    private static void Split(in Operands<T> p, int threads, bool rows, int multiple, Algorithm algorithm)
    {
        int length = rows ? p.M : p.N;
        const int MinimumBlock = 48;
        int blocks = threads <= 1 ? 1 : Math.Min(4 * threads, length / Math.Max(MinimumBlock, multiple));
        if (blocks <= 1)
        {
            RunSerial(p, algorithm);
            return;
        }

        var work = new BlockWork(p, rows, RoundUp((length + blocks - 1) / blocks, multiple), algorithm);
        Parallel.For(0, (length + work.Step - 1) / work.Step, new ParallelOptions { MaxDegreeOfParallelism = threads }, work.Run);
    }

    private static void RunSerial(in Operands<T> p, Algorithm algorithm)
    {
        if (algorithm == Algorithm.Dot)
        {
            Dot(p);
        }
        else
        {
            Packed(p, threads: 1);
        }
    }

    /// <summary>The blocks of <see cref="Split"/>: block i is rows (or columns) [i·step, (i + 1)·step) of C.</summary>
    private sealed class BlockWork(Operands<T> p, bool rows, int step, Algorithm algorithm)
    {
        public int Step => step;

        public void Run(int index)
        {
            int start = index * step;
            int count = Math.Min(step, (rows ? p.M : p.N) - start);
            RunSerial(rows ? p.Rows(start, count) : p.Columns(start, count), algorithm);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Packed
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The packed algorithm. With several threads, see <see cref="SharedSlices"/>: one fork for the whole product,
    /// each packed slice of B shared, row blocks of A distributed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Packed(in Operands<T> p, int threads)
    {
        int m = p.M, n = p.N, k = p.K, nr = NR;

        // Balanced blocks: as many as the limits require, of equal size (the last no smaller than the others). With
        // several threads, row blocks are smaller (about eight per thread), so that the last ones finish together.
        int kcStep = Balanced(k, KC, 1);
        int ncStep = Balanced(n, NC, nr);
        int mcLimit = threads == 1 ? MC : Math.Min(MC, Math.Max(2 * MR, RoundUp((m + (8 * threads) - 1) / (8 * threads), MR)));
        int mcStep = Balanced(m, mcLimit, MR);
        if (threads > 1 && (m + mcStep - 1) / mcStep >= 2)
        {
            new SharedSlices(p, kcStep, ncStep, mcStep, threads).Run();
            return;
        }

        T[] bArray = Rent(checked(kcStep * RoundUp(Math.Min(ncStep, n), nr)));
        T[] aArray = Rent(checked(RoundUp(Math.Min(mcStep, m), MR) * kcStep));
        try
        {
            fixed (T* bRaw = bArray, aRaw = aArray)
            {
                T* bPack = Align(bRaw);
                for (int jc = 0; jc < n; jc += ncStep)
                {
                    int nc = Math.Min(ncStep, n - jc);
                    for (int pc = 0; pc < k; pc += kcStep)
                    {
                        int kc = Math.Min(kcStep, k - pc);
                        T beta = pc == 0 ? p.Beta : T.One;
                        PackB(kc, nc, p.B + (pc * p.Rsb) + (jc * p.Csb), p.Rsb, p.Csb, bPack);
                        for (int ic = 0; ic < m; ic += mcStep)
                        {
                            RowBlock(p, ic, Math.Min(mcStep, m - ic), jc, nc, pc, kc, beta, bPack, Align(aRaw));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(bArray);
            ArrayPool<T>.Shared.Return(aArray);
        }
    }

    /// <summary>
    /// Rows [ic, ic + mc) of C, columns [jc, jc + nc), slice [pc, pc + kc) of the product: packs that block of A into
    /// <paramref name="aPack"/>, then runs the micro-kernel along each MR-row panel (its A panel in L1, the packed B
    /// streaming), so that C is written row block by row block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlock(in Operands<T> p, int ic, int mc, int jc, int nc, int pc, int kc, T beta, T* bPack, T* aPack)
    {
        int mr = MR, nr = NR;
        T* scratch = stackalloc T[mr * nr];
        PackA(mc, kc, p.A + (ic * p.Rsa) + (pc * p.Csa), p.Rsa, p.Csa, aPack);
        for (int ir = 0; ir < mc; ir += mr)
        {
            T* aPanel = aPack + ((nint)ir * kc);
            T* cRow = p.C + ((ic + ir) * p.Rsc) + (jc * p.Csc);
            int mrHere = Math.Min(mr, mc - ir);
            for (int jr = 0; jr < nc; jr += nr)
            {
                Kernel(
                    kc, aPanel, bPack + ((nint)jr * kc), nr, cRow + (jr * p.Csc), p.Rsc, p.Csc,
                    mrHere, Math.Min(nr, nc - jr), p.Alpha, beta, scratch);
            }
        }
    }

    /// <summary>
    /// The packed algorithm on several threads with a single fork: the slices of B (jc, pc) are a sequence of work
    /// items, for each slice first the parts of B to pack and then the row blocks of C, and every worker claims the
    /// next item from one counter until none is left. Waking a sleeping thread-pool thread costs about half a
    /// millisecond on a virtual machine, so a fork per slice (eight for 1024³) lost a fifth of the time.
    /// </summary>
    /// <remarks>
    /// Dependencies, each a wait for items that come earlier in the sequence: a row block waits until its slice of B
    /// is packed, and until the same rows of the previous slice (same columns, previous pc) are done, since it adds
    /// into them; packing a slice waits until the slice two before, whose buffer it reuses (two buffers alternate,
    /// so that packing overlaps the previous slice's last blocks), is done. Every item waited for has been claimed
    /// by a running worker whose own waits are for still earlier items, so the waits end, whatever the number of
    /// threads that actually run.
    /// </remarks>
    private sealed class SharedSlices
    {
        private readonly Operands<T> p;
        private readonly int kcStep;
        private readonly int ncStep;
        private readonly int mcStep;
        private readonly int threads;
        private readonly int rowBlocks;
        private readonly int pcSlices;
        private readonly int slices;
        private readonly int panelsPerPart;
        private readonly int[] firstItem;
        private readonly int[] packedParts;
        private readonly int[] blocksDone;
        private readonly int[] blockDone;
        private T* bPack0;
        private T* bPack1;
        private int next;

        public SharedSlices(in Operands<T> p, int kcStep, int ncStep, int mcStep, int threads)
        {
            this.p = p;
            this.kcStep = kcStep;
            this.ncStep = ncStep;
            this.mcStep = mcStep;
            this.threads = threads;
            rowBlocks = (p.M + mcStep - 1) / mcStep;
            pcSlices = (p.K + kcStep - 1) / kcStep;
            slices = pcSlices * ((p.N + ncStep - 1) / ncStep);
            panelsPerPart = Math.Max(1, ((ncStep + NR - 1) / NR + threads - 1) / threads);
            firstItem = new int[slices + 1];
            for (int s = 0; s < slices; s++)
            {
                firstItem[s + 1] = firstItem[s] + PackParts(s) + rowBlocks;
            }

            packedParts = new int[slices];
            blocksDone = new int[slices];
            blockDone = new int[slices * rowBlocks];
        }

        public void Run()
        {
            int bLength = checked(kcStep * RoundUp(Math.Min(ncStep, p.N), NR));
            T[] bArray = Rent(checked((2 * bLength) + (64 / sizeof(T))));
            try
            {
                fixed (T* bRaw = bArray)
                {
                    bPack0 = Align(bRaw);
                    bPack1 = Align(bPack0 + bLength);
                    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, Worker);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(bArray);
            }
        }

        private int Jc(int slice) => slice / pcSlices * ncStep;

        private int Nc(int slice) => Math.Min(ncStep, p.N - Jc(slice));

        private int Pc(int slice) => slice % pcSlices * kcStep;

        private int Kc(int slice) => Math.Min(kcStep, p.K - Pc(slice));

        private int PackParts(int slice) => ((Nc(slice) + NR - 1) / NR + panelsPerPart - 1) / panelsPerPart;

        private T* BPack(int slice) => slice % 2 == 0 ? bPack0 : bPack1;

        private void Worker(int index)
        {
            T[] aArray = Rent(checked(RoundUp(mcStep, MR) * kcStep));
            int slice = 0;
            try
            {
                fixed (T* aRaw = aArray)
                {
                    T* aPack = Align(aRaw);
                    while (true)
                    {
                        int item = Interlocked.Increment(ref next) - 1;
                        if (item >= firstItem[slices])
                        {
                            return;
                        }

                        while (item >= firstItem[slice + 1])
                        {
                            slice++;
                        }

                        int part = item - firstItem[slice];
                        int packParts = PackParts(slice);
                        if (part < packParts)
                        {
                            Pack(slice, part);
                        }
                        else
                        {
                            Block(slice, part - packParts, packParts, aPack);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(aArray);
            }
        }

        private void Pack(int slice, int part)
        {
            try
            {
                if (slice >= 2)
                {
                    WaitFor(ref blocksDone[slice - 2], rowBlocks);
                }

                int jc = Jc(slice), pc = Pc(slice), kc = Kc(slice);
                int j0 = part * panelsPerPart * NR;
                PackB(
                    kc, Math.Min(panelsPerPart * NR, Nc(slice) - j0), p.B + (pc * p.Rsb) + ((jc + j0) * p.Csb), p.Rsb, p.Csb,
                    BPack(slice) + ((nint)j0 * kc));
            }
            finally
            {
                // Also on failure, so that no worker waits forever; Parallel.For reports the exception.
                Interlocked.Increment(ref packedParts[slice]);
            }
        }

        private void Block(int slice, int block, int packParts, T* aPack)
        {
            try
            {
                WaitFor(ref packedParts[slice], packParts);
                int pc = Pc(slice);
                if (pc > 0)
                {
                    WaitFor(ref blockDone[((slice - 1) * rowBlocks) + block], 1);
                }

                int ic = block * mcStep;
                RowBlock(
                    p, ic, Math.Min(mcStep, p.M - ic), Jc(slice), Nc(slice), pc, Kc(slice), pc == 0 ? p.Beta : T.One, BPack(slice), aPack);
            }
            finally
            {
                Volatile.Write(ref blockDone[(slice * rowBlocks) + block], 1);
                Interlocked.Increment(ref blocksDone[slice]);
            }
        }

        private static void WaitFor(ref int counter, int value)
        {
            // Yield, but never sleep a millisecond: the item waited for is running and takes far less.
            var spin = default(SpinWait);
            while (Volatile.Read(ref counter) < value)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(
        int kc, T* a, T* b, nint bRowStride, T* c, nint rsc, nint csc, int mr, int nr, T alpha, T beta, T* scratch)
    {
        if (Wide)
        {
            MicroKernels.Kernel12x2<T, TVec, TOps>(kc, a, b, bRowStride, c, rsc, csc, mr, nr, alpha, beta, scratch);
        }
        else
        {
            MicroKernels.Kernel6x2<T, TVec, TOps>(kc, a, b, bRowStride, c, rsc, csc, mr, nr, alpha, beta, scratch);
        }
    }

    /// <summary>
    /// Packs op(A)[0..mc, 0..kc) into MR-row panels, panel i at dst + i·MR·kc, p-major (MR values per p), the rows
    /// past mc zero. The source is read in storage order, whichever stride is 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(int mc, int kc, T* a, nint rsa, nint csa, T* dst)
    {
        int mr = MR;
        int panels = (mc + mr - 1) / mr;
        if (csa == 1)
        {
            // Rows contiguous along p: read each row in order, write every MR-th element of its panel.
            for (int i = 0; i < mc; i++)
            {
                T* s = a + (i * rsa);
                T* d = dst + ((nint)(i / mr) * mr * kc) + (i % mr);
                for (int p = 0; p < kc; p++)
                {
                    d[(nint)p * mr] = s[p];
                }
            }
        }
        else
        {
            // op(A) transposed, its columns contiguous: one stored row (p) at a time, across every panel.
            int full = mc / mr;
            for (int p = 0; p < kc; p++)
            {
                T* s = a + (p * csa);
                T* d = dst + ((nint)p * mr);
                for (int panel = 0; panel < full; panel++, s += mr * rsa, d += (nint)mr * kc)
                {
                    for (int r = 0; r < mr; r++)
                    {
                        d[r] = s[r * rsa];
                    }
                }

                for (int r = 0; r < mc - (full * mr); r++)
                {
                    d[r] = s[r * rsa];
                }
            }
        }

        int rows = mc - ((panels - 1) * mr);
        T* last = dst + ((nint)(panels - 1) * mr * kc);
        for (int p = 0; p < kc; p++)
        {
            for (int r = rows; r < mr; r++)
            {
                last[((nint)p * mr) + r] = T.Zero;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[0..kc, 0..nc) into NR-column panels, panel j at dst + j·NR·kc, row-major (NR values per p), the
    /// columns past nc zero. The source is read in storage order, whichever stride is 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(int kc, int nc, T* b, nint rsb, nint csb, T* dst)
    {
        int nr = NR;
        int full = nc / nr;
        int rest = nc - (full * nr);
        if (csb == 1)
        {
            // Rows contiguous: one row (p) at a time, across every panel.
            for (int p = 0; p < kc; p++)
            {
                T* s = b + (p * rsb);
                T* d = dst + ((nint)p * nr);
                for (int panel = 0; panel < full; panel++, s += nr, d += (nint)nr * kc)
                {
                    for (int v = 0; v < nr; v += TOps.Count)
                    {
                        TOps.Store(d + v, TOps.Load(s + v));
                    }
                }

                if (rest > 0)
                {
                    int j = 0;
                    for (; j < rest; j++)
                    {
                        d[j] = s[j];
                    }

                    for (; j < nr; j++)
                    {
                        d[j] = T.Zero;
                    }
                }
            }

            return;
        }

        // op(B) transposed, its columns contiguous: read each column in order.
        for (int j = 0; j < nc; j++)
        {
            T* s = b + (j * csb);
            T* d = dst + ((nint)(j / nr) * nr * kc) + (j % nr);
            for (int p = 0; p < kc; p++)
            {
                d[(nint)p * nr] = s[p * rsb];
            }
        }

        if (rest > 0)
        {
            T* last = dst + ((nint)full * nr * kc);
            for (int p = 0; p < kc; p++)
            {
                for (int j = rest; j < nr; j++)
                {
                    last[((nint)p * nr) + j] = T.Zero;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Dot: few columns, rows of A contiguous along k (csa = 1)
    // ------------------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot(in Operands<T> p)
    {
        int m = p.M, n = p.N, k = p.K;
        int rows = DotRows, cols = DotColumns;
        int nPad = RoundUp(n, cols);

        // Element p of every dot product goes to vector lane p mod the width, wherever A lies in memory: aligning the
        // loads to A's address (a masked head of a few elements) would make the order of the additions, and so the
        // rounding, depend on where the garbage collector placed the array, and a product must round the same every
        // time it is computed (checkpointed hypergradients recompute them).
        int perLine = 64 / sizeof(T);
        const int head = 0;
        int stride = RoundUp(k, perLine);
        T[] btArray = Rent(checked((nPad * stride) + TOps.Count));
        T* sums = stackalloc T[rows * cols];
        T** rowPointers = stackalloc T*[rows];
        try
        {
            fixed (T* btRaw = btArray)
            {
                T* bt = Align(btRaw);
                PackTransposed(k, n, nPad, p.B, p.Rsb, p.Csb, bt, stride);
                for (int i = 0; i < m; i += rows)
                {
                    int rowsHere = Math.Min(rows, m - i);
                    for (int r = 0; r < rows; r++)
                    {
                        // Past the last row, repeat it: valid memory, results discarded.
                        rowPointers[r] = p.A + (Math.Min(i + r, m - 1) * p.Rsa);
                    }

                    for (int j = 0; j < n; j += cols)
                    {
                        if (Wide)
                        {
                            MicroKernels.Dot4x5<T, TVec, TOps>(
                                k, head, rowPointers[0], rowPointers[1], rowPointers[2], rowPointers[3], bt + ((nint)j * stride), stride, sums);
                        }
                        else
                        {
                            MicroKernels.Dot2x4<T, TVec, TOps>(k, head, rowPointers[0], rowPointers[1], bt + ((nint)j * stride), stride, sums);
                        }

                        TileWriter.Write(
                            sums, cols, p.C + (i * p.Rsc) + (j * p.Csc), p.Rsc, p.Csc, rowsHere, Math.Min(cols, n - j), p.Alpha, p.Beta);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(btArray);
        }
    }

    /// <summary>bt[j·stride + p] ← op(B)[p, j] for j &lt; n, zero for n ≤ j &lt; nPad (p &lt; k).</summary>
    private static void PackTransposed(int k, int n, int nPad, T* b, nint rsb, nint csb, T* bt, int stride)
    {
        if (rsb == 1)
        {
            // op(B) transposed: its columns are contiguous.
            for (int j = 0; j < n; j++)
            {
                new ReadOnlySpan<T>(b + (j * csb), k).CopyTo(new Span<T>(bt + ((nint)j * stride), k));
            }
        }
        else
        {
            for (int p = 0; p < k; p++)
            {
                T* s = b + (p * rsb);
                for (int j = 0; j < n; j++)
                {
                    bt[((nint)j * stride) + p] = s[j * csb];
                }
            }
        }

        for (int j = n; j < nPad; j++)
        {
            new Span<T>(bt + ((nint)j * stride), k).Clear();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The step that splits <paramref name="length"/> into the fewest blocks of at most <paramref name="limit"/>, equal up to a multiple of <paramref name="multiple"/>.</summary>
    private static int Balanced(int length, int limit, int multiple)
    {
        int blocks = (length + limit - 1) / limit;
        return Math.Min(limit, RoundUp((length + blocks - 1) / blocks, multiple));
    }

    /// <summary>Rents room for <paramref name="count"/> elements starting on a 64-byte boundary.</summary>
    private static T[] Rent(int count) => ArrayPool<T>.Shared.Rent(count + (64 / sizeof(T)));

    private static T* Align(T* pointer) => (T*)(((nint)pointer + 63) & ~(nint)63);
}

/// <summary>
/// One product on strided operands: op(A)[i, p] = A[i·Rsa + p·Csa], op(B)[p, j] = B[p·Rsb + j·Csb],
/// C[i, j] = C[i·Rsc + j·Csc]; C ← Alpha·op(A)·op(B) + Beta·C, op(A) M × K, op(B) K × N.
/// </summary>
internal readonly unsafe struct Operands<T>(
    int m, int n, int k, T alpha, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T beta, T* c, nint rsc, nint csc)
    where T : unmanaged
{
    public readonly int M = m;
    public readonly int N = n;
    public readonly int K = k;
    public readonly T Alpha = alpha;
    public readonly T* A = a;
    public readonly nint Rsa = rsa;
    public readonly nint Csa = csa;
    public readonly T* B = b;
    public readonly nint Rsb = rsb;
    public readonly nint Csb = csb;
    public readonly T Beta = beta;
    public readonly T* C = c;
    public readonly nint Rsc = rsc;
    public readonly nint Csc = csc;

    /// <summary>The same product transposed, Cᵀ = op(B)ᵀ·op(A)ᵀ: N × M, its A op(B)ᵀ and its B op(A)ᵀ.</summary>
    public Operands<T> Transposed() => new(N, M, K, Alpha, B, Csb, Rsb, A, Csa, Rsa, Beta, C, Csc, Rsc);

    /// <summary>Rows [start, start + count) of C.</summary>
    public Operands<T> Rows(int start, int count) =>
        new(count, N, K, Alpha, A + (start * Rsa), Rsa, Csa, B, Rsb, Csb, Beta, C + (start * Rsc), Rsc, Csc);

    /// <summary>Columns [start, start + count) of C.</summary>
    public Operands<T> Columns(int start, int count) =>
        new(M, count, K, Alpha, A, Rsa, Csa, B + (start * Csb), Rsb, Csb, Beta, C + (start * Csc), Rsc, Csc);
}
