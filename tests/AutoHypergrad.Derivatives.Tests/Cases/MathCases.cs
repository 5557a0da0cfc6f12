using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Every supported System.Math function, smooth and piecewise, with active and passive arguments.</summary>
public static partial class MathCases
{
    [Differentiable]
    [Domain(0.5, 4)]
    public static double Sqrt(double x, double y)
    {
        return Math.Sqrt(x) + Math.Sqrt(x * y + 1) * y;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double Exp(double x, double y)
    {
        return Math.Exp(x) * y + Math.Exp(-x * y);
    }

    [Differentiable]
    [Domain(0.5, 4)]
    public static double Log(double x, double y)
    {
        return Math.Log(x) * y + Math.Log(x * y + 1);
    }

    /// <summary>Pow with an active base and constant exponents (√x⁵ and (x²)^-½ = 1/x).</summary>
    [Differentiable]
    [Domain(0.5, 3)]
    public static double PowActiveBase(double x)
    {
        return Math.Pow(x, 2.5) + Math.Pow(x * x, -0.5);
    }

    /// <summary>Pow with a constant base and an active exponent.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double PowActiveExponent(double y)
    {
        return Math.Pow(2.5, y) + Math.Pow(0.5, y * y);
    }

    /// <summary>Pow with both base and exponent active.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(x), 0.25, 3)]
    public static double PowBoth(double x, double y)
    {
        return Math.Pow(x, y) + Math.Pow(x + y * y, x);
    }

    /// <summary>
    /// A negative base with passive integer exponents (an int parameter and a literal): x³ and x² are smooth there, so
    /// the derivative must not involve log(x) (NaN for x &lt; 0), not even multiplied by a zero tangent.
    /// </summary>
    [Differentiable]
    [Domain(-2, -0.5)]
    public static double PowNegativeBaseIntegerExponent(double x, int n)
    {
        return Math.Pow(x, n) + Math.Pow(x, 2) * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AbsSmooth))]
    [At(1.0, -0.5)]
    [At(-1.0, 0.5)]
    public static double Abs(double x, double y)
    {
        return Math.Abs(x - y) * x + Math.Abs(y);
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(MaxMinSmooth))]
    [At(1.0, 0.5)]
    [At(0.2, 1.0)]
    [At(1.5, -0.5)]
    public static double MaxMin(double x, double y)
    {
        return Math.Max(x, y) * 2 + Math.Min(x * x, y + 1);
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double TanhSinCos(double x, double y)
    {
        return Math.Tanh(x * y) + Math.Sin(x) * Math.Cos(y) - Math.Cos(x * x) + Math.Tanh(x);
    }

    /// <summary>Sign is piecewise constant: used passively, as a factor of active values.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(SignSmooth))]
    [At(1.0, 1.0)]
    [At(-1.0, 0.25)]
    [At(1.0, -1.0)]
    public static double SignPassive(double x, double y)
    {
        return Math.Sign(x) * y + x * Math.Sign(y - 0.5) + Math.Sign(x * y) * x * y;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double FusedMultiplyAdd(double x, double y, double z)
    {
        return Math.FusedMultiplyAdd(x, y, z) + Math.FusedMultiplyAdd(x * z, 2, -y);
    }

    /// <summary>Clamp of an active value between constant bounds: the inside, both sides.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ClampValueSmooth))]
    [At(1.5)]
    [At(-1.5)]
    [At(0.9)]
    [At(0.2)]
    public static double ClampValue(double x)
    {
        return Math.Clamp(x, -1.0, 1.0) * x + Math.Clamp(x * x, 0.5, 2.0);
    }

    /// <summary>Clamp with active bounds: when clamped, the derivative flows to the bound.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lo), -1, -0.2)]
    [Domain(nameof(hi), 0.2, 1)]
    [SmoothWhere(nameof(ClampBoundsSmooth))]
    [At(-1.5, -0.5, 0.5)]
    [At(0.0, -0.5, 0.5)]
    [At(1.5, -0.5, 0.5)]
    public static double ClampBounds(double x, double lo, double hi)
    {
        return Math.Clamp(x, lo, hi) * (1 + x * lo) + hi;
    }

    /// <summary>Functions of functions of functions.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double Composition(double x, double y)
    {
        return Math.Log(1 + Math.Exp(Math.Sin(x) * y)) + Math.Sqrt(1 + Math.Tanh(x * x));
    }

    private static bool AbsSmooth(double x, double y) => Kinks.Apart(x, y) && Kinks.AwayFromZero(y);

    private static bool MaxMinSmooth(double x, double y) => Kinks.Apart(x, y) && Kinks.Apart(x * x, y + 1);

    private static bool SignSmooth(double x, double y) => Kinks.AwayFromZero(x, x * y) && Kinks.Apart(y, 0.5);

    private static bool ClampValueSmooth(double x) =>
        Kinks.Apart(x, -1) && Kinks.Apart(x, 1) && Kinks.Apart(x * x, 0.5) && Kinks.Apart(x * x, 2);

    private static bool ClampBoundsSmooth(double x, double lo, double hi) => Kinks.Apart(x, lo) && Kinks.Apart(x, hi);
}
