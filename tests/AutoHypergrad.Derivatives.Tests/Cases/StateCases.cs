using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>ref parameters: state read and overwritten, several of them, void methods, early returns.</summary>
public static partial class StateCases
{
    [Differentiable]
    [Domain(-2, 2)]
    public static void ScaleState(ref double s, double k)
    {
        s = s * k + Math.Sin(s);
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void CompoundOnRef(ref double s, double x)
    {
        s += x * s;
        s *= 0.5;
        s -= x;
        s /= 1 + x * x;
    }

    /// <summary>Two states, each read after the other is overwritten, plus a return value.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double SeveralRefs(ref double a, ref double b, double x)
    {
        double old = a;
        a = a * b + x;
        b = old - b * x;
        return a * b;
    }

    /// <summary>A ref parameter only read: its output equals its input.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ReadOnlyRef(ref double s, double x)
    {
        return s * x + Math.Exp(s);
    }

    /// <summary>A ref parameter only written: its output does not depend on its input (sBar must end at 0).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void WriteOnlyRef(ref double s, double x)
    {
        s = x * x - x;
    }

    /// <summary>State read after it is overwritten.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double ReadAfterOverwrite(ref double s, double x)
    {
        s = s * s;
        s = s + x * s;
        return s * x;
    }

    /// <summary>Two states exchanged (and transformed): adjoints must be routed crosswise.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void SwapRefs(ref double a, ref double b)
    {
        double t = a;
        a = b * 2;
        b = t * t;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(RefEarlyReturnSmooth))]
    [At(1.0, 1.0)]
    [At(1.0, -1.0)]
    public static double RefEarlyReturn(ref double s, double x)
    {
        if (x > 0)
        {
            s = s * x;
            return s + 1;
        }

        s = s - x * s;
        return -s;
    }

    /// <summary>A state updated on one branch only, in a void method.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(RefEarlyReturnSmooth))]
    [At(1.0, 1.0)]
    [At(1.0, -1.0)]
    public static void ConditionalUpdate(ref double s, double x)
    {
        if (x < 0)
        {
            return;
        }

        s = s * Math.Exp(-x);
    }

    /// <summary>State with passive NoDiff and int inputs.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void RefWithPassiveInputs(ref double s, double g, [NoDiff] double c, int n)
    {
        s = s * c + g * n;
        s -= c * g;
    }

    private static bool RefEarlyReturnSmooth(double s, double x) => Kinks.AwayFromZero(x);
}
