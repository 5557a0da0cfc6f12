using System;
using System.Collections.Generic;
using System.Numerics;

namespace AutoHypergrad.Steps;

/// <summary>
/// One optimizer step Φ over a whole parameter vector, with its tangent and adjoint: the generated span drivers of
/// an elementwise <c>[Differentiable, OptimizerStep]</c> method, packed behind one interface so that the engines are
/// written once for every optimizer. The generator emits the implementation (a struct named
/// <c>{Method}Vectorized{Double|Single}</c> beside the method); nobody writes one by hand.
/// <para>
/// Layouts, with n the number of parameters (<c>gradient.Length</c>), S = <see cref="StateNames"/>.Count,
/// k the number of tangent directions, and the hyperparameters split by <see cref="PerElement"/> into U uniform ones
/// (one value for all elements) and P per-element ones (one value per element: a learning rate per parameter):
/// <list type="bullet">
/// <item>state: S·n values, slot s (w first, then the optimizer's state such as m, v) at [s·n, (s + 1)·n);</item>
/// <item>hyperparameters: U + P·n values, the hyperparameters one after the other in the order of
/// <see cref="HyperparameterNames"/>, a uniform one as 1 value and a per-element one as n values (element i at its
/// offset + i);</item>
/// <item>hyperparameter adjoints: the layout of the hyperparameters;</item>
/// <item>state tangents: S·k·n values, slot s, direction j, element i at (s·k + j)·n + i;</item>
/// <item>gradient tangents: k·n values, direction j, element i at j·n + i;</item>
/// <item>hyperparameter tangents: U·k + P·k·n values, the hyperparameters one after the other in order, a uniform
/// one as k values (direction j at its offset + j) and a per-element one as k·n values (direction j, element i at its
/// offset + j·n + i).</item>
/// </list>
/// Without per-element hyperparameters (P = 0) these are U values and U·k values, hyperparameter h at h and its
/// direction j at h·k + j. <see cref="VectorizedStepLayout"/> computes the lengths and offsets.
/// Calls are per step on whole vectors, so the interface dispatch costs nothing measurable next to the n-element
/// loops behind it.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IVectorizedStep<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The optimizer's name: the class that declares the step (Adam, Momentum, …).</summary>
    string Name { get; }

    /// <summary>The names of the state slots, in order; the first is the weight w.</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>The names of the <c>[Hyper]</c> parameters, in order.</summary>
    IReadOnlyList<string> HyperparameterNames { get; }

    /// <summary>
    /// For each hyperparameter, in the order of <see cref="HyperparameterNames"/>, whether it is per-element (a
    /// <c>[PerElement] [Hyper]</c> parameter: n values, one per element) rather than uniform (one value).
    /// </summary>
    IReadOnlyList<bool> PerElement { get; }

    /// <summary>The names of the <c>[NoDiff]</c> options, in order (<c>t</c>, <c>epsInsideSqrt</c>, …).</summary>
    IReadOnlyList<string> OptionNames { get; }

    /// <summary>One step in place: state ← Φ(state, gradient; hyperparameters).</summary>
    void Step(Span<T> state, ReadOnlySpan<T> gradient, ReadOnlySpan<T> hyperparameters, StepOptions options);

    /// <summary>
    /// One step in place with k tangent directions carried along (vector mode): state ← Φ(…) and
    /// stateTangents ← ∂Φ/∂state·stateTangents + ∂Φ/∂g·gradientTangents + ∂Φ/∂λ·hyperparameterTangents.
    /// k is <c>gradientTangents.Length / gradient.Length</c>.
    /// </summary>
    void Tangents(
        Span<T> state,
        Span<T> stateTangents,
        ReadOnlySpan<T> gradient,
        ReadOnlySpan<T> gradientTangents,
        ReadOnlySpan<T> hyperparameters,
        ReadOnlySpan<T> hyperparameterTangents,
        StepOptions options);

    /// <summary>
    /// The adjoint of one step. <paramref name="state"/> is the state before the step (it is not changed).
    /// <paramref name="stateAdjoint"/> holds the adjoint of the state after the step on entry and of the state
    /// before it on exit; the adjoints of the gradient and of the hyperparameters are added to
    /// <paramref name="gradientAdjoint"/> and <paramref name="hyperparameterAdjoints"/>.
    /// </summary>
    void Adjoint(
        ReadOnlySpan<T> state,
        Span<T> stateAdjoint,
        ReadOnlySpan<T> gradient,
        Span<T> gradientAdjoint,
        ReadOnlySpan<T> hyperparameters,
        Span<T> hyperparameterAdjoints,
        StepOptions options);
}
