using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// [Differentiable] methods calling methods the generator cannot see into (<see cref="Special"/>), whose derivatives
/// are hand-written [DerivativeOf] pairs: scalar and span functions, a function that writes a span (into a stackalloc
/// buffer), calls in loops and in branches, a float overload.
/// </summary>
public static partial class CustomDerivativeCases
{
    [Differentiable]
    [Domain(-2, 2)]
    public static double Softplus(double x, double y)
    {
        return Special.Softplus(x * y) - y * Special.Softplus(x);
    }

    /// <summary>A call in a loop, its argument and its result both active.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double SoftplusSum(ReadOnlySpan<double> x, double a)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Special.Softplus(a * x[i]) * x[i];
        }

        return s;
    }

    /// <summary>Calls in both arms of a branch on the inputs.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(BranchIsSmooth))]
    [At(1.0, -1.0)]
    [At(-1.0, 1.0)]
    public static double SoftplusBranch(double x, double y)
    {
        if (x > y)
        {
            return Special.Softplus(x * y) * y;
        }

        double t = Special.Softplus(x - y);
        return t * t + x;
    }

    public static bool BranchIsSmooth(double x, double y) => Kinks.Apart(x, y);

    /// <summary>A branch inside a loop, a different call in each arm, with a [Hyper] margin.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(margin), -0.5, 0.5)]
    [Lengths(5)]
    [SmoothWhere(nameof(MarginIsSmooth))]
    [At(-1.5, -0.5, 0.5, 1.5, 1.0, 0.25)]
    public static double SoftplusMargin(ReadOnlySpan<double> z, [Hyper] double margin)
    {
        double s = 0;
        for (int i = 0; i < z.Length; i++)
        {
            if (z[i] > margin)
            {
                s += Special.Softplus(z[i] - margin);
            }
            else
            {
                s += 0.5 * Special.Softplus(margin - z[i]) * z[i];
            }
        }

        return s;
    }

    public static bool MarginIsSmooth(ReadOnlySpan<double> z, double margin)
    {
        foreach (double zi in z)
        {
            if (!Kinks.Apart(zi, margin))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A span function with a hand-written pair, called on a parameter and on a stackalloc scratch span.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(t), 0.5, 2)]
    [Lengths(4)]
    public static double LogSumExp(ReadOnlySpan<double> x, double t)
    {
        Span<double> scaled = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            scaled[i] = x[i] / t;
        }

        return t * Special.LogSumExp(scaled) + 0.5 * Special.LogSumExp(x);
    }

    /// <summary>A span-writing function with a hand-written pair, into a stackalloc buffer, then a weighted sum.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double SoftmaxWeighted(ReadOnlySpan<double> z, ReadOnlySpan<double> w)
    {
        Span<double> p = stackalloc double[z.Length];
        Special.Softmax(z, p);
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            s += w[i] * p[i];
        }

        return s;
    }

    /// <summary>Softmax written into a Span parameter: its Bar goes from the output adjoint to zero.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static void SoftmaxInto(ReadOnlySpan<double> z, Span<double> p, double scale)
    {
        Special.Softmax(z, p);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] *= scale;
        }
    }

    /// <summary>Two spans and a scalar through one hand-written pair, called in a loop on shifted arguments.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(scale), 0.5, 2)]
    [Lengths(3)]
    [Ints(nameof(n), 3)]
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double scale, int n)
    {
        double s = 0;
        for (int k = 0; k < n; k++)
        {
            s += Special.ScaledDistance(x, y, scale * (k + 1)) / (k + 1);
        }

        return s;
    }

    /// <summary>The float overload of the library function and of its pair.</summary>
    [Differentiable]
    [DoubleTwin(typeof(CustomDerivativeCases), nameof(SoftplusSum))]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static float SoftplusSumFloat(ReadOnlySpan<float> x, float a)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Special.Softplus(a * x[i]) * x[i];
        }

        return s;
    }
}
