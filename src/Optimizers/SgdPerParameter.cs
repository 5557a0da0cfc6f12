namespace AutoHypergrad.Optimizers;

/// <summary>
/// Stochastic gradient descent with a learning rate per parameter, with coupled (L2) weight decay: <see cref="Sgd"/>
/// with <c>[PerElement] [Hyper] lr</c>, so that the hypergradient engines tune one learning rate per weight.
/// </summary>
public static partial class SgdPerParameter
{
    /// <summary>
    /// One step of stochastic gradient descent with its own learning rate lrᵢ for each parameter, the same maths as
    /// <see cref="Sgd.Step(ref double, double, double, double)"/> elementwise:
    /// <code>
    /// d = g + wd·w
    /// w ← w − lrᵢ·d
    /// </code>
    /// Per-parameter learning rates are what hypergradient methods tune beyond a global one: Baydin et al., "Online
    /// Learning Rate Adaptation with Hypergradient Descent" (ICLR 2018), derive the update of a global α and note
    /// that it extends to a learning rate per parameter; Maclaurin, Duvenaud &amp; Adams, "Gradient-based
    /// Hyperparameter Optimization through Reversible Learning" (ICML 2015), learn learning-rate schedules per layer
    /// by reverse-mode hypergradients. With every lrᵢ equal to lr the step is <see cref="Sgd"/>'s, to the bit.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">This weight's learning rate (a span of one per weight in the span drivers).</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0, shared by all weights.</param>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, double g, [PerElement, Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr, [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        w = w - lr * d;
    }
}
