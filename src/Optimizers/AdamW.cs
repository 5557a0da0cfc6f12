using System;

namespace AutoHypergrad.Optimizers;

/// <summary>Adam with decoupled weight decay.</summary>
public static partial class AdamW
{
    /// <summary>
    /// lr 1e-3 (positive), beta1 0.9 and beta2 0.999 (unit interval), eps 1e-8 (positive), wd 0.01 (non-negative);
    /// options t and epsInsideSqrt.
    /// </summary>
    public static OptimizerDescriptor Descriptor { get; } = new(
        nameof(AdamW),
        typeof(AdamW),
        State: ["m", "v"],
        Hyperparameters:
        [
            new("lr", 1e-3, HyperparameterDomain.Positive),
            new("beta1", 0.9, HyperparameterDomain.UnitInterval),
            new("beta2", 0.999, HyperparameterDomain.UnitInterval),
            new("eps", 1e-8, HyperparameterDomain.Positive),
            new("wd", 0.01, HyperparameterDomain.NonNegative),
        ],
        Options: ["t", "epsInsideSqrt"],
        DoubleKernel: new StepKernelDouble(),
        SingleKernel: new StepKernelSingle());

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
        [Hyper] double lr,
        [Hyper] double beta1,
        [Hyper] double beta2,
        [Hyper] double eps,
        [Hyper] double wd,
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

    /// <inheritdoc cref="Step(ref double, ref double, ref double, double, double, double, double, double, double, double, bool)"/>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref float w,
        ref float m,
        ref float v,
        float g,
        [Hyper] float lr,
        [Hyper] float beta1,
        [Hyper] float beta2,
        [Hyper] float eps,
        [Hyper] float wd,
        [NoDiff] float t,
        [NoDiff] bool epsInsideSqrt)
    {
        m = beta1 * m + (1.0f - beta1) * g;
        v = beta2 * v + (1.0f - beta2) * g * g;
        float mHat = m * (1.0f / (1.0f - MathF.Pow(beta1, t)));
        float vHat = v * (1.0f / (1.0f - MathF.Pow(beta2, t)));
        float denominator = epsInsideSqrt ? MathF.Sqrt(vHat + eps) : MathF.Sqrt(vHat) + eps;
        w = w - lr * (mHat * (1.0f / denominator) + wd * w);
    }
}
