using System;

namespace AutoHypergrad.Optimizers;

/// <summary>Adagrad, with coupled (L2) weight decay.</summary>
public static partial class Adagrad
{
    /// <summary>
    /// One step of Adagrad (Duchi, Hazan &amp; Singer, "Adaptive Subgradient Methods for Online Learning and
    /// Stochastic Optimization", JMLR 2011), diagonal form, as PyTorch's <c>Adagrad</c> with lr_decay = 0 and
    /// initial_accumulator_value = 0, with L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// s ← s + d²
    /// w ← w − lr·d / (√s + eps)
    /// </code>
    /// Where s = 0 after the update (a gradient that has been exactly 0 from a zero state) √ has an infinite
    /// derivative and the hypergradients through s are NaN, although the step is finite.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="s">The sum of the squared gradients (≥ 0); on return, the updated sum.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="eps">The constant added to the denominator for numerical stability, &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double s, double g, [Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr, [Hyper(Default = 1e-10, Domain = HyperparameterDomain.Positive)] double eps, [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        s = s + d * d;
        w = w - lr * d / (Math.Sqrt(s) + eps);
    }
}
