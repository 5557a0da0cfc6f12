using System;

namespace AutoHypergrad.Optimizers.Tests;

internal static class FiniteDifferences
{
    /// <summary>2⁻⁵³, the relative rounding error of one double operation.</summary>
    public const double UnitRoundoff = 1.1102230246251565e-16;

    /// <summary>
    /// ∂f/∂xᵢ by the five-point central stencil (8(f(x + h) − f(x − h)) − (f(x + 2h) − f(x − 2h))) / 12h (exactly 0
    /// where f does not depend on xᵢ), whose truncation error is O(h⁴); with it, for each output, a bound on its
    /// rounding noise: each f is computed to a few ulps (4ε|f|), and the stencil's weights sum to 18/12h.
    /// </summary>
    public static (double[] Derivative, double[] Noise) FivePoint(Func<double[], double[]> f, double[] x, int i, double h)
    {
        double[] At(double offset)
        {
            double[] shifted = (double[])x.Clone();
            shifted[i] = x[i] + offset;
            return f(shifted);
        }

        double[] m2 = At(-2 * h), m1 = At(-h), p1 = At(h), p2 = At(2 * h);
        double[] derivative = new double[m2.Length];
        double[] noise = new double[m2.Length];
        for (int k = 0; k < derivative.Length; k++)
        {
            derivative[k] = (8 * (p1[k] - m1[k]) - (p2[k] - m2[k])) / (12 * h);
            double magnitude = Math.Max(Math.Max(Math.Abs(m2[k]), Math.Abs(m1[k])), Math.Max(Math.Abs(p1[k]), Math.Abs(p2[k])));
            noise[k] = 18.0 / 12.0 * 4 * UnitRoundoff * magnitude / h;
        }

        return (derivative, noise);
    }
}
