using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Cuda;

/// <summary>
/// <see cref="Objectives.Models.WeightedSoftmaxRegression{T}"/> on a device: the same J(W, b; λ) = (1/B)·Σ cᵢℓᵢ,
/// ℓᵢ = log Σ_k e^{z_ik} − z_{i,yᵢ}, zᵢ = xᵢ·W + b, cᵢ = λ[example index] with example weights, else 1; the same
/// parameter layout (W, d × K row-major, then b) and hyperparameter block (<c>weights</c>, one per training example,
/// default 1). The data set is uploaded once and stays on the device for the object's lifetime.
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
public sealed unsafe class CudaSoftmaxRegression<T> : IObjective<T>, IDisposable
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
    private readonly string _source;
    private readonly int _features;
    private readonly int _classes;
    private readonly int _exampleWeights = -1;

    // Per example, its occurrences so far in the batch being prepared: zero between calls.
    private readonly int[] _seen;
    private int[] _rounds = [];
    private DeviceBuffer<T>? _ones;

    private CudaSoftmaxRegression(IKernelDevice device, Dataset<T> data, bool exampleWeights)
    {
        _device = device;
        _source = data.Source;
        _features = data.FeatureCount;
        _classes = data.ClassCount;
        ExampleCount = data.Count;
        var layout = new HyperparameterLayout.Builder();
        if (exampleWeights)
        {
            _exampleWeights = layout.Add("weights", data.Count, 1.0, "the weight of each training example in the loss");
        }

        Hyperparameters = layout.Build();
        ParameterCount = (_features * _classes) + _classes;
        _seen = new int[data.Count];
        _kernels = SoftmaxRegressionKernels.Of<T>();
        _module = device.Load(_kernels.Program);
        _staging = new SpanStaging<T>(device);
        _batchStaging = new SpanStaging<int>(device);
        _x = new DeviceBuffer<T>(device, data.Features.AsSpan(0, data.Count * data.FeatureCount));
        _labels = new DeviceBuffer<int>(device, data.Labels);
    }

    public int ParameterCount { get; }

    public HyperparameterLayout Hyperparameters { get; }

    public int ExampleCount { get; }

    /// <summary>
    /// Softmax regression (with a bias) on <paramref name="data"/>'s classes, on <paramref name="device"/>: J = (1/B)·Σ
    /// λᵢℓᵢ with one example weight per training example in λ (block <c>weights</c>, default 1) when
    /// <paramref name="exampleWeights"/>, else the mean loss and no hyperparameters.
    /// </summary>
    /// <exception cref="ArgumentException">The data have regression targets or fewer than two classes.</exception>
    public static CudaSoftmaxRegression<T> Create(IKernelDevice device, Dataset<T> data, bool exampleWeights)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsClassification || data.ClassCount < 2)
        {
            throw new ArgumentException($"Softmax regression needs class labels of at least two classes; {data.Source} has {(data.IsClassification ? data.ClassCount + " class" : "regression targets")}.", nameof(data));
        }

        return new CudaSoftmaxRegression<T>(device, data, exampleWeights);
    }

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
        => Run(w, ExampleWeights("lambda", lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxRegressionKernels.Outputs.Value, Span<T>.Empty, Span<T>.Empty);

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        CheckLength(gradient.Length, ParameterCount, nameof(gradient), "parameters");
        return Run(w, ExampleWeights("lambda", lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxRegressionKernels.Outputs.Value | SoftmaxRegressionKernels.Outputs.Gradient, gradient, Span<T>.Empty);
    }

    public void HessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result)
        => HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, Span<T>.Empty);

    public void CrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> lambdaDot, Span<T> result)
    {
        Check(w, lambda);
        CheckLength(lambdaDot.Length, Hyperparameters.Count, nameof(lambdaDot), "hyperparameters");
        CheckLength(result.Length, ParameterCount, nameof(result), "parameters");
        if (_exampleWeights >= 0 && lambdaDot.Slice(_exampleWeights, ExampleCount).ContainsAnyExcept(T.Zero))
        {
            // ∇J is linear in the example weights: its derivative along λ̇ is the gradient weighted by λ̇.
            Run(w, ExampleWeights(nameof(lambdaDot), lambdaDot), ReadOnlySpan<T>.Empty, batch, SoftmaxRegressionKernels.Outputs.Gradient, result, Span<T>.Empty);
        }
        else
        {
            result.Clear();
        }
    }

    public void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            Run(w, ExampleWeights("lambda", lambda), v, batch, SoftmaxRegressionKernels.Outputs.CrossAdjoint, Span<T>.Empty, lambdaBar);
        }
    }

    public void HyperGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            Run(w, ExampleWeights("lambda", lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxRegressionKernels.Outputs.HyperGradient, Span<T>.Empty, lambdaBar);
        }
    }

    /// <summary>H·v and (∂∇J/∂λ)ᵀ·v from one forward pass (an empty <paramref name="lambdaBar"/>: H·v alone).</summary>
    public void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
    {
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(result.Length, ParameterCount, nameof(result), "parameters");
        var outputs = SoftmaxRegressionKernels.Outputs.HessianVector;
        var adjoints = Span<T>.Empty;
        if (!lambdaBar.IsEmpty)
        {
            CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
            if (_exampleWeights >= 0)
            {
                outputs |= SoftmaxRegressionKernels.Outputs.CrossAdjoint;
                adjoints = lambdaBar;
            }
        }

        Run(w, ExampleWeights("lambda", lambda), v, batch, outputs, result, adjoints);
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
    /// One pass over the batch with example coefficients <paramref name="weights"/> (a device address; zero: 1):
    /// writes the gradient or H·v into <paramref name="result"/> and adds the example adjoints to
    /// <paramref name="lambdaBar"/>, as <paramref name="outputs"/> asks; returns J when it asks for the value.
    /// </summary>
    private T Run(ReadOnlySpan<T> w, IntPtr weights, ReadOnlySpan<T> v, Batch batch, SoftmaxRegressionKernels.Outputs outputs, Span<T> result, Span<T> lambdaBar)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        int rows = batch.Count(ExampleCount);
        if (rows == 0)
        {
            throw new ArgumentException($"The batch is empty; {_source} has {ExampleCount} examples.", nameof(batch));
        }

        batch.Validate(ExampleCount);
        int d = _features, k = _classes;
        nint biasOffset = (nint)d * k * sizeof(T);
        IntPtr wPointer = _staging.In("w", w);
        bool tangent = (outputs & (SoftmaxRegressionKernels.Outputs.HessianVector | SoftmaxRegressionKernels.Outputs.CrossAdjoint)) != 0;
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

        bool value = (outputs & SoftmaxRegressionKernels.Outputs.Value) != 0;
        bool backward = (outputs & (SoftmaxRegressionKernels.Outputs.Gradient | SoftmaxRegressionKernels.Outputs.HessianVector)) != 0;
        bool adjoints = (outputs & (SoftmaxRegressionKernels.Outputs.CrossAdjoint | SoftmaxRegressionKernels.Outputs.HyperGradient)) != 0;
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
            IntPtr target = _staging.In("lambdaBar", lambdaBar) + (nint)_exampleWeights * sizeof(T);
            int rounds = batch.IsFull ? 1 : Rounds(batch.Indices);
            IntPtr occurrences = rounds > 1 ? _batchStaging.In("rounds", _rounds.AsSpan(0, rows)) : IntPtr.Zero;
            for (int round = 0; round < rounds; round++)
            {
                LaunchScatterAdd(rows, round, indices, occurrences, rowAdjoint, target);
            }

            _staging.Return("lambdaBar", lambdaBar);
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
        int features = _features;
        IntPtr x = _x.Pointer;
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&count), (IntPtr)(&features), (IntPtr)(&indices), (IntPtr)(&x), (IntPtr)(&batchRows) };
        _module.Launch(_kernels.Gather, (long)rows * _features, arguments);
    }

    private void LaunchHead(
        int rows, SoftmaxRegressionKernels.Outputs outputs, T scale, IntPtr indices, IntPtr weights, IntPtr z, IntPtr bias, IntPtr zDot, IntPtr biasDot, IntPtr loss, IntPtr delta, IntPtr rowAdjoint)
    {
        long count = rows;
        int classes = _classes, flags = (int)outputs;
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

    /// <summary>The device address of the example weights in <paramref name="lambda"/> (staged under <paramref name="name"/>), or zero without them.</summary>
    private IntPtr ExampleWeights(string name, ReadOnlySpan<T> lambda)
    {
        CheckLength(lambda.Length, Hyperparameters.Count, name, "hyperparameters");
        return _exampleWeights < 0 ? IntPtr.Zero : _staging.In(name, lambda) + (nint)_exampleWeights * sizeof(T);
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

    private void Check(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        CheckLength(lambda.Length, Hyperparameters.Count, nameof(lambda), "hyperparameters");
    }

    private static void CheckLength(int length, int expected, string name, string what)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has length {length}; this softmax objective has {expected} {what}.", name);
        }
    }
}
