using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a <see cref="DifferentiableAttribute"/> elementwise method as an optimizer step, so that the generator also
/// emits a struct implementing <c>AutoHypergrad.Steps.IVectorizedStep&lt;T&gt;</c> over its span drivers, for the
/// hypergradient engines. The method must have the shape
/// <code>
/// static void Name(ref T w, ref T state₁, …, T g, [Hyper] T hyper₁, …, [NoDiff] options…)
/// </code>
/// with T float or double: one or more <c>ref</c> state parameters (the weight first), then the gradient, then the
/// hyperparameters, then the passive options (a real named <c>t</c> receives the step number; others are reals or
/// bools, read by name). A method of another shape gets a located diagnostic.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OptimizerStepAttribute : Attribute
{
}
