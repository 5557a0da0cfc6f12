namespace AutoHypergrad.Optimizers;

/// <summary>Plain stochastic gradient descent, with coupled (L2) weight decay.</summary>
public static partial class Sgd
{
    /// <summary>lr 0.01 (positive), wd 0 (non-negative).</summary>
    public static OptimizerDescriptor Descriptor { get; } = new(
        nameof(Sgd),
        typeof(Sgd),
        State: [],
        Hyperparameters:
        [
            new("lr", 0.01, HyperparameterDomain.Positive),
            new("wd", 0.0, HyperparameterDomain.NonNegative),
        ],
        Options: [],
        DoubleKernel: new StepKernelDouble(),
        SingleKernel: new StepKernelSingle());

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
    public static void Step(ref double w, double g, [Hyper] double lr, [Hyper] double wd)
    {
        double d = g + wd * w;
        w = w - lr * d;
    }

    /// <inheritdoc cref="Step(ref double, double, double, double)"/>
    [Differentiable, OptimizerStep]
    public static void Step(ref float w, float g, [Hyper] float lr, [Hyper] float wd)
    {
        float d = g + wd * w;
        w = w - lr * d;
    }
}
