namespace AutoHypergrad.Optimizers;

/// <summary>Gradient descent with Nesterov momentum.</summary>
public static partial class Nesterov
{
    /// <summary>
    /// One step of Nesterov's accelerated gradient in the momentum form of Sutskever, Martens, Dahl &amp; Hinton,
    /// "On the importance of initialization and momentum in deep learning" (ICML 2013), written, as in
    /// Bengio, Boulanger-Lewandowski &amp; Pascanu (2013), with the gradient taken at the current weight:
    /// <code>
    /// v ← mu·v + g
    /// w ← w − lr·(g + mu·v)
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
        w = w - lr * (g + mu * v);
    }
}
