using System;

namespace AutoHypergrad;

/// <summary>
/// Marks an input that is not differentiated: it gets no tangent and no adjoint, and it is passed
/// unchanged to the generated methods.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDiffAttribute : Attribute
{
}
