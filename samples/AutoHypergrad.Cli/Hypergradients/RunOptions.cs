using System.Collections.Generic;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>What every training command reads the same way (<see cref="RunOptionSet"/>): the data, the model, the optimizer and its settings, the run's length and precision.</summary>
internal record RunOptions
{
    public required string Train { get; init; }

    public required string Validation { get; init; }

    public required ModelKind Model { get; init; }

    public IReadOnlyList<int> Hidden { get; init; } = [];

    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>The training optimizer; null only for a run without one (<c>hypergrad --mode implicit</c>).</summary>
    public required Optimizer? Optimizer { get; init; }

    /// <summary>The hyperparameter values, the loss blocks and the step options, from <c>--set</c>.</summary>
    public required RunSettings Settings { get; init; }

    public required int Steps { get; init; }

    /// <summary>Examples per step; null for full batch.</summary>
    public int? Batch { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Random initial weights (else zeros).</summary>
    public bool RandomInit { get; init; }

    public bool SinglePrecision { get; init; }

    public string? Json { get; init; }

    public string Precision => SinglePrecision ? "float" : "double";
}
