using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoHypergrad.Engines.Checkpointing;

namespace AutoHypergrad.Engines;

/// <summary>How a <see cref="ReverseHypergradient{T}"/> keeps the trajectory.</summary>
public enum ReverseMode
{
    /// <summary>Every state s_0 … s_{T−1} is stored: T states, no recomputation.</summary>
    Full,

    /// <summary>Only the last K steps are reversed (and stored): an approximation that ignores how λ acts through steps 1 … T − K.</summary>
    Truncated,

    /// <summary>At most c states are stored; the rest are recomputed from them on Revolve's optimal binomial schedule. Bit-identical to <see cref="Full"/>.</summary>
    Checkpointed,
}

/// <summary>The options of a <see cref="ReverseHypergradient{T}"/>.</summary>
/// <param name="Mode">How the trajectory is kept.</param>
/// <param name="TruncationSteps">K, the steps reversed in <see cref="ReverseMode.Truncated"/> mode.</param>
/// <param name="Slots">c, the states stored in <see cref="ReverseMode.Checkpointed"/> mode (s_0's included).</param>
public sealed record ReverseOptions(ReverseMode Mode = ReverseMode.Full, int TruncationSteps = 0, int Slots = 0)
{
    /// <summary>Store everything.</summary>
    public static ReverseOptions Full { get; } = new();

    /// <summary>Reverse the last <paramref name="steps"/> steps only.</summary>
    public static ReverseOptions Truncated(int steps) => new(ReverseMode.Truncated, TruncationSteps: steps);

    /// <summary>Store at most <paramref name="slots"/> states.</summary>
    public static ReverseOptions Checkpointed(int slots) => new(ReverseMode.Checkpointed, Slots: slots);
}

/// <summary>
/// Reverse-mode hypergradient (Franceschi et al. 2017, HO-REVERSE; Maclaurin et al. 2015): run the T steps, then
/// <code>
/// α_T = ∂E/∂s_T,   ∇f = ∂E/∂λ
/// for t = T … 1:   ∇f += α_t B_t,   α_{t−1} = α_t A_t
/// ∇f += α_0 ∂s_0/∂λ
/// </code>
/// where each α_t A_t and α_t B_t is one <see cref="IDynamics{T}.Adjoint"/> from the stored s_{t−1}. The states
/// are kept on a <see cref="CheckpointSchedule"/>: all of them, the last K, or c of them with recomputation.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ReverseHypergradient<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IDynamics<T> _dynamics;
    private readonly IResponseObjective<T> _response;

    /// <summary>An engine for <paramref name="dynamics"/> and the outer objective <paramref name="response"/>.</summary>
    public ReverseHypergradient(IDynamics<T> dynamics, IResponseObjective<T> response, ReverseOptions? options = null)
    {
        _dynamics = dynamics ?? throw new ArgumentNullException(nameof(dynamics));
        _response = response ?? throw new ArgumentNullException(nameof(response));
        Options = options ?? ReverseOptions.Full;
        int steps = dynamics.Steps;
        switch (Options.Mode)
        {
            case ReverseMode.Truncated when Options.TruncationSteps < 1 || Options.TruncationSteps > steps:
                throw new ArgumentOutOfRangeException(nameof(options), Options.TruncationSteps, $"Truncated reverse needs 1 ≤ K ≤ T = {steps} steps.");
            case ReverseMode.Checkpointed when Options.Slots < 1:
                throw new ArgumentOutOfRangeException(nameof(options), Options.Slots, "Checkpointed reverse needs at least 1 stored state.");
        }
    }

    /// <summary>How the trajectory is kept.</summary>
    public ReverseOptions Options { get; }

    /// <summary>f(λ) and ∇f(λ).</summary>
    /// <exception cref="NonFiniteValueException">A state, an adjoint or the hypergradient is not finite.</exception>
    public HypergradientResult Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var d = _dynamics;
        int steps = d.Steps;
        int stateLength = d.StateLength;
        var lambdaT = EngineVectors.Convert<T>(lambda);
        var lambdaAdjoint = new T[lambdaT.Length];
        var state = new T[stateLength];
        var adjoint = new T[stateLength];
        var finalState = new T[stateLength];

        d.Initialize(lambdaT, state);
        FiniteGuard.CheckState<T>(state, d, 0, "the initial state", lambda);

        // Steps 1 … start are run once and not reversed (truncation); the chain start+1 … T is.
        int start = Options.Mode == ReverseMode.Truncated ? steps - Options.TruncationSteps : 0;
        int chain = steps - start;
        var schedule = Options.Mode == ReverseMode.Checkpointed
            ? CheckpointSchedule.Revolve(chain, Options.Slots)
            : CheckpointSchedule.StoreAll(chain);
        long forwardSteps = 0;
        long reverseSteps = 0;
        long total = steps + schedule.AdvanceCount - chain + 1;
        for (int t = 1; t <= start; t++)
        {
            Advance(t, state, lambda, lambdaT, ref forwardSteps, progress, total);
        }

        var slots = new T[schedule.Slots][];
        slots[0] = (T[])state.Clone();
        int storedStates = 1;
        int current = 0;
        double value = double.NaN;
        foreach (var action in schedule)
        {
            switch (action.Kind)
            {
                case CheckpointActionKind.Store:
                    if (slots[action.Slot] is null)
                    {
                        slots[action.Slot] = new T[stateLength];
                        storedStates++;
                    }

                    state.CopyTo(slots[action.Slot], 0);
                    break;
                case CheckpointActionKind.Restore:
                    slots[action.Slot].CopyTo(state, 0);
                    current = action.Step;
                    break;
                case CheckpointActionKind.Advance:
                    for (; current < action.Step; current++)
                    {
                        Advance(start + current + 1, state, lambda, lambdaT, ref forwardSteps, progress, total);
                    }

                    break;
                case CheckpointActionKind.Reverse:
                    int t = start + action.Step;
                    if (t == steps)
                    {
                        // α_T = ∂E/∂s_T: s_T is one more step from the working state s_{T−1}.
                        state.CopyTo(finalState, 0);
                        Advance(steps, finalState, lambda, lambdaT, ref forwardSteps, progress, total);
                        value = double.CreateChecked(_response.Gradient(finalState, lambdaT, adjoint, lambdaAdjoint));
                        FiniteGuard.CheckState<T>(adjoint, d, steps, "∂E/∂s of the state", lambda);
                    }

                    d.Adjoint(t, state, adjoint, lambdaT, lambdaAdjoint);
                    FiniteGuard.CheckState<T>(adjoint, d, t, "the adjoint of the state", lambda);
                    reverseSteps++;
                    progress?.Report(new EngineProgress("reverse", reverseSteps, chain));
                    break;
            }
        }

        if (start == 0)
        {
            d.InitialAdjoint(lambdaT, adjoint, lambdaAdjoint);
        }

        var hypergradient = EngineVectors.ToDouble<T>(lambdaAdjoint);
        FiniteGuard.CheckHyperparameters(hypergradient, d, 0, "the hypergradient of", lambda);
        long storedBytes = (long)storedStates * stateLength * Unsafe.SizeOf<T>();
        long peakBytes = storedBytes + 3L * stateLength * Unsafe.SizeOf<T>() + 2L * lambdaT.Length * Unsafe.SizeOf<T>() + EngineVectors.WorkspaceBytes(d);
        return new HypergradientResult(
            value,
            hypergradient,
            EngineVectors.Names(d),
            new EngineCost(forwardSteps, 0, reverseSteps, storedStates, storedBytes, peakBytes, clock.Elapsed));
    }

    private void Advance(int t, Span<T> state, ReadOnlySpan<double> lambda, ReadOnlySpan<T> lambdaT, ref long forwardSteps, IProgress<EngineProgress>? progress, long total)
    {
        _dynamics.Step(t, state, lambdaT);
        FiniteGuard.CheckState<T>(state, _dynamics, t, "the state", lambda);
        forwardSteps++;
        progress?.Report(new EngineProgress("forward", forwardSteps, total));
    }
}
