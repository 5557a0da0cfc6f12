using System;
using System.Numerics;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// A dynamical system s_t = Φ_t(s_{t−1}, λ), t = 1 … T, from s_0 = Φ_0(λ): the training run whose final state the
/// hypergradient engines differentiate with respect to the hyperparameters λ (a flat vector of m values). Besides
/// the step it gives the two products of the seeds' notation, A_t = ∂Φ_t/∂s_{t−1} and B_t = ∂Φ_t/∂λ, in both modes:
/// <see cref="Tangents"/> computes Z_t = A_t Z_{t−1} + B_t λ̇ and <see cref="Adjoint"/> computes
/// α_{t−1} = α_t A_t and λ̄ += α_t B_t.
/// <para>
/// Every method is a deterministic function of its arguments, so a step recomputed from a stored state gives the
/// same bits: the checkpointed engines rely on it.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IDynamics<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The length of the state s.</summary>
    int StateLength { get; }

    /// <summary>
    /// The state is consecutive blocks of this length (a training run's: w, then each optimizer state slot, n values
    /// each). Tangents keep a block's k directions together: block b, direction j, entry i at (b·k + j)·L + i, with L
    /// this length, so that the optimizer's vector-mode kernel reads each block's directions as one span.
    /// </summary>
    int StateBlockLength { get; }

    /// <summary>The number of hyperparameters m (the length of λ).</summary>
    int HyperparameterCount { get; }

    /// <summary>The number of steps T.</summary>
    int Steps { get; }

    /// <summary>
    /// The length of a step's record: what <see cref="Step"/> can write for <see cref="Adjoint"/> to reuse instead
    /// of recomputing it (a training run's: the gradient g_t, so that the adjoint skips the gradient's passes).
    /// </summary>
    int StepRecordLength { get; }

    /// <summary>
    /// Where the state and the vectors shaped like it live: the engines allocate, copy, clear, add and check them
    /// here. Host arrays unless the dynamics runs on a device.
    /// </summary>
    IStateMemory<T> Memory => HostStateMemory<T>.Instance;

    /// <summary>The name of state entry <paramref name="index"/> (<c>v[12]</c>), for errors.</summary>
    string NameOfState(int index);

    /// <summary>The name of λ[<paramref name="index"/>] (<c>lr</c>, <c>weights[3]</c>), for results and errors.</summary>
    string NameOfHyperparameter(int index);

    /// <summary>The values of λ in words (<c>lr=0.5, mu=0.9</c>), for errors.</summary>
    string DescribeHyperparameters(ReadOnlySpan<double> lambda);

    /// <summary>Writes s_0 = Φ_0(λ).</summary>
    void Initialize(ReadOnlySpan<T> lambda, Span<T> state);

    /// <summary>
    /// Writes the tangents of s_0 for k directions λ̇ (direction j of λ̇ at [j·m, (j + 1)·m); the state tangents in
    /// the block layout of <see cref="StateBlockLength"/>).
    /// </summary>
    void InitializeTangents(ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaTangents, Span<T> stateTangents);

    /// <summary>Adds (∂s_0/∂λ)ᵀ·s̄_0 to <paramref name="lambdaAdjoint"/>.</summary>
    void InitialAdjoint(ReadOnlySpan<T> lambda, ReadOnlySpan<T> stateAdjoint, Span<T> lambdaAdjoint);

    /// <summary>
    /// Step <paramref name="t"/> (1-based) in place: s ← Φ_t(s, λ); writes the step's record into
    /// <paramref name="record"/> unless it is empty.
    /// </summary>
    void Step(int t, Span<T> state, ReadOnlySpan<T> lambda, Span<T> record);

    /// <summary>
    /// Step <paramref name="t"/> in place with k tangent directions: s ← Φ_t(s, λ) and Z ← A_t Z + B_t λ̇, with
    /// the layouts of <see cref="InitializeTangents"/>.
    /// </summary>
    void Tangents(int t, Span<T> state, Span<T> stateTangents, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaTangents);

    /// <summary>
    /// The adjoint of step <paramref name="t"/>: <paramref name="previousState"/> is s_{t−1} (unchanged) and
    /// <paramref name="record"/> the record <see cref="Step"/> wrote when it ran step t from it;
    /// <paramref name="stateAdjoint"/> holds α_t on entry and α_t A_t on exit; α_t B_t is added to
    /// <paramref name="lambdaAdjoint"/>.
    /// </summary>
    void Adjoint(int t, ReadOnlySpan<T> previousState, ReadOnlySpan<T> record, Span<T> stateAdjoint, ReadOnlySpan<T> lambda, Span<T> lambdaAdjoint);
}
