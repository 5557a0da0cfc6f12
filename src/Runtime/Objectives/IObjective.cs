using System;
using System.Numerics;

namespace AutoHypergrad.Objectives;

/// <summary>
/// A training objective J(w; λ) over the model parameters w (a flat vector) and the loss hyperparameters λ (a flat
/// vector of named blocks, <see cref="Hyperparameters"/>), evaluated on a batch of examples: its value and gradient,
/// and the second-order products the hypergradient engines need.
/// <list type="bullet">
/// <item><see cref="HessianVector"/>: H·v with H = ∇²_w J (the Hessian part of the step's Jacobian A_t).</item>
/// <item><see cref="CrossTangent"/>: (∂∇_w J/∂λ)·λ̇, forward mode (part of B_t in Z_t = A_t Z_{t−1} + B_t).</item>
/// <item><see cref="CrossAdjoint"/>: (∂∇_w J/∂λ)ᵀ·v, reverse mode (λ̄ += … in α_t B_t).</item>
/// <item><see cref="LambdaGradient"/>: ∂J/∂λ, the direct dependence of the value on λ.</item>
/// </list>
/// Results that are vectors over w are written (overwritten); results over λ are accumulated (added), as adjoints
/// are. An objective keeps workspaces between calls: one instance is not for concurrent use. Every result is a
/// function of the arguments alone, to the bit: a product that reuses the passes of an earlier call must round as
/// one that does not (checkpointed hypergradients recompute steps and must match stored ones exactly).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The length of w.</summary>
    int ParameterCount { get; }

    /// <summary>The loss hyperparameters λ: their names, places in the flat vector and default values.</summary>
    HyperparameterLayout Hyperparameters { get; }

    /// <summary>How many examples a <see cref="Batch"/> indexes into (the training set's size).</summary>
    int ExampleCount { get; }

    /// <summary>J(w; λ) on the batch.</summary>
    T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch);

    /// <summary>Writes ∇_w J into <paramref name="gradient"/> and returns J.</summary>
    T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient);

    /// <summary>Writes H·v, H = ∇²_w J, into <paramref name="result"/>.</summary>
    void HessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result);

    /// <summary>Writes (∂∇_w J/∂λ)·λ̇ (length: parameters) into <paramref name="result"/>.</summary>
    void CrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> lambdaDot, Span<T> result);

    /// <summary>Adds (∂∇_w J/∂λ)ᵀ·v (length: hyperparameters) to <paramref name="lambdaBar"/>.</summary>
    void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar);

    /// <summary>Adds ∂J/∂λ to <paramref name="lambdaBar"/>.</summary>
    void LambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar);

    /// <summary>
    /// <see cref="HessianVector"/> and <see cref="CrossAdjoint"/> with the same v, as one reverse step of a
    /// hypergradient needs them; an objective may share the work of the two.
    /// </summary>
    void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
    {
        HessianVector(w, lambda, batch, v, result);
        CrossAdjoint(w, lambda, batch, v, lambdaBar);
    }

    /// <summary>
    /// How many values of a gradient's passes over a batch of <paramref name="rows"/> examples the objective can hand
    /// out for a later product at the same point (a network's pre-activations and back-propagated gradients), so that
    /// the product skips them; 0 (the default) when it keeps none. A reverse step stores them with the step's
    /// gradient.
    /// </summary>
    int PassesLength(int rows) => 0;

    /// <summary>
    /// <see cref="Gradient(ReadOnlySpan{T}, ReadOnlySpan{T}, Batch, Span{T})"/>, also writing its passes into the first
    /// <see cref="PassesLength"/> values of <paramref name="passes"/> (nothing when that is 0).
    /// </summary>
    T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient, Span<T> passes)
        => Gradient(w, lambda, batch, gradient);

    /// <summary>
    /// <see cref="HessianVectorAndCrossAdjoint(ReadOnlySpan{T}, ReadOnlySpan{T}, Batch, ReadOnlySpan{T}, Span{T}, Span{T})"/>
    /// from the <paramref name="passes"/> a gradient at the same w, λ and batch wrote, to the same bits as without them.
    /// </summary>
    void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar, ReadOnlySpan<T> passes)
        => HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, lambdaBar);
}
