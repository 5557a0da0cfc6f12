using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.Objectives.Regularizers;

/// <summary>(l2/2)·‖W‖² over every weight matrix (biases are not penalized); l2 is λ[<c>offset</c>].</summary>
internal sealed class L2Regularizer<T> : IRegularizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);
    private readonly int _offset;
    private readonly WeightMatrix[] _weights;

    public L2Regularizer(int offset, WeightMatrix[] weights)
    {
        _offset = offset;
        _weights = weights;
    }

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda) => Half * lambda[_offset] * SquaredNorm(w);

    public void AddGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> gradient) => AddScaled(lambda[_offset], w, gradient);

    public void AddHessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> result) => AddScaled(lambda[_offset], v, result);

    public void AddCrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaDot, Span<T> result) => AddScaled(lambdaDot[_offset], w, result);

    public void AddCrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        T dot = T.Zero;
        foreach (var matrix in _weights)
        {
            dot += TensorPrimitives.Dot(w.Slice(matrix.Offset, matrix.Length), v.Slice(matrix.Offset, matrix.Length));
        }

        lambdaBar[_offset] += dot;
    }

    public void AddLambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> lambdaBar) => lambdaBar[_offset] += Half * SquaredNorm(w);

    private T SquaredNorm(ReadOnlySpan<T> w)
    {
        T sum = T.Zero;
        foreach (var matrix in _weights)
        {
            sum += TensorPrimitives.SumOfSquares(w.Slice(matrix.Offset, matrix.Length));
        }

        return sum;
    }

    /// <summary>result[W] += scale·source[W] over the weight matrices.</summary>
    private void AddScaled(T scale, ReadOnlySpan<T> source, Span<T> result)
    {
        foreach (var matrix in _weights)
        {
            var target = result.Slice(matrix.Offset, matrix.Length);
            TensorPrimitives.MultiplyAdd(source.Slice(matrix.Offset, matrix.Length), scale, target, target);
        }
    }
}
