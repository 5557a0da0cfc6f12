namespace AutoHypergrad.Optimizers;

/// <summary>Gradient descent with heavy-ball momentum.</summary>
public static partial class Momentum
{
    /// <summary>
    /// One step of heavy-ball momentum (Polyak, "Some methods of speeding up the convergence of iteration
    /// methods", 1964), in the form without dampening used by Maclaurin, Duvenaud &amp; Adams,
    /// "Gradient-based Hyperparameter Optimization through Reversible Learning" (ICML 2015):
    /// <code>
    /// v ← mu·v + g
    /// w ← w − lr·v
    /// </code>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="v">The velocity; on return, the updated velocity.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="mu">The momentum coefficient, usually in [0, 1).</param>
    [Differentiable]
    public static void Step(ref double w, ref double v, double g, [Hyper] double lr, [Hyper] double mu)
    {
        v = mu * v + g;
        w = w - lr * v;
    }
}
