using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Outer;

namespace AutoHypergrad.Engines.Online;

/// <summary>One hyperstep of real-time HO: at step t, f(λ) ≈ E(s_t) and its hypergradient ∂E/∂s_t·Z_t.</summary>
/// <param name="Step">The training step t.</param>
/// <param name="Value">E(s_t).</param>
/// <param name="Hypergradient">∂E/∂s_t·Z_t + ∂E/∂λ, at the λ used so far.</param>
/// <param name="Lambda">λ after the hyperstep.</param>
public sealed record RealTimeUpdate(int Step, double Value, double[] Hypergradient, double[] Lambda);

/// <summary>The outcome of a real-time HO run.</summary>
/// <param name="Lambda">λ at the end.</param>
/// <param name="State">s_T, the trained state.</param>
/// <param name="Updates">Every hyperstep.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record RealTimeResult<T>(double[] Lambda, T[] State, IReadOnlyList<RealTimeUpdate> Updates, TimeSpan Elapsed);

/// <summary>
/// Real-time hyperparameter optimization (Franceschi et al. 2017, RTHO): one training run, carrying
/// Z_t = A_t Z_{t−1} + B_t as forward mode does, and every Δ steps a hyperstep λ ← update(λ, ∂E/∂s_t·Z_t) in λ's
/// domains. Z is not reset after a hyperstep: as in the seed it approximates ds_t/dλ along the changing λ. The state
/// and Z live in the dynamics' <see cref="IDynamics{T}.Memory"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RealTimeHyperparameterOptimization<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IDynamics<T> _dynamics;
    private readonly IResponseObjective<T> _response;
    private readonly HyperparameterUpdater _updater;

    /// <summary>RTHO of <paramref name="dynamics"/>, with a hyperstep of <paramref name="updater"/> every <paramref name="interval"/> steps.</summary>
    public RealTimeHyperparameterOptimization(IDynamics<T> dynamics, IResponseObjective<T> response, HyperparameterUpdater updater, int interval)
    {
        _dynamics = dynamics ?? throw new ArgumentNullException(nameof(dynamics));
        _response = response ?? throw new ArgumentNullException(nameof(response));
        _updater = updater ?? throw new ArgumentNullException(nameof(updater));
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        if (updater.Lambda.Length != dynamics.HyperparameterCount)
        {
            throw new ArgumentException($"The updater holds {updater.Lambda.Length} hyperparameters; the run has {dynamics.HyperparameterCount}.", nameof(updater));
        }

        Interval = interval;
    }

    /// <summary>Δ, the steps between hypersteps.</summary>
    public int Interval { get; }

    /// <summary>Trains once from the updater's λ, updating λ every Δ steps.</summary>
    /// <exception cref="NonFiniteValueException">A state, a tangent, a hypergradient or λ is not finite.</exception>
    public RealTimeResult<T> Run(IProgress<EngineProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var d = _dynamics;
        int m = d.HyperparameterCount;
        var lambdaT = EngineVectors.Convert<T>(_updater.Lambda);
        using var stateMemory = d.Memory.Allocate(d.StateLength);
        using var tangentMemory = d.Memory.Allocate(m * d.StateLength);
        var state = stateMemory.Memory.Span[..d.StateLength];
        var tangents = tangentMemory.Memory.Span[..(m * d.StateLength)];
        var lambdaTangents = new T[m * m];
        for (int j = 0; j < m; j++)
        {
            lambdaTangents[j * m + j] = T.One;
        }

        var stateGradient = new T[d.StateLength];
        var lambdaGradient = new T[m];
        var updates = new List<RealTimeUpdate>();
        d.Initialize(lambdaT, state);
        d.InitializeTangents(lambdaT, lambdaTangents, tangents);
        for (int t = 1; t <= d.Steps; t++)
        {
            d.Tangents(t, state, tangents, lambdaT, lambdaTangents);
            FiniteGuard.CheckState<T>(state, d, t, "the state", _updater.Lambda);
            FiniteGuard.CheckTangents<T>(tangents, d, m, t, _updater.Lambda);
            if (t % Interval == 0)
            {
                lambdaGradient.AsSpan().Clear();
                double value = double.CreateChecked(_response.Gradient(state, lambdaT, stateGradient, lambdaGradient));
                var hypergradient = EngineVectors.ToDouble<T>(lambdaGradient);
                EngineVectors.AddDirectionalDerivatives<T>(stateGradient, tangents, d.StateBlockLength, hypergradient);
                FiniteGuard.CheckHyperparameters(hypergradient, d, t, "the hypergradient of", _updater.Lambda);
                _updater.Step(hypergradient);
                FiniteGuard.CheckHyperparameters(_updater.Lambda, d, t, "the updated", _updater.Lambda);
                lambdaT = EngineVectors.Convert<T>(_updater.Lambda);
                updates.Add(new RealTimeUpdate(t, value, hypergradient, (double[])_updater.Lambda.Clone()));
            }

            progress?.Report(new EngineProgress("real-time", t, d.Steps));
        }

        return new RealTimeResult<T>((double[])_updater.Lambda.Clone(), state.ToArray(), updates, clock.Elapsed);
    }
}
