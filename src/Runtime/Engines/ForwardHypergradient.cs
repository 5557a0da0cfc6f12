using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.Engines;

/// <summary>
/// Forward-mode hypergradient (Franceschi et al. 2017, HO-FORWARD): carry Z_t = ds_t/dλ along the run,
/// <code>
/// Z_0 = ∂s_0/∂λ
/// for t = 1 … T:   Z_t = A_t Z_{t−1} + B_t
/// ∇f = ∂E/∂s_T · Z_T + ∂E/∂λ
/// </code>
/// with all directions of a chunk in one pass (the optimizer's vector-mode tangent), so the state, the gradient and
/// the step's primal are computed once per chunk. Its memory does not grow with T; its cost grows with m. The state
/// and its tangents live in the dynamics' <see cref="IDynamics{T}.Memory"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ForwardHypergradient<T> : IHypergradientEngine
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IDynamics<T> _dynamics;
    private readonly IResponseObjective<T> _response;

    /// <summary>An engine carrying at most <paramref name="maxDirections"/> directions per pass (0: all m at once).</summary>
    public ForwardHypergradient(IDynamics<T> dynamics, IResponseObjective<T> response, int maxDirections = 0)
    {
        _dynamics = dynamics ?? throw new ArgumentNullException(nameof(dynamics));
        _response = response ?? throw new ArgumentNullException(nameof(response));
        ArgumentOutOfRangeException.ThrowIfNegative(maxDirections);
        MaxDirections = maxDirections == 0 ? Math.Max(1, dynamics.HyperparameterCount) : maxDirections;
    }

    /// <summary>The directions carried per pass.</summary>
    public int MaxDirections { get; }

    /// <summary>f(λ) and ∇f(λ), in ⌈m / <see cref="MaxDirections"/>⌉ passes.</summary>
    /// <exception cref="NonFiniteValueException">A state, a tangent or the hypergradient is not finite.</exception>
    public HypergradientResult Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var d = _dynamics;
        int m = d.HyperparameterCount;
        int stateLength = d.StateLength;
        var lambdaT = EngineVectors.Convert<T>(lambda);
        var gradient = new double[m];
        double value = double.NaN;
        int passes = (m + MaxDirections - 1) / MaxDirections;
        long tangentSteps = 0;
        long peakBytes = 0;
        for (int first = 0; first < m; first += MaxDirections)
        {
            int k = Math.Min(MaxDirections, m - first);
            using var stateMemory = d.Memory.Allocate(stateLength);
            using var tangentMemory = d.Memory.Allocate(k * stateLength);
            var state = stateMemory.Memory.Span[..stateLength];
            var tangents = tangentMemory.Memory.Span[..(k * stateLength)];
            var lambdaTangents = new T[k * m];
            for (int j = 0; j < k; j++)
            {
                lambdaTangents[j * m + first + j] = T.One;
            }

            d.Initialize(lambdaT, state);
            d.InitializeTangents(lambdaT, lambdaTangents, tangents);
            for (int t = 1; t <= d.Steps; t++)
            {
                d.Tangents(t, state, tangents, lambdaT, lambdaTangents);
                FiniteGuard.CheckState<T>(state, d, t, "the state", lambda);
                FiniteGuard.CheckTangents<T>(tangents, d, k, t, lambda);
                tangentSteps++;
                progress?.Report(new EngineProgress("tangent", tangentSteps, (long)passes * d.Steps));
            }

            var stateGradient = new T[stateLength];
            var lambdaGradient = new T[m];
            value = double.CreateChecked(_response.Gradient(state, lambdaT, stateGradient, lambdaGradient));
            var chunk = gradient.AsSpan(first, k);
            EngineVectors.AddDirectionalDerivatives<T>(stateGradient, tangents, d.StateBlockLength, chunk);
            for (int j = 0; j < k; j++)
            {
                chunk[j] += double.CreateChecked(lambdaGradient[first + j]);
            }

            peakBytes = Math.Max(peakBytes, ((2L + k) * stateLength + (k + 2L) * m) * Unsafe.SizeOf<T>() + EngineVectors.WorkspaceBytes(d));
        }

        FiniteGuard.CheckHyperparameters(gradient, d, 0, "the hypergradient of", lambda);
        return new HypergradientResult(
            value, gradient, EngineVectors.Names(d), new EngineCost(0, tangentSteps, 0, 0, 0, peakBytes, clock.Elapsed));
    }
}
