using System;

namespace AutoHypergrad.Optimizers;

/// <summary>RMSProp, with coupled (L2) weight decay.</summary>
public static partial class RmsProp
{
    /// <summary>
    /// One step of RMSProp (Tieleman &amp; Hinton, "Lecture 6.5 — RMSProp: Divide the gradient by a running average
    /// of its recent magnitude", COURSERA: Neural Networks for Machine Learning, 2012), in the plain form of
    /// PyTorch's <c>RMSprop</c> (no momentum, not centered), with L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// s ← alpha·s + (1 − alpha)·d²
    /// w ← w − lr·d / (√s + eps)
    /// </code>
    /// Where s = 0 after the update (a gradient that has been exactly 0 from a zero state) √ has an infinite
    /// derivative and the hypergradients through s are NaN, although the step is finite.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="s">The running average of the squared gradient (≥ 0); on return, the updated average.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="alpha">The decay rate of the running average, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability, &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double s,
        double g,
        [Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.99, Domain = HyperparameterDomain.UnitInterval)] double alpha,
        [Hyper(Default = 1e-8, Domain = HyperparameterDomain.Positive)] double eps,
        [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        s = alpha * s + (1.0 - alpha) * d * d;
        w = w - lr * d / (Math.Sqrt(s) + eps);
    }
}
