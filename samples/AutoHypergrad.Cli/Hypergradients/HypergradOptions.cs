using System.Collections.Generic;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Optimizers;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>How <c>hypergrad</c> computes: one hypergradient, or an outer loop or real-time HO over it.</summary>
internal enum HypergradMode
{
    Reverse,
    Truncated,
    Checkpointed,
    Forward,
    FiniteDifferences,
    RealTime,
    Implicit,
}

/// <summary>The options of one <c>hypergrad</c> run, as parsed from the command line.</summary>
internal sealed record HypergradOptions
{
    public required string Train { get; init; }

    public required string Validation { get; init; }

    public required ModelKind Model { get; init; }

    public IReadOnlyList<int> Hidden { get; init; } = [];

    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>The training optimizer; null in implicit mode.</summary>
    public required OptimizerDescriptor? Optimizer { get; init; }

    /// <summary>The hyperparameter values, the loss blocks and the step options, from <c>--set</c>.</summary>
    public required RunSettings Settings { get; init; }

    public required int Steps { get; init; }

    /// <summary>Examples per step; null for full batch.</summary>
    public int? Batch { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Random initial weights (else zeros).</summary>
    public bool RandomInit { get; init; }

    public required HypergradMode Mode { get; init; }

    public int TruncationSteps { get; init; }

    public int Slots { get; init; }

    /// <summary>Forward-mode directions per pass; 0 for all.</summary>
    public int Directions { get; init; }

    /// <summary>Real-time HO's steps between hypersteps.</summary>
    public int Interval { get; init; } = 1;

    public bool SinglePrecision { get; init; }

    /// <summary>Hyper-iterations of the outer loop; 0 for one hypergradient.</summary>
    public int Outer { get; init; }

    /// <summary>The optimizer of λ (outer loop and real-time HO): sgd or adam.</summary>
    public string HyperOptimizer { get; init; } = "adam";

    public double HyperLearningRate { get; init; } = 0.01;

    public int Patience { get; init; }

    public string? Checkpoint { get; init; }

    public string? Json { get; init; }

    /// <summary>Implicit mode: ε of the inner problem and of the linear solve.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Implicit mode: the solver of H·q = ∇_w E.</summary>
    public LinearSolverKind LinearSolver { get; init; } = LinearSolverKind.ConjugateGradient;

    public string Precision => SinglePrecision ? "float" : "double";

    public string ModeName => Mode switch
    {
        HypergradMode.FiniteDifferences => "fd",
        HypergradMode.RealTime => "rtho",
        _ => Mode.ToString().ToLowerInvariant(),
    };
}
