namespace AutoHypergrad.Optimizers;

/// <summary>Plain stochastic gradient descent.</summary>
public static partial class Sgd
{
    /// <summary>
    /// One step of stochastic gradient descent (Robbins &amp; Monro, "A Stochastic Approximation Method", 1951):
    /// <code>
    /// w ← w − lr·g
    /// </code>
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    [Differentiable]
    public static void Step(ref double w, double g, [Hyper] double lr)
    {
        w = w - lr * g;
    }
}
