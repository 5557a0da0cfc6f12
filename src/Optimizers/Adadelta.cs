using System;

namespace AutoHypergrad.Optimizers;

/// <summary>Adadelta, with coupled (L2) weight decay.</summary>
public static partial class Adadelta
{
    /// <summary>
    /// One step of Adadelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012,
    /// Algorithm 1), as PyTorch's <c>Adadelta</c>, with a learning rate scaling the update (the paper's is 1) and
    /// L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// s ← rho·s + (1 − rho)·d²
    /// Δ = √((u + eps) / (s + eps)) · d       (one square root per element, where √(u + eps) / √(s + eps) takes two)
    /// u ← rho·u + (1 − rho)·Δ²
    /// w ← w − lr·Δ
    /// </code>
    /// eps is inside both square roots, so the derivatives are finite at s = u = 0.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="s">The running average of the squared gradient (≥ 0); on return, the updated average.</param>
    /// <param name="u">The running average of the squared update Δ (≥ 0); on return, the updated average.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate (scales Δ).</param>
    /// <param name="rho">The decay rate of both running averages, in [0, 1).</param>
    /// <param name="eps">The constant added under both square roots, &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double s,
        ref double u,
        double g,
        [Hyper(Default = 1.0, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double rho,
        [Hyper(Default = 1e-6, Domain = HyperparameterDomain.Positive)] double eps,
        [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        s = rho * s + (1.0 - rho) * d * d;
        double delta = Math.Sqrt((u + eps) / (s + eps)) * d;
        u = rho * u + (1.0 - rho) * delta * delta;
        w = w - lr * delta;
    }
}
