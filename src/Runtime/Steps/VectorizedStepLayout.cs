using System;
using System.Numerics;

namespace AutoHypergrad.Steps;

/// <summary>
/// The lengths and offsets of the packed hyperparameters, their adjoints and their tangents of an
/// <see cref="IVectorizedStep{T}"/> (layouts in its documentation): a uniform hyperparameter takes 1 value (k tangent
/// values), a per-element one n values (k·n tangent values, direction-major), one after the other in the order of
/// <see cref="IVectorizedStep{T}.HyperparameterNames"/>.
/// </summary>
public static class VectorizedStepLayout
{
    /// <summary>The number of values hyperparameter <paramref name="hyperparameter"/> takes: n if it is per-element, else 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hyperparameter"/> or <paramref name="n"/> is out of range.</exception>
    public static int HyperparameterSize<T>(IVectorizedStep<T> step, int hyperparameter, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(hyperparameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hyperparameter, step.PerElement.Count);
        return step.PerElement[hyperparameter] ? n : 1;
    }

    /// <summary>The length of the packed hyperparameters (and of their adjoints): U + P·n.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    /// <exception cref="OverflowException">The length does not fit an int.</exception>
    public static int HyperparameterLength<T>(IVectorizedStep<T> step, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => HyperparameterOffset(step, Count(step), n);

    /// <summary>
    /// Where hyperparameter <paramref name="hyperparameter"/> starts in the packed hyperparameters (and their
    /// adjoints); <see cref="IVectorizedStep{T}.HyperparameterNames"/>.Count gives the whole length.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hyperparameter"/> or <paramref name="n"/> is out of range.</exception>
    /// <exception cref="OverflowException">The offset does not fit an int.</exception>
    public static int HyperparameterOffset<T>(IVectorizedStep<T> step, int hyperparameter, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Offset(step, hyperparameter, n, 1);

    /// <summary>The number of tangent values hyperparameter <paramref name="hyperparameter"/> takes: k·n if it is per-element, else k.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="OverflowException">The size does not fit an int.</exception>
    public static int HyperparameterTangentSize<T>(IVectorizedStep<T> step, int hyperparameter, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return checked(HyperparameterSize(step, hyperparameter, n) * k);
    }

    /// <summary>The length of the packed hyperparameter tangents: U·k + P·k·n.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> or <paramref name="k"/> is negative.</exception>
    /// <exception cref="OverflowException">The length does not fit an int.</exception>
    public static int HyperparameterTangentLength<T>(IVectorizedStep<T> step, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => HyperparameterTangentOffset(step, Count(step), n, k);

    /// <summary>
    /// Where the k directions of hyperparameter <paramref name="hyperparameter"/> start in the packed hyperparameter
    /// tangents (direction j at offset + j, or offset + j·n + i for element i of a per-element one);
    /// <see cref="IVectorizedStep{T}.HyperparameterNames"/>.Count gives the whole length.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="OverflowException">The offset does not fit an int.</exception>
    public static int HyperparameterTangentOffset<T>(IVectorizedStep<T> step, int hyperparameter, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Offset(step, hyperparameter, n, k);
    }

    /// <summary>The sum of the sizes of the hyperparameters before <paramref name="hyperparameter"/>, each in blocks of <paramref name="block"/>.</summary>
    private static int Offset<T>(IVectorizedStep<T> step, int hyperparameter, int n, int block)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(hyperparameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hyperparameter, step.PerElement.Count);
        int offset = 0;
        for (int h = 0; h < hyperparameter; h++)
        {
            offset = checked(offset + (step.PerElement[h] ? n : 1) * block);
        }

        return offset;
    }

    private static int Count<T>(IVectorizedStep<T> step)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.PerElement.Count;
    }
}
