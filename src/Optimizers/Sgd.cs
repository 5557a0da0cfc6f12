namespace AutoHypergrad.Optimizers;

/// <summary>Plain stochastic gradient descent, with coupled (L2) weight decay.</summary>
public static partial class Sgd
{
    /// <summary>
    /// One step of stochastic gradient descent (Robbins &amp; Monro, "A Stochastic Approximation Method", 1951)
    /// with L2 weight decay added to the gradient, as PyTorch's <c>SGD(weight_decay=wd)</c>:
    /// <code>
    /// d = g + wd·w
    /// w ← w − lr·d
    /// </code>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, double g, [Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr, [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        w = w - lr * d;
    }
}
