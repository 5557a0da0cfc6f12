using System;
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
/// Every result is a function of the arguments to the bit: the blocks, the order of every sum (rows in batch order,
/// features in index order within each vector lane) and the vector width are fixed, and no reduction depends on where
/// an array lies in memory. Calls keep no state between them, so a Hessian-vector product recomputes the forward pass
/// it needs.
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
    // Gᵀ, the gradient of b, and the per-block outputs, exponentials, maxima, normalizers, their logarithms and output
    // gradients.
    private readonly T[] _buffer;
    private readonly T* _wt;
    private readonly T* _vt;
    private readonly T* _gt;
    private readonly T* _gb;
    private readonly T* _z;
    private readonly T* _zDot;
    private readonly T* _e;
    private readonly T* _max;
    private readonly T* _sum;
    private readonly T* _logSum;
    private readonly T* _delta;

    private WeightedSoftmaxRegression(Dataset<T> data, bool exampleWeights)
        : base(data, exampleWeights)
    {
        _data = data;
        _paddedClasses = (Classes + OuterClassGroup - 1) / OuterClassGroup * OuterClassGroup;
        int perLine = 64 / sizeof(T);
        _stride = (Features + perLine - 1) / perLine * perLine;
        nint matrix = _paddedClasses * _stride;
        int[] lengths =
        [
            (int)matrix, (int)matrix, (int)matrix, Classes, BlockRows * Classes, BlockRows * Classes, BlockRows * Classes,
            BlockRows, BlockRows, BlockRows, BlockRows * _paddedClasses,
        ];
        int total = perLine;
        foreach (int length in lengths)
        {
            total += (length + perLine - 1) / perLine * perLine;
        }

        // Zero-filled: the padded classes of Wᵀ, Vᵀ and Δ stay zero (they are never written).
        _buffer = GC.AllocateArray<T>(total, pinned: true);
        T* next = (T*)(((nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _buffer[0]) + 63) & ~(nint)63);
        T* Take(int length)
        {
            T* start = next;
            next += (length + perLine - 1) / perLine * perLine;
            return start;
        }

        _wt = Take(lengths[0]);
        _vt = Take(lengths[1]);
        _gt = Take(lengths[2]);
        _gb = Take(lengths[3]);
        _z = Take(lengths[4]);
        _zDot = Take(lengths[5]);
        _e = Take(lengths[6]);
        _max = Take(lengths[7]);
        _sum = Take(lengths[8]);
        _logSum = Take(lengths[9]);
        _delta = Take(lengths[10]);
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

    /// <summary>
    /// Softmax regression (with a bias) on <paramref name="data"/>'s classes: J = (1/B)·Σ λᵢℓᵢ with one example
    /// weight per training example in λ (block <c>weights</c>, default 1) when <paramref name="exampleWeights"/>,
    /// else the mean loss and no hyperparameters.
    /// </summary>
    /// <exception cref="ArgumentException">The data have regression targets or fewer than two classes.</exception>
    public static WeightedSoftmaxRegression<T> Create(Dataset<T> data, bool exampleWeights)
    {
        CheckData(data);
        return new WeightedSoftmaxRegression<T>(data, exampleWeights);
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
        if (backward)
        {
            new Span<T>(_gt, _paddedClasses * (int)_stride).Clear();
            new Span<T>(_gb, k).Clear();
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
                Rows = rows,
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
                Gt = _gt,
                Gb = _gb,
                ExampleAdjoints = exampleAdjoints.IsEmpty ? null : adjoints,
                Z = _z,
                ZDot = _zDot,
                E = _e,
                Max = _max,
                Sum = _sum,
                LogSum = _logSum,
                Delta = _delta,
            };
            value = _run(ref pass);
        }

        if (backward)
        {
            for (int j = 0; j < d; j++)
            {
                var row = result.Slice(j * k, k);
                for (int c = 0; c < k; c++)
                {
                    row[c] = _gt[(c * _stride) + j];
                }
            }

            new ReadOnlySpan<T>(_gb, k).CopyTo(result.Slice(d * k, k));
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

    /// <summary>The arguments of one pass, as pointers into pinned or fixed memory.</summary>
    private struct Pass
    {
        public int Rows;
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
        public T* Gt;
        public T* Gb;
        public T* ExampleAdjoints;
        public T* Z;
        public T* ZDot;
        public T* E;
        public T* Max;
        public T* Sum;
        public T* LogSum;
        public T* Delta;
    }

    /// <summary>The passes at one vector width.</summary>
    private static class Passes<TVec, TOps>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        public static T Run(ref Pass p)
        {
            T value = T.Zero;
            T** rows = stackalloc T*[BlockRows];
            T* sums = stackalloc T[RowGroup * ClassGroup];
            for (int start = 0; start < p.Rows; start += BlockRows)
            {
                int count = Math.Min(BlockRows, p.Rows - start);
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
                MicroKernels.Dot4x5<T, TVec, TOps>(p.Features, 0, a0, a1, a2, a3, transposed + (c0 * p.Stride), p.Stride, sums);
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
                for (; j + wide <= d; j += wide)
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
