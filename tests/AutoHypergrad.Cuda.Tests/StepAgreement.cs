using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using AutoHypergrad.Engines;
using AutoHypergrad.Optimizers;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// One step, its tangent (k directions) and its adjoint of an optimizer, on random inputs, through a
/// <see cref="CudaStepKernel{T}"/> on some device, against the generated C# step kernel. The C# side runs element by
/// element (n = 1 each, so that its span drivers take their scalar kernel, and the uniform adjoints are summed in
/// element order): the same operations in the same order as one CUDA thread that visits every element.
/// </summary>
public sealed class StepAgreement<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const int Directions = 3;

    private readonly OptimizerDescriptor _optimizer;
    private readonly IStepKernel<T> _cpu;
    private readonly int _n;
    private readonly T[] _state;
    private readonly T[] _gradient;
    private readonly T[] _hyperparameters;
    private readonly T[] _stateTangents;
    private readonly T[] _gradientTangents;
    private readonly T[] _hyperparameterTangents;
    private readonly T[] _stateAdjoint;
    private readonly T[] _gradientAdjoint;

    public StepAgreement(OptimizerDescriptor optimizer, int n, int seed)
    {
        _optimizer = optimizer;
        _cpu = optimizer.Kernel<T>();
        _n = n;
        var random = new Random(seed);
        T Uniform(double low, double high) => T.CreateChecked(low + (high - low) * random.NextDouble());
        int s = _cpu.StateNames.Count;
        // The weight and the gradient of either sign; the optimizer state positive (second moments, accumulators).
        _state = Enumerable.Range(0, s * n).Select(i => i < n ? Uniform(-1, 1) : Uniform(0.01, 1)).ToArray();
        _gradient = Enumerable.Range(0, n).Select(_ => Uniform(-1, 1)).ToArray();
        _hyperparameters = new T[StepKernelLayout.HyperparameterLength(_cpu, n)];
        for (int h = 0; h < optimizer.Hyperparameters.Count; h++)
        {
            var d = optimizer.Hyperparameters[h];
            // Defaults, moved by up to 10% (a default of 0, such as wd, becomes up to 0.01).
            double Value() => d.Default == 0 ? 0.01 * random.NextDouble() : d.Default * (1 + 0.1 * (random.NextDouble() - 0.5));
            int offset = StepKernelLayout.HyperparameterOffset(_cpu, h, n);
            for (int i = 0; i < StepKernelLayout.HyperparameterSize(_cpu, h, n); i++)
            {
                _hyperparameters[offset + i] = T.CreateChecked(Value());
            }
        }

        _stateTangents = Enumerable.Range(0, s * Directions * n).Select(_ => Uniform(-1, 1)).ToArray();
        _gradientTangents = Enumerable.Range(0, Directions * n).Select(_ => Uniform(-1, 1)).ToArray();
        _hyperparameterTangents = Enumerable.Range(0, StepKernelLayout.HyperparameterTangentLength(_cpu, n, Directions)).Select(_ => Uniform(-1, 1)).ToArray();
        _stateAdjoint = Enumerable.Range(0, s * n).Select(_ => Uniform(-1, 1)).ToArray();
        _gradientAdjoint = Enumerable.Range(0, n).Select(_ => Uniform(-1, 1)).ToArray();
    }

    /// <summary>Every flag on or off, the step number 3.</summary>
    public StepOptions Options(bool flags)
        => new(3, _optimizer.Options.Where(o => o != "t").ToDictionary(o => o, _ => flags ? 1.0 : 0.0));

    /// <summary>The outputs of step, tangent and adjoint, by name: "state", "stateTangents", "stateAdjoint", …</summary>
    public Dictionary<string, T[]> Run(IStepKernel<T> kernel, StepOptions options)
    {
        var state = (T[])_state.Clone();
        kernel.Step(state, _gradient, _hyperparameters, options);
        var tangentState = (T[])_state.Clone();
        var stateTangents = (T[])_stateTangents.Clone();
        kernel.Tangents(tangentState, stateTangents, _gradient, _gradientTangents, _hyperparameters, _hyperparameterTangents, options);
        var stateAdjoint = (T[])_stateAdjoint.Clone();
        var gradientAdjoint = (T[])_gradientAdjoint.Clone();
        var hyperparameterAdjoints = new T[_hyperparameters.Length];
        kernel.Adjoint(_state, stateAdjoint, _gradient, gradientAdjoint, _hyperparameters, hyperparameterAdjoints, options);
        return new Dictionary<string, T[]>
        {
            ["state"] = state,
            ["tangentState"] = tangentState,
            ["stateTangents"] = stateTangents,
            ["stateAdjoint"] = stateAdjoint,
            ["gradientAdjoint"] = gradientAdjoint,
            ["hyperparameterAdjoints"] = hyperparameterAdjoints,
        };
    }

    /// <summary>The C# step kernel, element by element, in the full layouts.</summary>
    public Dictionary<string, T[]> RunElementwise(StepOptions options)
    {
        int s = _cpu.StateNames.Count, k = Directions, n = _n, hCount = _cpu.HyperparameterNames.Count;
        var result = new Dictionary<string, T[]>
        {
            ["state"] = new T[s * n],
            ["tangentState"] = new T[s * n],
            ["stateTangents"] = new T[s * k * n],
            ["stateAdjoint"] = new T[s * n],
            ["gradientAdjoint"] = new T[n],
            ["hyperparameterAdjoints"] = new T[_hyperparameters.Length],
        };

        // The uniform adjoints run on from element to element; a per-element one is its element's alone.
        var adjoints1 = new T[StepKernelLayout.HyperparameterLength(_cpu, 1)];
        for (int i = 0; i < n; i++)
        {
            var state1 = Enumerable.Range(0, s).Select(b => _state[b * n + i]).ToArray();
            var hyper1 = Enumerable.Range(0, hCount).Select(h => _hyperparameters[StepKernelLayout.HyperparameterOffset(_cpu, h, n) + (_cpu.PerElement[h] ? i : 0)]).ToArray();
            var stepped = (T[])state1.Clone();
            _cpu.Step(stepped, [_gradient[i]], hyper1, options);

            var tangentState = (T[])state1.Clone();
            var stateTangents1 = new T[s * k];
            for (int b = 0; b < s; b++)
            {
                for (int j = 0; j < k; j++)
                {
                    stateTangents1[b * k + j] = _stateTangents[(b * k + j) * n + i];
                }
            }

            var gradientTangents1 = Enumerable.Range(0, k).Select(j => _gradientTangents[j * n + i]).ToArray();
            var hyperTangents1 = new T[hCount * k];
            for (int h = 0; h < hCount; h++)
            {
                int offset = StepKernelLayout.HyperparameterTangentOffset(_cpu, h, n, k);
                for (int j = 0; j < k; j++)
                {
                    hyperTangents1[h * k + j] = _hyperparameterTangents[offset + j * (_cpu.PerElement[h] ? n : 1) + (_cpu.PerElement[h] ? i : 0)];
                }
            }

            _cpu.Tangents(tangentState, stateTangents1, [_gradient[i]], gradientTangents1, hyper1, hyperTangents1, options);

            var stateAdjoint1 = Enumerable.Range(0, s).Select(b => _stateAdjoint[b * n + i]).ToArray();
            T[] gradientAdjoint1 = [_gradientAdjoint[i]];
            for (int h = 0; h < hCount; h++)
            {
                if (_cpu.PerElement[h])
                {
                    adjoints1[h] = T.Zero;
                }
            }

            _cpu.Adjoint(state1, stateAdjoint1, [_gradient[i]], gradientAdjoint1, hyper1, adjoints1, options);

            for (int b = 0; b < s; b++)
            {
                result["state"][b * n + i] = stepped[b];
                result["tangentState"][b * n + i] = tangentState[b];
                result["stateAdjoint"][b * n + i] = stateAdjoint1[b];
                for (int j = 0; j < k; j++)
                {
                    result["stateTangents"][(b * k + j) * n + i] = stateTangents1[b * k + j];
                }
            }

            result["gradientAdjoint"][i] = gradientAdjoint1[0];
            for (int h = 0; h < hCount; h++)
            {
                result["hyperparameterAdjoints"][StepKernelLayout.HyperparameterOffset(_cpu, h, n) + (_cpu.PerElement[h] ? i : 0)] = adjoints1[h];
            }
        }

        return result;
    }

    /// <summary>Fails on the first output value whose bits differ.</summary>
    public static void AssertBitwiseEqual(Dictionary<string, T[]> expected, Dictionary<string, T[]> actual, string what)
    {
        foreach (var (name, values) in expected)
        {
            var other = actual[name];
            Assert.Equal(values.Length, other.Length);
            for (int i = 0; i < values.Length; i++)
            {
                var a = MemoryMarshal.AsBytes(values.AsSpan(i, 1));
                var b = MemoryMarshal.AsBytes(other.AsSpan(i, 1));
                Assert.True(a.SequenceEqual(b), $"{what}: {name}[{i}] is {other[i]:R} on the device and {values[i]:R} in C#.");
            }
        }
    }

    /// <summary>Fails on the first output value that differs by more than <paramref name="relative"/> of the output's largest magnitude.</summary>
    public static void AssertClose(Dictionary<string, T[]> expected, Dictionary<string, T[]> actual, double relative, string what)
    {
        foreach (var (name, values) in expected)
        {
            var other = actual[name];
            double scale = values.Max(v => Math.Abs(double.CreateChecked(v)));
            for (int i = 0; i < values.Length; i++)
            {
                double difference = Math.Abs(double.CreateChecked(values[i]) - double.CreateChecked(other[i]));
                Assert.True(difference <= relative * scale, $"{what}: {name}[{i}] is {other[i]:R} on the device and {values[i]:R} in C# (difference {difference:G3}, allowed {relative * scale:G3}).");
            }
        }
    }
}
