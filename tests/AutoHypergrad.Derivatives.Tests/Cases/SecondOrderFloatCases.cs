using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>float [Differentiable(Order = 2)] cases, each compared with a double twin in <see cref="SecondOrderCases"/>.</summary>
public static partial class SecondOrderFloatCases
{
    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCases), nameof(SecondOrderCases.Rosenbrock))]
    [Domain(-1.5, 1.5)]
    [At(1.0, 1.0)]
    [At(-1.0, 0.5)]
    public static float Rosenbrock(float x, float y)
    {
        float a = 1 - x;
        float b = y - x * x;
        return a * a + 100 * b * b;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCases), nameof(SecondOrderCases.LogSumExp))]
    [Domain(-2, 2)]
    [Domain(nameof(t), 0.5, 2)]
    [Lengths(4)]
    [At(1.0, 1.5, -1.0, 0.5, 1.0)]
    [At(-1.5, -2.0, 1.0, 0.5, 0.75)]
    public static float LogSumExp(ReadOnlySpan<float> x, float t)
    {
        float m = x[0] / t;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] / t > m)
            {
                m = x[i] / t;
            }
        }

        float s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += MathF.Exp(x[i] / t - m);
        }

        return t * (m + MathF.Log(s));
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCases), nameof(SecondOrderCases.LogisticLoss))]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(label), 0, 1)]
    [Lengths(4)]
    public static float LogisticLoss(ReadOnlySpan<float> w, [NoDiff] ReadOnlySpan<float> features, [NoDiff] float label, float bias)
    {
        float z = bias;
        for (int i = 0; i < w.Length; i++)
        {
            z += w[i] * features[i];
        }

        float softplus = z > 0 ? z + MathF.Log(1 + MathF.Exp(-z)) : MathF.Log(1 + MathF.Exp(z));
        return softplus - label * z;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCases), nameof(SecondOrderCases.HuberSum))]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [Lengths(5)]
    [SmoothWhere(nameof(HuberIsSmooth))]
    [At(0.2, -1.8, 1.6, -0.3, 0.9, 1.0)]
    public static float HuberSum(ReadOnlySpan<float> r, [Hyper] float delta)
    {
        float s = 0;
        for (int i = 0; i < r.Length; i++)
        {
            if (MathF.Abs(r[i]) <= delta)
            {
                s += 0.5f * r[i] * r[i];
            }
            else
            {
                s += delta * (MathF.Abs(r[i]) - 0.5f * delta);
            }
        }

        return s;
    }

    public static bool HuberIsSmooth(ReadOnlySpan<float> r, float delta)
    {
        foreach (float ri in r)
        {
            if (!Kinks.Apart(Math.Abs(ri), delta))
            {
                return false;
            }
        }

        return true;
    }
}
