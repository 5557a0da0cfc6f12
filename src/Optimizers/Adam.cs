using System;

namespace AutoHypergrad.Optimizers;

/// <summary>The Adam optimizer.</summary>
public static partial class Adam
{
    /// <summary>
    /// One step of Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1):
    /// <code>
    /// m ← beta1·m + (1 − beta1)·g
    /// v ← beta2·v + (1 − beta2)·g²
    /// m̂ = m / (1 − beta1^t)
    /// v̂ = v / (1 − beta2^t)
    /// w ← w − lr·m̂ / (√v̂ + eps)
    /// </code>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="m">The first-moment estimate; on return, the updated estimate.</param>
    /// <param name="v">The second-moment estimate; on return, the updated estimate.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate (the paper's α).</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability (the paper's ε).</param>
    /// <param name="t">The 1-based number of this step, for the bias corrections; not differentiated.</param>
    [Differentiable]
    public static void Step(
        ref double w,
        ref double m,
        ref double v,
        double g,
        [Hyper] double lr,
        [Hyper] double beta1,
        [Hyper] double beta2,
        [Hyper] double eps,
        [NoDiff] double t)
    {
        m = beta1 * m + (1.0 - beta1) * g;
        v = beta2 * v + (1.0 - beta2) * g * g;
        double mHat = m / (1.0 - Math.Pow(beta1, t));
        double vHat = v / (1.0 - Math.Pow(beta2, t));
        w = w - lr * mHat / (Math.Sqrt(vHat) + eps);
    }
}
