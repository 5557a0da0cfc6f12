using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cuda;

/// <summary>
/// An optimizer's step, tangent and adjoint on a device: the generated CUDA kernels behind the same
/// <see cref="IVectorizedStep{T}"/> as the generated C# vectorized step, with its names and packed layouts (IVectorizedStep.cs),
/// so that every engine over <see cref="AutoHypergrad.Dynamics.TrainingDynamics{T}"/> runs with the optimizer on the GPU unchanged.
/// <para>
/// Where the operands live (<see cref="SpanStaging{T}"/>): spans over managed memory, where
/// <see cref="CudaStateMemory{T}"/> keeps the engines' state, workspaces and stored trajectory, go to the kernels as
/// they are; host spans are copied to device buffers (kept between calls) and their outputs copied back. Every call
/// has finished when it returns. The device overloads (<see cref="Step(IntPtr, IntPtr, ReadOnlySpan{T}, StepOptions, int)"/>
/// and the others taking device pointers) launch without waiting; the benchmarks time the kernels through them.
/// </para>
/// </summary>
public sealed unsafe class CudaVectorizedStep<T> : IVectorizedStep<T>, IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IVectorizedStep<T> _layout;
    private readonly CudaModuleSource _source;
    private readonly ILoadedModule _module;
    private readonly SpanStaging<T> _staging;

    /// <summary>The vectorized step of <paramref name="optimizer"/> in <typeparamref name="T"/> on <paramref name="device"/>.</summary>
    public CudaVectorizedStep(IKernelDevice device, Optimizer optimizer)
        : this(device, Layout(optimizer), CudaModuleSource.Find<T>(optimizer.Type, "Step")
            ?? throw new ArgumentException($"{optimizer.Name}.Step has no generated CUDA module in {typeof(T).Name}.", nameof(optimizer)))
    {
    }

    /// <summary>
    /// The kernels of <paramref name="module"/> on <paramref name="device"/>, with the names and layouts of
    /// <paramref name="layout"/> (the generated C# vectorized step of the same method).
    /// </summary>
    public CudaVectorizedStep(IKernelDevice device, IVectorizedStep<T> layout, CudaModuleSource module)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(module);
        _layout = layout;
        _source = module;
        _module = device.Load(module);
        _staging = new SpanStaging<T>(device);
    }

    public string Name => _layout.Name;

    public IReadOnlyList<string> StateNames => _layout.StateNames;

    public IReadOnlyList<string> HyperparameterNames => _layout.HyperparameterNames;

    public IReadOnlyList<bool> PerElement => _layout.PerElement;

    public IReadOnlyList<string> OptionNames => _layout.OptionNames;

    /// <summary>The module the kernels come from.</summary>
    public CudaModuleSource Module => _source;

    private int StateCount => _layout.StateNames.Count;

    // ---- IVectorizedStep<T>: spans, staged unless managed ----

    public void Step(Span<T> state, ReadOnlySpan<T> gradient, ReadOnlySpan<T> hyperparameters, StepOptions options)
    {
        int n = gradient.Length;
        CheckLength(state.Length, (long)StateCount * n, nameof(state));
        Step(_staging.In("state", state), _staging.In("gradient", gradient), hyperparameters, options, n);
        _staging.Return("state", state);
    }

    public void Tangents(Span<T> state, Span<T> stateTangents, ReadOnlySpan<T> gradient, ReadOnlySpan<T> gradientTangents, ReadOnlySpan<T> hyperparameters, ReadOnlySpan<T> hyperparameterTangents, StepOptions options)
    {
        int n = gradient.Length;
        int k = Directions(n, gradientTangents.Length, hyperparameterTangents.Length);
        CheckLength(state.Length, (long)StateCount * n, nameof(state));
        CheckLength(stateTangents.Length, (long)StateCount * k * n, nameof(stateTangents));
        CheckLength(gradientTangents.Length, (long)k * n, nameof(gradientTangents));
        CheckLength(hyperparameterTangents.Length, VectorizedStepLayout.HyperparameterTangentLength(_layout, n, k), nameof(hyperparameterTangents));
        Tangents(_staging.In("state", state), _staging.In("stateTangents", stateTangents), _staging.In("gradient", gradient), _staging.In("gradientTangents", gradientTangents), hyperparameters, _staging.In("hyperparameterTangents", hyperparameterTangents), options, n, k);
        _staging.Return("state", state);
        _staging.Return("stateTangents", stateTangents);
    }

    public void Adjoint(ReadOnlySpan<T> state, Span<T> stateAdjoint, ReadOnlySpan<T> gradient, Span<T> gradientAdjoint, ReadOnlySpan<T> hyperparameters, Span<T> hyperparameterAdjoints, StepOptions options)
    {
        int n = gradient.Length;
        CheckLength(state.Length, (long)StateCount * n, nameof(state));
        CheckLength(stateAdjoint.Length, (long)StateCount * n, nameof(stateAdjoint));
        CheckLength(gradientAdjoint.Length, n, nameof(gradientAdjoint));
        CheckLength(hyperparameterAdjoints.Length, VectorizedStepLayout.HyperparameterLength(_layout, n), nameof(hyperparameterAdjoints));
        Adjoint(_staging.In("state", state), _staging.In("stateAdjoint", stateAdjoint), _staging.In("gradient", gradient), _staging.In("gradientAdjoint", gradientAdjoint), hyperparameters, _staging.In("hyperparameterAdjoints", hyperparameterAdjoints), options, n);
        _staging.Return("stateAdjoint", stateAdjoint);
        _staging.Return("gradientAdjoint", gradientAdjoint);
        _staging.Return("hyperparameterAdjoints", hyperparameterAdjoints);
    }

    // ---- Device-resident: pointers to device memory in the same layouts ----

    /// <summary>One step on device memory: <paramref name="state"/> (S·n values) in place, <paramref name="gradient"/> (n).</summary>
    public void Step(IntPtr state, IntPtr gradient, ReadOnlySpan<T> hyperparameters, StepOptions options, int n)
        => Launch(_source.Primal, n, 0, new Operands(state, 0, gradient, 0, Hyperparameters(hyperparameters, n), 0), hyperparameters, options);

    /// <summary>The tangent step on device memory, k directions; <paramref name="hyperparameterTangents"/> on the device too.</summary>
    public void Tangents(IntPtr state, IntPtr stateTangents, IntPtr gradient, IntPtr gradientTangents, ReadOnlySpan<T> hyperparameters, IntPtr hyperparameterTangents, StepOptions options, int n, int k)
        => Launch(_source.Tangent, n, k, new Operands(state, stateTangents, gradient, gradientTangents, Hyperparameters(hyperparameters, n), hyperparameterTangents), hyperparameters, options);

    /// <summary>The adjoint step on device memory; <paramref name="hyperparameterAdjoints"/> on the device, added to.</summary>
    public void Adjoint(IntPtr state, IntPtr stateAdjoint, IntPtr gradient, IntPtr gradientAdjoint, ReadOnlySpan<T> hyperparameters, IntPtr hyperparameterAdjoints, StepOptions options, int n)
        => Launch(_source.Adjoint, n, 0, new Operands(state, stateAdjoint, gradient, gradientAdjoint, Hyperparameters(hyperparameters, n), hyperparameterAdjoints), hyperparameters, options);

    public void Dispose() => _staging.Dispose();

    /// <summary>Device addresses of the packed operands; the derivatives are tangents or adjoints, as the kernel needs.</summary>
    private readonly record struct Operands(IntPtr State, IntPtr StateDerivative, IntPtr Gradient, IntPtr GradientDerivative, IntPtr Hyperparameters, IntPtr HyperparameterDerivatives);

    /// <summary>
    /// Launches <paramref name="kernel"/>, each argument found by the method's parameter it belongs to: a state slot,
    /// the gradient, a hyperparameter (its value, or for a per-element one its n values on the device) or an option.
    /// </summary>
    private void Launch(CudaKernelSignature kernel, int n, int k, Operands operands, ReadOnlySpan<T> hyperparameters, StepOptions options)
    {
        CheckLength(hyperparameters.Length, VectorizedStepLayout.HyperparameterLength(_layout, n), nameof(hyperparameters));
        int count = kernel.Parameters.Count;
        long* slots = stackalloc long[count];
        IntPtr* arguments = stackalloc IntPtr[count];
        for (int a = 0; a < count; a++)
        {
            slots[a] = 0;
            arguments[a] = (IntPtr)(slots + a);
            var p = kernel.Parameters[a];
            var slot = slots + a;
            switch (p.Role)
            {
                case CudaParameterRole.Count:
                    *slot = n;
                    continue;
                case CudaParameterRole.Directions:
                    *(int*)slot = k;
                    continue;
            }

            int s = IndexOf(_layout.StateNames, p.Of);
            int h = IndexOf(_layout.HyperparameterNames, p.Of);
            bool derivative = p.Derivative != CudaDerivative.Value;
            int block = p.Derivative == CudaDerivative.Tangent ? k : 1;
            if (s >= 0)
            {
                *(IntPtr*)slot = Offset(derivative ? operands.StateDerivative : operands.State, (long)s * block * n);
            }
            else if (h >= 0 && p.Role == CudaParameterRole.Uniform)
            {
                *(T*)slot = hyperparameters[VectorizedStepLayout.HyperparameterOffset(_layout, h, n)];
            }
            else if (h >= 0)
            {
                *(IntPtr*)slot = derivative
                    ? Offset(operands.HyperparameterDerivatives, p.Derivative == CudaDerivative.Tangent ? VectorizedStepLayout.HyperparameterTangentOffset(_layout, h, n, k) : VectorizedStepLayout.HyperparameterOffset(_layout, h, n))
                    : Offset(operands.Hyperparameters, VectorizedStepLayout.HyperparameterOffset(_layout, h, n));
            }
            else if (IndexOf(_layout.OptionNames, p.Of) >= 0)
            {
                WriteOption(slot, p, options);
            }
            else
            {
                // The one remaining per-element input: the gradient.
                *(IntPtr*)slot = derivative ? operands.GradientDerivative : operands.Gradient;
            }
        }

        _module.Launch(kernel, n, arguments);
    }

    /// <summary>An option's value as the vectorized step reads it (StepOptions.cs): a real named t is the step number, another real a value, a bool a flag.</summary>
    private static void WriteOption(long* slot, CudaParameter p, StepOptions options)
    {
        double value = p.Of == "t" && p.CType is "double" or "float" ? options.StepNumber : options.Value(p.Of);
        switch (p.CType)
        {
            case "double":
                *(double*)slot = value;
                break;
            case "float":
                *(float*)slot = (float)value;
                break;
            case "bool":
                *(bool*)slot = options.Flag(p.Of);
                break;
            case "int":
                *(int*)slot = checked((int)value);
                break;
            default:
                *slot = checked((long)value);
                break;
        }
    }

    /// <summary>The per-element hyperparameters on the device (uploaded each call); none to upload when all are uniform.</summary>
    private IntPtr Hyperparameters(ReadOnlySpan<T> hyperparameters, int n)
    {
        foreach (bool perElement in _layout.PerElement)
        {
            if (perElement)
            {
                CheckLength(hyperparameters.Length, VectorizedStepLayout.HyperparameterLength(_layout, n), nameof(hyperparameters));
                return _staging.In("hyperparameters", hyperparameters);
            }
        }

        return IntPtr.Zero;
    }

    private int Directions(int n, int gradientTangents, int hyperparameterTangents)
    {
        int uniform = 0;
        foreach (bool perElement in _layout.PerElement)
        {
            uniform += perElement ? 0 : 1;
        }

        return n > 0 ? gradientTangents / n : uniform > 0 ? hyperparameterTangents / uniform : 0;
    }

    private static IntPtr Offset(IntPtr pointer, long elements) => pointer + (nint)(elements * Unsafe.SizeOf<T>());

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckLength(long actual, long expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual}; the step needs {expected} (layouts in IVectorizedStep<T>).", name);
        }
    }

    private static IVectorizedStep<T> Layout(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.Step<T>();
    }
}
