using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Calls passing a Span&lt;double&gt;, a double[] or a stackalloc span to a ReadOnlySpan&lt;double&gt; or Span&lt;double&gt; parameter (implicit span conversions at the call).</summary>
public static partial class SpanCallCases
{
    /// <summary>A written span passed on twice, the second time with an argument computed from the first result.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    public static double CallWithWrittenSpan(Span<double> s, double a)
    {
        Scale(s, a);
        double norm = Dot(s, s);
        Scale(s, 1 / (1 + norm));
        return norm;
    }

    /// <summary>A local array and a stackalloc span passed to [Differentiable] methods.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    public static double CallWithLocalBuffers(ReadOnlySpan<double> x, double a)
    {
        double[] copy = new double[x.Length];
        Span<double> squares = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            copy[i] = x[i];
            squares[i] = x[i] * x[i];
        }

        ArrayCases.ScaleArrayInPlace(copy, a);
        Scale(squares, a * a);
        return Dot(copy, squares);
    }

    /// <summary>The optimizer step called in a loop of training steps over spans.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(lr), 0.05, 0.3)]
    [Domain(nameof(mu), 0.5, 0.9)]
    [Lengths(3)]
    public static void CallOptimizerInLoop(Span<double> w, Span<double> v, ReadOnlySpan<double> target, [Hyper] double lr, [Hyper] double mu)
    {
        Span<double> g = stackalloc double[w.Length];
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                g[i] = w[i] - target[i];
            }

            SpanOptimizerCases.Momentum(w, v, g, lr, mu);
        }
    }
}
