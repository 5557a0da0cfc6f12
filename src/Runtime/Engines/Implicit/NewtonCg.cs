using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>How the inner problem min_w J(w; λ_J) is solved.</summary>
/// <param name="MaxIterations">The most Newton iterations.</param>
/// <param name="MaxConjugateGradientIterations">The most CG iterations per Newton step; 0: the number of parameters.</param>
public sealed record InnerSolveOptions(int MaxIterations = 200, int MaxConjugateGradientIterations = 0);

/// <summary>The outcome of an inner solve.</summary>
/// <param name="Iterations">Newton iterations taken.</param>
/// <param name="GradientNorm">‖∇_w J(w; λ_J)‖ at the returned w.</param>
/// <param name="Scale">The scale the tolerance is relative to: ‖∇_w J(w_0; λ_J)‖ at the cold start w_0 (1 when that is 0).</param>
/// <param name="Tolerance">The relative tolerance ε asked for: converged means GradientNorm ≤ ε·Scale.</param>
/// <param name="Value">J(w; λ_J).</param>
/// <param name="Converged">Whether the gradient norm reached ε·Scale.</param>
/// <param name="Reason">Why it stopped, in words.</param>
public sealed record InnerSolveResult(int Iterations, double GradientNorm, double Scale, double Tolerance, double Value, bool Converged, string Reason);

/// <summary>
/// Newton-CG with a backtracking line search for the inner problem on the full training batch: each Newton direction
/// solves H·d = −∇J by conjugate gradient with the objective's exact Hessian-vector products, to the relative
/// accuracy min(½, √(‖∇J‖/scale)) (Eisenstat–Walker forcing, superlinear near the optimum), stopping at negative
/// curvature (then the steepest descent direction if no CG step was taken). Chosen over L-BFGS because the implicit
/// hypergradient wants ‖∇J‖ near 10⁻¹⁰ of its scale, where Newton's quadratic convergence costs a few more
/// iterations and L-BFGS's linear rate many; and the products are exact and cost about one gradient each.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class NewtonCg<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const double Armijo = 1e-4;
    private const int MaxHalvings = 60;

    /// <summary>Eight units in the last place of T, relative.</summary>
    private static readonly double RoundingSlack = 8 * double.CreateChecked(T.BitIncrement(T.One) - T.One);

    private readonly ObjectiveInDouble<T> _objective;
    private readonly double[] _gradient;
    private readonly double[] _direction;
    private readonly double[] _trial;

    /// <summary>A solver for <paramref name="objective"/>.</summary>
    public NewtonCg(IObjective<T> objective, InnerSolveOptions? options = null)
        : this(new ObjectiveInDouble<T>(objective ?? throw new ArgumentNullException(nameof(objective))), options)
    {
    }

    internal NewtonCg(ObjectiveInDouble<T> objective, InnerSolveOptions? options)
    {
        _objective = objective;
        Options = options ?? new InnerSolveOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.MaxConjugateGradientIterations);
        int n = objective.ParameterCount;
        (_gradient, _direction, _trial) = (new double[n], new double[n], new double[n]);
    }

    /// <summary>The options.</summary>
    public InnerSolveOptions Options { get; }

    /// <summary>
    /// Minimizes J(·; <paramref name="lambda"/>) from <paramref name="w"/> (a warm start; overwritten by the result) to
    /// ‖∇J‖ ≤ <paramref name="tolerance"/>·‖∇J(<paramref name="coldStart"/>)‖.
    /// </summary>
    public InnerSolveResult Minimize(Span<double> w, ReadOnlySpan<double> lambda, double tolerance, ReadOnlySpan<double> coldStart)
    {
        _objective.SetLambda(lambda);
        return Minimize(w, tolerance, coldStart);
    }

    /// <summary>The same at the λ_J already set on the objective.</summary>
    internal InnerSolveResult Minimize(Span<double> w, double tolerance, ReadOnlySpan<double> coldStart)
    {
        if (!(tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The inner tolerance must be nonnegative.");
        }

        int n = w.Length;
        _objective.Gradient(coldStart, _gradient);
        double scale = TensorPrimitives.Norm(_gradient);
        scale = scale > 0 ? scale : 1;
        double target = tolerance * scale;
        var point = w.ToArray();
        double value = _objective.Gradient(point, _gradient);
        double norm = TensorPrimitives.Norm(_gradient);
        var cg = new LinearSolveOptions(MaxIterations: Options.MaxConjugateGradientIterations > 0 ? Options.MaxConjugateGradientIterations : Math.Max(n, 10));
        SymmetricOperator hessian = (v, result) => _objective.HessianVector(point, v, result);
        var minusGradient = new double[n];
        var zero = new double[n];
        int iterations = 0;
        string reason = "the gradient norm reached the tolerance";
        while (norm > target)
        {
            if (!double.IsFinite(value) || !double.IsFinite(norm))
            {
                reason = "J or its gradient is not finite";
                break;
            }

            if (iterations == Options.MaxIterations)
            {
                reason = $"the iteration cap {Options.MaxIterations} was reached";
                break;
            }

            iterations++;
            TensorPrimitives.Negate(_gradient, minusGradient);
            var newton = LinearSolvers.ConjugateGradient(
                hessian, minusGradient, zero, cg with { Tolerance = Math.Min(0.5, Math.Sqrt(norm / scale)) });
            newton.Solution.CopyTo(_direction, 0);
            double slope = TensorPrimitives.Dot(_gradient, _direction);
            if (!(slope < 0))
            {
                // Negative curvature before any CG step, or a useless direction: steepest descent.
                minusGradient.CopyTo(_direction, 0);
                slope = -norm * norm;
            }

            double step = 1;
            double trialValue = double.NaN;
            int halvings = 0;
            for (; halvings < MaxHalvings; halvings++, step /= 2)
            {
                TensorPrimitives.MultiplyAdd(_direction, step, point, _trial);
                trialValue = _objective.Value(_trial);

                // The slack of a few ulps of J lets a Newton step below J's rounding pass near the optimum.
                if (trialValue <= value + Armijo * step * slope + RoundingSlack * Math.Abs(value))
                {
                    break;
                }
            }

            if (halvings == MaxHalvings)
            {
                reason = "the line search found no decrease";
                break;
            }

            _trial.CopyTo(point, 0);
            value = _objective.Gradient(point, _gradient);
            norm = TensorPrimitives.Norm(_gradient);
        }

        point.CopyTo(w);
        return new InnerSolveResult(iterations, norm, scale, tolerance, value, norm <= target, reason);
    }
}
