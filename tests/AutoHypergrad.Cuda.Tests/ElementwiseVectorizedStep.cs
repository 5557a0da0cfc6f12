using System;
using System.Collections.Generic;
using System.Numerics;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The generated C# vectorized step applied one element at a time (n = 1 per call, so that its span drivers take their
/// scalar method): the order of operations of one CUDA thread that visits every element. The uniform adjoints run on
/// from element to element, (0 + c₀) + c₁ + …, which is also the order of the device's thread-local sum added to an
/// output that starts at 0, as every engine's does (TrainingDynamics clears it before each adjoint).
/// </summary>
public sealed class ElementwiseVectorizedStep<T>(IVectorizedStep<T> kernel) : IVectorizedStep<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public string Name => kernel.Name;

    public IReadOnlyList<string> StateNames => kernel.StateNames;

    public IReadOnlyList<string> HyperparameterNames => kernel.HyperparameterNames;

    public IReadOnlyList<bool> PerElement => kernel.PerElement;

    public IReadOnlyList<string> OptionNames => kernel.OptionNames;

    private int S => kernel.StateNames.Count;

    private int H => kernel.HyperparameterNames.Count;

    public void Step(Span<T> state, ReadOnlySpan<T> gradient, ReadOnlySpan<T> hyperparameters, StepOptions options)
    {
        int n = gradient.Length;
        Span<T> state1 = stackalloc T[S];
        Span<T> hyper1 = stackalloc T[H];
        for (int i = 0; i < n; i++)
        {
            Gather(state, n, i, state1);
            Hyper(hyperparameters, n, i, hyper1);
            kernel.Step(state1, gradient.Slice(i, 1), hyper1, options);
            Scatter(state1, state, n, i);
        }
    }

    public void Tangents(Span<T> state, Span<T> stateTangents, ReadOnlySpan<T> gradient, ReadOnlySpan<T> gradientTangents, ReadOnlySpan<T> hyperparameters, ReadOnlySpan<T> hyperparameterTangents, StepOptions options)
    {
        int n = gradient.Length;
        int k = gradientTangents.Length / Math.Max(1, n);
        Span<T> state1 = stackalloc T[S];
        Span<T> tangents1 = stackalloc T[S * k];
        Span<T> gradientTangents1 = stackalloc T[k];
        Span<T> hyper1 = stackalloc T[H];
        Span<T> hyperTangents1 = stackalloc T[H * k];
        for (int i = 0; i < n; i++)
        {
            Gather(state, n, i, state1);
            Gather(stateTangents, n, i, tangents1);
            Gather(gradientTangents, n, i, gradientTangents1);
            Hyper(hyperparameters, n, i, hyper1);
            for (int h = 0; h < H; h++)
            {
                int offset = VectorizedStepLayout.HyperparameterTangentOffset(kernel, h, n, k);
                for (int j = 0; j < k; j++)
                {
                    hyperTangents1[h * k + j] = hyperparameterTangents[offset + (kernel.PerElement[h] ? j * n + i : j)];
                }
            }

            kernel.Tangents(state1, tangents1, gradient.Slice(i, 1), gradientTangents1, hyper1, hyperTangents1, options);
            Scatter(state1, state, n, i);
            Scatter(tangents1, stateTangents, n, i);
        }
    }

    public void Adjoint(ReadOnlySpan<T> state, Span<T> stateAdjoint, ReadOnlySpan<T> gradient, Span<T> gradientAdjoint, ReadOnlySpan<T> hyperparameters, Span<T> hyperparameterAdjoints, StepOptions options)
    {
        int n = gradient.Length;
        Span<T> state1 = stackalloc T[S];
        Span<T> adjoint1 = stackalloc T[S];
        Span<T> hyper1 = stackalloc T[H];
        Span<T> hyperAdjoints1 = stackalloc T[H];
        for (int h = 0; h < H; h++)
        {
            hyperAdjoints1[h] = kernel.PerElement[h] ? T.Zero : hyperparameterAdjoints[VectorizedStepLayout.HyperparameterOffset(kernel, h, n)];
        }

        for (int i = 0; i < n; i++)
        {
            Gather(state, n, i, state1);
            Gather(stateAdjoint, n, i, adjoint1);
            Hyper(hyperparameters, n, i, hyper1);
            for (int h = 0; h < H; h++)
            {
                if (kernel.PerElement[h])
                {
                    hyperAdjoints1[h] = hyperparameterAdjoints[VectorizedStepLayout.HyperparameterOffset(kernel, h, n) + i];
                }
            }

            kernel.Adjoint(state1, adjoint1, gradient.Slice(i, 1), gradientAdjoint.Slice(i, 1), hyper1, hyperAdjoints1, options);
            Scatter(adjoint1, stateAdjoint, n, i);
            for (int h = 0; h < H; h++)
            {
                if (kernel.PerElement[h])
                {
                    hyperparameterAdjoints[VectorizedStepLayout.HyperparameterOffset(kernel, h, n) + i] = hyperAdjoints1[h];
                }
            }
        }

        for (int h = 0; h < H; h++)
        {
            if (!kernel.PerElement[h])
            {
                hyperparameterAdjoints[VectorizedStepLayout.HyperparameterOffset(kernel, h, n)] = hyperAdjoints1[h];
            }
        }
    }

    /// <summary>Element i of every block of n values (state slots, or slot-direction pairs (s·k + j)), in block order.</summary>
    private static void Gather(ReadOnlySpan<T> packed, int n, int i, Span<T> one)
    {
        for (int b = 0; b < one.Length; b++)
        {
            one[b] = packed[b * n + i];
        }
    }

    private static void Scatter(ReadOnlySpan<T> one, Span<T> packed, int n, int i)
    {
        for (int b = 0; b < one.Length; b++)
        {
            packed[b * n + i] = one[b];
        }
    }

    private void Hyper(ReadOnlySpan<T> hyperparameters, int n, int i, Span<T> one)
    {
        for (int h = 0; h < H; h++)
        {
            one[h] = hyperparameters[VectorizedStepLayout.HyperparameterOffset(kernel, h, n) + (kernel.PerElement[h] ? i : 0)];
        }
    }
}
