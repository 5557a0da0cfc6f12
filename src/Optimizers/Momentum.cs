namespace AutoHypergrad.Optimizers;

/// <summary>Gradient descent with heavy-ball momentum, with coupled (L2) weight decay.</summary>
public static partial class Momentum
{
    /// <summary>
    /// One step of heavy-ball momentum (Polyak, "Some methods of speeding up the convergence of iteration
    /// methods", 1964), in the form without dampening used by Maclaurin, Duvenaud &amp; Adams,
    /// "Gradient-based Hyperparameter Optimization through Reversible Learning" (ICML 2015) and by PyTorch's
    /// <c>SGD(momentum=mu, dampening=0, weight_decay=wd)</c>, with L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// v ← mu·v + d
    /// w ← w − lr·v
    /// </code>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="v">The velocity; on return, the updated velocity.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="mu">The momentum coefficient, in [0, 1).</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double v, double g, [Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr, [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double mu, [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        v = mu * v + d;
        w = w - lr * v;
    }
}
