using System;

namespace AutoHypergrad.Optimizers;

/// <summary>
/// The Adam optimizer with a learning rate per parameter, with coupled (L2) weight decay: <see cref="Adam"/> with
/// <c>[PerElement] [Hyper] lr</c>.
/// </summary>
public static partial class AdamPerParameter
{
    /// <summary>
    /// One step of Adam with its own learning rate lrᵢ (the paper's α) for each parameter, the same maths as
    /// <see cref="Adam.Step(ref double, ref double, ref double, double, double, double, double, double, double, double, bool)"/>
    /// elementwise (see there for the bias corrections, the reciprocals and where eps goes):
    /// <code>
    /// d = g + wd·w
    /// m ← beta1·m + (1 − beta1)·d
    /// v ← beta2·v + (1 − beta2)·d²
    /// m̂ = m / (1 − beta1^t)
    /// v̂ = v / (1 − beta2^t)
    /// w ← w − lrᵢ·m̂ / (√v̂ + eps)        (epsInsideSqrt = false)
    /// w ← w − lrᵢ·m̂ / √(v̂ + eps)        (epsInsideSqrt = true)
    /// </code>
    /// Baydin et al., "Online Learning Rate Adaptation with Hypergradient Descent" (ICLR 2018), adapt Adam's α by
    /// its hypergradient and note that the update extends to one α per parameter; Maclaurin, Duvenaud &amp; Adams,
    /// "Gradient-based Hyperparameter Optimization through Reversible Learning" (ICML 2015), learn per-layer
    /// learning-rate schedules. With every lrᵢ equal to lr the step is <see cref="Adam"/>'s, to the bit.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="m">The first-moment estimate; on return, the updated estimate.</param>
    /// <param name="v">The second-moment estimate (≥ 0); on return, the updated estimate.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">This weight's learning rate (a span of one per weight in the span drivers).</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability (the paper's ε), &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient, added to the gradient), ≥ 0.</param>
    /// <param name="t">The 1-based number of this step, as a real, for the bias corrections; not differentiated.</param>
    /// <param name="epsInsideSqrt">Whether eps is added under the square root; not differentiated.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double m,
        ref double v,
        double g,
        [PerElement, Hyper(Default = 1e-3, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double beta1,
        [Hyper(Default = 0.999, Domain = HyperparameterDomain.UnitInterval)] double beta2,
        [Hyper(Default = 1e-8, Domain = HyperparameterDomain.Positive)] double eps,
        [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd,
        [NoDiff] double t,
        [NoDiff] bool epsInsideSqrt)
    {
        double d = g + wd * w;
        m = beta1 * m + (1.0 - beta1) * d;
        v = beta2 * v + (1.0 - beta2) * d * d;
        double mHat = m * (1.0 / (1.0 - Math.Pow(beta1, t)));
        double vHat = v * (1.0 / (1.0 - Math.Pow(beta2, t)));
        double denominator = epsInsideSqrt ? Math.Sqrt(vHat + eps) : Math.Sqrt(vHat) + eps;
        w = w - lr * mHat * (1.0 / denominator);
    }
}
