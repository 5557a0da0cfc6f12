using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// ReadOnlySpan&lt;double&gt; inputs: reductions (sums, dot products, norms, log-sum-exp), Horner polynomials with
/// active coefficients, foreach, index arithmetic, passive int spans and [NoDiff] real spans, and value conditions on
/// elements (continue, early return, arg-max). Every element of an active span is an input coordinate; Bars accumulate.
/// </summary>
public static partial class SpanCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double Sum(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i];
        }

        return s;
    }

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

    /// <summary>√(Σ wᵢxᵢ² + 1) with weights, the same element read twice in one expression.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(w), 0.1, 2)]
    [Lengths(4)]
    public static double WeightedNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        double s = 1;
        for (int i = 0; i < x.Length; i++)
        {
            s += w[i] * x[i] * x[i];
        }

        return Math.Sqrt(s);
    }

    /// <summary>The stable two-pass log-sum-exp: a maximum by if (the path depends on which element is largest), then a sum.</summary>
    [Differentiable]
    [Domain(-3, 3)]
    [Lengths(5)]
    [At(1.0, 2.0, -1.0, 0.5, 0.0)]
    [At(2.5, -2.0, 1.0, 0.5, 0.0)]
    [At(-1.0, -2.0, -1.5, 0.5, 2.0)]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > m)
            {
                m = x[i];
            }
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i] - m);
        }

        return m + Math.Log(s);
    }

    /// <summary>Log-sum-exp with the maximum by Math.Max, and a temperature.</summary>
    [Differentiable]
    [Domain(-3, 3)]
    [Domain(nameof(temperature), 0.5, 2)]
    [Lengths(4)]
    [At(1.0, 2.0, -1.0, 0.5, 1.0)]
    [At(2.5, -2.0, 1.0, 0.5, 0.7)]
    public static double LogSumExpWithMax(ReadOnlySpan<double> x, double temperature)
    {
        double m = x[0] / temperature;
        for (int i = 1; i < x.Length; i++)
        {
            m = Math.Max(m, x[i] / temperature);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i] / temperature - m);
        }

        return temperature * (m + Math.Log(s));
    }

    /// <summary>Horner's rule with active coefficients c (c[0] the constant term), a decrementing index.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static double Horner(ReadOnlySpan<double> c, double x)
    {
        double r = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            r = r * x + c[i];
        }

        return r;
    }

    /// <summary>foreach over a ReadOnlySpan, with a running product.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static double ForeachOverSpan(ReadOnlySpan<double> x, double a)
    {
        double s = 0;
        double p = 1;
        foreach (double v in x)
        {
            s += v * v * a;
            p *= 1 + 0.25 * v;
        }

        return s + p;
    }

    /// <summary>Index arithmetic: cyclic neighbours (i + 1) % n and the mirrored element n − 1 − i.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static double CyclicNeighbours(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x[i] * x[(i + 1) % n] - x[n - 1 - i] * Math.Sin(x[i]);
        }

        return s;
    }

    /// <summary>Mean and variance by two passes, the second reading the first's result.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(6)]
    public static double Variance(ReadOnlySpan<double> x)
    {
        double mean = 0;
        foreach (double v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - mean;
            s += d * d;
        }

        return s / (x.Length - 1);
    }

    /// <summary>A gather through a passive int span, with a repeated index (its Bar receives two contributions).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    [Ints(nameof(index), 2, 0, 3, 2, 1)]
    public static double Gather(ReadOnlySpan<double> x, ReadOnlySpan<int> index)
    {
        double s = 0;
        for (int i = 0; i < index.Length; i++)
        {
            s += x[index[i]] * (i + 1) * x[index[i]];
        }

        return s;
    }

    /// <summary>A [NoDiff] real span of weights: no wDot, no wBar.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double NoDiffWeights(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += w[i] * Math.Tanh(x[i]);
        }

        return s;
    }

    /// <summary>A sum of squares of the positive elements only: continue on a value condition on an element.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    [SmoothWhere(nameof(ElementsAwayFromZero))]
    [At(1.0, -1.0, 0.5, -0.5, 1.5)]
    [At(-1.0, -1.0, -0.5, -0.5, 1.5)]
    public static double PositivePartSquares(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x)
        {
            if (v <= 0)
            {
                continue;
            }

            s += v * v;
        }

        return s;
    }

    /// <summary>The first element above t decides the result (an early return); if none is, the loop runs out.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(t), 0.5, 1.5)]
    [Lengths(4)]
    [SmoothWhere(nameof(FirstAboveSmooth))]
    [At(0.1, 1.8, -1.0, 1.9, 1.0)]
    [At(0.1, 0.2, 0.3, 0.4, 1.0)]
    [At(-1.5, -1.0, 0.3, 1.9, 0.7)]
    public static double FirstAbove(ReadOnlySpan<double> x, double t)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > t)
            {
                return x[i] * t + i;
            }
        }

        return -t * x[x.Length - 1];
    }

    /// <summary>Arg-max by index (an int local chosen by value comparisons), then an element read through it.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    [SmoothWhere(nameof(ArgMaxSmooth))]
    [At(1.0, -1.0, 0.5, -0.5, 0.3)]
    [At(-1.0, -1.5, 0.5, 1.5, 0.3)]
    public static double ArgMaxTimes(ReadOnlySpan<double> x, double y)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        return x[best] * y + best;
    }

    /// <summary>A while loop over a span that stops at a value condition (a running sum above a limit) or at the end.</summary>
    [Differentiable]
    [Domain(0.1, 2)]
    [Lengths(5)]
    [SmoothWhere(nameof(PrefixUntilSmooth))]
    [At(0.5, 0.5, 0.5, 0.5, 0.5)]
    [At(1.9, 1.8, 0.5, 0.5, 0.5)]
    public static double WhileOverSpan(ReadOnlySpan<double> x)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length && s < 3)
        {
            s += x[i] * x[i];
            i++;
        }

        return s * i;
    }

    /// <summary>Nested loops over one span: Σᵢ Σⱼ&lt;ᵢ exp(−(xᵢ − xⱼ)²) (pairs), continue on the diagonal.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    public static double Pairwise(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                if (j > i)
                {
                    break;
                }

                double d = x[i] - x[j];
                s += Math.Exp(-d * d);
            }
        }

        return s;
    }

    /// <summary>A Span&lt;double&gt; the method only reads: its Bar semantics coincide with accumulation.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double ReadOnlyThroughSpan(Span<double> s, double a)
    {
        double r = 0;
        for (int i = 0; i < s.Length; i++)
        {
            r += s[i] * a * (i + 1);
        }

        return r * a;
    }

    private static bool ElementsAwayFromZero(ReadOnlySpan<double> x) => Kinks.AwayFromZero(x.ToArray());

    private static bool FirstAboveSmooth(ReadOnlySpan<double> x, double t)
    {
        foreach (double v in x)
        {
            if (!Kinks.Apart(v, t))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ArgMaxSmooth(ReadOnlySpan<double> x, double y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (!Kinks.Apart(x[i], x[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool PrefixUntilSmooth(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x)
        {
            s += v * v;
            if (!Kinks.Apart(s, 3))
            {
                return false;
            }
        }

        return true;
    }
}
