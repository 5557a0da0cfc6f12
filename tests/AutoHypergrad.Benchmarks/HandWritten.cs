using System;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// Adjoints of <see cref="Functions"/> written by hand as plain loops (no TensorPrimitives, no explicit SIMD), with the
/// generated adjoints' signatures: each <c>xBar</c> accumulates (<c>+=</c>) <c>resultBar</c> times the gradient.
/// </summary>
public static class HandWritten
{
    /// <summary>∂(x·y)/∂x = y, ∂(x·y)/∂y = x.</summary>
    public static void DotAdjoint(
        ReadOnlySpan<double> x, Span<double> xBar, ReadOnlySpan<double> y, Span<double> yBar, double resultBar)
    {
        for (int i = 0; i < x.Length; i++)
        {
            xBar[i] += resultBar * y[i];
            yBar[i] += resultBar * x[i];
        }
    }

    /// <summary>∂ lse / ∂x[i] = softmax(x)[i] = exp(x[i] − lse): the two primal passes, then one pass for the gradient.</summary>
    public static void LogSumExpAdjoint(ReadOnlySpan<double> x, Span<double> xBar, double resultBar)
    {
        double m = double.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            m = Math.Max(m, x[i]);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i] - m);
        }

        double lse = m + Math.Log(s);
        for (int i = 0; i < x.Length; i++)
        {
            xBar[i] += resultBar * Math.Exp(x[i] - lse);
        }
    }

    /// <summary>∂/∂x[i] (sin·cos + x²) = cos² x[i] − sin² x[i] + 2·x[i].</summary>
    public static void SinCosSquareAdjoint(ReadOnlySpan<double> x, Span<double> xBar, double resultBar)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double sin = Math.Sin(xi);
            double cos = Math.Cos(xi);
            xBar[i] += resultBar * (cos * cos - sin * sin + 2 * xi);
        }
    }
}
