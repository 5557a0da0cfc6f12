using System.Collections.Generic;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>The loss hyperparameter blocks a run can set or tune, and the flag that adds each to the objective (their domains are the blocks').</summary>
internal static class LossBlocks
{
    /// <summary>Each block's name and the <see cref="LossHyperparameters"/> flag that gives the objective that block.</summary>
    public static IReadOnlyDictionary<string, LossHyperparameters> Flags { get; } = new Dictionary<string, LossHyperparameters>
    {
        ["weights"] = LossHyperparameters.ExampleWeights,
        ["l2"] = LossHyperparameters.L2,
        ["featureL2"] = LossHyperparameters.FeatureL2,
        ["logFeatureL2"] = LossHyperparameters.LogFeatureL2,
        ["taskMatrix"] = LossHyperparameters.MultiTask,
        ["rho"] = LossHyperparameters.MultiTask,
    };
}
