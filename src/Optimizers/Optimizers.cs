using System;
using System.Collections.Generic;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Optimizers;

/// <summary>The optimizers of this library.</summary>
public static class Optimizers
{
    /// <summary>Every optimizer at its defaults (the generated <c>StepOptimizer()</c> of each), in a fixed order.</summary>
    public static IReadOnlyList<Optimizer> All { get; } =
    [
        Sgd.StepOptimizer(),
        Momentum.StepOptimizer(),
        Nesterov.StepOptimizer(),
        Adam.StepOptimizer(),
        AdamW.StepOptimizer(),
        RmsProp.StepOptimizer(),
        Adagrad.StepOptimizer(),
        Adadelta.StepOptimizer(),
        Lion.StepOptimizer(),
        SgdPerParameter.StepOptimizer(),
        MomentumPerParameter.StepOptimizer(),
        AdamPerParameter.StepOptimizer(),
    ];

    /// <summary>The optimizer named <paramref name="name"/> (its class name, compared ignoring case).</summary>
    /// <exception cref="ArgumentException">No optimizer has that name.</exception>
    public static Optimizer Find(string name)
    {
        foreach (Optimizer optimizer in All)
        {
            if (string.Equals(optimizer.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return optimizer;
            }
        }

        throw new ArgumentException($"No optimizer is named '{name}'.", nameof(name));
    }
}
