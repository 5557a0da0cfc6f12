using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>An out argument declared in the call (out double v).</summary>
public static partial class SpanCallCases
{
    /// <summary>An out argument declared inline (out double v) and a span method's out parameters.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double CallWithOutDeclaration(ReadOnlySpan<double> x)
    {
        double total = 0;
        OutCases.Moments(x, out double mean, out double variance, ref total);
        return mean * variance + total;
    }
}
