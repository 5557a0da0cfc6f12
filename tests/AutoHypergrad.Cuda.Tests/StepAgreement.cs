using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// One step, its tangent (k directions) and its adjoint of an optimizer, on random inputs, through a
/// <see cref="CudaVectorizedStep{T}"/> on some device, against the generated C# vectorized step applied element by element
/// (<see cref="ElementwiseVectorizedStep{T}"/>).
/// </summary>
public sealed class StepAgreement<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const int Directions = 3;

    private readonly Optimizer _optimizer;
    private readonly IVectorizedStep<T> _cpu;
    private readonly int _n;
    private readonly T[] _state;
    private readonly T[] _gradient;
    private readonly T[] _hyperparameters;
    private readonly T[] _stateTangents;
    private readonly T[] _gradientTangents;
    private readonly T[] _hyperparameterTangents;
    private readonly T[] _stateAdjoint;
    private readonly T[] _gradientAdjoint;

    public StepAgreement(Optimizer optimizer, int n, int seed)
    {
        _optimizer = optimizer;
        _cpu = optimizer.Step<T>();
        _n = n;
        var random = new Random(seed);
        T Uniform(double low, double high) => T.CreateChecked(low + (high - low) * random.NextDouble());
        int s = _cpu.StateNames.Count;
        // The weight and the gradient of either sign; the optimizer state positive (second moments, accumulators).
        _state = Enumerable.Range(0, s * n).Select(i => i < n ? Uniform(-1, 1) : Uniform(0.01, 1)).ToArray();
        _gradient = Enumerable.Range(0, n).Select(_ => Uniform(-1, 1)).ToArray();
        _hyperparameters = new T[VectorizedStepLayout.HyperparameterLength(_cpu, n)];
        for (int h = 0; h < optimizer.Hyperparameters.Count; h++)
        {
            var d = optimizer.Hyperparameters[h];
            // Defaults, moved by up to ±5% (a decay rate's distance from 1, so that it stays in [0, 1); a default of 0,
            // such as wd, becomes up to 0.01).
            double Value()
            {
                double factor = 1 + 0.1 * (random.NextDouble() - 0.5);
                return d.Default == 0 ? 0.01 * random.NextDouble()
                    : d.Domain == HyperparameterDomain.UnitInterval ? 1 - (1 - d.Default) * factor
                    : d.Default * factor;
            }
            int offset = VectorizedStepLayout.HyperparameterOffset(_cpu, h, n);
            for (int i = 0; i < VectorizedStepLayout.HyperparameterSize(_cpu, h, n); i++)
            {
                _hyperparameters[offset + i] = T.CreateChecked(Value());
            }
        }

        _stateTangents = Enumerable.Range(0, s * Directions * n).Select(_ => Uniform(-1, 1)).ToArray();
        _gradientTangents = Enumerable.Range(0, Directions * n).Select(_ => Uniform(-1, 1)).ToArray();
        _hyperparameterTangents = Enumerable.Range(0, VectorizedStepLayout.HyperparameterTangentLength(_cpu, n, Directions)).Select(_ => Uniform(-1, 1)).ToArray();
        _stateAdjoint = Enumerable.Range(0, s * n).Select(_ => Uniform(-1, 1)).ToArray();
        _gradientAdjoint = Enumerable.Range(0, n).Select(_ => Uniform(-1, 1)).ToArray();
    }

    /// <summary>Every flag on or off, the step number 3.</summary>
    public StepOptions Options(bool flags)
        => new(3, _optimizer.Options.Where(o => o != "t").ToDictionary(o => o, _ => flags ? 1.0 : 0.0));

    /// <summary>The outputs of step, tangent and adjoint, by name: "state", "stateTangents", "stateAdjoint", …</summary>
    public Dictionary<string, T[]> Run(IVectorizedStep<T> kernel, StepOptions options)
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

    /// <summary>The C# vectorized step, element by element.</summary>
    public Dictionary<string, T[]> RunElementwise(StepOptions options) => Run(new ElementwiseVectorizedStep<T>(_cpu), options);

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
