using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoHypergrad.Dynamics;
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
/// are kept on a <see cref="CheckpointSchedule"/>: all of them, the last K, or c of them with recomputation. The
/// states, the records and the adjoint live in the dynamics' <see cref="IDynamics{T}.Memory"/>: on a GPU the whole
/// trajectory stays on the device.
/// <para>
/// In host memory the engine keeps the trajectory's blocks from one call to the next (an outer loop's hypergradients
/// then write to memory that is already mapped instead of touching T fresh states each time); they are freed with
/// the engine. Device memory is freed at the end of every call.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ReverseHypergradient<T> : IHypergradientEngine
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IDynamics<T> _dynamics;
    private readonly IResponseObjective<T> _response;

    /// <summary>The trajectory's blocks of the last call, in the order it allocated them (host memory only).</summary>
    private readonly List<IMemoryOwner<T>> _kept = [];

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
        var lambdaT = EngineVectors.Convert<T>(lambda);
        var lambdaAdjoint = new T[lambdaT.Length];
        using var adjointMemory = d.Memory.Allocate(d.StateLength);
        var adjoint = adjointMemory.Memory.Span;
        d.Memory.Clear(adjoint);
        using var trajectory = new Trajectory(d, lambda, lambdaT, progress, d.Memory.FreedWithLastReference ? _kept : null);

        // Steps 1 … start are run once and not reversed (truncation); the chain start+1 … T is.
        int start = Options.Mode == ReverseMode.Truncated ? steps - Options.TruncationSteps : 0;
        int chain = steps - start;
        var schedule = Options.Mode == ReverseMode.Checkpointed
            ? CheckpointSchedule.Revolve(chain, Options.Slots)
            : CheckpointSchedule.StoreAll(chain);
        trajectory.Begin(start, schedule);
        double value = double.NaN;
        long reverseSteps = 0;
        foreach (var action in schedule)
        {
            switch (action.Kind)
            {
                case CheckpointActionKind.Store:
                    trajectory.Store(action.Slot);
                    break;
                case CheckpointActionKind.Restore:
                    trajectory.Restore(action.Slot, action.Step);
                    break;
                case CheckpointActionKind.Advance:
                    trajectory.AdvanceTo(action.Step);
                    break;
                case CheckpointActionKind.Reverse:
                    int t = start + action.Step;
                    var record = trajectory.RecordOfNextStep(needNextState: t == steps, out var finalState);
                    if (t == steps)
                    {
                        // α_T = ∂E/∂s_T, with s_T from the record's step.
                        value = double.CreateChecked(_response.Gradient(finalState.Span, lambdaT, adjoint, lambdaAdjoint));
                        FiniteGuard.CheckState<T>(adjoint, d, steps, "∂E/∂s of the state", lambda);
                    }

                    d.Adjoint(t, trajectory.Working, record, adjoint, lambdaT, lambdaAdjoint);
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
        long peakBytes = trajectory.Bytes + (adjoint.Length + 2L * lambdaT.Length) * Unsafe.SizeOf<T>() + EngineVectors.WorkspaceBytes(d);
        return new HypergradientResult(
            value,
            hypergradient,
            EngineVectors.Names(d),
            new EngineCost(trajectory.ForwardSteps, 0, reverseSteps, trajectory.StoredStates, trajectory.StoredBytes, peakBytes, clock.Elapsed));
    }

    /// <summary>
    /// The bookkeeping of the reverse pass: the working state, the stored states and the step records. A slot keeps,
    /// beside its state s_j, the record of step j + 1 once that step has run from it, so that most adjoints reuse
    /// the gradient of the forward pass; a record that is missing is made by running the step from a copy. Every
    /// adjoint therefore sees a record made the same way, which keeps checkpointed runs bit-identical to full ones.
    /// Everything lives in the dynamics' memory and is freed on <see cref="Dispose"/>, unless the engine keeps it
    /// for its next call (then its blocks are taken in the same order again).
    /// </summary>
    private sealed class Trajectory : IDisposable
    {
        private readonly IDynamics<T> _dynamics;
        private readonly T[] _lambdaT;
        private readonly IProgress<EngineProgress>? _progress;
        private readonly double[] _lambda;
        private readonly int _length;
        private readonly int _recordLength;
        private readonly List<IMemoryOwner<T>> _owned;
        private readonly bool _keep;
        private int _taken;
        private readonly Memory<T> _working;
        private readonly Memory<T> _scratch;
        private readonly Memory<T> _scratchRecord;
        private Memory<T>[] _slots = [];
        private Memory<T>[] _records = [];
        private bool[] _recordValid = [];
        private bool[] _allocated = [];
        private int _start;
        private int _current;
        private int _workingSlot;
        private long _total;

        public Trajectory(IDynamics<T> dynamics, ReadOnlySpan<double> lambda, T[] lambdaT, IProgress<EngineProgress>? progress, List<IMemoryOwner<T>>? kept)
        {
            _keep = kept is not null;
            _owned = kept ?? [];
            _dynamics = dynamics;
            _lambdaT = lambdaT;
            _progress = progress;
            _lambda = lambda.ToArray();
            _length = dynamics.StateLength;
            _recordLength = dynamics.StepRecordLength;
            _working = Allocate(_length);
            _scratch = Allocate(_length);
            _scratchRecord = Allocate(_recordLength);
        }

        public ReadOnlySpan<T> Working => _working.Span;

        public long ForwardSteps { get; private set; }

        public int StoredStates { get; private set; }

        public long StoredBytes => (long)StoredStates * (_length + _recordLength) * Unsafe.SizeOf<T>();

        public long Bytes => StoredBytes + (2L * _length + _recordLength) * Unsafe.SizeOf<T>();

        /// <summary>s_0, then the unreversed steps 1 … start; the working state then goes into slot 0.</summary>
        public void Begin(int start, CheckpointSchedule schedule)
        {
            _start = start;
            _total = start + schedule.AdvanceCount + 1;
            _dynamics.Initialize(_lambdaT, _working.Span);
            FiniteGuard.CheckState<T>(_working.Span, _dynamics, 0, "the initial state", _lambda);
            for (int t = 1; t <= start; t++)
            {
                Run(t, _working.Span, Span<T>.Empty);
            }

            _slots = new Memory<T>[schedule.Slots];
            _records = new Memory<T>[schedule.Slots];
            _recordValid = new bool[schedule.Slots];
            _allocated = new bool[schedule.Slots];
            Store(0);
        }

        public void Store(int slot)
        {
            if (!_allocated[slot])
            {
                _allocated[slot] = true;
                // Written before they are read: no need to zero them (at full storage that is T fresh states).
                _slots[slot] = Allocate(_length);
                _records[slot] = Allocate(_recordLength);
                StoredStates++;
            }

            _dynamics.Memory.Copy(_working.Span, _slots[slot].Span);
            _recordValid[slot] = false;
            _workingSlot = slot;
        }

        public void Restore(int slot, int step)
        {
            _dynamics.Memory.Copy(_slots[slot].Span, _working.Span);
            _current = step;
            _workingSlot = slot;
        }

        public void AdvanceTo(int step)
        {
            for (; _current < step; _current++)
            {
                // The step leaving a stored state leaves its record with it.
                var record = _workingSlot >= 0 ? _records[_workingSlot].Span : Span<T>.Empty;
                Run(_start + _current + 1, _working.Span, record);
                if (_workingSlot >= 0)
                {
                    _recordValid[_workingSlot] = true;
                }

                _workingSlot = -1;
            }
        }

        /// <summary>
        /// The record of the step from the working state s_{t−1}. When it is not stored, or s_t itself is needed
        /// (<paramref name="needNextState"/>, for s_T), the step is run from a copy, which is then
        /// <paramref name="nextState"/> = s_t.
        /// </summary>
        public ReadOnlySpan<T> RecordOfNextStep(bool needNextState, out Memory<T> nextState)
        {
            nextState = _scratch;
            if (!needNextState && _workingSlot >= 0 && _recordValid[_workingSlot])
            {
                return _records[_workingSlot].Span;
            }

            _dynamics.Memory.Copy(_working.Span, _scratch.Span);
            Run(_start + _current + 1, _scratch.Span, _scratchRecord.Span);
            return _scratchRecord.Span;
        }

        public void Dispose()
        {
            if (_keep)
            {
                return;
            }

            foreach (var owner in _owned)
            {
                owner.Dispose();
            }

            _owned.Clear();
        }

        /// <summary>A block of <paramref name="length"/> values: the next kept one when it is long enough, else a new one.</summary>
        private Memory<T> Allocate(int length)
        {
            if (_taken < _owned.Count && _owned[_taken].Memory.Length >= length)
            {
                return _owned[_taken++].Memory[..length];
            }

            var owner = _dynamics.Memory.Allocate(length);
            if (_taken < _owned.Count)
            {
                _owned[_taken] = owner;
            }
            else
            {
                _owned.Add(owner);
            }

            _taken++;
            return owner.Memory[..length];
        }

        private void Run(int t, Span<T> state, Span<T> record)
        {
            _dynamics.Step(t, state, _lambdaT, record);
            FiniteGuard.CheckState<T>(state, _dynamics, t, "the state", _lambda);
            ForwardSteps++;
            _progress?.Report(new EngineProgress("forward", ForwardSteps, _total));
        }
    }
}
