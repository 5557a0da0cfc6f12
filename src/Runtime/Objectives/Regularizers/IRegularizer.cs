using System;
using System.Numerics;

namespace AutoHypergrad.Objectives.Regularizers;

/// <summary>
/// A penalty R(w; λ) added to the data term, with the same products as the objective: vectors over w are added to
/// the result the data term wrote, vectors over λ are accumulated.
/// </summary>
internal interface IRegularizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda);

    void AddGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> gradient);

    void AddHessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> result);

    void AddCrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaDot, Span<T> result);

    void AddCrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> lambdaBar);

    void AddLambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> lambdaBar);
}

/// <summary>A weight matrix inside w: rows × columns, row-major, from <paramref name="Offset"/>.</summary>
internal readonly record struct WeightMatrix(int Offset, int Rows, int Columns)
{
    public int Length => Rows * Columns;
}
