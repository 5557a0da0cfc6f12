using System.Collections.Generic;
using AutoHypergrad.Domains;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>The loss hyperparameter blocks a run can set or tune, the flag that adds each to the objective, and their domains.</summary>
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

    /// <summary>Strengths and weights are nonnegative; a log-strength and the task matrix are free.</summary>
    public static Domain DefaultDomain(string name)
        => name is "logFeatureL2" or "taskMatrix" ? Domain.Unconstrained : Domain.NonNegative;
}
