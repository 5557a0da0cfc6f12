using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Outer;

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
internal sealed record HypergradOptions : RunOptions
{
    /// <summary>The shared options of <paramref name="run"/> and this command's defaults.</summary>
    [SetsRequiredMembers]
    public HypergradOptions(RunOptions run)
        : base(run)
    {
    }

    public HypergradMode Mode { get; init; }

    public int TruncationSteps { get; init; }

    public int Slots { get; init; }

    /// <summary>Forward-mode directions per pass; 0 for all.</summary>
    public int Directions { get; init; }

    /// <summary>Real-time HO's steps between hypersteps.</summary>
    public int Interval { get; init; } = 1;

    /// <summary>Hyper-iterations of the outer loop; 0 for one hypergradient.</summary>
    public int Outer { get; init; }

    /// <summary>The optimizer of λ (outer loop and real-time HO): sgd or adam.</summary>
    public string HyperOptimizer { get; init; } = "adam";

    public double HyperLearningRate { get; init; } = 0.01;

    public int Patience { get; init; }

    public string? Checkpoint { get; init; }

    /// <summary>Trials of a search (random search, or restarts with <see cref="Outer"/>); 0 for none.</summary>
    public int Search { get; init; }

    /// <summary>The search's ranges, in the order each trial draws them.</summary>
    public IReadOnlyList<SearchRange> Ranges { get; init; } = [];

    /// <summary>Where a search keeps its finished trials and resumes from.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Implicit mode: ε of the inner problem and of the linear solve.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Implicit mode: the solver of H·q = ∇_w E.</summary>
    public LinearSolverKind LinearSolver { get; init; } = LinearSolverKind.ConjugateGradient;

    public string ModeName => Mode switch
    {
        HypergradMode.FiniteDifferences => "fd",
        HypergradMode.RealTime => "rtho",
        _ => Mode.ToString().ToLowerInvariant(),
    };
}
