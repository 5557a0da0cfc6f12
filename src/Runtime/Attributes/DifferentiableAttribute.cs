using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a static method of a partial type for compile-time differentiation. The generator adds,
/// beside it in the same type, <c>{Name}Tangent</c> (forward mode) and <c>{Name}Adjoint</c> (reverse mode).
/// </summary>
/// <remarks>
/// Every <see cref="float"/> or <see cref="double"/> parameter is active unless it carries
/// <see cref="NoDiffAttribute"/>; integer and <see cref="bool"/> parameters are never active.
/// See the README for the exact signatures of the generated methods.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
