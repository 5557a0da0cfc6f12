using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a <c>[Differentiable(Order = 2)]</c> loss so that the generator also emits an objective class for the
/// hypergradient engines, <c>{Method}Objective</c>, beside it: an <c>AutoHypergrad.Objectives.IObjective&lt;T&gt;</c>
/// whose value, gradient, Hessian-vector product and cross products come from the loss and its generated adjoint and
/// Hessian-vector product. The loss must have the shape
/// <code>
/// static T Name(ReadOnlySpan&lt;T&gt; w, [Hyper] T h₁, …, [NoDiff] data…)
/// </code>
/// with T float or double: the weights first, then the loss hyperparameters λ (active scalars, or active read-only
/// spans for blocks of several values), in any order with the passive data (<c>[NoDiff]</c> spans or arrays, integers,
/// bools, other scalars). The objective's constructor takes the number of weights, the data (a span as a
/// <c>ReadOnlyMemory&lt;T&gt;</c>) and each hyperparameter's value; where the data are exactly
/// (features, targets, rows, columns) — two spans of T and two ints — a second constructor takes a
/// <c>Dataset&lt;T&gt;</c>, and the objective then evaluates mini-batches as well as the whole set. A loss of another
/// shape gets a located diagnostic.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ObjectiveAttribute : Attribute
{
}
