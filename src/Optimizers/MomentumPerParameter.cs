namespace AutoHypergrad.Optimizers;

/// <summary>
/// Gradient descent with heavy-ball momentum and a learning rate per parameter, with coupled (L2) weight decay:
/// <see cref="Momentum"/> with <c>[PerElement] [Hyper] lr</c>.
/// </summary>
public static partial class MomentumPerParameter
{
    /// <summary>
    /// One step of heavy-ball momentum with its own learning rate lrᵢ for each parameter, the same maths as
    /// <see cref="Momentum.Step(ref double, ref double, double, double, double, double)"/> elementwise:
    /// <code>
    /// d = g + wd·w
    /// v ← mu·v + d
    /// w ← w − lrᵢ·v
    /// </code>
    /// Maclaurin, Duvenaud &amp; Adams, "Gradient-based Hyperparameter Optimization through Reversible Learning"
    /// (ICML 2015), tune this step's learning rates per layer by reverse-mode hypergradients; Baydin et al., "Online
    /// Learning Rate Adaptation with Hypergradient Descent" (ICLR 2018), note that their update of a global α extends
    /// to one per parameter. With every lrᵢ equal to lr the step is <see cref="Momentum"/>'s, to the bit.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="v">The velocity; on return, the updated velocity.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">This weight's learning rate (a span of one per weight in the span drivers).</param>
    /// <param name="mu">The momentum coefficient, in [0, 1), shared by all weights.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0, shared by all weights.</param>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double v, double g, [PerElement, Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr, [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double mu, [Hyper(Default = 0.0, Domain = HyperparameterDomain.NonNegative)] double wd)
    {
        double d = g + wd * w;
        v = mu * v + d;
        w = w - lr * v;
    }
}
