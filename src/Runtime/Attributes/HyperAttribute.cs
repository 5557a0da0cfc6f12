using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a parameter as a hyperparameter (a learning rate, a momentum, a regularization strength).
/// It is differentiated like any other input; it also declares that the value is uniform across
/// the elements of a parameter vector, which the vectorized span drivers rely on.
/// <para>
/// On an <see cref="OptimizerStepAttribute"/> step or an <see cref="ObjectiveAttribute"/> loss, <see cref="Default"/>
/// and <see cref="Domain"/> are the hyperparameter's metadata: the generated <c>{Method}Optimizer</c> factory or
/// <c>{Method}Objective</c> constructor takes it as an optional argument with that default (a required one without a
/// default), and the outer loop keeps a tuned value in its domain.
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class HyperAttribute : Attribute
{
    /// <summary>The usual value (PyTorch's where it has one); NaN, the default, for none: the value must then be given.</summary>
    public double Default { get; set; } = double.NaN;

    /// <summary>Where the value may lie (<see cref="HyperparameterDomain.Unconstrained"/> unless said).</summary>
    public HyperparameterDomain Domain { get; set; }
}
