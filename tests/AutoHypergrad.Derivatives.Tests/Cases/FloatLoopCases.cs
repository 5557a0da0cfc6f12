using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>float loops, spans and arrays, each with a double twin of the same mathematics.</summary>
public static partial class FloatLoopCases
{
    [Differentiable]
    [DoubleTwin(typeof(FloatLoopCases), nameof(DotTwin))]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double DotTwin(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatLoopCases), nameof(MomentumTwin))]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.0625, 0.5)]
    [Domain(nameof(mu), 0.5, 0.875)]
    [Lengths(3)]
    public static void Momentum(Span<float> w, Span<float> v, ReadOnlySpan<float> g, [Hyper] float lr, [Hyper] float mu)
    {
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * v[i];
        }
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.0625, 0.5)]
    [Domain(nameof(mu), 0.5, 0.875)]
    [Lengths(3)]
    public static void MomentumTwin(Span<double> w, Span<double> v, ReadOnlySpan<double> g, [Hyper] double lr, [Hyper] double mu)
    {
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * v[i];
        }
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatLoopCases), nameof(PowerTwin))]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static float Power(float x, int n)
    {
        float t = 1;
        for (int i = 0; i < n; i++)
        {
            t *= x;
        }

        return t;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double PowerTwin(double x, int n)
    {
        double t = 1;
        for (int i = 0; i < n; i++)
        {
            t *= x;
        }

        return t;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatLoopCases), nameof(ScaleArrayTwin))]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void ScaleArray(float[] a, float k)
    {
        foreach (float v in a)
        {
            k += v * 0.25f;
        }

        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= k;
        }
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void ScaleArrayTwin(double[] a, double k)
    {
        foreach (double v in a)
        {
            k += v * 0.25;
        }

        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= k;
        }
    }
}
