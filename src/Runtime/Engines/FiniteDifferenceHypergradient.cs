using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.Engines;

/// <summary>
/// The check of the other engines: central finite differences of the whole unrolled run,
/// D(h) = (f(λ + h e_i) − f(λ − h e_i)) / 2h, extrapolated (Richardson) as ∂f/∂λ_i ≈ (4·D(h_i/2) − D(h_i)) / 3,
/// exact to O(h⁴) plus rounding ε·|f|/h, with h_i = <see cref="RelativeStep"/>·max(|λ_i|, 1e-3). The
/// extrapolation matters for a hyperparameter such as Adadelta's ε, whose effect bends on the scale of ε itself
/// (√(u + ε) with u = 0 at the start), so that a step small enough for O(h²) would drown in rounding.
/// Four full training runs per hyperparameter: slow.
/// </summary>
/// <typeparam name="T">float or double (double for checks: in float the rounding error swamps the difference).</typeparam>
public sealed class FiniteDifferenceHypergradient<T> : IHypergradientEngine
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IDynamics<T> _dynamics;
    private readonly IResponseObjective<T> _response;

    /// <summary>An engine with steps h_i = <paramref name="relativeStep"/>·max(|λ_i|, 1e-3).</summary>
    public FiniteDifferenceHypergradient(IDynamics<T> dynamics, IResponseObjective<T> response, double relativeStep = 1e-5)
    {
        _dynamics = dynamics ?? throw new ArgumentNullException(nameof(dynamics));
        _response = response ?? throw new ArgumentNullException(nameof(response));
        if (!(relativeStep > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeStep), relativeStep, "The relative step must be positive.");
        }

        RelativeStep = relativeStep;
    }

    /// <summary>The step relative to |λ_i|.</summary>
    public double RelativeStep { get; }

    /// <summary>f(λ): a plain training run and E of its final state.</summary>
    public double Value(ReadOnlySpan<double> lambda)
    {
        using var state = _dynamics.Memory.Allocate(_dynamics.StateLength);
        return Run(lambda, state.Memory.Span[.._dynamics.StateLength]);
    }

    /// <summary>f(λ) and the central differences of every entry of λ.</summary>
    public HypergradientResult Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        int m = _dynamics.HyperparameterCount;
        using var stateMemory = _dynamics.Memory.Allocate(_dynamics.StateLength);
        var state = stateMemory.Memory.Span[.._dynamics.StateLength];
        var shifted = lambda.ToArray();
        var gradient = new double[m];
        double value = Run(lambda, state);
        for (int i = 0; i < m; i++)
        {
            double h = RelativeStep * Math.Max(Math.Abs(lambda[i]), 1e-3);
            double wide = CentralDifference(lambda, shifted, i, h, state);
            double narrow = CentralDifference(lambda, shifted, i, h / 2, state);
            gradient[i] = (4 * narrow - wide) / 3;
            progress?.Report(new EngineProgress("finite differences", i + 1, m));
        }

        long bytes = (long)_dynamics.StateLength * Unsafe.SizeOf<T>() + EngineVectors.WorkspaceBytes(_dynamics);
        return new HypergradientResult(
            value, gradient, EngineVectors.Names(_dynamics), new EngineCost((4L * m + 1) * _dynamics.Steps, 0, 0, 0, 0, bytes, clock.Elapsed));
    }

    private double CentralDifference(ReadOnlySpan<double> lambda, double[] shifted, int i, double h, Span<T> state)
    {
        shifted[i] = lambda[i] + h;
        double plus = Run(shifted, state);
        shifted[i] = lambda[i] - h;
        double minus = Run(shifted, state);
        shifted[i] = lambda[i];

        // The step actually taken: λ ± h are rounded.
        return (plus - minus) / ((lambda[i] + h) - (lambda[i] - h));
    }

    private double Run(ReadOnlySpan<double> lambda, Span<T> state)
    {
        var lambdaT = EngineVectors.Convert<T>(lambda);
        _dynamics.Initialize(lambdaT, state);
        for (int t = 1; t <= _dynamics.Steps; t++)
        {
            _dynamics.Step(t, state, lambdaT, Span<T>.Empty);
            FiniteGuard.CheckState<T>(state, _dynamics, t, "the state", lambda);
        }

        return double.CreateChecked(_response.Value(state, lambdaT));
    }
}
