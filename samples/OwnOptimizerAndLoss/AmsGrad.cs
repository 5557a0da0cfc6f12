using System;
using AutoHypergrad;

namespace OwnOptimizerAndLoss;

/// <summary>AMSGrad (Reddi, Kale and Kumar, ICLR 2018): Adam whose step divides by the largest second moment so far.</summary>
public static partial class AmsGrad
{
    /// <summary>One step of one weight; the generator adds the step kernel <c>StepKernelDouble</c> over whole vectors.</summary>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double m, ref double v, ref double vMax, double g,
        [Hyper] double lr, [Hyper] double beta1, [Hyper] double beta2, [Hyper] double eps)
    {
        m = (beta1 * m) + ((1 - beta1) * g);
        v = (beta2 * v) + ((1 - beta2) * g * g);
        vMax = Math.Max(vMax, v);
        w -= lr * m / (Math.Sqrt(vMax) + eps);
    }
}
