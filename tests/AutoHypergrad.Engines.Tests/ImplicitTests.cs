using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// The implicit hypergradient (HOAG): against ridge regression's closed form, against a long reverse pass through
/// gradient descent, its linear solvers against one another, and its refusals.
/// </summary>
public sealed class ImplicitTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    public void Ridge_regression_matches_the_closed_form(double l2)
    {
        var train = BuiltInObjectiveChecks.SyntheticData(0, 11);
        var validation = BuiltInObjectiveChecks.SyntheticData(0, 12);
        var engine = Engine(train, validation, ModelKind.Linear, l2, new ImplicitOptions(Tolerance: 1e-12));

        var result = engine.Compute([l2]);

        // J = (1/N)‖X̃w − y‖² + (l2/2)‖W‖², X̃ = [X 1]: A w* = (2/N) X̃ᵀy with A = (2/N) X̃ᵀX̃ + l2·D, D = diag(1, …, 1, 0).
        var (x, y) = Augmented(train);
        var (xv, yv) = Augmented(validation);
        int d = x.GetLength(1);
        var a = new double[d, d];
        var rhs = new double[d];
        for (int j = 0; j < d; j++)
        {
            for (int k = 0; k < d; k++)
            {
                a[j, k] = 2.0 / train.Count * Column(x, j).Zip(Column(x, k), (u, v) => u * v).Sum() + (j == k && j < d - 1 ? l2 : 0);
            }

            rhs[j] = 2.0 / train.Count * Column(x, j).Zip(y, (u, v) => u * v).Sum();
        }

        var w = Solve(a, rhs);
        // dw*/dl2 = −A⁻¹ D w*; E = (1/Nv)‖X̃v w − yv‖², ∇E = (2/Nv) X̃vᵀ(X̃v w − yv).
        var dw = Solve(a, w.Select((v, j) => j < d - 1 ? -v : 0).ToArray());
        var residual = Enumerable.Range(0, validation.Count).Select(i => Enumerable.Range(0, d).Sum(j => xv[i, j] * w[j]) - yv[i]).ToArray();
        double expectedValue = residual.Sum(r => r * r) / validation.Count;
        double expected = Enumerable.Range(0, d).Sum(j => 2.0 / validation.Count * Column(xv, j).Zip(residual, (u, r) => u * r).Sum() * dw[j]);

        double weightError = engine.Weights.ToArray().Zip(w, (u, v) => Math.Abs(u - v)).Max() / w.Max(Math.Abs);
        double error = Math.Abs(result.Hypergradient.Gradient[0] - expected) / Math.Abs(expected);
        output.WriteLine($"l2 = {l2}: dE/dl2 = {result.Hypergradient.Gradient[0]:R}, closed form {expected:R}, relative error {error:E2}; w* error {weightError:E2}; ‖∇J‖ = {result.InnerGradientNorm:E2}, residual {result.LinearResidual:E2}");
        Assert.True(weightError < 1e-10, $"w* off by {weightError:E2}");
        Assert.True(error < 1e-8, $"relative error {error:E2}");
        Assert.Equal(expectedValue, result.Hypergradient.Value, 1e-12);
        Assert.Equal(LinearSolverKind.ConjugateGradient, result.LinearSolver);
        Assert.Null(result.FirstAttempt);
        Assert.True(result.LinearResidual <= 1e-12);
    }

    [Fact]
    public void Logistic_regression_matches_a_long_reverse_pass_through_gradient_descent()
    {
        // Gradient descent from w_0 = 0 with lr = 1 contracts the error to w* by about 1 − lr·μ per step, μ ≥ l2 = 0.1
        // on the weights (more on the bias), so after T = 3000 steps w_T = w* and the reverse pass's Σ_t of the
        // Jacobian products has converged far below double rounding: what separates the two is rounding, ~10⁻¹².
        const double l2 = 0.1;
        var (train, validation) = NoisyClassification();
        var engine = Engine(train, validation, ModelKind.Logistic, l2, new ImplicitOptions(Tolerance: 1e-12));
        var implicitResult = engine.Compute([l2]);

        var training = ModelObjective<double>.Create(train, new ModelOptions(ModelKind.Logistic) { Hyperparameters = LossHyperparameters.L2 });
        var sgd = Optimizers.Optimizers.Find("sgd");
        var space = HyperparameterSpace.Create(
            sgd.Hyperparameters.Select(h => h.Name).ToArray(), [1.0, 0.0], training.Hyperparameters, [l2], new double[training.ParameterCount], 3000, ["l2"]);
        var dynamics = new TrainingDynamics<double>(training, sgd.Step<double>(), space, batches: null);
        var response = new ValidationError<double>(ModelObjective<double>.Create(validation, new ModelOptions(ModelKind.Logistic)));
        var reverse = new ReverseHypergradient<double>(dynamics, response).Compute([l2]);

        double error = Math.Abs(implicitResult.Hypergradient.Gradient[0] - reverse.Gradient[0]) / Math.Abs(reverse.Gradient[0]);
        output.WriteLine($"implicit {implicitResult.Hypergradient.Gradient[0]:R}, reverse (T = 3000) {reverse.Gradient[0]:R}, relative error {error:E2}; f {implicitResult.Hypergradient.Value:R} vs {reverse.Value:R}");
        Assert.True(error < 1e-9, $"relative error {error:E2}");
        Assert.Equal(reverse.Value, implicitResult.Hypergradient.Value, 1e-12);
    }

    [Fact]
    public void Conjugate_gradient_minres_neumann_and_fixed_point_agree_on_a_positive_definite_system()
    {
        var (h, matrix) = RandomSymmetric(20, eigenvalue: i => 0.5 + i / 10.0, seed: 3);
        var b = RandomVector(20, seed: 4);
        var exact = Solve(matrix, b);
        var options = new LinearSolveOptions(Tolerance: 1e-12, MaxIterations: 5000);
        foreach (var method in Enum.GetValues<LinearSolverKind>())
        {
            var result = LinearSolvers.Solve(method, h, b, new double[20], options);
            double error = result.Solution.Zip(exact, (u, v) => Math.Abs(u - v)).Max() / exact.Max(Math.Abs);
            output.WriteLine($"{method}: {result.Iterations} iterations, residual {result.RelativeResidual:E2}, error {error:E2}");
            Assert.True(result.Converged, $"{method}: residual {result.RelativeResidual:E2}");
            Assert.False(result.NegativeCurvature);
            Assert.True(result.RelativeResidual <= 1e-12);
            Assert.True(error < 1e-10, $"{method}: error {error:E2}");
        }
    }

    [Fact]
    public void A_warm_start_at_the_solution_costs_no_iterations()
    {
        var (h, matrix) = RandomSymmetric(10, eigenvalue: i => 1 + i, seed: 5);
        var b = RandomVector(10, seed: 6);
        var options = new LinearSolveOptions(Tolerance: 1e-10);
        var cold = LinearSolvers.ConjugateGradient(h, b, new double[10], options);
        var warm = LinearSolvers.ConjugateGradient(h, b, cold.Solution, options);
        Assert.True(cold.Iterations > 0);
        Assert.Equal(0, warm.Iterations);
        Assert.True(warm.Converged);
    }

    [Theory]
    [InlineData(LinearSolverKind.ConjugateGradient)]
    [InlineData(LinearSolverKind.Neumann)]
    public void An_indefinite_system_is_detected_and_solved_by_minres(LinearSolverKind method)
    {
        // Eigenvalues 1 … 7 and −1, −2; b leans on the negative ones so that bᵀHb < 0: CG's first curvature is negative.
        double[] eigenvalues = [1, 2, 3, 4, 5, 6, 7, -1, -2];
        var (h, matrix) = RandomSymmetric(eigenvalues.Length, i => eigenvalues[i], seed: 7, out var basis);
        double[] coefficients = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 3, 3];
        var b = Enumerable.Range(0, eigenvalues.Length).Select(i => Enumerable.Range(0, eigenvalues.Length).Sum(k => basis[i, k] * coefficients[k])).ToArray();

        var (final, first) = LinearSolvers.SolveWithFallback(method, h, b, new double[b.Length], new LinearSolveOptions(Tolerance: 1e-12, MaxIterations: 500));

        Assert.NotNull(first);
        Assert.Equal(method, first.Method);
        Assert.True(first.NegativeCurvature);
        Assert.False(first.Converged);
        Assert.Equal(LinearSolverKind.Minres, final.Method);
        Assert.True(final.Converged, $"MINRES residual {final.RelativeResidual:E2}");
        var exact = Solve(matrix, b);
        double error = final.Solution.Zip(exact, (u, v) => Math.Abs(u - v)).Max() / exact.Max(Math.Abs);
        output.WriteLine($"{method}: negative curvature after {first.Iterations}; MINRES {final.Iterations} iterations, residual {final.RelativeResidual:E2}, error {error:E2}");
        Assert.True(error < 1e-10, $"error {error:E2}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_linear_solve_cut_short_is_reported_not_returned(bool fallback)
    {
        var (train, validation) = NoisyClassification();
        var engine = Engine(train, validation, ModelKind.Logistic, 0.1, new ImplicitOptions(Tolerance: 1e-10, MaxLinearIterations: 2, Fallback: fallback));

        var error = Assert.Throws<ImplicitSolveException>(() => engine.Compute([0.1]));

        output.WriteLine(error.Message);
        Assert.Equal("linear solve", error.Stage);
        Assert.True(error.Residual > 1e-10);
        Assert.Equal(1e-10, error.Tolerance);
        Assert.Equal(fallback ? 4 : 2, error.Iterations);
        Assert.Contains("relative residual", error.Message, StringComparison.Ordinal);
        Assert.Contains("l2=0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains(fallback ? "fallback Minres" : "2 iterations of ConjugateGradient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inner_problem_cut_short_is_reported_not_returned()
    {
        var (train, validation) = NoisyClassification();
        var engine = Engine(train, validation, ModelKind.Logistic, 0.1, new ImplicitOptions(Tolerance: 1e-10, Inner: new InnerSolveOptions(MaxIterations: 1)));

        var error = Assert.Throws<ImplicitSolveException>(() => engine.Compute([0.1]));

        output.WriteLine(error.Message);
        Assert.Equal("inner problem", error.Stage);
        Assert.Equal(1, error.Iterations);
        Assert.Contains("iteration cap 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hoag_lowers_the_validation_error_and_keeps_l2_positive()
    {
        // HOAG's first step moves λ by 1/m, a step made for log-strengths: l2 is tuned through λ = exp u, as in the paper.
        var (train, validation) = NoisyClassification();
        var engine = Engine(train, validation, ModelKind.Logistic, 2.0, new ImplicitOptions());
        var domains = new DomainMap(1, [new DomainBlock("l2", 0, 1, Domain.Positive(PositiveMethod.Log))]);
        var hoag = Hoag.For(engine, domains, new HoagOptions(Iterations: 25));
        double[] start = [2.0];
        double initial = engine.Compute(start, 1e-12).Hypergradient.Value;
        engine.ResetWarmStarts();

        var result = hoag.Run(start, (iteration, lambda) =>
        {
            output.WriteLine($"k = {iteration.Iteration}: l2 = {lambda[0]:G6}, f = {iteration.Value:G8}, ‖p‖ = {iteration.HypergradientNorm:E2}, ε = {iteration.Tolerance:E2}, ‖∇J‖ = {iteration.InnerGradientNorm:E2}, residual {iteration.LinearResidual:E2}, L = {iteration.Lipschitz:G4}");
            Assert.True(lambda[0] > 0);
        });

        Assert.Equal(25, result.History.Count);
        Assert.True(result.Lambda[0] > 0);
        Assert.True(result.BestValue < initial - 1e-3, $"f from {initial} to {result.BestValue}");
        Assert.True(result.History.Zip(result.History.Skip(1)).All(p => p.Second.Tolerance < p.First.Tolerance));
        double final = engine.Compute(result.Lambda, 1e-12).Hypergradient.Value;
        Assert.True(final < initial - 1e-3, $"f from {initial} to {final}");
    }

    [Theory]
    [InlineData(1e-2)]
    [InlineData(2.0)]
    public void Hoags_first_step_under_a_log_reparametrization_is_one_in_log_l2_at_any_scale(double l2)
    {
        // HOAG's L_0 = ‖p_0‖·m makes the first step 1/m long in the variables it steps on; here u = log l2, so l2 moves
        // by a factor e, however small l2 is (measured on l2 itself, the step would be l2·1 in u: 10⁻² at l2 = 10⁻²).
        var (train, validation) = NoisyClassification();
        var engine = Engine(train, validation, ModelKind.Logistic, l2, new ImplicitOptions());
        double freeGradient = l2 * engine.Compute([l2], 1e-2).Hypergradient.Gradient[0];
        engine.ResetWarmStarts();
        Assert.True(Math.Abs(freeGradient) > 1e-3, $"p_0 in log l2 is {freeGradient}: too small for HOAG's ‖p_0‖·m rule.");
        var domains = new DomainMap(1, [new DomainBlock("l2", 0, 1, Domain.Positive(PositiveMethod.Log))]);

        var result = Hoag.For(engine, domains, new HoagOptions(Iterations: 1)).Run([l2]);

        Assert.Equal(-Math.Sign(freeGradient), Math.Log(result.Lambda[0] / l2), 12);
    }

    [Fact]
    public void Only_loss_hyperparameters_are_accepted()
    {
        var train = BuiltInObjectiveChecks.SyntheticData(0, 11);
        var training = ModelObjective<double>.Create(train, new ModelOptions(ModelKind.Linear) { Hyperparameters = LossHyperparameters.L2 });
        var space = HyperparameterSpace.Create(["lr"], [0.1], training.Hyperparameters, [0.1], new double[training.ParameterCount], 1, ["lr"]);
        var validation = new ValidationError<double>(ModelObjective<double>.Create(train, new ModelOptions(ModelKind.Linear)));
        var error = Assert.Throws<ArgumentException>(() => new ImplicitHypergradient<double>(training, space, validation));
        Assert.Contains("'lr' is not a loss hyperparameter", error.Message, StringComparison.Ordinal);
    }

    private static ImplicitHypergradient<double> Engine(Dataset<double> train, Dataset<double> validation, ModelKind model, double l2, ImplicitOptions options)
    {
        var training = ModelObjective<double>.Create(train, new ModelOptions(model) { Hyperparameters = LossHyperparameters.L2 });
        var space = HyperparameterSpace.Create([], [], training.Hyperparameters, [l2], new double[training.ParameterCount], 1, ["l2"]);
        var response = new ValidationError<double>(ModelObjective<double>.Create(validation, new ModelOptions(model)));
        return new ImplicitHypergradient<double>(training, space, response, options);
    }

    /// <summary>Two-class synthetic sets with a quarter of the labels flipped, so that no l2 ≥ 0 leaves the optimum at infinity.</summary>
    private static (Dataset<double> Train, Dataset<double> Validation) NoisyClassification()
    {
        static Dataset<double> Noisy(int seed)
        {
            var data = BuiltInObjectiveChecks.SyntheticData(2, seed);
            var random = new Random(seed);
            return data.WithLabels(data.Labels!.Select(label => random.NextDouble() < 0.25 ? 1 - label : label).ToArray());
        }

        return (Noisy(11), Noisy(12));
    }

    private static (double[,] X, double[] Y) Augmented(Dataset<double> data)
    {
        var x = new double[data.Count, data.FeatureCount + 1];
        for (int i = 0; i < data.Count; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < data.FeatureCount; j++)
            {
                x[i, j] = row[j];
            }

            x[i, data.FeatureCount] = 1;
        }

        return (x, data.Targets!.ToArray());
    }

    private static double[] Column(double[,] x, int j) => Enumerable.Range(0, x.GetLength(0)).Select(i => x[i, j]).ToArray();

    /// <summary>Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] matrix, double[] b)
    {
        int n = b.Length;
        var a = (double[,])matrix.Clone();
        var x = b.ToArray();
        for (int c = 0; c < n; c++)
        {
            int pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(a[r, c]));
            for (int k = 0; k < n; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            }

            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (int r = c + 1; r < n; r++)
            {
                double factor = a[r, c] / a[c, c];
                for (int k = c; k < n; k++)
                {
                    a[r, k] -= factor * a[c, k];
                }

                x[r] -= factor * x[c];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            double sum = x[r];
            for (int k = r + 1; k < n; k++)
            {
                sum -= a[r, k] * x[k];
            }

            x[r] = sum / a[r, r];
        }

        return x;
    }

    private static (SymmetricOperator H, double[,] Matrix) RandomSymmetric(int n, Func<int, double> eigenvalue, int seed)
        => RandomSymmetric(n, eigenvalue, seed, out _);

    /// <summary>Q·diag(eigenvalues)·Qᵀ with Q orthogonal (Gram–Schmidt of a random matrix; its columns in <paramref name="basis"/>).</summary>
    private static (SymmetricOperator H, double[,] Matrix) RandomSymmetric(int n, Func<int, double> eigenvalue, int seed, out double[,] basis)
    {
        var random = new Random(seed);
        var q = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            var column = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            for (int previous = 0; previous < k; previous++)
            {
                double dot = Enumerable.Range(0, n).Sum(i => column[i] * q[i, previous]);
                for (int i = 0; i < n; i++)
                {
                    column[i] -= dot * q[i, previous];
                }
            }

            double norm = Math.Sqrt(column.Sum(v => v * v));
            for (int i = 0; i < n; i++)
            {
                q[i, k] = column[i] / norm;
            }
        }

        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                matrix[i, j] = Enumerable.Range(0, n).Sum(k => q[i, k] * eigenvalue(k) * q[j, k]);
            }
        }

        basis = q;
        return ((v, result) =>
        {
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int j = 0; j < n; j++)
                {
                    sum += matrix[i, j] * v[j];
                }

                result[i] = sum;
            }
        }, matrix);
    }

    private static double[] RandomVector(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
    }
}
