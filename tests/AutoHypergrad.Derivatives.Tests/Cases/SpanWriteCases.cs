using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Written Span&lt;double&gt; parameters (every element an input and an output; in the adjoint the span comes as a
/// ReadOnlySpan of input values and its Bar goes from output adjoint to input adjoint), elements read after being
/// written in an earlier iteration, and stackalloc scratch spans.
/// </summary>
public static partial class SpanWriteCases
{
    /// <summary>s ← a·s + b elementwise.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static void Affine(Span<double> s, double a, double b)
    {
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = a * s[i] + b;
        }
    }

    /// <summary>Prefix sums of x written into s (s's input values are overwritten unread: their Bars must end at 0).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static void PrefixSums(ReadOnlySpan<double> x, Span<double> s)
    {
        s[0] = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            s[i] = s[i - 1] + x[i];
        }
    }

    /// <summary>In-place running product: s[i] reads s[i − 1] written in the previous iteration, and its own input.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static void RunningProductInPlace(Span<double> s)
    {
        for (int i = 1; i < s.Length; i++)
        {
            s[i] *= s[i - 1];
        }
    }

    /// <summary>An element overwritten several times (compound updates to the same index in a nested loop), with a return value.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Lengths(4)]
    public static double RepeatedWritesSameElement(Span<double> s, double x)
    {
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = s[i] * x + Math.Sin(s[(i + 1) % s.Length]);
                s[i] += 0.5 * x;
            }
        }

        return s[0] * s[s.Length - 1];
    }

    /// <summary>Softmax of x into y: a max pass, an exp pass writing y, a normalization pass reading y back.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    [At(1.0, 2.0, -1.0, 0.5, 0.0, 0.0, 0.0, 0.0)]
    [At(-1.0, -2.0, 1.5, 0.5, 0.3, -0.3, 1.0, 1.0)]
    public static void Softmax(ReadOnlySpan<double> x, Span<double> y)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > m)
            {
                m = x[i];
            }
        }

        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Exp(x[i] - m);
            total += y[i];
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] /= total;
        }
    }

    /// <summary>y ← y + A·x with A stored row-major in a flat span (index arithmetic i·n + j), different lengths.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(nameof(a), 6)]
    [Lengths(nameof(x), 3)]
    [Lengths(nameof(y), 2)]
    public static void MatVecAccumulate(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += a[i * n + j] * x[j];
            }

            y[i] += s;
        }
    }

    /// <summary>Elementwise update on a value condition per element (a leaky clip), ref-like Bar through both paths.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    [SmoothWhere(nameof(LeakySmooth))]
    [At(1.0, -1.0, 0.5, -0.5, 1.5, 0.3)]
    public static void LeakyInPlace(Span<double> s, double slope)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] < 0)
            {
                s[i] *= slope;
            }
            else
            {
                s[i] = s[i] + s[i] * s[i] * 0.1;
            }
        }
    }

    /// <summary>Only some elements written (even indices): the odd ones pass through.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static void WriteEvenElements(Span<double> s, double x)
    {
        for (int i = 0; i < s.Length; i += 2)
        {
            s[i] = Math.Exp(-s[i] * s[i]) * x;
        }
    }

    /// <summary>A stackalloc scratch span: differences into scratch, then a smoothed sum read back from it.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double StackallocScratch(ReadOnlySpan<double> x, double a)
    {
        Span<double> d = stackalloc double[x.Length - 1];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = x[i + 1] - x[i];
        }

        double s = 0;
        for (int i = 0; i < d.Length; i++)
        {
            s += Math.Sqrt(d[i] * d[i] + a * a);
        }

        return s;
    }

    /// <summary>A stackalloc of a constant size, written and overwritten in a recurrence, then reduced.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    public static double StackallocRecurrence(double x, double y)
    {
        Span<double> state = stackalloc double[3];
        state[0] = x;
        state[1] = y;
        state[2] = x * y;
        for (int k = 0; k < 4; k++)
        {
            double first = state[0];
            state[0] = state[1];
            state[1] = state[2];
            state[2] = 0.5 * first + Math.Sin(state[1]) * x;
        }

        return state[0] + state[1] * state[2];
    }

    /// <summary>An explicit Euler trajectory of dy/dt = −k·y + sin t written into a span (its input values unread).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(k), 0.1, 3)]
    [Lengths(6)]
    public static void EulerTrajectory(double y0, double k, Span<double> ys)
    {
        double dt = 1.0 / ys.Length;
        double y = y0;
        double t = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            y += dt * (-k * y + Math.Sin(t));
            t += dt;
            ys[i] = y;
        }
    }

    private static bool LeakySmooth(ReadOnlySpan<double> s, double slope) => Kinks.AwayFromZero(s.ToArray());
}
