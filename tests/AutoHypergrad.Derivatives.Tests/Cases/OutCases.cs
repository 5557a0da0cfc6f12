using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// out parameters: Tangent <c>out double x, out double xDot</c>; Adjoint <c>double xBar</c> (by value, the adjoint of
/// the output value) in place of the out parameter.
/// </summary>
public static partial class OutCases
{
    [Differentiable]
    [Domain(-2, 2)]
    public static void SinCos(double x, out double s, out double c)
    {
        s = Math.Sin(x);
        c = Math.Cos(x) * x;
    }

    /// <summary>An out parameter beside a return value, read after it is written.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ReturnAndOut(double x, double y, out double product)
    {
        product = x * y;
        double r = product * product + x;
        product += y;
        return r;
    }

    /// <summary>An out parameter assigned on each branch, and a loop before.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(BranchSmooth))]
    [At(1.0)]
    [At(-1.0)]
    public static void OutOnBranches(double x, out double y)
    {
        double s = 0;
        for (int i = 1; i <= 3; i++)
        {
            s += x / i;
        }

        if (s > 0)
        {
            y = s * s;
        }
        else
        {
            y = Math.Exp(s);
        }
    }

    /// <summary>Mean and variance of a span into two out parameters, with a ref accumulator.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static void Moments(ReadOnlySpan<double> x, out double mean, out double variance, ref double total)
    {
        mean = 0;
        foreach (double v in x)
        {
            mean += v;
        }

        total += mean;
        mean /= x.Length;
        variance = 0;
        for (int i = 0; i < x.Length; i++)
        {
            variance += (x[i] - mean) * (x[i] - mean);
        }

        variance /= x.Length;
    }

    /// <summary>A float out parameter (checked against its double twin).</summary>
    [Differentiable]
    [DoubleTwin(typeof(OutCases), nameof(FloatOutTwin))]
    [Domain(0.5, 2)]
    public static float FloatOut(float x, out float root)
    {
        root = MathF.Sqrt(x);
        return root * x;
    }

    [Differentiable]
    [Domain(0.5, 2)]
    public static double FloatOutTwin(double x, out double root)
    {
        root = Math.Sqrt(x);
        return root * x;
    }

    private static bool BranchSmooth(double x) => Kinks.AwayFromZero(x);
}
