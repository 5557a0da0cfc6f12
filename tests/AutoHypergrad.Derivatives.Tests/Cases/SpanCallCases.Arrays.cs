namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Arrays passed to an array parameter of a [Differentiable] method.</summary>
public static partial class SpanCallCases
{
    /// <summary>Arrays passed to an array method.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void CallWithArrays(double[] a, double[] b, double theta)
    {
        ArrayCases.RotatePairs(a, b, theta);
        ArrayCases.RotatePairs(b, a, theta * 0.5);
    }
}
