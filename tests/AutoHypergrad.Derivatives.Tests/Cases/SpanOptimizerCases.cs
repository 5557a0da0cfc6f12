using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Optimizer steps over whole parameter vectors, in place: Span&lt;double&gt; weights and optimizer state, a
/// ReadOnlySpan&lt;double&gt; gradient, [Hyper] scalars; and an unrolled inner loop whose hypergradient is the point of
/// the library.
/// </summary>
public static partial class SpanOptimizerCases
{
    /// <summary>Heavy-ball momentum: v ← μv + g, w ← w − ηv, elementwise.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.01, 0.5)]
    [Domain(nameof(mu), 0.5, 0.99)]
    [Lengths(4)]
    public static void Momentum(Span<double> w, Span<double> v, ReadOnlySpan<double> g, [Hyper] double lr, [Hyper] double mu)
    {
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * v[i];
        }
    }

    /// <summary>Adam at step t (bias-corrected), elementwise over w, m and the second moment u.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(u), 0.1, 1)]
    [Domain(nameof(lr), 0.001, 0.1)]
    [Domain(nameof(beta1), 0.8, 0.95)]
    [Domain(nameof(beta2), 0.9, 0.999)]
    [Domain(nameof(eps), 1e-3, 1e-1)]
    [Lengths(3)]
    [Ints(nameof(t), 4)]
    public static void Adam(
        Span<double> w, Span<double> m, Span<double> u, ReadOnlySpan<double> g,
        [Hyper] double lr, [Hyper] double beta1, [Hyper] double beta2, [Hyper] double eps, int t)
    {
        double correction1 = 1 - Math.Pow(beta1, t);
        double correction2 = 1 - Math.Pow(beta2, t);
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            u[i] = beta2 * u[i] + (1 - beta2) * g[i] * g[i];
            double mHat = m[i] / correction1;
            double uHat = u[i] / correction2;
            w[i] -= lr * mHat / (Math.Sqrt(uHat) + eps);
        }
    }

    /// <summary>Plain SGD on arrays.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.01, 0.5)]
    [Lengths(4)]
    public static void SgdOnArrays(double[] w, double[] g, [Hyper] double lr)
    {
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= lr * g[i];
        }
    }

    /// <summary>
    /// steps of momentum on the loss ½Σ cᵢ(wᵢ − targetᵢ)² (gradient computed in the loop), returning the final loss: the
    /// hypergradient of a short unrolled training run with respect to η and μ.
    /// </summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(curvature), 0.5, 2)]
    [Domain(nameof(lr), 0.05, 0.3)]
    [Domain(nameof(mu), 0.5, 0.9)]
    [Lengths(3)]
    [Ints(nameof(steps), 4)]
    public static double UnrolledMomentumLoss(
        Span<double> w, ReadOnlySpan<double> target, ReadOnlySpan<double> curvature, [Hyper] double lr, [Hyper] double mu, int steps)
    {
        Span<double> v = stackalloc double[w.Length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = 0;
        }

        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                double g = curvature[i] * (w[i] - target[i]);
                v[i] = mu * v[i] + g;
                w[i] -= lr * v[i];
            }
        }

        double loss = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double d = w[i] - target[i];
            loss += 0.5 * curvature[i] * d * d;
        }

        return loss;
    }
}
