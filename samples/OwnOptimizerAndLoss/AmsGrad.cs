using System;
using AutoHypergrad;

namespace OwnOptimizerAndLoss;

/// <summary>AMSGrad (Reddi, Kale and Kumar, ICLR 2018): Adam whose step divides by the largest second moment so far.</summary>
public static partial class AmsGrad
{
    /// <summary>
    /// One step of one weight. The generator adds the vectorized step <c>StepVectorizedDouble</c> over whole vectors and the
    /// factory <c>StepOptimizer(lr: …, beta1: …, beta2: …, eps: …)</c> for the engines, with these defaults and domains.
    /// </summary>
    [Differentiable, OptimizerStep]
    public static void Step(ref double w, ref double m, ref double v, ref double vMax, double g,
        [Hyper(Default = 1e-3, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double beta1,
        [Hyper(Default = 0.999, Domain = HyperparameterDomain.UnitInterval)] double beta2,
        [Hyper(Default = 1e-8, Domain = HyperparameterDomain.Positive)] double eps)
    {
        m = (beta1 * m) + ((1 - beta1) * g);
        v = (beta2 * v) + ((1 - beta2) * g * g);
        vMax = Math.Max(vMax, v);
        w -= lr * m / (Math.Sqrt(vMax) + eps);
    }
}
