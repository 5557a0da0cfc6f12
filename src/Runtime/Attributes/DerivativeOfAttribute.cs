using System;

namespace AutoHypergrad;

/// <summary>
/// Marks a hand-written derivative of a method the generator cannot see into (a library call, an intrinsic, a
/// method with an analytic derivative). Put it on a tangent and an adjoint: their names end in <c>Tangent</c> and
/// <c>Adjoint</c>, and their signatures follow the contract (see the README). A [Differentiable] method that calls
/// <c>Type.MethodName</c> then calls them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <param name="type">The type that declares the method differentiated.</param>
    /// <param name="methodName">The method's name (all overloads share the derivative methods' overloads).</param>
    public DerivativeOfAttribute(Type type, string methodName)
    {
        Type = type;
        MethodName = methodName;
    }

    /// <summary>The type that declares the method differentiated.</summary>
    public Type Type { get; }

    /// <summary>The name of the method differentiated.</summary>
    public string MethodName { get; }
}
