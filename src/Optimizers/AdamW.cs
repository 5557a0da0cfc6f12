using System;

namespace AutoHypergrad.Optimizers;

/// <summary>Adam with decoupled weight decay.</summary>
public static partial class AdamW
{
    /// <summary>
    /// One step of AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019,
    /// Algorithm 2), in PyTorch's <c>AdamW</c> form where the decay is scaled by the learning rate (the paper's
    /// schedule multiplier ηₜ is folded into lr): the decay shrinks the weight and does not enter the moments.
    /// <code>
    /// m ← beta1·m + (1 − beta1)·g
    /// v ← beta2·v + (1 − beta2)·g²
    /// m̂ = m / (1 − beta1^t)
    /// v̂ = v / (1 − beta2^t)
    /// w ← w − lr·(m̂ / (√v̂ + eps) + wd·w)      (epsInsideSqrt = false: the paper, PyTorch)
    /// w ← w − lr·(m̂ / √(v̂ + eps) + wd·w)      (epsInsideSqrt = true)
    /// </code>
    /// The bias corrections use <c>Math.Pow(beta1, t)</c> with a real <paramref name="t"/>, so they are
    /// differentiated with respect to beta1 and beta2. m̂ and v̂ multiply by the reciprocals of the bias corrections
    /// (as PyTorch's step size lr / (1 − beta1^t) does): these do not depend on the element, so the span drivers
    /// compute them once per call and the loop multiplies where it would otherwise divide. The step multiplies by
    /// 1/denominator too: the derivative of a reciprocal, −(1/x)²·dx, takes no second division, the slowest vector
    /// instruction in the step. As for <see cref="Adam"/>, the default form's hypergradients are finite where v̂ = 0
    /// because √'s derivative is multiplied only by tangents and adjoints that are not 0.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="m">The first-moment estimate; on return, the updated estimate.</param>
    /// <param name="v">The second-moment estimate (≥ 0); on return, the updated estimate.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability, &gt; 0.</param>
    /// <param name="wd">The decoupled weight decay (the paper's λ), ≥ 0.</param>
    /// <param name="t">The 1-based number of this step, as a real, for the bias corrections; not differentiated.</param>
    /// <param name="epsInsideSqrt">Whether eps is added under the square root; not differentiated.</param>
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
        [Hyper(Default = 0.01, Domain = HyperparameterDomain.NonNegative)] double wd,
        [NoDiff] double t,
        [NoDiff] bool epsInsideSqrt)
    {
        m = beta1 * m + (1.0 - beta1) * g;
        v = beta2 * v + (1.0 - beta2) * g * g;
        double mHat = m * (1.0 / (1.0 - Math.Pow(beta1, t)));
        double vHat = v * (1.0 / (1.0 - Math.Pow(beta2, t)));
        double denominator = epsInsideSqrt ? Math.Sqrt(vHat + eps) : Math.Sqrt(vHat) + eps;
        w = w - lr * (mHat * (1.0 / denominator) + wd * w);
    }
}
