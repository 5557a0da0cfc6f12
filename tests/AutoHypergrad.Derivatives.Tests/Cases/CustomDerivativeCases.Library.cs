using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// A "library" the generator cannot see into: plain static methods, not [Differentiable]. Their derivatives come from
/// the hand-written [DerivativeOf] pairs in <see cref="SpecialDerivatives"/> and <see cref="SpanSpecialDerivatives"/>.
/// </summary>
public static class Special
{
    /// <summary>log(1 + eˣ), in the stable two-branch form.</summary>
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>The float overload: its derivatives are the float overloads of the same pair.</summary>
    public static float Softplus(float x) => x > 0 ? x + MathF.Log(1 + MathF.Exp(-x)) : MathF.Log(1 + MathF.Exp(x));

    /// <summary>1 / (1 + e⁻ˣ), the derivative of <see cref="Softplus(double)"/> (no derivative of its own: not callable from [Differentiable] code).</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>log Σ exp(xᵢ), stable.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = double.NegativeInfinity;
        foreach (double xi in x)
        {
            m = Math.Max(m, xi);
        }

        double s = 0;
        foreach (double xi in x)
        {
            s += Math.Exp(xi - m);
        }

        return m + Math.Log(s);
    }

    /// <summary>y = softmax(x); y must have x's length.</summary>
    public static void Softmax(ReadOnlySpan<double> x, Span<double> y)
    {
        double lse = LogSumExp(x);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Exp(x[i] - lse);
        }
    }

    /// <summary>scale·√(1 + ‖x − y‖²): two spans and a scalar.</summary>
    public static double ScaledDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double scale)
    {
        double s = 1;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - y[i];
            s += d * d;
        }

        return scale * Math.Sqrt(s);
    }
}

/// <summary>Hand-written derivatives of <see cref="Special"/>'s scalar functions, by their analytic derivatives.</summary>
public static class SpecialDerivatives
{
    [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
    public static (double Value, double Tangent) SoftplusTangent(double x, double xDot) =>
        (Special.Softplus(x), Special.Sigmoid(x) * xDot);

    [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
    public static void SoftplusAdjoint(double x, ref double xBar, double resultBar) =>
        xBar += Special.Sigmoid(x) * resultBar;

    [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
    public static (float Value, float Tangent) SoftplusTangent(float x, float xDot) =>
        (Special.Softplus(x), Special.Sigmoid(x) * xDot);

    [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
    public static void SoftplusAdjoint(float x, ref float xBar, float resultBar) =>
        xBar += Special.Sigmoid(x) * resultBar;

    /// <summary>∂/∂x = scale·(x − y)/r, ∂/∂y = −scale·(x − y)/r, ∂/∂scale = r, with r = √(1 + ‖x − y‖²).</summary>
    [DerivativeOf(typeof(Special), nameof(Special.ScaledDistance))]
    public static (double Value, double Tangent) ScaledDistanceTangent(
        ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, ReadOnlySpan<double> y, ReadOnlySpan<double> yDot, double scale, double scaleDot)
    {
        RequireLength(xDot.Length, x.Length, nameof(xDot));
        RequireLength(yDot.Length, y.Length, nameof(yDot));
        double r = Special.ScaledDistance(x, y, 1);
        double tangent = scaleDot * r;
        for (int i = 0; i < x.Length; i++)
        {
            tangent += scale * (x[i] - y[i]) / r * (xDot[i] - yDot[i]);
        }

        return (scale * r, tangent);
    }

    [DerivativeOf(typeof(Special), nameof(Special.ScaledDistance))]
    public static void ScaledDistanceAdjoint(
        ReadOnlySpan<double> x, Span<double> xBar, ReadOnlySpan<double> y, Span<double> yBar, double scale, ref double scaleBar, double resultBar)
    {
        RequireLength(xBar.Length, x.Length, nameof(xBar));
        RequireLength(yBar.Length, y.Length, nameof(yBar));
        double r = Special.ScaledDistance(x, y, 1);
        scaleBar += r * resultBar;
        for (int i = 0; i < x.Length; i++)
        {
            double g = scale * (x[i] - y[i]) / r * resultBar;
            xBar[i] += g;
            yBar[i] -= g;
        }
    }

    internal static void RequireLength(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has length {length}, expected {expected}.", name);
        }
    }
}

/// <summary>
/// Hand-written derivatives of <see cref="Special"/>'s span functions, in a class of their own (a pair may live in any
/// static class). Softmax writes a span: its tangent writes yDot, and its adjoint gets y's input values read-only
/// and yBar holding the output's adjoint on entry and the input's (zero: y is overwritten unread) on exit.
/// </summary>
public static class SpanSpecialDerivatives
{
    [DerivativeOf(typeof(Special), nameof(Special.LogSumExp))]
    public static (double Value, double Tangent) LogSumExpTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot)
    {
        SpecialDerivatives.RequireLength(xDot.Length, x.Length, nameof(xDot));
        double lse = Special.LogSumExp(x);
        double tangent = 0;
        for (int i = 0; i < x.Length; i++)
        {
            tangent += Math.Exp(x[i] - lse) * xDot[i];
        }

        return (lse, tangent);
    }

    [DerivativeOf(typeof(Special), nameof(Special.LogSumExp))]
    public static void LogSumExpAdjoint(ReadOnlySpan<double> x, Span<double> xBar, double resultBar)
    {
        SpecialDerivatives.RequireLength(xBar.Length, x.Length, nameof(xBar));
        double lse = Special.LogSumExp(x);
        for (int i = 0; i < x.Length; i++)
        {
            xBar[i] += Math.Exp(x[i] - lse) * resultBar;
        }
    }

    /// <summary>ẏᵢ = yᵢ(ẋᵢ − Σⱼ yⱼẋⱼ).</summary>
    [DerivativeOf(typeof(Special), nameof(Special.Softmax))]
    public static void SoftmaxTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, Span<double> y, Span<double> yDot)
    {
        SpecialDerivatives.RequireLength(xDot.Length, x.Length, nameof(xDot));
        SpecialDerivatives.RequireLength(yDot.Length, y.Length, nameof(yDot));
        Special.Softmax(x, y);
        double mean = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mean += y[i] * xDot[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            yDot[i] = y[i] * (xDot[i] - mean);
        }
    }

    /// <summary>x̄ᵢ += sᵢ(ȳᵢ − Σⱼ sⱼȳⱼ) with s = softmax(x) recomputed (y holds its input values); then ȳ = 0.</summary>
    [DerivativeOf(typeof(Special), nameof(Special.Softmax))]
    public static void SoftmaxAdjoint(ReadOnlySpan<double> x, Span<double> xBar, ReadOnlySpan<double> y, Span<double> yBar)
    {
        SpecialDerivatives.RequireLength(xBar.Length, x.Length, nameof(xBar));
        SpecialDerivatives.RequireLength(yBar.Length, y.Length, nameof(yBar));
        double lse = Special.LogSumExp(x);
        double mean = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mean += Math.Exp(x[i] - lse) * yBar[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            xBar[i] += Math.Exp(x[i] - lse) * (yBar[i] - mean);
        }

        yBar[..x.Length].Clear();
    }
}
