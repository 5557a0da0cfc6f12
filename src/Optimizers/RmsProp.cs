using System;

namespace AutoHypergrad.Optimizers;

/// <summary>RMSProp, with coupled (L2) weight decay.</summary>
public static partial class RmsProp
{
    /// <summary>lr 0.01 (positive), alpha 0.99 (unit interval), eps 1e-8 (positive), wd 0 (non-negative).</summary>
    public static OptimizerDescriptor Descriptor { get; } = new(
        nameof(RmsProp),
        typeof(RmsProp),
        State: ["s"],
        Hyperparameters:
        [
            new("lr", 0.01, HyperparameterDomain.Positive),
            new("alpha", 0.99, HyperparameterDomain.UnitInterval),
            new("eps", 1e-8, HyperparameterDomain.Positive),
            new("wd", 0.0, HyperparameterDomain.NonNegative),
        ],
        Options: [],
        DoubleKernel: new StepKernelDouble(),
        SingleKernel: new StepKernelSingle());

    /// <summary>
    /// One step of RMSProp (Tieleman &amp; Hinton, "Lecture 6.5 — RMSProp: Divide the gradient by a running average
    /// of its recent magnitude", COURSERA: Neural Networks for Machine Learning, 2012), in the plain form of
    /// PyTorch's <c>RMSprop</c> (no momentum, not centered), with L2 weight decay added to the gradient:
    /// <code>
    /// d = g + wd·w
    /// s ← alpha·s + (1 − alpha)·d²
    /// w ← w − lr·d / (√s + eps)
    /// </code>
    /// Where s = 0 after the update (a gradient that has been exactly 0 from a zero state) √ has an infinite
    /// derivative and the hypergradients through s are NaN, although the step is finite.
    /// </summary>
    /// <param name="w">The weight; on return, the updated weight.</param>
    /// <param name="s">The running average of the squared gradient (≥ 0); on return, the updated average.</param>
    /// <param name="g">The gradient of the loss at <paramref name="w"/>.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="alpha">The decay rate of the running average, in [0, 1).</param>
    /// <param name="eps">The constant added to the denominator for numerical stability, &gt; 0.</param>
    /// <param name="wd">The weight decay (L2 coefficient), ≥ 0.</param>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref double w,
        ref double s,
        double g,
        [Hyper] double lr,
        [Hyper] double alpha,
        [Hyper] double eps,
        [Hyper] double wd)
    {
        double d = g + wd * w;
        s = alpha * s + (1.0 - alpha) * d * d;
        w = w - lr * d / (Math.Sqrt(s) + eps);
    }

    /// <inheritdoc cref="Step(ref double, ref double, double, double, double, double, double)"/>
    [Differentiable, OptimizerStep]
    public static void Step(
        ref float w,
        ref float s,
        float g,
        [Hyper] float lr,
        [Hyper] float alpha,
        [Hyper] float eps,
        [Hyper] float wd)
    {
        float d = g + wd * w;
        s = alpha * s + (1.0f - alpha) * d * d;
        w = w - lr * d / (MathF.Sqrt(s) + eps);
    }
}
