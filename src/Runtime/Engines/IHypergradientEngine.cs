using System;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.Engines;

/// <summary>
/// An engine that computes the hypergradient ∇f(λ) of a whole training run (or of the training optimum): reverse mode
/// (full, truncated, checkpointed), forward mode, finite differences and the implicit engine. A
/// <see cref="BilevelProblem{T}"/> builds each from an <see cref="Engine"/>.
/// </summary>
public interface IHypergradientEngine
{
    /// <summary>f(λ) and ∇f(λ) at <paramref name="lambda"/>, with the names of λ's entries and what it cost.</summary>
    /// <exception cref="NonFiniteValueException">A state, an adjoint or a tangent is not finite.</exception>
    HypergradientResult Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null);
}
