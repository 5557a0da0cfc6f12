using System;

namespace AutoHypergrad.Optimizers;

/// <summary>Lion (EvoLved Sign Momentum), with decoupled weight decay.</summary>
public static partial class Lion
{
    /// <summary>
    /// One step of Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023,
    /// Algorithm 2), with decoupled weight decay:
    /// <code>
    /// c = beta1·m + (1 − beta1)·g
    /// w ← w − lr·(sign(c) + wd·w)
    /// m ← beta2·m + (1 − beta2)·g
    /// </code>
    /// sign has derivative 0 wherever it is differentiable (everywhere but c = 0), so the derivative of the update
    /// direction is 0: the hypergradients through the direction vanish. w′ does not depend on g, m, beta1 or beta2
    /// to first order, and m only ever reaches w through sign(c), so over any number of steps only lr and wd get
    /// signal (and w carries adjoints back only through the decay factor 1 − lr·wd). Use Lion with hypergradient
    /// methods for lr and wd only. sign(0) = 0, as in PyTorch.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="m">The momentum (an exponential average of the gradient); on return, the updated average.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">The interpolation weight of the update direction c, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the momentum, in [0, 1).</param>
    /// <param name="wd">The decoupled weight decay, ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double m,
        double g,
        [Hyper(Default = 1e-4, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double beta1,
        [Hyper(Default = 0.99, Domain = HyperparameterDomain.UnitInterval)] double beta2,
        [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double c = beta1 * m + (1.0 - beta1) * g;
        w = w - lr * (Math.Sign(c) + wd * w);
        m = beta2 * m + (1.0 - beta2) * g;
    }
}
