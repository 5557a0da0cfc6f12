using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace AutoHypergrad.Objectives.Checking;

/// <summary>One check of one objective: the relative error between two ways of computing the same quantity.</summary>
/// <param name="Objective">Which objective (model, loss, hyperparameters).</param>
/// <param name="Check">What was compared.</param>
/// <param name="RelativeError">‖a − b‖ / max(‖a‖, ‖b‖).</param>
/// <param name="Tolerance">The largest error that passes.</param>
public sealed record CheckResult(string Objective, string Check, double RelativeError, double Tolerance)
{
    public bool Passed => RelativeError <= Tolerance;
}

/// <summary>
/// Checks an objective's derivatives in double against central finite differences along random directions:
/// the gradient against the value, H·v against the gradient, both cross products and ∂J/∂λ against the gradient
/// and the value moved along λ̇, and H's symmetry, uᵀHv = vᵀHu.
/// </summary>
public static class ObjectiveChecker
{
    /// <summary>
    /// The step of the central differences, relative to the point's scale. Their error is about h²·|f‴|/6
    /// (truncation) plus ε·|f|/h (rounding): with h = 10⁻⁵ both are near 10⁻¹⁰ relative for the smooth, O(1)
    /// objectives checked here.
    /// </summary>
    public const double Step = 1e-5;

    /// <summary>
    /// Passes a finite-difference comparison: 10⁻⁶ leaves four orders of magnitude above the expected error for
    /// third derivatives larger than 1, and is still far below any real mistake (a wrong term is O(1)).
    /// </summary>
    public const double FiniteDifferenceTolerance = 1e-6;

    /// <summary>Passes an identity that only rounding separates (symmetry of H): a few hundred ulps of the terms.</summary>
    public const double RoundingTolerance = 1e-12;

    public static IReadOnlyList<CheckResult> Run(string name, IObjective<double> objective, double[] w, double[] lambda, Batch batch, int seed)
    {
        var random = new Random(seed);
        int n = objective.ParameterCount, m = objective.Hyperparameters.Count;
        double[] u = Direction(random, n), v = Direction(random, n), lambdaDot = Direction(random, m);
        var results = new List<CheckResult>();
        void Add(string check, double error, double tolerance) => results.Add(new CheckResult(name, check, error, tolerance));

        double[] Gradient(double[] at, double[] hyper)
        {
            var g = new double[n];
            objective.Gradient(at, hyper, batch, g);
            return g;
        }

        double[] Moved(double[] x, double[] direction, double h)
        {
            var y = (double[])x.Clone();
            TensorPrimitives.MultiplyAdd(direction, h, y, y);
            return y;
        }

        double[] Difference(double[] plus, double[] minus, double h)
        {
            var d = new double[plus.Length];
            TensorPrimitives.Subtract(plus, minus, d);
            TensorPrimitives.Multiply(d, 1 / (2 * h), d);
            return d;
        }

        // ∇J·u against the derivative of J along u.
        var gradient = Gradient(w, lambda);
        double hw = Step * Scale(w);
        double value = TensorPrimitives.Dot(gradient, u);
        double expected = (objective.Value(Moved(w, u, hw), lambda, batch) - objective.Value(Moved(w, u, -hw), lambda, batch)) / (2 * hw);
        Add("gradient", Relative(value, expected), FiniteDifferenceTolerance);

        // H·v against the derivative of ∇J along v.
        var hv = new double[n];
        objective.HessianVector(w, lambda, batch, v, hv);
        Add("Hessian-vector product", Relative(hv, Difference(Gradient(Moved(w, v, hw), lambda), Gradient(Moved(w, v, -hw), lambda), hw)), FiniteDifferenceTolerance);

        // uᵀHv = vᵀHu.
        var hu = new double[n];
        objective.HessianVector(w, lambda, batch, u, hu);
        Add("Hessian symmetry", Relative(TensorPrimitives.Dot(u, hv), TensorPrimitives.Dot(v, hu)), RoundingTolerance);

        if (m == 0)
        {
            return results;
        }

        // (∂∇J/∂λ)·λ̇ against the derivative of ∇J along λ̇.
        double hl = Step * Scale(lambda);
        var crossExpected = Difference(Gradient(w, Moved(lambda, lambdaDot, hl)), Gradient(w, Moved(lambda, lambdaDot, -hl)), hl);
        var cross = new double[n];
        objective.CrossTangent(w, lambda, batch, lambdaDot, cross);
        Add("cross tangent (∂∇J/∂λ)·λ̇", Relative(cross, crossExpected), FiniteDifferenceTolerance);

        // λ̇ᵀ(∂∇J/∂λ)ᵀv against vᵀ(the same finite difference).
        var lambdaBar = new double[m];
        objective.CrossAdjoint(w, lambda, batch, v, lambdaBar);
        Add("cross adjoint (∂∇J/∂λ)ᵀ·v", Relative(TensorPrimitives.Dot(lambdaBar, lambdaDot), TensorPrimitives.Dot(crossExpected, v)), FiniteDifferenceTolerance);

        // The fused product equals the two separate ones.
        var fusedHv = new double[n];
        var fusedBar = new double[m];
        objective.HessianVectorAndCrossAdjoint(w, lambda, batch, v, fusedHv, fusedBar);
        Add("fused H·v and cross adjoint", Math.Max(Relative(fusedHv, hv), Relative(fusedBar, lambdaBar)), RoundingTolerance);

        // ∂J/∂λ·λ̇ against the derivative of J along λ̇.
        var direct = new double[m];
        objective.LambdaGradient(w, lambda, batch, direct);
        double directExpected = (objective.Value(w, Moved(lambda, lambdaDot, hl), batch) - objective.Value(w, Moved(lambda, lambdaDot, -hl), batch)) / (2 * hl);
        Add("∂J/∂λ", Relative(TensorPrimitives.Dot(direct, lambdaDot), directExpected), FiniteDifferenceTolerance);
        return results;
    }

    private static double[] Direction(Random random, int length)
    {
        var d = new double[length];
        for (int i = 0; i < length; i++)
        {
            d[i] = random.NextDouble() * 2 - 1;
        }

        return d;
    }

    /// <summary>The point's scale: its largest magnitude, at least 1.</summary>
    private static double Scale(double[] x) => x.Length == 0 ? 1 : Math.Max(1, TensorPrimitives.MaxMagnitude(x));

    private static double Relative(double a, double b)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale == 0 ? 0 : Math.Abs(a - b) / scale;
    }

    private static double Relative(double[] a, double[] b)
    {
        double scale = Math.Max(TensorPrimitives.Norm(a), TensorPrimitives.Norm(b));
        if (scale == 0)
        {
            return 0;
        }

        var d = new double[a.Length];
        TensorPrimitives.Subtract(a, b, d);
        return TensorPrimitives.Norm(d) / scale;
    }
}
