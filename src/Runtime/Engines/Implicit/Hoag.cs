using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AutoHypergrad.Outer;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>How HOAG's tolerances ε_k shrink; every choice is summable, as HOAG's convergence proof needs.</summary>
public enum ToleranceDecrease
{
    /// <summary>ε_k = ε_0·γ^k (HOAG's default, γ = 0.9).</summary>
    Exponential,

    /// <summary>ε_k = ε_0/(k + 1)².</summary>
    Quadratic,

    /// <summary>ε_k = ε_0/(k + 1)³.</summary>
    Cubic,
}

/// <summary>The options of HOAG's outer loop.</summary>
/// <param name="Iterations">The hyper-iterations.</param>
/// <param name="InitialTolerance">ε_0.</param>
/// <param name="Decrease">How ε_k shrinks.</param>
/// <param name="DecreaseFactor">γ of the exponential decrease.</param>
/// <param name="MinimumTolerance">ε_k never goes below this.</param>
/// <param name="InitialLipschitz">L_0, the first step being 1/L_0; null: HOAG's ‖p_0‖·m (p_0 in λ's free variables, m the length of λ), or 1 when ‖p_0‖ ≤ 10⁻³.</param>
public sealed record HoagOptions(
    int Iterations,
    double InitialTolerance = 1e-2,
    ToleranceDecrease Decrease = ToleranceDecrease.Exponential,
    double DecreaseFactor = 0.9,
    double MinimumTolerance = 1e-12,
    double? InitialLipschitz = null)
{
    /// <summary>ε_k.</summary>
    public double ToleranceAt(int k)
    {
        double epsilon = Decrease switch
        {
            ToleranceDecrease.Quadratic => InitialTolerance / ((k + 1.0) * (k + 1.0)),
            ToleranceDecrease.Cubic => InitialTolerance / ((k + 1.0) * (k + 1.0) * (k + 1.0)),
            _ => InitialTolerance * Math.Pow(DecreaseFactor, k),
        };
        return Math.Max(epsilon, MinimumTolerance);
    }
}

/// <summary>One HOAG iteration, at λ_k.</summary>
/// <param name="Iteration">k, from 0.</param>
/// <param name="Value">f(λ_k), from the inner solution at tolerance ε_k.</param>
/// <param name="HypergradientNorm">‖p_k‖.</param>
/// <param name="Tolerance">ε_k.</param>
/// <param name="InnerGradientNorm">‖∇_w J‖ at the inner solution.</param>
/// <param name="LinearResidual">‖Hq − ∇_w E‖/‖∇_w E‖.</param>
/// <param name="LinearIterations">The linear solvers' iterations.</param>
/// <param name="LinearSolver">The method whose q was used.</param>
/// <param name="Lipschitz">L_k: the next step is 1/L_k long in p.</param>
/// <param name="Rejected">Whether f(λ_k) rose above the last accepted f, so the next step starts again from that iterate.</param>
/// <param name="Seconds">The iteration's wall time.</param>
public sealed record HoagIteration(
    int Iteration, double Value, double HypergradientNorm, double Tolerance, double InnerGradientNorm, double LinearResidual,
    int LinearIterations, LinearSolverKind LinearSolver, double Lipschitz, bool Rejected, double Seconds);

/// <summary>The outcome of HOAG.</summary>
/// <param name="History">Every iteration.</param>
/// <param name="Lambda">λ after the last step.</param>
/// <param name="BestLambda">The λ_k with the lowest f(λ_k) seen.</param>
/// <param name="BestValue">Its f.</param>
/// <param name="BestIteration">Its k.</param>
public sealed record HoagResult(IReadOnlyList<HoagIteration> History, double[] Lambda, double[] BestLambda, double BestValue, int BestIteration);

/// <summary>
/// HOAG's outer loop (Pedregosa, ICML 2016, Algorithm 1, with the step size of its experiments and code):
/// <code>
/// for k = 0, 1, …:
///     solve the inner problem and H·q = ∇_w E to ε_k, warm-started     (the hypergradient, p_k)
///     adapt L (below)
///     λ_{k+1} = P(λ_k − p_k / L)
/// </code>
/// with Σ ε_k &lt; ∞. The adaptive step compares f(λ_k) with f(λ_{k−1}) across the step Δ = ‖λ_k − λ_{k−1}‖ that
/// led here, allowing for the inexactness of both values: if f_k − ε_k ≤ f_{k−1} + ε_{k−1} + ε_{k−1}Δ − (L/2)Δ² (the
/// decrease a step of 1/L guarantees when f is L-smooth) L shrinks by 0.95; else if f still did not increase L stays;
/// else it doubles and, unlike HOAG, the step is rejected: the next one starts again from the last accepted iterate,
/// half as long. (HOAG clips its log-strengths to [−10, 6], which bounds the damage of an overlong step; λ here has
/// no such box, and a step into a region where f is flat, l2 → ∞ say, would never come back. HOAG's code also tests
/// the inequality with the length of the next step; this one uses the step whose outcome f_k measures.) The step and the projection act on λ's free variables through the
/// <see cref="DomainMap"/>, so λ stays in its domains; L, its first value ‖p_0‖·m and the step length Δ are measured
/// there too, as HOAG measures them on the log-strengths it steps on (measured on λ, a first step at l2 = 10⁻³
/// under λ = e^u would move u by 10⁻³ instead of 1).
/// </summary>
public sealed class Hoag
{
    private readonly Func<double[], double, ImplicitResult> _hypergradient;
    private readonly DomainMap _domains;

    /// <summary>HOAG on <paramref name="hypergradient"/>(λ, ε) in <paramref name="domains"/>.</summary>
    public Hoag(Func<double[], double, ImplicitResult> hypergradient, DomainMap domains, HoagOptions options)
    {
        _hypergradient = hypergradient ?? throw new ArgumentNullException(nameof(hypergradient));
        _domains = domains ?? throw new ArgumentNullException(nameof(domains));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Iterations);
        if (!(options.InitialTolerance > 0) || !(options.MinimumTolerance >= 0) || !(options.DecreaseFactor > 0 && options.DecreaseFactor < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), FormattableString.Invariant($"ε_0 = {options.InitialTolerance}, ε_min = {options.MinimumTolerance}, γ = {options.DecreaseFactor}: need ε_0 > 0, ε_min ≥ 0 and 0 < γ < 1."));
        }

        if (options.InitialLipschitz is { } l && !(l > 0 && double.IsFinite(l)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), l, "L_0 must be positive and finite.");
        }
    }

    /// <summary>A HOAG on an implicit hypergradient engine.</summary>
    public static Hoag For<T>(ImplicitHypergradient<T> engine, DomainMap domains, HoagOptions options)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => new((lambda, epsilon) => (engine ?? throw new ArgumentNullException(nameof(engine))).Compute(lambda, epsilon), domains, options);

    /// <summary>The options.</summary>
    public HoagOptions Options { get; }

    /// <summary>Runs from <paramref name="start"/> (which must lie in the domains); <paramref name="progress"/> sees each iteration with its λ_k.</summary>
    /// <exception cref="ImplicitSolveException">A hypergradient's solve missed ε_k.</exception>
    public HoagResult Run(ReadOnlySpan<double> start, Action<HoagIteration, double[]>? progress = null)
    {
        var lambda = start.ToArray();
        var u = _domains.ToFree(start);
        var history = new List<HoagIteration>();
        double[] bestLambda = lambda.ToArray();
        double bestValue = double.PositiveInfinity;
        int bestIteration = -1;
        double lipschitz = Options.InitialLipschitz ?? double.NaN;

        // The last accepted iterate: its free variables, the gradient there in them, f and ε.
        double[] acceptedFree = u.ToArray(), acceptedGradient = [];
        double acceptedValue = double.NaN, acceptedTolerance = double.NaN;
        for (int k = 0; k < Options.Iterations; k++)
        {
            var clock = Stopwatch.StartNew();
            double epsilon = Options.ToleranceAt(k);
            var result = _hypergradient(lambda.ToArray(), epsilon);
            double value = result.Hypergradient.Value;
            var p = result.Hypergradient.Gradient;
            double norm = Norm(p);
            var freeGradient = new double[u.Length];
            _domains.ChainGradient(u, p, freeGradient);
            bool rejected = false;
            if (k == 0)
            {
                double freeNorm = Norm(freeGradient);
                lipschitz = double.IsNaN(lipschitz) ? (freeNorm > 1e-3 ? freeNorm * p.Length : 1) : lipschitz;
            }
            else
            {
                double step = Distance(acceptedFree, u);
                if (value - epsilon <= acceptedValue + acceptedTolerance + acceptedTolerance * step - lipschitz / 2 * step * step)
                {
                    lipschitz *= 0.95;
                }
                else if (value > acceptedValue)
                {
                    lipschitz *= 2;
                    rejected = true;
                }
            }

            if (value < bestValue)
            {
                (bestLambda, bestValue, bestIteration) = (lambda.ToArray(), value, k);
            }

            var at = lambda.ToArray();
            if (!rejected)
            {
                (acceptedFree, acceptedGradient, acceptedValue, acceptedTolerance) = (u.ToArray(), freeGradient, value, epsilon);
            }

            // λ_{k+1} = P(λ − p/L) from the accepted iterate, on the free variables.
            acceptedFree.CopyTo(u, 0);
            for (int i = 0; i < u.Length; i++)
            {
                u[i] -= acceptedGradient[i] / lipschitz;
            }

            _domains.Project(u);
            _domains.FromFree(u, lambda);

            var iteration = new HoagIteration(
                k, value, norm, epsilon, result.InnerGradientNorm, result.LinearResidual, result.LinearIterations, result.LinearSolver, lipschitz, rejected,
                clock.Elapsed.TotalSeconds);
            history.Add(iteration);
            progress?.Invoke(iteration, at);
        }

        return new HoagResult(history, lambda, bestLambda, bestValue, bestIteration);
    }

    private static double Norm(ReadOnlySpan<double> values) => System.Numerics.Tensors.TensorPrimitives.Norm(values);

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Distance(a, b);
}
