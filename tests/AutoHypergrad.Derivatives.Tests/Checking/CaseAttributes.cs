using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The box the checker samples a case's real inputs from. On its own (<c>[Domain(-2, 2)]</c>) it applies to every
/// float/double parameter of the method; with a parameter name (<c>[Domain(nameof(lr), 0.01, 0.5)]</c>) it overrides
/// the box for that parameter. Cases choose boxes where the function is smooth (away from singularities) and where
/// every branch is reachable.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DomainAttribute : Attribute
{
    public DomainAttribute(double min, double max)
        : this(null, min, max)
    {
    }

    public DomainAttribute(string? parameter, double min, double max)
    {
        Parameter = parameter;
        Min = min;
        Max = max;
    }

    /// <summary>The parameter the box applies to, or null for every real parameter without its own box.</summary>
    public string? Parameter { get; }

    public double Min { get; }

    public double Max { get; }
}

/// <summary>
/// An explicit test point, checked in addition to the random ones: the values of the method's float/double
/// parameters in declaration order (NoDiff ones included, integer ones left out). Cases use it to make sure every
/// branch is taken at least once whatever the random draws are.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class AtAttribute : Attribute
{
    public AtAttribute(params double[] values)
    {
        Values = values;
    }

    public double[] Values { get; }
}

/// <summary>
/// Names a static predicate in the same type, taking the same parameters as the case (by value), that is true where
/// the case is smooth: at least ~1e-3 away from every kink (a branch condition's boundary, the kink of Abs, Max,
/// Min, Clamp, Sign). Random points failing it are redrawn; explicit <see cref="AtAttribute"/> points must pass it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SmoothWhereAttribute : Attribute
{
    public SmoothWhereAttribute(string predicate)
    {
        Predicate = predicate;
    }

    public string Predicate { get; }
}

/// <summary>
/// Names a static function in the same type, with the parameters of the <see cref="SmoothWhereAttribute"/> predicate,
/// that returns a signature of the path the case takes at a point (its branch decisions, hashed). Where a derivative
/// disagrees with finite differences, the checker compares the path at the difference points with the path at the
/// point: if one differs, the differences straddle a kink (a compared value can move by far more than the kink margin
/// over the step when its derivative is large) and the point is reported as a bad test point, not a wrong derivative.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PathWhereAttribute : Attribute
{
    public PathWhereAttribute(string function)
    {
        Function = function;
    }

    public string Function { get; }
}

/// <summary>
/// On a float case: the double method with the same parameters (same names, same order, same roles) and the same
/// mathematics. The float case's value, tangent and adjoint are compared with the twin's, which is itself checked
/// against finite differences in double (see <see cref="DerivativeChecker"/> for why float is not checked by finite
/// differences directly).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DoubleTwinAttribute : Attribute
{
    public DoubleTwinAttribute(Type type, string method)
    {
        Type = type;
        Method = method;
    }

    public Type Type { get; }

    public string Method { get; }
}

/// <summary>
/// The length of a case's span and array parameters. On its own (<c>[Lengths(5)]</c>) it applies to every float/double
/// span or array parameter; with a parameter name (<c>[Lengths(nameof(c), 3)]</c>) it overrides the length of that
/// parameter. Every element of an active span/array is an input coordinate (and, for a <c>Span&lt;T&gt;</c> or an
/// array, an output coordinate too), so small lengths (3–7) keep finite differences cheap. Integer spans and arrays
/// take their length from their <see cref="IntsAttribute"/> values.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class LengthsAttribute : Attribute
{
    public LengthsAttribute(int length)
        : this(null, length)
    {
    }

    public LengthsAttribute(string? parameter, int length)
    {
        Parameter = parameter;
        Length = length;
    }

    /// <summary>The parameter the length applies to, or null for every real span/array parameter without its own.</summary>
    public string? Parameter { get; }

    public int Length { get; }
}

/// <summary>
/// The value of an integer parameter (<c>[Ints(nameof(n), 5)]</c>), or the elements of an integer span or array
/// parameter (<c>[Ints(nameof(index), 2, 0, 1)]</c>). Integer parameters without one get
/// <see cref="PointSampler.FixedInteger"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class IntsAttribute : Attribute
{
    public IntsAttribute(string parameter, params int[] values)
    {
        Parameter = parameter;
        Values = values;
    }

    public string Parameter { get; }

    public int[] Values { get; }
}
