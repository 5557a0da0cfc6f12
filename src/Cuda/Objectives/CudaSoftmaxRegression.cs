using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cuda;

/// <summary>
/// <see cref="SoftmaxRegressionObjective{T}"/> on a device, as <see cref="WeightedSoftmaxRegression{T}"/> is on the
/// CPU: the same J(W, b; λ) = (1/B)·Σ cᵢℓᵢ, ℓᵢ = log Σ_k e^{z_ik} − z_{i,yᵢ}, zᵢ = xᵢ·W + b, cᵢ = λ[example index]
/// with example weights, else 1; the same parameter layout (W, d × K row-major, then b), hyperparameter block
/// (<c>weights</c>, one per training example, default 1) and argument checks, which the base class holds. The data
/// set is uploaded once and stays on the device for the object's lifetime.
/// <para>
/// A call: the batch's rows (X itself for the full batch, else gathered), Z = X_b·W (and Ż = X_b·V) by GEMM, the loss
/// head per row (<see cref="SoftmaxRegressionKernels"/>), then by GEMM again the backward product Xᵀ_b·Δ, the bias's
/// Δᵀ·1 and the value 1ᵀ·(cᵢℓᵢ), and the example adjoints added to λ̄ in rounds. Nothing is summed by atomics, so
/// every result is a function of the arguments alone, to the bit, on the device it runs on.
/// </para>
/// <para>
/// The spans go through <see cref="SpanStaging{T}"/>: over managed memory they reach the kernels as they are, others
/// are copied to device buffers and the outputs copied back. Every call has finished when it returns.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed unsafe class CudaSoftmaxRegression<T> : SoftmaxRegressionObjective<T>, IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IKernelDevice _device;
    private readonly SoftmaxRegressionKernels _kernels;
    private readonly ILoadedModule _module;
    private readonly SpanStaging<T> _staging;
    private readonly SpanStaging<int> _batchStaging;
    private readonly DeviceBuffer<T> _x;
    private readonly DeviceBuffer<int> _labels;
    private readonly Dictionary<string, DeviceBuffer<T>> _workspaces = new(StringComparer.Ordinal);

    // Per example, its occurrences so far in the batch being prepared: zero between calls.
    private readonly int[] _seen;
    private int[] _rounds = [];
    private DeviceBuffer<T>? _ones;

    private CudaSoftmaxRegression(IKernelDevice device, Dataset<T> data, bool exampleWeights)
        : base(data, exampleWeights)
    {
        _device = device;
        _seen = new int[data.Count];
        _kernels = SoftmaxRegressionKernels.Of<T>();
        _module = device.Load(_kernels.Program);
        _staging = new SpanStaging<T>(device);
        _batchStaging = new SpanStaging<int>(device);
        _x = new DeviceBuffer<T>(device, data.Features.AsSpan(0, data.Count * data.FeatureCount));
        _labels = new DeviceBuffer<int>(device, data.Labels);
    }

    /// <summary>
    /// Softmax regression (with a bias) on <paramref name="data"/>'s classes, on <paramref name="device"/>: J = (1/B)·Σ
    /// λᵢℓᵢ with one example weight per training example in λ (block <c>weights</c>, default 1) when
    /// <paramref name="exampleWeights"/>, else the mean loss and no hyperparameters.
    /// </summary>
    /// <exception cref="ArgumentException">The data have regression targets or fewer than two classes.</exception>
    public static CudaSoftmaxRegression<T> Create(IKernelDevice device, Dataset<T> data, bool exampleWeights)
    {
        ArgumentNullException.ThrowIfNull(device);
        CheckData(data);
        return new CudaSoftmaxRegression<T>(device, data, exampleWeights);
    }

    public void Dispose()
    {
        _staging.Dispose();
        _batchStaging.Dispose();
        _x.Dispose();
        _labels.Dispose();
        _ones?.Dispose();
        foreach (var buffer in _workspaces.Values)
        {
            buffer.Dispose();
        }

        _workspaces.Clear();
    }

    /// <summary>
    /// One pass on the device: the batch's rows, the forward GEMMs, the loss head, then the backward GEMMs into
    /// <paramref name="result"/>, the example adjoints into <paramref name="exampleAdjoints"/> and the value, as
    /// <paramref name="outputs"/> asks.
    /// </summary>
    protected override T Run(
        ReadOnlySpan<T> w, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> v, Batch batch, int rows, SoftmaxPassOutputs outputs, Span<T> result, Span<T> exampleAdjoints)
    {
        int d = Features, k = Classes;
        nint biasOffset = (nint)d * k * sizeof(T);
        IntPtr wPointer = _staging.In("w", w);
        IntPtr weights = _staging.In("weights", coefficients);
        bool tangent = (outputs & (SoftmaxPassOutputs.HessianVector | SoftmaxPassOutputs.CrossAdjoint)) != 0;
        IntPtr vPointer = tangent ? _staging.In("v", v) : IntPtr.Zero;
        IntPtr indices = IntPtr.Zero, x = _x.Pointer;
        if (!batch.IsFull)
        {
            indices = _batchStaging.In("indices", batch.Indices);
            x = Workspace("batchRows", (long)rows * d);
            LaunchGather(rows, indices, x);
        }

        // The forward products, without the bias (the head adds it).
        IntPtr z = Workspace("z", (long)rows * k);
        _device.GemmRowMajor(false, false, rows, k, d, T.One, x, d, wPointer, k, T.Zero, z, k);
        IntPtr zDot = IntPtr.Zero;
        if (tangent)
        {
            zDot = Workspace("zDot", (long)rows * k);
            _device.GemmRowMajor(false, false, rows, k, d, T.One, x, d, vPointer, k, T.Zero, zDot, k);
        }

        bool value = (outputs & SoftmaxPassOutputs.Value) != 0;
        bool backward = (outputs & (SoftmaxPassOutputs.Gradient | SoftmaxPassOutputs.HessianVector)) != 0;
        bool adjoints = (outputs & (SoftmaxPassOutputs.CrossAdjoint | SoftmaxPassOutputs.LambdaGradient)) != 0;
        IntPtr loss = value ? Workspace("loss", rows) : IntPtr.Zero;
        IntPtr delta = backward ? Workspace("delta", (long)rows * k) : IntPtr.Zero;
        IntPtr rowAdjoint = adjoints ? Workspace("rowAdjoint", rows) : IntPtr.Zero;
        LaunchHead(
            rows, outputs, T.One / T.CreateTruncating(rows), indices, weights, z, wPointer + biasOffset, zDot, tangent ? vPointer + biasOffset : IntPtr.Zero, loss, delta, rowAdjoint);

        if (backward)
        {
            // ∇_W = X_bᵀ·Δ and ∇_b = Δᵀ·1 (1ᵀ·Δ as a 1 × K product), written in place of the result.
            IntPtr output = _staging.Out("result", result);
            _device.GemmRowMajor(true, false, d, k, rows, T.One, x, d, delta, k, T.Zero, output, k);
            _device.GemmRowMajor(false, false, 1, k, rows, T.One, Ones(rows), rows, delta, k, T.Zero, output + biasOffset, k);
            _staging.Return("result", result);
        }

        if (adjoints)
        {
            IntPtr target = _staging.In("exampleAdjoints", exampleAdjoints);
            int rounds = batch.IsFull ? 1 : Rounds(batch.Indices);
            IntPtr occurrences = rounds > 1 ? _batchStaging.In("rounds", _rounds.AsSpan(0, rows)) : IntPtr.Zero;
            for (int round = 0; round < rounds; round++)
            {
                LaunchScatterAdd(rows, round, indices, occurrences, rowAdjoint, target);
            }

            _staging.Return("exampleAdjoints", exampleAdjoints);
        }

        if (!value)
        {
            return T.Zero;
        }

        // J = 1ᵀ·(cᵢℓᵢ), a 1 × 1 product.
        IntPtr sum = Workspace("value", 1);
        _device.GemmRowMajor(false, false, 1, 1, rows, T.One, Ones(rows), rows, loss, 1, T.Zero, sum, 1);
        Span<T> j = stackalloc T[1];
        _workspaces["value"].Download(j);
        return j[0];
    }

    /// <summary>
    /// How many rounds the example adjoints of a batch with these indices take: round r adds the rows holding the
    /// r-th occurrence of their index (in batch order), so that no round adds to one element twice. Leaves the rows'
    /// occurrence numbers in the first entries of <see cref="_rounds"/>.
    /// </summary>
    private int Rounds(ReadOnlySpan<int> indices)
    {
        if (_rounds.Length < indices.Length)
        {
            _rounds = new int[indices.Length];
        }

        int most = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            _rounds[i] = _seen[indices[i]]++;
            most = Math.Max(most, _rounds[i]);
        }

        foreach (int index in indices)
        {
            _seen[index] = 0;
        }

        return most + 1;
    }

    private void LaunchGather(int rows, IntPtr indices, IntPtr batchRows)
    {
        long count = rows;
        int features = Features;
        IntPtr x = _x.Pointer;
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&count), (IntPtr)(&features), (IntPtr)(&indices), (IntPtr)(&x), (IntPtr)(&batchRows) };
        _module.Launch(_kernels.Gather, (long)rows * Features, arguments);
    }

    private void LaunchHead(
        int rows, SoftmaxPassOutputs outputs, T scale, IntPtr indices, IntPtr weights, IntPtr z, IntPtr bias, IntPtr zDot, IntPtr biasDot, IntPtr loss, IntPtr delta, IntPtr rowAdjoint)
    {
        long count = rows;
        int classes = Classes, flags = (int)outputs;
        IntPtr labels = _labels.Pointer;
        IntPtr* arguments = stackalloc IntPtr[]
        {
            (IntPtr)(&count), (IntPtr)(&classes), (IntPtr)(&flags), (IntPtr)(&scale), (IntPtr)(&indices), (IntPtr)(&labels), (IntPtr)(&weights),
            (IntPtr)(&z), (IntPtr)(&bias), (IntPtr)(&zDot), (IntPtr)(&biasDot), (IntPtr)(&loss), (IntPtr)(&delta), (IntPtr)(&rowAdjoint),
        };
        _module.Launch(_kernels.Head, rows, arguments);
    }

    private void LaunchScatterAdd(int rows, int round, IntPtr indices, IntPtr rounds, IntPtr rowAdjoint, IntPtr exampleAdjoints)
    {
        long count = rows;
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&count), (IntPtr)(&round), (IntPtr)(&indices), (IntPtr)(&rounds), (IntPtr)(&rowAdjoint), (IntPtr)(&exampleAdjoints) };
        _module.Launch(_kernels.ScatterAdd, rows, arguments);
    }

    /// <summary>A device buffer of at least <paramref name="length"/> elements kept under <paramref name="name"/>, grown when short.</summary>
    private IntPtr Workspace(string name, long length)
    {
        if (!_workspaces.TryGetValue(name, out var buffer) || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = new DeviceBuffer<T>(_device, length);
            _workspaces[name] = buffer;
        }

        return buffer.Pointer;
    }

    /// <summary>At least <paramref name="rows"/> ones on the device: the reductions over rows are products with them.</summary>
    private IntPtr Ones(int rows)
    {
        if (_ones is null || _ones.Length < rows)
        {
            _ones?.Dispose();
            _ones = new DeviceBuffer<T>(_device, Enumerable.Repeat(T.One, Math.Max(rows, ExampleCount)).ToArray());
        }

        return _ones.Pointer;
    }
}
