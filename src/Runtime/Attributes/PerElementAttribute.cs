using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a <see cref="HyperAttribute"/> (or <see cref="NoDiffAttribute"/>) parameter of an elementwise method as
/// varying across elements: its span driver takes a span of values (per-parameter learning rates, say) and, in the
/// adjoint, a span of adjoints, instead of one value for all elements.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class PerElementAttribute : Attribute
{
}
