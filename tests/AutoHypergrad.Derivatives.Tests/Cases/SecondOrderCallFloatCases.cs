using System;
using System.Numerics.Tensors;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>float twins of <see cref="SecondOrderCallCases"/>: scalar, nested, span and TensorPrimitives calls in float.</summary>
public static partial class SecondOrderCallFloatCases
{
    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.Huber))]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [SmoothWhere(nameof(HuberIsSmooth))]
    [At(0.3, 1.0)]
    [At(-1.7, 0.8)]
    public static float Huber(float r, [Hyper] float delta)
    {
        float a = MathF.Abs(r);
        if (a <= delta)
        {
            return 0.5f * r * r;
        }

        return delta * (a - 0.5f * delta);
    }

    public static bool HuberIsSmooth(float r, float delta) => Kinks.Apart(Math.Abs(r), delta);

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.HuberSum))]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [Lengths(5)]
    [SmoothWhere(nameof(HuberSumIsSmooth))]
    [At(0.2, -1.8, 1.6, -0.3, 0.9, 1.0)]
    public static float HuberSum(ReadOnlySpan<float> r, [Hyper] float delta)
    {
        float s = 0;
        for (int i = 0; i < r.Length; i++)
        {
            s += Huber(r[i], delta);
        }

        return s;
    }

    public static bool HuberSumIsSmooth(ReadOnlySpan<float> r, float delta)
    {
        foreach (float ri in r)
        {
            if (!HuberIsSmooth(ri, delta))
            {
                return false;
            }
        }

        return true;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.Inner))]
    [Domain(-1.5, 1.5)]
    public static float Inner(float x, float y)
    {
        return x * y + 0.5f * MathF.Sin(x) * y * y;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.Middle))]
    [Domain(-1.5, 1.5)]
    public static float Middle(float x, float y)
    {
        float t = Inner(x, y);
        return MathF.Tanh(t) + Inner(y, 0.5f * t) * x;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.Outer))]
    [Domain(-1, 1)]
    public static float Outer(float a, float b)
    {
        float u = Middle(a, b);
        return Middle(0.5f * b, 0.3f * u) + a * u;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.Dot))]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    public static float Dot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        float s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.LogisticLoss))]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(label), 0, 1)]
    [Lengths(4)]
    public static float LogisticLoss(ReadOnlySpan<float> w, [NoDiff] ReadOnlySpan<float> features, [NoDiff] float label, float bias)
    {
        float z = Dot(w, features) + bias;
        float softplus = z > 0 ? z + MathF.Log(1 + MathF.Exp(-z)) : MathF.Log(1 + MathF.Exp(z));
        return softplus - label * z;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(SecondOrderCallCases), nameof(SecondOrderCallCases.TensorReductions))]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static float TensorReductions(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float d = TensorPrimitives.Dot(x, y);
        float s = TensorPrimitives.Sum(x);
        float q = TensorPrimitives.SumOfSquares(y);
        return d * s + MathF.Log(1 + q) + MathF.Sin(d);
    }
}
