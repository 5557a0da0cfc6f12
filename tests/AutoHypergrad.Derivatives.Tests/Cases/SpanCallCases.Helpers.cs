using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Callees of the call cases, and calls passing ref and out scalars (to locals and parameters).</summary>
public static partial class SpanCallCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static void Scale(Span<double> s, double a)
    {
        for (int i = 0; i < s.Length; i++)
        {
            s[i] *= a;
        }
    }

    /// <summary>A helper with ref and out parameters and a return value.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double StepWithOut(ref double s, double x, out double change)
    {
        double old = s;
        s = s * x + Math.Sin(x);
        change = s - old;
        return s * change;
    }

    /// <summary>ref and out through a call in a loop: the out result feeds the next iteration.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 3)]
    public static double CallWithRefAndOutInLoop(ref double s, double x, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double change;
            total += StepWithOut(ref s, x, out change);
            total += change * x;
        }

        return total;
    }

    /// <summary>out arguments to declared locals, then read.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double CallWithOutLocals(double x, double y)
    {
        double s;
        double c;
        OutCases.SinCos(x * y, out s, out c);
        double product;
        double r = OutCases.ReturnAndOut(s, c + x, out product);
        return r * product - s;
    }
}
