using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a parameter as a hyperparameter (a learning rate, a momentum, a regularization strength).
/// It is differentiated like any other input; it also declares that the value is uniform across
/// the elements of a parameter vector, which the vectorized span drivers rely on.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class HyperAttribute : Attribute
{
}
