using System;
using System.Numerics;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// The outer objective E(s_T, λ) whose hypergradient ∇f(λ) = d E(s_T(λ), λ)/dλ the engines compute: the
/// validation error of the trained model, in the seeds.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IResponseObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>E(s, λ).</summary>
    T Value(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda);

    /// <summary>
    /// Writes ∂E/∂s into <paramref name="stateGradient"/>, adds ∂E/∂λ to <paramref name="lambdaGradient"/> and
    /// returns E.
    /// </summary>
    T Gradient(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda, Span<T> stateGradient, Span<T> lambdaGradient);
}
