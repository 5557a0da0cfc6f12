using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.Objectives.Regularizers;

/// <summary>
/// One L2 strength per input feature: ½·Σ_j λ_j·‖W₀[j, :]‖², over the rows of the first weight matrix (row j holds
/// the weights of feature j). With the log parametrization the hyperparameter is θ_j and λ_j = exp(θ_j), which keeps
/// every strength positive under unconstrained hyperparameter steps.
/// </summary>
internal sealed class FeatureL2Regularizer<T> : IRegularizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);
    private readonly int _offset;
    private readonly WeightMatrix _first;
    private readonly bool _logarithmic;

    public FeatureL2Regularizer(int offset, WeightMatrix first, bool logarithmic)
    {
        _offset = offset;
        _first = first;
        _logarithmic = logarithmic;
    }

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        T sum = T.Zero;
        for (int j = 0; j < _first.Rows; j++)
        {
            sum += Strength(lambda, j) * TensorPrimitives.SumOfSquares(Row(w, j));
        }

        return Half * sum;
    }

    public void AddGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> gradient) => AddRowsScaled(lambda, w, gradient, ReadOnlySpan<T>.Empty);

    public void AddHessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> result) => AddRowsScaled(lambda, v, result, ReadOnlySpan<T>.Empty);

    public void AddCrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaDot, Span<T> result) => AddRowsScaled(lambda, w, result, lambdaDot);

    public void AddCrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        for (int j = 0; j < _first.Rows; j++)
        {
            lambdaBar[_offset + j] += StrengthDerivative(lambda, j) * TensorPrimitives.Dot(Row(w, j), Row(v, j));
        }
    }

    public void AddLambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> lambdaBar)
    {
        for (int j = 0; j < _first.Rows; j++)
        {
            lambdaBar[_offset + j] += Half * StrengthDerivative(lambda, j) * TensorPrimitives.SumOfSquares(Row(w, j));
        }
    }

    private T Strength(ReadOnlySpan<T> lambda, int feature) => _logarithmic ? T.Exp(lambda[_offset + feature]) : lambda[_offset + feature];

    /// <summary>dλ_j/d(hyperparameter j): 1, or exp(θ_j).</summary>
    private T StrengthDerivative(ReadOnlySpan<T> lambda, int feature) => _logarithmic ? T.Exp(lambda[_offset + feature]) : T.One;

    private ReadOnlySpan<T> Row(ReadOnlySpan<T> w, int feature) => w.Slice(_first.Offset + feature * _first.Columns, _first.Columns);

    /// <summary>
    /// result[row j] += s_j·source[row j] with s_j the strength λ_j, or, given <paramref name="lambdaDot"/>, the
    /// strength's tangent (dλ_j/dθ_j)·θ̇_j.
    /// </summary>
    private void AddRowsScaled(ReadOnlySpan<T> lambda, ReadOnlySpan<T> source, Span<T> result, ReadOnlySpan<T> lambdaDot)
    {
        for (int j = 0; j < _first.Rows; j++)
        {
            T scale = lambdaDot.IsEmpty ? Strength(lambda, j) : StrengthDerivative(lambda, j) * lambdaDot[_offset + j];
            var target = result.Slice(_first.Offset + j * _first.Columns, _first.Columns);
            TensorPrimitives.MultiplyAdd(Row(source, j), scale, target, target);
        }
    }
}
