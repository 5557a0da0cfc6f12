using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Optimizer steps written as scalar methods with ref state, the library's raison d'être.</summary>
public static partial class OptimizerCases
{
    /// <summary>Heavy-ball momentum: v ← μv + g; w ← w − η v.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(v), -1, 1)]
    [Domain(nameof(g), -1, 1)]
    [Domain(nameof(lr), 0.001, 0.5)]
    [Domain(nameof(mu), 0.5, 0.99)]
    public static void Momentum(ref double w, ref double v, double g, [Hyper] double lr, [Hyper] double mu)
    {
        v = mu * v + g;
        w = w - lr * v;
    }

    /// <summary>
    /// Adam with bias correction. The boxes keep 1 − β^t away from 0 (β₂ ≤ 0.95, t ≥ 1), where the step's derivatives
    /// in β would blow up and finite differences would lose their accuracy.
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(m), -1, 1)]
    [Domain(nameof(u), 0.25, 1)]
    [Domain(nameof(g), -1, 1)]
    [Domain(nameof(lr), 0.001, 0.1)]
    [Domain(nameof(beta1), 0.8, 0.9)]
    [Domain(nameof(beta2), 0.9, 0.95)]
    [Domain(nameof(eps), 1e-8, 1e-3)]
    [Domain(nameof(t), 1, 10)]
    public static void Adam(
        ref double w, ref double m, ref double u, double g,
        [Hyper] double lr, [Hyper] double beta1, [Hyper] double beta2, [Hyper] double eps, [NoDiff] double t)
    {
        m = beta1 * m + (1 - beta1) * g;
        u = beta2 * u + (1 - beta2) * g * g;
        double mHat = m / (1 - Math.Pow(beta1, t));
        double uHat = u / (1 - Math.Pow(beta2, t));
        w = w - lr * mHat / (Math.Sqrt(uHat) + eps);
    }

    /// <summary>SGD with decoupled weight decay, returning the squared step.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.001, 0.5)]
    [Domain(nameof(decay), 0, 0.1)]
    public static double SgdWithWeightDecay(ref double w, double g, [Hyper] double lr, [Hyper] double decay)
    {
        double step = lr * (g + decay * w);
        w -= step;
        return step * step;
    }
}
