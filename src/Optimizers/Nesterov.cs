namespace AutoHypergrad.Optimizers;

/// <summary>Gradient descent with Nesterov momentum, with coupled (L2) weight decay.</summary>
public static partial class Nesterov
{
    /// <summary>
    /// One step of Nesterov's accelerated gradient in the momentum form of Sutskever, Martens, Dahl &amp; Hinton,
    /// "On the importance of initialization and momentum in deep learning" (ICML 2013), written, as in
    /// Bengio, Boulanger-Lewandowski &amp; Pascanu (2013) and PyTorch's <c>SGD(momentum=mu, nesterov=True)</c>,
    /// with the gradient taken at the current weight, and with L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// v ← mu·v + d
    /// w ← w − lr·(d + mu·v)
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
        w = w - lr * (d + mu * v);
    }
}
