using System;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// A step with branches on per-element values (masks in the vector loop), one of them on a value its own branch
/// overwrites, and no uniform tangent: its vector-mode driver takes k from the per-element tangents' length.
/// </summary>
public static partial class ClippedStep
{
    [Differentiable]
    public static void Step(ref double w, ref double m, double g, [NoDiff] double clip)
    {
        double c = g;
        if (c > clip)
        {
            c = clip + 0.1 * (c - clip);
        }

        m = 0.9 * m + c;
        if (w > 0.0)
        {
            w = w * 0.5 - m;
        }
        else
        {
            w = w - 0.1 * m * m;
        }
    }

    [Differentiable]
    public static void Step(ref float w, ref float m, float g, [NoDiff] float clip)
    {
        float c = g;
        if (c > clip)
        {
            c = clip + 0.1f * (c - clip);
        }

        m = 0.9f * m + c;
        if (w > 0.0f)
        {
            w = w * 0.5f - m;
        }
        else
        {
            w = w - 0.1f * m * m;
        }
    }
}

/// <summary>A step with a power of per-element values, which has no vector form: its drivers loop over the elements.</summary>
public static partial class PowerStep
{
    [Differentiable]
    public static void Step(ref double w, double g, [Hyper] double lr)
    {
        w = w - lr * Math.Pow(1.0 + g * g, 0.5 * w);
    }

    [Differentiable]
    public static void Step(ref float w, float g, [Hyper] float lr)
    {
        w = w - lr * MathF.Pow(1.0f + g * g, 0.5f * w);
    }
}

/// <summary>
/// An optimizer step whose per-element hyperparameters lie on both sides of a uniform one, so that its kernel's
/// offsets count both kinds (lr at 0, mu at n, wd at 1 + n; their tangents at 0, k·n and k + k·n).
/// </summary>
public static partial class InterleavedStep
{
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double v, double g, [Hyper, PerElement] double lr, [Hyper] double mu, [Hyper, PerElement] double wd)
    {
        v = mu * v + g + wd * w;
        w = w - lr * v;
    }

    [Differentiable, OptimizerStep]
    public static void Step(ref float w, ref float v, float g, [Hyper, PerElement] float lr, [Hyper] float mu, [Hyper, PerElement] float wd)
    {
        v = mu * v + g + wd * w;
        w = w - lr * v;
    }
}
