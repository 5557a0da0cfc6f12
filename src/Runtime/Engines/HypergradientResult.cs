using System;
using System.Collections.Generic;

namespace AutoHypergrad.Engines;

/// <summary>What an engine spent on one hypergradient.</summary>
/// <param name="ForwardSteps">Primal steps run, recomputations included (a plain training run is T).</param>
/// <param name="TangentSteps">Steps run with tangents (forward mode), counting each direction chunk's run.</param>
/// <param name="ReverseSteps">Adjoint steps run.</param>
/// <param name="StoredStates">The most states held at once for the reverse pass.</param>
/// <param name="StoredBytes">Their bytes.</param>
/// <param name="PeakBytes">The most bytes the engine's buffers held at once: stored states, the working state, adjoints or tangents, and the dynamics' workspaces.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record EngineCost(
    long ForwardSteps, long TangentSteps, long ReverseSteps, long StoredStates, long StoredBytes, long PeakBytes, TimeSpan Elapsed);

/// <summary>f(λ) = E(s_T(λ), λ) and its hypergradient ∇f(λ).</summary>
/// <param name="Value">f(λ).</param>
/// <param name="Gradient">∇f(λ), in the order of λ.</param>
/// <param name="Names">The name of each entry of λ (<c>lr</c>, <c>weights[3]</c>).</param>
/// <param name="Cost">What it took.</param>
public sealed record HypergradientResult(double Value, double[] Gradient, IReadOnlyList<string> Names, EngineCost Cost);

/// <summary>Where an engine is, for progress bars.</summary>
/// <param name="Phase">"forward", "reverse", "tangent", "finite differences".</param>
/// <param name="Done">Work done in this phase.</param>
/// <param name="Total">Work in this phase.</param>
public readonly record struct EngineProgress(string Phase, long Done, long Total);
