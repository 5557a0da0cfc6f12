using System;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using AutoHypergrad.Data;
using AutoHypergrad.LinearAlgebra;

namespace AutoHypergrad.Objectives.Models;

/// <summary>
/// <see cref="SoftmaxRegressionObjective{T}"/> on the CPU:
/// J(W, b; λ) = (1/B)·Σ_{i ∈ batch} λᵢ·ℓᵢ, ℓᵢ = log Σ_k e^{z_ik} − z_{i,yᵢ}, zᵢ = xᵢ·W + b: the objective
/// <see cref="ModelObjective{T}"/> builds for <c>ModelKind.Softmax</c> with <c>LossHyperparameters.ExampleWeights</c>
/// (or none), with the same parameter layout (W, d × K row-major, then b) and the same λ block, computed by fused
/// passes. Every call streams the data once, in blocks of <see cref="BlockRows"/> rows that stay in L2: the block's
/// outputs z = X_b·W (and ż = X_b·V) by register-blocked dot products against Wᵀ, kept with its classes' rows
/// contiguous; the loss head per row; then Xᵀ·Δ accumulated into Gᵀ by a register-blocked rank update. No matrix of
/// the batch's size is written, and X is read from memory once instead of once per GEMM.
/// <para>
/// Every result is a function of the arguments and of <see cref="Threads"/> to the bit: the blocks, the order of every
/// sum (rows in batch order, features in index order within each vector lane) and the vector width are fixed, and no
/// reduction depends on where an array lies in memory. Calls keep no state between them, so a Hessian-vector product
/// recomputes the forward pass it needs.
/// </para>
/// <para>
/// With <see cref="Threads"/> = t &gt; 1 the blocks are split into t contiguous runs, one per thread, each with its
/// own workspace and its own accumulators of the value, Gᵀ and g_b; the runs' partial sums are then added in the
/// runs' order. So a given t gives the same bits on every call; another t sums in another order (within rounding).
/// A partial batch that asks for the example adjoints runs on one thread (its indices may repeat).
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed unsafe class WeightedSoftmaxRegression<T> : SoftmaxRegressionObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Rows per block: 64 float rows of MNIST are 200 KB, well inside a core's L2 (the size was not tuned).</summary>
    internal const int BlockRows = 64;

    /// <summary>Classes per register block of the forward products (<see cref="MicroKernels.Dot4x5{T, TVec, TOps}"/>).</summary>
    private const int ClassGroup = 5;

    /// <summary>
    /// Classes per register block of Xᵀ·Δ (<see cref="MicroKernels.AddOuter2x10{T, TVec, TOps}"/>): all ten of MNIST
    /// at once, so the block's rows are read from L2 once: Xᵀ·Δ took about 0.8 ms a step on MNIST in float, against
    /// 1.0 ms with two groups of five (4 vectors × 5 classes), which read them twice.
    /// </summary>
    private const int OuterClassGroup = 10;

    /// <summary>Rows per register block of the forward products.</summary>
    private const int RowGroup = 4;


    private readonly Dataset<T> _data;
    private readonly int _paddedClasses;
    private readonly nint _stride;
    private readonly PassRunner _run;

    // Pinned workspaces (never moved, so their aligned pointers stay valid): Wᵀ and Vᵀ (padded classes × stride),
    // shared by the threads, and each thread's own (Workspace).
    private readonly T[] _buffer;
    private readonly T* _wt;
    private readonly T* _vt;
    private readonly Workspace[] _workspaces;

    private WeightedSoftmaxRegression(Dataset<T> data, bool exampleWeights, int threads)
        : base(data, exampleWeights)
    {
        _data = data;
        Threads = threads;
        _paddedClasses = (Classes + OuterClassGroup - 1) / OuterClassGroup * OuterClassGroup;
        int perLine = 64 / sizeof(T);
        _stride = (Features + perLine - 1) / perLine * perLine;
        int matrix = (int)(_paddedClasses * _stride);
        int Lines(int length) => (length + perLine - 1) / perLine * perLine;
        int[] perThread =
        [
            matrix, Classes, BlockRows * Classes, BlockRows * Classes, BlockRows * Classes, BlockRows, BlockRows, BlockRows,
            BlockRows * _paddedClasses,
        ];
        int total = perLine + (2 * Lines(matrix)) + (threads * perThread.Sum(Lines));

        // Zero-filled: the padded classes of Wᵀ, Vᵀ and Δ stay zero (they are never written).
        _buffer = GC.AllocateArray<T>(total, pinned: true);
        T* next = (T*)(((nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _buffer[0]) + 63) & ~(nint)63);
        T* Take(int length)
        {
            T* start = next;
            next += Lines(length);
            return start;
        }

        _wt = Take(matrix);
        _vt = Take(matrix);
        _workspaces = new Workspace[threads];
        for (int t = 0; t < threads; t++)
        {
            _workspaces[t] = new Workspace
            {
                Gt = Take(perThread[0]),
                Gb = Take(perThread[1]),
                Z = Take(perThread[2]),
                ZDot = Take(perThread[3]),
                E = Take(perThread[4]),
                Max = Take(perThread[5]),
                Sum = Take(perThread[6]),
                LogSum = Take(perThread[7]),
                Delta = Take(perThread[8]),
            };
        }

        _run = Width switch
        {
            VectorWidth.Vector512 => Passes<Vector512<T>, Ops512<T>>.Run,
            VectorWidth.Vector256 => Passes<Vector256<T>, Ops256<T>>.Run,
            VectorWidth.Vector128 => Passes<Vector128<T>, Ops128<T>>.Run,
            _ => Passes<T, OpsScalar<T>>.Run,
        };
    }

    private delegate T PassRunner(ref Pass pass);

    /// <summary>The vector width of the kernels: the widest the hardware accelerates.</summary>
    public static string VectorWidthName => Width.ToString();

    private static VectorWidth Width => VectorWidths.Best;

    /// <summary>The threads a pass runs on (see the remarks on determinism).</summary>
    public int Threads { get; }

    /// <summary>
    /// Softmax regression (with a bias) on <paramref name="data"/>'s classes: J = (1/B)·Σ λᵢℓᵢ with one example
    /// weight per training example in λ (block <c>weights</c>, default 1) when <paramref name="exampleWeights"/>,
    /// else the mean loss and no hyperparameters; each pass on <paramref name="threads"/> threads.
    /// </summary>
    /// <exception cref="ArgumentException">The data have regression targets or fewer than two classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static WeightedSoftmaxRegression<T> Create(Dataset<T> data, bool exampleWeights, int threads = 1)
    {
        CheckData(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return new WeightedSoftmaxRegression<T>(data, exampleWeights, threads);
    }

    /// <summary>One pass over the batch: packs Wᵀ (and Vᵀ), runs the blocks, and writes the gradient or H·v in the parameters' layout.</summary>
    protected override T Run(
        ReadOnlySpan<T> w, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> v, Batch batch, int rows, SoftmaxPassOutputs outputs, Span<T> result, Span<T> exampleAdjoints)
    {
        int d = Features, k = Classes;
        PackTransposed(w, _wt);
        bool tangent = !v.IsEmpty;
        if (tangent)
        {
            PackTransposed(v, _vt);
        }

        bool backward = (outputs & (SoftmaxPassOutputs.Gradient | SoftmaxPassOutputs.HessianVector)) != 0;
        int blocks = (rows + BlockRows - 1) / BlockRows;
        bool repeatable = batch.IsFull || (outputs & (SoftmaxPassOutputs.LambdaGradient | SoftmaxPassOutputs.CrossAdjoint)) == 0;
        int threads = repeatable ? Math.Min(Threads, blocks) : 1;
        if (backward)
        {
            for (int t = 0; t < threads; t++)
            {
                new Span<T>(_workspaces[t].Gt, _paddedClasses * (int)_stride).Clear();
                new Span<T>(_workspaces[t].Gb, k).Clear();
            }
        }

        T value;
        fixed (T* x = _data.Features)
        fixed (int* labels = _data.Labels)
        fixed (int* indices = batch.Indices)
        fixed (T* weights = coefficients)
        fixed (T* wp = w)
        fixed (T* vp = v)
        fixed (T* adjoints = exampleAdjoints)
        {
            var pass = new Pass
            {
                Features = d,
                Classes = k,
                PaddedClasses = _paddedClasses,
                Stride = _stride,
                X = x,
                Indices = batch.IsFull ? null : indices,
                Labels = labels,
                Weights = coefficients.IsEmpty ? null : weights,
                Scale = T.One / T.CreateTruncating(rows),
                Wt = _wt,
                Bias = wp + (d * k),
                Vt = tangent ? _vt : null,
                TangentBias = tangent ? vp + (d * k) : null,
                What = outputs,
                ExampleAdjoints = exampleAdjoints.IsEmpty ? null : adjoints,
                End = rows,
            };
            value = threads == 1 ? RunOn(pass, 0) : RunOnThreads(pass, threads, blocks);
        }

        if (backward)
        {
            // The threads' partial sums, in the runs' order.
            var gt = new Span<T>(_workspaces[0].Gt, _paddedClasses * (int)_stride);
            var gb = new Span<T>(_workspaces[0].Gb, k);
            for (int t = 1; t < threads; t++)
            {
                TensorPrimitives.Add(gt, new ReadOnlySpan<T>(_workspaces[t].Gt, gt.Length), gt);
                TensorPrimitives.Add(gb, new ReadOnlySpan<T>(_workspaces[t].Gb, k), gb);
            }

            for (int j = 0; j < d; j++)
            {
                var row = result.Slice(j * k, k);
                for (int c = 0; c < k; c++)
                {
                    row[c] = gt[(int)(c * _stride) + j];
                }
            }

            gb.CopyTo(result.Slice(d * k, k));
        }

        return value;
    }

    /// <summary>The rows [<see cref="Pass.First"/>, <see cref="Pass.End"/>) of <paramref name="pass"/> with workspace <paramref name="t"/>.</summary>
    private T RunOn(Pass pass, int t)
    {
        pass.Workspace = _workspaces[t];
        return _run(ref pass);
    }

    /// <summary>The blocks split into <paramref name="threads"/> contiguous runs, one per thread; the values added in the runs' order.</summary>
    private T RunOnThreads(Pass pass, int threads, int blocks)
    {
        var values = new T[threads];
        System.Threading.Tasks.Parallel.For(0, threads, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var run = pass;
            run.First = (int)((long)blocks * t / threads) * BlockRows;
            run.End = Math.Min(pass.End, (int)((long)blocks * (t + 1) / threads) * BlockRows);
            values[t] = RunOn(run, t);
        });
        T value = T.Zero;
        foreach (T partial in values)
        {
            value += partial;
        }

        return value;
    }

    /// <summary>Writes W (d × K, row-major, the first d·K parameters) transposed: class c's row at c·stride.</summary>
    private void PackTransposed(ReadOnlySpan<T> parameters, T* destination)
    {
        int k = Classes;
        for (int c = 0; c < k; c++)
        {
            T* row = destination + (c * _stride);
            for (int j = 0; j < Features; j++)
            {
                row[j] = parameters[(j * k) + c];
            }
        }
    }

    /// <summary>One thread's accumulators (Gᵀ, the gradient of b) and per-block outputs, exponentials, maxima, normalizers, their logarithms and output gradients.</summary>
    private struct Workspace
    {
        public T* Gt;
        public T* Gb;
        public T* Z;
        public T* ZDot;
        public T* E;
        public T* Max;
        public T* Sum;
        public T* LogSum;
        public T* Delta;
    }

    /// <summary>The arguments of one pass over the rows [<see cref="First"/>, <see cref="End"/>), as pointers into pinned or fixed memory.</summary>
    private struct Pass
    {
        public int First;
        public int End;
        public Workspace Workspace;
        public int Features;
        public int Classes;
        public int PaddedClasses;
        public nint Stride;
        public T* X;
        public int* Indices;
        public int* Labels;
        public T* Weights;
        public T Scale;
        public T* Wt;
        public T* Bias;
        public T* Vt;
        public T* TangentBias;
        public SoftmaxPassOutputs What;
        public T* ExampleAdjoints;

        public readonly T* Gt => Workspace.Gt;

        public readonly T* Gb => Workspace.Gb;

        public readonly T* Z => Workspace.Z;

        public readonly T* ZDot => Workspace.ZDot;

        public readonly T* E => Workspace.E;

        public readonly T* Max => Workspace.Max;

        public readonly T* Sum => Workspace.Sum;

        public readonly T* LogSum => Workspace.LogSum;

        public readonly T* Delta => Workspace.Delta;
    }

    /// <summary>The passes at one vector width.</summary>
    private static class Passes<TVec, TOps>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        /// <summary>
        /// Where 20 accumulators do not fit the registers (<see cref="IVectorOps{T, TVec, TOps}.WideRegisterBlocks"/>),
        /// the passes use blocks half as large (<see cref="MicroKernels.Dot2x5{T, TVec, TOps}"/> twice,
        /// <see cref="MicroKernels.AddOuter1x10{T, TVec, TOps}"/> alone), which compute every sum with the same
        /// operations in the same order: the same bits.
        /// </summary>
        private static bool Wide => TOps.WideRegisterBlocks;

        public static T Run(ref Pass p)
        {
            T value = T.Zero;
            T** rows = stackalloc T*[BlockRows];
            T* sums = stackalloc T[RowGroup * ClassGroup];
            for (int start = p.First; start < p.End; start += BlockRows)
            {
                int count = Math.Min(BlockRows, p.End - start);
                for (int r = 0; r < count; r++)
                {
                    int index = p.Indices == null ? start + r : p.Indices[start + r];
                    rows[r] = p.X + ((nint)index * p.Features);
                }

                Forward(ref p, rows, count, sums);

                value += Head(ref p, start, count);
                if ((p.What & (SoftmaxPassOutputs.Gradient | SoftmaxPassOutputs.HessianVector)) != 0)
                {
                    AddOuter(ref p, rows, count);
                }
            }

            return value;
        }

        /// <summary>
        /// z[r·K + c] = x_r·Wᵀ[c] + b[c] for the block's rows (and ż likewise with Vᵀ and v_b): 4 rows × 5 classes per
        /// register block, the 4 rows staying in L1 for every class group of W and V.
        /// </summary>
        private static void Forward(ref Pass p, T** rows, int count, T* sums)
        {
            for (int i = 0; i < count; i += RowGroup)
            {
                int here = Math.Min(RowGroup, count - i);

                // Past the block's last row, repeat it: valid memory, results discarded.
                T* a0 = rows[i];
                T* a1 = rows[i + Math.Min(1, here - 1)];
                T* a2 = rows[i + Math.Min(2, here - 1)];
                T* a3 = rows[i + Math.Min(3, here - 1)];
                Dots(ref p, a0, a1, a2, a3, i, here, p.Wt, p.Bias, p.Z, sums);
                if (p.Vt != null)
                {
                    Dots(ref p, a0, a1, a2, a3, i, here, p.Vt, p.TangentBias, p.ZDot, sums);
                }
            }
        }

        private static void Dots(ref Pass p, T* a0, T* a1, T* a2, T* a3, int i, int here, T* transposed, T* bias, T* z, T* sums)
        {
            int k = p.Classes;
            for (int c0 = 0; c0 < k; c0 += ClassGroup)
            {
                T* group = transposed + (c0 * p.Stride);
                if (Wide)
                {
                    MicroKernels.Dot4x5<T, TVec, TOps>(p.Features, 0, a0, a1, a2, a3, group, p.Stride, sums);
                }
                else
                {
                    MicroKernels.Dot2x5<T, TVec, TOps>(p.Features, 0, a0, a1, group, p.Stride, sums);
                    MicroKernels.Dot2x5<T, TVec, TOps>(p.Features, 0, a2, a3, group, p.Stride, sums + (2 * ClassGroup));
                }

                int classes = Math.Min(ClassGroup, k - c0);
                for (int r = 0; r < here; r++)
                {
                    for (int c = 0; c < classes; c++)
                    {
                        z[((i + r) * k) + c0 + c] = sums[(r * ClassGroup) + c] + bias[c0 + c];
                    }
                }
            }
        }

        /// <summary>
        /// The loss head of the block's rows: softmax probabilities p = e/Σe with e = exp(z − max z), the value,
        /// Δ for the backward products and the example adjoints, per <see cref="Pass.What"/>.
        /// </summary>
        private static T Head(ref Pass p, int start, int count)
        {
            int k = p.Classes, kp = p.PaddedClasses;
            for (int r = 0; r < count; r++)
            {
                T* z = p.Z + (r * k);
                T max = z[0];
                for (int c = 1; c < k; c++)
                {
                    max = T.Max(max, z[c]);
                }

                p.Max[r] = max;
                for (int c = 0; c < k; c++)
                {
                    p.E[(r * k) + c] = z[c] - max;
                }
            }

            var e = new Span<T>(p.E, count * k);
            TensorPrimitives.Exp(e, e);
            for (int r = 0; r < count; r++)
            {
                T sum = T.Zero;
                for (int c = 0; c < k; c++)
                {
                    sum += p.E[(r * k) + c];
                }

                p.Sum[r] = sum;
            }

            var outputs = p.What;
            bool needsLoss = (outputs & (SoftmaxPassOutputs.Value | SoftmaxPassOutputs.LambdaGradient)) != 0;
            if (needsLoss)
            {
                TensorPrimitives.Log(new ReadOnlySpan<T>(p.Sum, count), new Span<T>(p.LogSum, count));
            }

            T value = T.Zero;
            for (int r = 0; r < count; r++)
            {
                int index = p.Indices == null ? start + r : p.Indices[start + r];
                int y = p.Labels[index];
                T c = p.Weights == null ? p.Scale : p.Scale * p.Weights[index];
                T* z = p.Z + (r * k);
                T* ex = p.E + (r * k);
                T sum = p.Sum[r];
                if (needsLoss)
                {
                    T loss = p.Max[r] + p.LogSum[r] - z[y];
                    if ((outputs & SoftmaxPassOutputs.Value) != 0)
                    {
                        value += c * loss;
                    }

                    if ((outputs & SoftmaxPassOutputs.LambdaGradient) != 0)
                    {
                        p.ExampleAdjoints[index] += p.Scale * loss;
                    }
                }

                if ((outputs & (SoftmaxPassOutputs.Gradient | SoftmaxPassOutputs.HessianVector | SoftmaxPassOutputs.CrossAdjoint)) == 0)
                {
                    continue;
                }

                // The probabilities in place of the exponentials.
                for (int j = 0; j < k; j++)
                {
                    ex[j] /= sum;
                }

                T* delta = p.Delta + (r * kp);
                if ((outputs & SoftmaxPassOutputs.Gradient) != 0)
                {
                    for (int j = 0; j < k; j++)
                    {
                        delta[j] = c * ex[j];
                    }

                    delta[y] -= c;
                }

                if (p.Vt == null)
                {
                    continue;
                }

                // ∇²ℓ·ż = p ⊙ (ż − p·ż); ⟨∂ℓ/∂z, ż⟩ = p·ż − ż_y.
                T* zDot = p.ZDot + (r * k);
                T pDot = T.Zero;
                for (int j = 0; j < k; j++)
                {
                    pDot += ex[j] * zDot[j];
                }

                if ((outputs & SoftmaxPassOutputs.HessianVector) != 0)
                {
                    for (int j = 0; j < k; j++)
                    {
                        delta[j] = c * ex[j] * (zDot[j] - pDot);
                    }
                }

                if ((outputs & SoftmaxPassOutputs.CrossAdjoint) != 0)
                {
                    p.ExampleAdjoints[index] += p.Scale * (pDot - zDot[y]);
                }
            }

            return value;
        }

        /// <summary>Gᵀ += Δᵀ·X_b and g_b += Σ Δ rows for the block, rows in order.</summary>
        private static void AddOuter(ref Pass p, T** rows, int count)
        {
            int d = p.Features, kp = p.PaddedClasses;
            int wide = 2 * TOps.Count;
            for (int c0 = 0; c0 < kp; c0 += OuterClassGroup)
            {
                T* delta = p.Delta + c0;
                T* gt = p.Gt + (c0 * p.Stride);
                int j = 0;
                for (; Wide && j + wide <= d; j += wide)
                {
                    MicroKernels.AddOuter2x10<T, TVec, TOps>(count, rows, j, delta, kp, gt, p.Stride);
                }

                for (; j + TOps.Count <= d; j += TOps.Count)
                {
                    MicroKernels.AddOuter1x10<T, TVec, TOps>(count, rows, j, delta, kp, gt, p.Stride);
                }

                for (; j < d; j++)
                {
                    for (int c = 0; c < OuterClassGroup; c++)
                    {
                        T sum = gt[(c * p.Stride) + j];
                        for (int r = 0; r < count; r++)
                        {
                            sum = T.FusedMultiplyAdd(rows[r][j], delta[(r * kp) + c], sum);
                        }

                        gt[(c * p.Stride) + j] = sum;
                    }
                }
            }

            for (int r = 0; r < count; r++)
            {
                for (int c = 0; c < p.Classes; c++)
                {
                    p.Gb[c] += p.Delta[(r * kp) + c];
                }
            }
        }
    }
}
