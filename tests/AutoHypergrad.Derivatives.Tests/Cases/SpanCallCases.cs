using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Calls passing spans and arrays to parameters of the same type: read-only spans (the same span twice), written
/// spans, arrays; the callee's derivative spans must be passed along.
/// </summary>
public static partial class SpanCallCases
{
    /// <summary>Read-only spans passed on, the same span twice.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double CallWithReadOnlySpans(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        return Dot(x, y) * Dot(x, x) - SpanCases.Sum(y);
    }

    /// <summary>A written span passed on twice.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    public static void ScaleTwice(Span<double> s, double a)
    {
        Scale(s, a);
        Scale(s, a * a + 0.5);
    }
}
