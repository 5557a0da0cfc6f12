using System;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;

namespace AutoHypergrad;

/// <summary>Which hypergradient engine a <see cref="Engine"/> names.</summary>
public enum EngineKind
{
    /// <summary>Reverse mode through every stored state: <see cref="ReverseHypergradient{T}"/>.</summary>
    Reverse,

    /// <summary>Reverse mode through the last steps only.</summary>
    Truncated,

    /// <summary>Reverse mode that recomputes states from a few checkpoints (binomial schedule).</summary>
    Checkpointed,

    /// <summary>Forward mode, one tangent per entry of λ: <see cref="ForwardHypergradient{T}"/>.</summary>
    Forward,

    /// <summary>Central differences of whole training runs: <see cref="FiniteDifferenceHypergradient{T}"/>.</summary>
    FiniteDifferences,

    /// <summary>Implicit differentiation at the training optimum: <see cref="ImplicitHypergradient{T}"/>.</summary>
    Implicit,
}

/// <summary>
/// A hypergradient engine and its settings, for <see cref="BilevelProblem{T}.Hypergradient(Engine, IProgress{EngineProgress}?)"/>
/// and <see cref="BilevelProblem{T}.Optimize"/>: <c>Engine.Reverse</c>, <c>Engine.Checkpointed(slots: 8)</c>,
/// <c>Engine.Forward</c>, …
/// </summary>
/// <param name="Kind">The engine.</param>
/// <param name="TruncationSteps">For <see cref="EngineKind.Truncated"/>: how many of the last steps it differentiates through.</param>
/// <param name="Slots">For <see cref="EngineKind.Checkpointed"/>: how many states it stores.</param>
/// <param name="MaxDirections">For <see cref="EngineKind.Forward"/>: the most tangents carried at once (0: all of λ).</param>
/// <param name="RelativeStep">For <see cref="EngineKind.FiniteDifferences"/>: the step relative to each |λᵢ| (absolute below 1).</param>
/// <param name="ImplicitOptions">For <see cref="EngineKind.Implicit"/>: the inner solve's and the linear solve's settings.</param>
public sealed record Engine(
    EngineKind Kind,
    int TruncationSteps = 0,
    int Slots = 0,
    int MaxDirections = 0,
    double RelativeStep = 1e-5,
    ImplicitOptions? ImplicitOptions = null)
{
    /// <summary>
    /// Whether the engine sums λ's adjoints over the steps (the reverse engines and the implicit one), as opposed to
    /// carrying tangents (forward) or differencing runs: an objective's partitioned adjoints
    /// (<see cref="Objectives.IPartitionedAdjoints"/>) are gathered at the end of such an engine's computation.
    /// </summary>
    public bool AccumulatesAdjoints => Kind is EngineKind.Reverse or EngineKind.Truncated or EngineKind.Checkpointed or EngineKind.Implicit;

    /// <summary>Reverse mode, storing every state.</summary>
    public static Engine Reverse { get; } = new(EngineKind.Reverse);

    /// <summary>Forward mode, all of λ's tangents at once.</summary>
    public static Engine Forward { get; } = new(EngineKind.Forward);

    /// <summary>Central differences of whole runs (a check: 2·|λ| training runs).</summary>
    public static Engine FiniteDifferences { get; } = new(EngineKind.FiniteDifferences);

    /// <summary>Reverse mode through the last <paramref name="steps"/> steps only.</summary>
    public static Engine Truncated(int steps) => new(EngineKind.Truncated, TruncationSteps: Positive(steps, nameof(steps)));

    /// <summary>Reverse mode storing <paramref name="slots"/> states and recomputing the others.</summary>
    public static Engine Checkpointed(int slots) => new(EngineKind.Checkpointed, Slots: Positive(slots, nameof(slots)));

    /// <summary>Forward mode carrying at most <paramref name="maxDirections"/> tangents at once.</summary>
    public static Engine ForwardInBlocks(int maxDirections) => new(EngineKind.Forward, MaxDirections: Positive(maxDirections, nameof(maxDirections)));

    /// <summary>Implicit differentiation at the training optimum, which the engine solves for.</summary>
    public static Engine ImplicitAtOptimum(ImplicitOptions? options = null) => new(EngineKind.Implicit, ImplicitOptions: options);

    /// <summary>
    /// This engine over a training run: <paramref name="dynamics"/> differentiated for <paramref name="response"/>. The
    /// implicit engine needs no run but the training objective itself; <see cref="BilevelProblem{T}.Engine"/> builds it.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is the implicit engine.</exception>
    public IHypergradientEngine Over<T>(IDynamics<T> dynamics, IResponseObjective<T> response)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> => Kind switch
    {
        EngineKind.Reverse => new ReverseHypergradient<T>(dynamics, response),
        EngineKind.Truncated => new ReverseHypergradient<T>(dynamics, response, ReverseOptions.Truncated(TruncationSteps)),
        EngineKind.Checkpointed => new ReverseHypergradient<T>(dynamics, response, ReverseOptions.Checkpointed(Slots)),
        EngineKind.Forward => new ForwardHypergradient<T>(dynamics, response, MaxDirections),
        EngineKind.FiniteDifferences => new FiniteDifferenceHypergradient<T>(dynamics, response, RelativeStep),
        _ => throw new InvalidOperationException("The implicit engine differentiates the training optimum, not a run: build it from the training objective (BilevelProblem<T>.Engine)."),
    };

    private static int Positive(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
        return value;
    }
}
