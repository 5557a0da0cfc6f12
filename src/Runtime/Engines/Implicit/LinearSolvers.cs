using System;
using System.Numerics.Tensors;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>y = H·v for a symmetric H, written into <paramref name="result"/>.</summary>
public delegate void SymmetricOperator(ReadOnlySpan<double> v, Span<double> result);

/// <summary>The methods for H·q = b.</summary>
public enum LinearSolverKind
{
    /// <summary>Conjugate gradient: H positive definite; stops at the first direction with pᵀHp ≤ 0.</summary>
    ConjugateGradient,

    /// <summary>MINRES (Paige and Saunders 1975): any symmetric H, definite or not; minimizes ‖Hq − b‖ over the Krylov space.</summary>
    Minres,

    /// <summary>The truncated Neumann series q = α Σ_{k&lt;K} (I − αH)^k b, from q = 0.</summary>
    Neumann,

    /// <summary>The fixed-point iteration q ← q + α(b − Hq), from the warm start.</summary>
    FixedPoint,
}

/// <summary>When a linear solve stops.</summary>
/// <param name="Tolerance">The relative residual ‖Hq − b‖/‖b‖ to reach.</param>
/// <param name="MaxIterations">The most iterations (Hessian-vector products, for Neumann and fixed point with the power iteration's).</param>
/// <param name="Step">α of Neumann and fixed point; null: 1/λ̂_max from <see cref="PowerIterations"/> power iterations.</param>
/// <param name="PowerIterations">The power iterations that estimate λ_max(H) when no step is given.</param>
public sealed record LinearSolveOptions(double Tolerance = 1e-8, int MaxIterations = 10_000, double? Step = null, int PowerIterations = 30);

/// <summary>The outcome of a linear solve.</summary>
/// <param name="Solution">q.</param>
/// <param name="Method">The method that produced it.</param>
/// <param name="Iterations">Its iterations (Hessian-vector products, not counting the final residual's).</param>
/// <param name="RelativeResidual">The true ‖Hq − b‖/‖b‖ (0 when b = 0), computed with one more product.</param>
/// <param name="Converged">Whether <see cref="RelativeResidual"/> is within the tolerance.</param>
/// <param name="NegativeCurvature">Whether the method met pᵀHp ≤ 0 (conjugate gradient) or diverged (Neumann, fixed point): H is not positive definite.</param>
public sealed record LinearSolveResult(
    double[] Solution, LinearSolverKind Method, int Iterations, double RelativeResidual, bool Converged, bool NegativeCurvature);

/// <summary>
/// Iterative solvers of H·q = b for a symmetric H given only by its products, each started from a guess (the
/// previous q in HOAG) and each reporting the true relative residual, so that no caller has to trust a recurrence.
/// </summary>
public static class LinearSolvers
{
    /// <summary>Solves with <paramref name="method"/>.</summary>
    public static LinearSolveResult Solve(
        LinearSolverKind method, SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
        => method switch
        {
            LinearSolverKind.ConjugateGradient => ConjugateGradient(h, b, start, options),
            LinearSolverKind.Minres => Minres(h, b, start, options),
            LinearSolverKind.Neumann => Neumann(h, b, options),
            LinearSolverKind.FixedPoint => FixedPoint(h, b, start, options),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown linear solver."),
        };

    /// <summary>
    /// Solves with <paramref name="method"/> and, when that does not reach the tolerance (CG at negative curvature,
    /// a diverging Neumann series, an iteration cap), again with MINRES, which needs H symmetric only: from the
    /// first attempt's q unless that met negative curvature or diverged, then from <paramref name="start"/>.
    /// <c>FirstAttempt</c> is null when no fallback ran; the caller still has to check <c>Final.Converged</c>.
    /// </summary>
    public static (LinearSolveResult Final, LinearSolveResult? FirstAttempt) SolveWithFallback(
        LinearSolverKind method, SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
    {
        var first = Solve(method, h, b, start, options);
        if (first.Converged || method == LinearSolverKind.Minres)
        {
            return (first, null);
        }

        var restart = first.NegativeCurvature ? start : first.Solution;
        return (Minres(h, b, restart, options), first);
    }

    /// <summary>
    /// Conjugate gradient from <paramref name="start"/>, restarted from the true residual when the recurrence claims a
    /// convergence the true residual does not confirm. Stops at the first pᵀHp ≤ 0 with the iterate so far and
    /// <see cref="LinearSolveResult.NegativeCurvature"/> set: H is not positive definite there, and CG's answer means nothing.
    /// </summary>
    public static LinearSolveResult ConjugateGradient(SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
    {
        int n = Check(b, start, options);
        var x = start.ToArray();
        double bNorm = TensorPrimitives.Norm(b);
        if (bNorm == 0)
        {
            return Zero(n, LinearSolverKind.ConjugateGradient);
        }

        var r = new double[n];
        var p = new double[n];
        var hp = new double[n];
        double target = options.Tolerance * bNorm;
        int iterations = 0;
        bool negativeCurvature = false;
        double residual = Residual(h, b, x, r);
        while (residual > target && iterations < options.MaxIterations && !negativeCurvature)
        {
            // r = b − Hx holds the true residual at every (re)start.
            r.CopyTo(p, 0);
            double rr = residual * residual;
            while (iterations < options.MaxIterations)
            {
                h(p, hp);
                iterations++;
                double curvature = TensorPrimitives.Dot(p, hp);
                if (!(curvature > 0))
                {
                    negativeCurvature = true;
                    break;
                }

                double alpha = rr / curvature;
                TensorPrimitives.MultiplyAdd(p, alpha, x, x);
                TensorPrimitives.MultiplyAdd(hp, -alpha, r, r);
                double next = TensorPrimitives.Dot(r, r);
                if (Math.Sqrt(next) <= target)
                {
                    break;
                }

                TensorPrimitives.MultiplyAdd(p, next / rr, r, p);
                rr = next;
            }

            double previous = residual;
            residual = Residual(h, b, x, r);
            if (!(residual < previous))
            {
                break;
            }
        }

        return new(x, LinearSolverKind.ConjugateGradient, iterations, residual / bNorm, residual <= target, negativeCurvature);
    }

    /// <summary>
    /// MINRES from <paramref name="start"/> (Paige and Saunders 1975, as in SciPy's <c>minres</c> without a
    /// preconditioner): the Lanczos process with Givens rotations, so it needs only H symmetric and nonsingular.
    /// </summary>
    public static LinearSolveResult Minres(SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
    {
        int n = Check(b, start, options);
        var x = start.ToArray();
        double bNorm = TensorPrimitives.Norm(b);
        if (bNorm == 0)
        {
            return Zero(n, LinearSolverKind.Minres);
        }

        double target = options.Tolerance * bNorm;
        var r1 = new double[n];
        double residual = Residual(h, b, x, r1);
        int iterations = 0;
        var r2 = new double[n];
        var y = new double[n];
        var v = new double[n];
        var w = new double[n];
        var w1 = new double[n];
        var w2 = new double[n];
        while (residual > target && iterations < options.MaxIterations)
        {
            // Each pass is a fresh MINRES on the true residual r1 = b − Hx.
            r1.CopyTo(r2, 0);
            r1.CopyTo(y, 0);
            Array.Clear(w);
            Array.Clear(w2);
            double beta = residual, oldBeta = 0, dbar = 0, epsilon = 0, phiBar = residual, cs = -1, sn = 0;
            bool first = true;
            while (iterations < options.MaxIterations && beta > 0)
            {
                TensorPrimitives.Multiply(y, 1 / beta, v);
                h(v, y);
                iterations++;
                if (!first)
                {
                    TensorPrimitives.MultiplyAdd(r1, -beta / oldBeta, y, y);
                }

                double alpha = TensorPrimitives.Dot(v, y);
                TensorPrimitives.MultiplyAdd(r2, -alpha / beta, y, y);
                (r1, r2) = (r2, r1);
                y.CopyTo(r2, 0);
                oldBeta = beta;
                beta = TensorPrimitives.Norm(r2);

                // The Givens rotation that keeps the tridiagonal system's QR factorization.
                double oldEpsilon = epsilon;
                double delta = cs * dbar + sn * alpha;
                double gBar = sn * dbar - cs * alpha;
                epsilon = sn * beta;
                dbar = -cs * beta;
                double gamma = Math.Max(double.Hypot(gBar, beta), double.Epsilon);
                cs = gBar / gamma;
                sn = beta / gamma;
                double phi = cs * phiBar;
                phiBar *= sn;

                (w1, w2, w) = (w2, w, w1);
                for (int i = 0; i < n; i++)
                {
                    w[i] = (v[i] - oldEpsilon * w1[i] - delta * w2[i]) / gamma;
                }

                TensorPrimitives.MultiplyAdd(w, phi, x, x);
                first = false;
                if (phiBar <= target)
                {
                    break;
                }
            }

            double previous = residual;
            residual = Residual(h, b, x, r1);
            if (!(residual < previous))
            {
                break;
            }
        }

        return new(x, LinearSolverKind.Minres, iterations, residual / bNorm, residual <= target, false);
    }

    /// <summary>
    /// The truncated Neumann series q_K = α Σ_{k&lt;K} (I − αH)^k b, term by term: its residual b − Hq_K is the next
    /// term's (I − αH)^K b, so each term also says how far the sum is. Converges when 0 &lt; α &lt; 2/λ_max and H is
    /// positive definite; a growing term marks H as not positive definite.
    /// </summary>
    public static LinearSolveResult Neumann(SymmetricOperator h, ReadOnlySpan<double> b, LinearSolveOptions options)
    {
        int n = Check(b, b, options);
        double bNorm = TensorPrimitives.Norm(b);
        if (bNorm == 0)
        {
            return Zero(n, LinearSolverKind.Neumann);
        }

        var (alpha, iterations) = StepOf(h, b, options);
        var q = new double[n];
        var term = b.ToArray();
        var hTerm = new double[n];
        bool diverged = false;
        double target = options.Tolerance * bNorm;
        while (iterations < options.MaxIterations)
        {
            // term = (I − αH)^k b is the residual of the sum so far.
            double size = TensorPrimitives.Norm(term);
            if (size <= target || (diverged = size > DivergenceFactor * bNorm))
            {
                break;
            }

            TensorPrimitives.MultiplyAdd(term, alpha, q, q);
            h(term, hTerm);
            iterations++;
            TensorPrimitives.MultiplyAdd(hTerm, -alpha, term, term);
        }

        return Finish(h, b, q, LinearSolverKind.Neumann, iterations, target, diverged);
    }

    /// <summary>
    /// The fixed-point iteration q ← q + α(b − Hq) from <paramref name="start"/>: the Neumann series when started at 0,
    /// but it can take up from the previous solution.
    /// </summary>
    public static LinearSolveResult FixedPoint(SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
    {
        int n = Check(b, start, options);
        double bNorm = TensorPrimitives.Norm(b);
        if (bNorm == 0)
        {
            return Zero(n, LinearSolverKind.FixedPoint);
        }

        var (alpha, iterations) = StepOf(h, b, options);
        var q = start.ToArray();
        var r = new double[n];
        bool diverged = false;
        double target = options.Tolerance * bNorm;
        while (iterations < options.MaxIterations)
        {
            double size = Residual(h, b, q, r);
            iterations++;
            if (size <= target || (diverged = size > DivergenceFactor * bNorm))
            {
                break;
            }

            TensorPrimitives.MultiplyAdd(r, alpha, q, q);
        }

        return Finish(h, b, q, LinearSolverKind.FixedPoint, iterations, target, diverged);
    }

    /// <summary>A residual this many times ‖b‖ means the iteration diverges: H has an eigenvalue outside (0, 2/α).</summary>
    private const double DivergenceFactor = 1e6;

    /// <summary>α: the given step, or 1/λ̂_max by power iteration from b (the products count as iterations).</summary>
    private static (double Alpha, int Iterations) StepOf(SymmetricOperator h, ReadOnlySpan<double> b, LinearSolveOptions options)
    {
        if (options.Step is { } step)
        {
            if (!(step > 0) || !double.IsFinite(step))
            {
                throw new ArgumentOutOfRangeException(nameof(options), step, "The step α of Neumann and fixed point must be positive and finite.");
            }

            return (step, 0);
        }

        var v = new double[b.Length];
        var hv = new double[b.Length];
        TensorPrimitives.Multiply(b, 1 / TensorPrimitives.Norm(b), v);
        double estimate = 0;
        int iterations = 0;
        for (; iterations < options.PowerIterations; iterations++)
        {
            h(v, hv);
            estimate = TensorPrimitives.Norm(hv);
            if (!(estimate > 0))
            {
                break;
            }

            TensorPrimitives.Multiply(hv, 1 / estimate, v);
        }

        // The power iteration approaches λ_max from below; 1/λ̂ keeps α·λ_max well under 2 unless it is far off.
        return (estimate > 0 ? 1 / estimate : 1, iterations);
    }

    private static LinearSolveResult Finish(
        SymmetricOperator h, ReadOnlySpan<double> b, double[] q, LinearSolverKind method, int iterations, double target, bool diverged)
    {
        double residual = Residual(h, b, q, new double[q.Length]);
        return new(q, method, iterations, residual / TensorPrimitives.Norm(b), residual <= target, diverged);
    }

    /// <summary>Writes r = b − Hx and returns ‖r‖.</summary>
    private static double Residual(SymmetricOperator h, ReadOnlySpan<double> b, ReadOnlySpan<double> x, Span<double> r)
    {
        h(x, r);
        TensorPrimitives.Subtract(b, r, r);
        return TensorPrimitives.Norm(r);
    }

    private static LinearSolveResult Zero(int n, LinearSolverKind method) => new(new double[n], method, 0, 0, true, false);

    private static int Check(ReadOnlySpan<double> b, ReadOnlySpan<double> start, LinearSolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (start.Length != b.Length)
        {
            throw new ArgumentException($"The start has {start.Length} values; b has {b.Length}.", nameof(start));
        }

        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "The tolerance must be nonnegative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIterations);
        return b.Length;
    }
}
