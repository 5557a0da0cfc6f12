using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a static method of a partial type for compile-time differentiation. The generator adds,
/// beside it in the same type, <c>{Name}Tangent</c> (forward mode) and <c>{Name}Adjoint</c> (reverse mode),
/// and with <see cref="Order"/> = 2 also <c>{Name}HessianVector</c>.
/// </summary>
/// <remarks>
/// Every <see cref="float"/> or <see cref="double"/> parameter, and every span or array of them, is active
/// unless it carries <see cref="NoDiffAttribute"/>; integer and <see cref="bool"/> parameters are never active.
/// See the README for the exact signatures of the generated methods.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// 1 (the default): tangent and adjoint. 2: also the Hessian-vector product of a scalar-valued method,
    /// by forward-over-reverse differentiation of its generated code.
    /// </summary>
    public int Order { get; set; } = 1;
}
