using System;

namespace AutoHypergrad;

/// <summary>
/// Tells the generator, in projects that reference this assembly, which of its types hold [DerivativeOf] methods.
/// (Within one project the generator finds them by itself.)
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ProvidesDerivativesAttribute : Attribute
{
    /// <param name="type">A type whose methods carry [DerivativeOf].</param>
    public ProvidesDerivativesAttribute(Type type) => Type = type;

    /// <summary>A type whose methods carry [DerivativeOf].</summary>
    public Type Type { get; }
}
