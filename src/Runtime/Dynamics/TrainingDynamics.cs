using System;
using System.Buffers;
using System.Numerics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// A training run as a dynamical system: the state is s = (w, the optimizer's state slots), and step t is
/// <code>
/// g_t = ∇_w J(w_{t−1}; λ_J, batch_t)
/// s_t = Φ(s_{t−1}, g_t; λ_Φ,t)
/// </code>
/// with Φ an optimizer's generated <see cref="IVectorizedStep{T}"/> and J an <see cref="IObjective{T}"/>. Its
/// products with A_t and B_t are the chain rule through g:
/// <list type="bullet">
/// <item>tangent: ġ = H·ẇ + (∂∇J/∂λ_J)·λ̇_J, then Φ's tangent with (ṡ, ġ, λ̇_Φ);</item>
/// <item>adjoint: Φ's adjoint gives (s̄, ḡ, λ̄_Φ), then w̄ += H·ḡ and λ̄_J += (∂∇J/∂λ_J)ᵀ·ḡ.</item>
/// </list>
/// λ is the flat vector of a <see cref="HyperparameterSpace"/>; the hyperparameters it does not tune keep the
/// space's values. batch_t depends only on t (a <see cref="BatchSchedule"/>), so a replayed step sees its batch.
/// <para>
/// The vectors of the parameters' size (the gradient, its tangents and adjoint, the products) live in
/// <see cref="Memory"/> with the state, so that with a device's memory, step and objective (AutoHypergrad.Cuda) a
/// step moves only λ's values between host and device. They stay allocated while the memory does.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class TrainingDynamics<T> : IDynamics<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IObjective<T> _objective;
    private readonly IVectorizedStep<T> _step;
    private readonly BatchSchedule? _batches;
    private readonly StepOptions _options;
    private readonly int _n;
    private readonly int _passes;
    private readonly T[] _optimizerBase;
    private readonly T[] _lossBase;
    private readonly T[] _initialWeights;

    private readonly Memory<T> _gradient;
    private readonly Memory<T> _gradientAdjoint;
    private readonly Memory<T> _product;
    private readonly T[] _hyper;
    private readonly int[] _hyperOffsets;
    private readonly T[] _hyperAdjoint;
    private readonly T[] _lossLambda;
    private readonly T[] _lossAdjoint;
    private readonly T[] _lossTangent;
    private IMemoryOwner<T>? _gradientTangents;
    private T[] _hyperTangents = [];

    /// <summary>Training with <paramref name="step"/> on <paramref name="objective"/> for the space's steps.</summary>
    /// <param name="objective">J on the training set.</param>
    /// <param name="step">The optimizer's step.</param>
    /// <param name="space">The hyperparameters: names, values, which are tuned; its optimizer names must be the step's.</param>
    /// <param name="batches">The batch of each step; null for full batch.</param>
    /// <param name="options">The step's options (the step number is set per step).</param>
    /// <param name="memory">Where the state and the parameter-sized workspaces live; null for host arrays.</param>
    public TrainingDynamics(IObjective<T> objective, IVectorizedStep<T> step, HyperparameterSpace space, BatchSchedule? batches, StepOptions options = default, IStateMemory<T>? memory = null)
    {
        CheckRun(objective, step, space, batches);
        _objective = objective;
        _step = step;
        _batches = batches;
        _options = options;
        Memory = memory ?? HostStateMemory<T>.Instance;
        Space = space;
        _n = objective.ParameterCount;
        _passes = objective.PassesLength(batches?.BatchSize ?? objective.ExampleCount);
        StateLength = step.StateNames.Count * _n;
        _optimizerBase = PackOptimizerValues(step, space, _n);
        _lossBase = Convert(space.LossValues);
        _initialWeights = Convert(space.InitialWeights);

        _gradient = Memory.Allocate(_n).Memory[.._n];
        _gradientAdjoint = Memory.Allocate(_n).Memory[.._n];
        _product = Memory.Allocate(_n).Memory[.._n];
        _hyper = new T[_optimizerBase.Length];
        _hyperAdjoint = new T[_optimizerBase.Length];
        _hyperOffsets = new int[step.HyperparameterNames.Count];
        for (int h = 0; h < _hyperOffsets.Length; h++)
        {
            _hyperOffsets[h] = VectorizedStepLayout.HyperparameterOffset(step, h, _n);
        }

        _lossLambda = new T[_lossBase.Length];
        _lossAdjoint = new T[_lossBase.Length];
        _lossTangent = new T[_lossBase.Length];
    }

    /// <summary>The hyperparameters.</summary>
    public HyperparameterSpace Space { get; }

    /// <summary>The number of model parameters n.</summary>
    public int ParameterCount => _n;

    public int StateLength { get; }

    public IStateMemory<T> Memory { get; }

    public int StateBlockLength => _n;

    public int HyperparameterCount => Space.Count;

    public int Steps => Space.Steps;

    /// <summary>
    /// A step's record is its gradient g_t (n values), then the passes the objective keeps from it
    /// (<see cref="IObjective{T}.PassesLength"/>), so that the adjoint's H·ḡ skips them.
    /// </summary>
    public int StepRecordLength => _n + _passes;

    /// <summary>The bytes of the workspaces this object holds (for the engines' memory reports).</summary>
    public long WorkspaceBytes
        => (long)(_gradient.Length * 3 + (_gradientTangents?.Memory.Length ?? 0) + _hyperTangents.Length + _lossBase.Length * 4 + _optimizerBase.Length * 3 + _initialWeights.Length)
           * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    public string NameOfState(int index) => $"{_step.StateNames[index / _n]}[{index % _n}]";

    public string NameOfHyperparameter(int index) => Space.NameOf(index);

    public string DescribeHyperparameters(ReadOnlySpan<double> lambda) => Space.Describe(lambda);

    /// <summary>The batch of step <paramref name="t"/>.</summary>
    public Batch BatchAt(int t) => _batches?.At(t - 1) ?? Batch.Full;

    public void Initialize(ReadOnlySpan<T> lambda, Span<T> state)
    {
        CheckLengths(lambda, state);
        Memory.Clear(state);
        var w0 = InitialWeightsBlock(lambda, out bool tuned);
        Memory.Copy(tuned ? w0 : _initialWeights, state[.._n]);
    }

    public void InitializeTangents(ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaTangents, Span<T> stateTangents)
    {
        int k = Directions(lambdaTangents, stateTangents);
        Memory.Clear(stateTangents);
        foreach (var block in Space.Tuned)
        {
            if (block.Kind == HyperparameterKind.InitialWeights)
            {
                // Slot w is the first block: direction j of ẇ_0 at [j·n, (j + 1)·n).
                for (int j = 0; j < k; j++)
                {
                    Memory.Copy(lambdaTangents.Slice(j * Space.Count + block.Offset, _n), stateTangents.Slice(j * _n, _n));
                }
            }
        }
    }

    public void InitialAdjoint(ReadOnlySpan<T> lambda, ReadOnlySpan<T> stateAdjoint, Span<T> lambdaAdjoint)
    {
        foreach (var block in Space.Tuned)
        {
            if (block.Kind == HyperparameterKind.InitialWeights)
            {
                // λ̄ is the host's: w̄_0 is read once, at the end of the run.
                var destination = lambdaAdjoint.Slice(block.Offset, _n);
                for (int i = 0; i < _n; i++)
                {
                    destination[i] += stateAdjoint[i];
                }
            }
        }
    }

    /// <summary>Step <paramref name="t"/> in place, keeping no record.</summary>
    public void Step(int t, Span<T> state, ReadOnlySpan<T> lambda) => Step(t, state, lambda, Span<T>.Empty);

    public void Step(int t, Span<T> state, ReadOnlySpan<T> lambda, Span<T> record)
    {
        CheckLengths(lambda, state);
        var batch = ResolveStep(t, lambda);
        Span<T> gradient;
        if (record.IsEmpty)
        {
            gradient = _gradient.Span;
            _objective.Gradient(state[.._n], _lossLambda, batch, gradient);
        }
        else
        {
            CheckRecord(t, record.Length);
            gradient = record[.._n];
            _objective.Gradient(state[.._n], _lossLambda, batch, gradient, record[_n..]);
        }

        _step.Step(state, gradient, _hyper, _options.At(t));
    }

    public void Tangents(int t, Span<T> state, Span<T> stateTangents, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaTangents)
    {
        CheckLengths(lambda, state);
        int k = Directions(lambdaTangents, stateTangents);
        var batch = ResolveStep(t, lambda);
        var w = state[.._n];
        _objective.Gradient(w, _lossLambda, batch, _gradient.Span);

        // ġ_j = H·ẇ_j first: the products at the gradient's point reuse its passes; the cross tangents do not.
        var gradientTangents = GradientTangents(k);
        for (int j = 0; j < k; j++)
        {
            _objective.HessianVector(w, _lossLambda, batch, stateTangents.Slice(j * _n, _n), gradientTangents.Slice(j * _n, _n));
        }

        for (int j = 0; j < k; j++)
        {
            if (LossTangent(lambdaTangents.Slice(j * Space.Count, Space.Count)))
            {
                _objective.CrossTangent(w, _lossLambda, batch, _lossTangent, _product.Span);
                Memory.Add(_product.Span, gradientTangents.Slice(j * _n, _n));
            }
        }

        // λ̇_Φ in the step's layout: a uniform hyperparameter's k directions, or a per-element one's k·n values.
        var hyperTangents = Workspace.Grow(ref _hyperTangents, VectorizedStepLayout.HyperparameterTangentLength(_step, _n, k));
        hyperTangents.Clear();
        foreach (var block in Space.Tuned)
        {
            if (block.Kind == HyperparameterKind.Optimizer)
            {
                int offset = VectorizedStepLayout.HyperparameterTangentOffset(_step, block.Source, _n, k);
                bool perElement = Space.OptimizerPerElement[block.Source];
                int entry = block.Offset + (block.PerStep ? t - 1 : 0);
                for (int j = 0; j < k; j++)
                {
                    if (perElement)
                    {
                        lambdaTangents.Slice(j * Space.Count + block.Offset, _n).CopyTo(hyperTangents.Slice(offset + j * _n, _n));
                    }
                    else
                    {
                        hyperTangents[offset + j] = lambdaTangents[j * Space.Count + entry];
                    }
                }
            }
        }

        _step.Tangents(state, stateTangents, _gradient.Span, gradientTangents, _hyper, hyperTangents, _options.At(t));
    }

    public void Adjoint(int t, ReadOnlySpan<T> previousState, ReadOnlySpan<T> record, Span<T> stateAdjoint, ReadOnlySpan<T> lambda, Span<T> lambdaAdjoint)
    {
        CheckLengths(lambda, previousState);
        CheckRecord(t, record.Length);

        // g_t and the gradient's passes come from the record, so H·ḡ needs neither a gradient nor its passes again.
        var batch = ResolveStep(t, lambda);
        var w = previousState[.._n];
        Memory.Clear(_gradientAdjoint.Span);
        _hyperAdjoint.AsSpan().Clear();
        _step.Adjoint(previousState, stateAdjoint, record[.._n], _gradientAdjoint.Span, _hyper, _hyperAdjoint, _options.At(t));

        _lossAdjoint.AsSpan().Clear();
        _objective.HessianVectorAndCrossAdjoint(w, _lossLambda, batch, _gradientAdjoint.Span, _product.Span, _lossAdjoint, record[_n..]);
        Memory.Add(_product.Span, stateAdjoint[.._n]);

        foreach (var block in Space.Tuned)
        {
            switch (block.Kind)
            {
                case HyperparameterKind.Optimizer when Space.OptimizerPerElement[block.Source]:
                    Accumulate(_hyperAdjoint.AsSpan(_hyperOffsets[block.Source], _n), lambdaAdjoint.Slice(block.Offset, _n));
                    break;
                case HyperparameterKind.Optimizer:
                    lambdaAdjoint[block.Offset + (block.PerStep ? t - 1 : 0)] += _hyperAdjoint[_hyperOffsets[block.Source]];
                    break;
                case HyperparameterKind.Loss:
                    Accumulate(_lossAdjoint.AsSpan(block.Source, block.Length), lambdaAdjoint.Slice(block.Offset, block.Length));
                    break;
            }
        }
    }

    /// <summary>
    /// Throws unless <paramref name="step"/>, <paramref name="space"/> and <paramref name="batches"/> fit
    /// <paramref name="objective"/>: the checks of every engine that trains with a step on an objective.
    /// </summary>
    internal static void CheckRun(IObjective<T> objective, IVectorizedStep<T> step, HyperparameterSpace space, BatchSchedule? batches)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(space);
        if (!System.Linq.Enumerable.SequenceEqual(space.OptimizerNames, step.HyperparameterNames)
            || !System.Linq.Enumerable.SequenceEqual(space.OptimizerPerElement, step.PerElement))
        {
            throw new ArgumentException(
                $"The space's optimizer hyperparameters ({string.Join(", ", space.OptimizerNames)}) are not {step.Name}'s ({string.Join(", ", step.HyperparameterNames)}).",
                nameof(space));
        }

        if (space.LossLayout.Count != objective.Hyperparameters.Count || space.InitialWeights.Count != objective.ParameterCount)
        {
            throw new ArgumentException("The space's loss hyperparameters or initial weights do not match the objective.", nameof(space));
        }

        if (batches is not null && batches.ExampleCount != objective.ExampleCount)
        {
            throw new ArgumentException($"The batch schedule draws from {batches.ExampleCount} examples; the objective has {objective.ExampleCount}.", nameof(batches));
        }
    }

    /// <summary>Sets <see cref="_hyper"/> (λ_Φ at step t) and <see cref="_lossLambda"/> (λ_J) from λ; returns batch_t.</summary>
    private Batch ResolveStep(int t, ReadOnlySpan<T> lambda)
    {
        if (t < 1 || t > Steps)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, $"The run has steps 1 to {Steps}.");
        }

        _optimizerBase.CopyTo(_hyper, 0);
        _lossBase.CopyTo(_lossLambda, 0);
        foreach (var block in Space.Tuned)
        {
            switch (block.Kind)
            {
                case HyperparameterKind.Optimizer when Space.OptimizerPerElement[block.Source]:
                    lambda.Slice(block.Offset, _n).CopyTo(_hyper.AsSpan(_hyperOffsets[block.Source]));
                    break;
                case HyperparameterKind.Optimizer:
                    _hyper[_hyperOffsets[block.Source]] = lambda[block.Offset + (block.PerStep ? t - 1 : 0)];
                    break;
                case HyperparameterKind.Loss:
                    lambda.Slice(block.Offset, block.Length).CopyTo(_lossLambda.AsSpan(block.Source));
                    break;
            }
        }

        return BatchAt(t);
    }

    /// <summary>Sets <see cref="_lossTangent"/> to λ̇_J of one direction; returns whether it is not zero.</summary>
    private bool LossTangent(ReadOnlySpan<T> lambdaTangent)
    {
        _lossTangent.AsSpan().Clear();
        bool any = false;
        foreach (var block in Space.Tuned)
        {
            if (block.Kind == HyperparameterKind.Loss)
            {
                var source = lambdaTangent.Slice(block.Offset, block.Length);
                source.CopyTo(_lossTangent.AsSpan(block.Source));
                any |= source.ContainsAnyExcept(T.Zero);
            }
        }

        return any;
    }

    private ReadOnlySpan<T> InitialWeightsBlock(ReadOnlySpan<T> lambda, out bool tuned)
    {
        foreach (var block in Space.Tuned)
        {
            if (block.Kind == HyperparameterKind.InitialWeights)
            {
                tuned = true;
                return lambda.Slice(block.Offset, block.Length);
            }
        }

        tuned = false;
        return default;
    }

    /// <summary>The k·n gradient tangents, in <see cref="Memory"/>, grown to the largest k seen.</summary>
    private Span<T> GradientTangents(int k)
    {
        if (_gradientTangents is null || _gradientTangents.Memory.Length < k * _n)
        {
            _gradientTangents?.Dispose();
            _gradientTangents = Memory.Allocate(k * _n);
        }

        return _gradientTangents.Memory.Span[..(k * _n)];
    }

    private int Directions(ReadOnlySpan<T> lambdaTangents, ReadOnlySpan<T> stateTangents)
    {
        int k = stateTangents.Length / StateLength;
        if (stateTangents.Length != k * StateLength || lambdaTangents.Length != k * Space.Count)
        {
            throw new ArgumentException(
                $"Tangent lengths {stateTangents.Length} (state) and {lambdaTangents.Length} (λ) are not k·{StateLength} and k·{Space.Count} for one k.");
        }

        return k;
    }

    private void CheckRecord(int t, int length)
    {
        if (length != StepRecordLength)
        {
            throw new ArgumentException(
                $"The record of step {t} has {length} values; a step's record is its gradient and the objective's passes, {StepRecordLength} values.", "record");
        }
    }

    private void CheckLengths(ReadOnlySpan<T> lambda, ReadOnlySpan<T> state)
    {
        if (lambda.Length != Space.Count)
        {
            throw new ArgumentException($"λ has {lambda.Length} values; the space tunes {Space.Count}.", nameof(lambda));
        }

        if (state.Length != StateLength)
        {
            throw new ArgumentException($"The state has {state.Length} values; this run's has {StateLength}.", nameof(state));
        }
    }

    private static void Accumulate(ReadOnlySpan<T> source, Span<T> destination)
        => System.Numerics.Tensors.TensorPrimitives.Add(destination, source, destination);

    /// <summary>The optimizer's hyperparameter values in the step's layout: a per-element one repeated for every weight.</summary>
    internal static T[] PackOptimizerValues(IVectorizedStep<T> step, HyperparameterSpace space, int n)
    {
        var packed = new T[VectorizedStepLayout.HyperparameterLength(step, n)];
        for (int h = 0; h < space.OptimizerValues.Count; h++)
        {
            packed.AsSpan(VectorizedStepLayout.HyperparameterOffset(step, h, n), VectorizedStepLayout.HyperparameterSize(step, h, n))
                .Fill(T.CreateChecked(space.OptimizerValues[h]));
        }

        return packed;
    }

    private static T[] Convert(System.Collections.Generic.IReadOnlyList<double> values)
    {
        var result = new T[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = T.CreateChecked(values[i]);
        }

        return result;
    }
}
