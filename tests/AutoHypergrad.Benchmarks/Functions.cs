using System;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// The differentiated functions. The generator adds <c>{Name}Tangent</c> and <c>{Name}Adjoint</c> to this type; the
/// benchmarks compare them with the kernels themselves (the primals) and with <see cref="HandWritten"/>.
/// </summary>
public static partial class Functions
{
    /// <summary>The dot product Σ x[i]·y[i].</summary>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }

    /// <summary>log Σ exp(x[i]), in the stable two-pass form: the maximum first, then the shifted sum.</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
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

        return m + Math.Log(s);
    }

    /// <summary>
    /// Σ (sin x[i]·cos x[i] + x[i]²): a loop whose iterations are independent but for the sum (the shape of
    /// Clad issue 1521), so an adjoint needs no per-iteration storage.
    /// </summary>
    [Differentiable]
    public static double SinCosSquare(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Sin(x[i]) * Math.Cos(x[i]) + x[i] * x[i];
        }

        return s;
    }
}
