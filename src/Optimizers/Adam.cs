using System;

namespace AutoHypergrad.Optimizers;

/// <summary>The Adam optimizer, with coupled (L2) weight decay.</summary>
public static partial class Adam
{
    /// <summary>
    /// One step of Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1),
    /// with L2 weight decay added to the gradient as in PyTorch's <c>Adam(weight_decay=wd)</c>:
    /// <code>
    /// d = g + wd·w
    /// m ← beta1·m + (1 − beta1)·d
    /// v ← beta2·v + (1 − beta2)·d²
    /// m̂ = m / (1 − beta1^t)
    /// v̂ = v / (1 − beta2^t)
    /// w ← w − lr·m̂ / (√v̂ + eps)        (epsInsideSqrt = false: the paper, PyTorch)
    /// w ← w − lr·m̂ / √(v̂ + eps)        (epsInsideSqrt = true)
    /// </code>
    /// The bias corrections use <c>Math.Pow(beta1, t)</c> with a real <paramref name="t"/>, so they are
    /// differentiated with respect to beta1 and beta2. m̂ and v̂ multiply by the reciprocals of the bias corrections
    /// (as PyTorch's step size lr / (1 − beta1^t) does): these do not depend on the element, so the span drivers
    /// compute them once per call and the loop multiplies where it would otherwise divide. The step multiplies by
    /// 1/denominator too: the derivative of a reciprocal, −(1/x)²·dx, takes no second division, the slowest vector
    /// instruction in the step.
    /// <para>
    /// Where v̂ = 0 (a weight whose gradient has been exactly 0 so far, from a zero state) the default form has
    /// √v̂ = 0, where √ has an infinite derivative. The generated derivative of √ multiplies it only by a tangent or
    /// adjoint that is not exactly 0, and for such a weight both are 0 (v̂ does not move, and m̂ = 0 leaves √v̂ no
    /// adjoint), so the hypergradients are finite and right there. <c>epsInsideSqrt = true</c> differentiates
    /// √(v̂ + eps) instead, which is smooth at v̂ = 0 whatever the state.
    /// </para>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="m">The first-moment estimate; on return, the updated estimate.</param>
    /// <param name="v">The second-moment estimate (≥ 0); on return, the updated estimate.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate (the paper's α).</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability (the paper's ε), &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient, added to the gradient), ≥ 0.</param>
    /// <param name="t">The 1-based number of this step, as a real, for the bias corrections; not differentiated.</param>
    /// <param name="epsInsideSqrt">Whether eps is added under the square root (see above); not differentiated.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double m,
        ref double v,
        double g,
        [Hyper(Default = 1e-3, Domain = HyperparameterDomain.Positive)] double lr,
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
