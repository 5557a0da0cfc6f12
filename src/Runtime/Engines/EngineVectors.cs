using System;
using System.Collections.Generic;
using System.Numerics;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.Engines;

/// <summary>The conversions and reductions the engines share: λ is double outside an engine and T inside.</summary>
internal static class EngineVectors
{
    public static T[] Convert<T>(ReadOnlySpan<double> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        Convert(values, result.AsSpan());
        return result;
    }

    public static void Convert<T>(ReadOnlySpan<double> values, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = T.CreateChecked(values[i]);
        }
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        ToDouble(values, result);
        return result;
    }

    public static void ToDouble<T>(ReadOnlySpan<T> values, Span<double> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = double.CreateChecked(values[i]);
        }
    }

    /// <summary>The names of λ's entries.</summary>
    public static IReadOnlyList<string> Names<T>(IDynamics<T> dynamics)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var names = new string[dynamics.HyperparameterCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = dynamics.NameOfHyperparameter(i);
        }

        return names;
    }

    /// <summary>The workspaces a training run holds, when the dynamics is one.</summary>
    public static long WorkspaceBytes<T>(IDynamics<T> dynamics)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => dynamics is TrainingDynamics<T> training ? training.WorkspaceBytes : 0;

    /// <summary>
    /// ⟨∂E/∂s, Z_j⟩ for each of k tangent directions in the block layout of
    /// <see cref="IDynamics{T}.StateBlockLength"/>, added to <paramref name="result"/>.
    /// </summary>
    public static void AddDirectionalDerivatives<T>(ReadOnlySpan<T> stateGradient, ReadOnlySpan<T> tangents, int blockLength, Span<double> result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int k = result.Length;
        int blocks = stateGradient.Length / blockLength;
        for (int b = 0; b < blocks; b++)
        {
            var gradientBlock = stateGradient.Slice(b * blockLength, blockLength);
            for (int j = 0; j < k; j++)
            {
                result[j] += double.CreateChecked(
                    System.Numerics.Tensors.TensorPrimitives.Dot(gradientBlock, tangents.Slice((b * k + j) * blockLength, blockLength)));
            }
        }
    }
}
