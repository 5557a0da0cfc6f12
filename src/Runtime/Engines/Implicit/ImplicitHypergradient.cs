using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>The options of the implicit hypergradient.</summary>
/// <param name="Tolerance">ε: the inner problem to ‖∇_w J‖ ≤ ε·‖∇_w J(w_0)‖ and H·q = ∇_w E to ‖Hq − ∇_w E‖ ≤ ε·‖∇_w E‖ (HOAG overrides it per iteration).</param>
/// <param name="LinearSolver">The method for H·q = ∇_w E.</param>
/// <param name="MaxLinearIterations">The most iterations of each linear solve (the first method's and the fallback's).</param>
/// <param name="Fallback">Whether a first method that does not reach ε is followed by MINRES.</param>
/// <param name="NeumannStep">α of Neumann and fixed point; null: 1/λ̂_max by power iteration.</param>
/// <param name="Inner">The inner solver's options.</param>
public sealed record ImplicitOptions(
    double Tolerance = 1e-8,
    LinearSolverKind LinearSolver = LinearSolverKind.ConjugateGradient,
    int MaxLinearIterations = 10_000,
    bool Fallback = true,
    double? NeumannStep = null,
    InnerSolveOptions? Inner = null);

/// <summary>An implicit hypergradient and how well its two solves went.</summary>
/// <param name="Hypergradient">f(λ) = E(w*(λ), λ) and p = ∇_λ E − (∂∇_w J/∂λ)ᵀ·q; its cost counts gradients as forward steps and Hessian-vector products as reverse steps.</param>
/// <param name="Inner">The inner solve: iterations, ‖∇_w J‖ at w*, its scale and tolerance.</param>
/// <param name="Linear">The linear solve whose q was used.</param>
/// <param name="FirstAttempt">The first method's solve when it fell short and MINRES took over; null otherwise.</param>
public sealed record ImplicitResult(HypergradientResult Hypergradient, InnerSolveResult Inner, LinearSolveResult Linear, LinearSolveResult? FirstAttempt)
{
    /// <summary>‖∇_w J(w*; λ)‖.</summary>
    public double InnerGradientNorm => Inner.GradientNorm;

    /// <summary>‖Hq − ∇_w E‖/‖∇_w E‖ of the q used.</summary>
    public double LinearResidual => Linear.RelativeResidual;

    /// <summary>The method whose q was used.</summary>
    public LinearSolverKind LinearSolver => Linear.Method;

    /// <summary>The linear solvers' iterations together.</summary>
    public int LinearIterations => Linear.Iterations + (FirstAttempt?.Iterations ?? 0);

    /// <summary>Whether a method found H not positive definite (CG's pᵀHp ≤ 0, or a diverging series).</summary>
    public bool Indefinite => Linear.NegativeCurvature || FirstAttempt?.NegativeCurvature == true;
}

/// <summary>
/// The implicit hypergradient of HOAG (Pedregosa, ICML 2016): no trajectory, only the optimum w*(λ) of the training
/// objective, where ∇_w J(w*; λ) = 0 makes dw*/dλ = −H⁻¹ ∂∇_w J/∂λ, so
/// <code>
/// w* ≈ argmin_w J(w; λ)                 to ‖∇_w J‖ ≤ ε·‖∇_w J(w_0)‖   (Newton-CG, warm-started)
/// q  ≈ H⁻¹ ∇_w E(w*),  H = ∇²_w J(w*)   to ‖Hq − ∇_w E‖ ≤ ε·‖∇_w E‖   (CG, warm-started from the last q)
/// p  = ∇_λ E − (∂∇_w J/∂λ)ᵀ q
/// </code>
/// λ is the tuned loss blocks of a <see cref="HyperparameterSpace"/>; the others keep its values. A solve that
/// misses ε (after the MINRES fallback) throws <see cref="ImplicitSolveException"/>: the hypergradient is never
/// returned wrong by an unknown amount.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ImplicitHypergradient<T> : IHypergradientEngine
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ObjectiveInDouble<T> _training;
    private readonly IResponseObjective<T> _response;
    private readonly NewtonCg<T> _inner;
    private readonly double[] _coldStart;
    private readonly double[] _w;
    private readonly double[] _q;

    /// <summary>
    /// The implicit hypergradient of <paramref name="response"/> at the minimizer of <paramref name="training"/>, with
    /// respect to the tuned blocks of <paramref name="space"/>, which must all be loss blocks; the inner solve starts
    /// from the space's initial weights.
    /// </summary>
    /// <exception cref="ArgumentException">A tuned block is not a loss block, or the space does not fit the objective.</exception>
    public ImplicitHypergradient(IObjective<T> training, HyperparameterSpace space, IResponseObjective<T> response, ImplicitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        Space = space ?? throw new ArgumentNullException(nameof(space));
        _response = response ?? throw new ArgumentNullException(nameof(response));
        Options = options ?? new ImplicitOptions();
        if (space.Tuned.FirstOrDefault(b => b.Kind != HyperparameterKind.Loss) is { } other)
        {
            throw new ArgumentException(
                $"The implicit hypergradient differentiates the optimum of the training loss: '{other.Name}' is not a loss hyperparameter ({string.Join(", ", training.Hyperparameters.Blocks.Select(b => b.Name))}).",
                nameof(space));
        }

        if (space.LossLayout.Count != training.Hyperparameters.Count || space.InitialWeights.Count != training.ParameterCount)
        {
            throw new ArgumentException(
                $"The space has {space.LossLayout.Count} loss hyperparameters and {space.InitialWeights.Count} weights; the objective has {training.Hyperparameters.Count} and {training.ParameterCount}.",
                nameof(space));
        }

        if (!(Options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Tolerance, "The tolerance must be nonnegative.");
        }

        _training = new ObjectiveInDouble<T>(training);
        _inner = new NewtonCg<T>(_training, Options.Inner);
        _coldStart = space.InitialWeights.ToArray();
        _w = space.InitialWeights.ToArray();
        _q = new double[training.ParameterCount];
        Names = Enumerable.Range(0, space.Count).Select(space.NameOf).ToArray();
    }

    /// <summary>What λ is.</summary>
    public HyperparameterSpace Space { get; }

    /// <summary>The options.</summary>
    public ImplicitOptions Options { get; }

    /// <summary>The name of each entry of λ.</summary>
    public System.Collections.Generic.IReadOnlyList<string> Names { get; }

    /// <summary>w*, as the last solve left it (the next solve's warm start).</summary>
    public ReadOnlySpan<double> Weights => _w;

    /// <summary>The hypergradient at the optimum, to the options' tolerance (<see cref="Compute(ReadOnlySpan{double}, double?)"/> gives the solves' diagnostics too).</summary>
    HypergradientResult IHypergradientEngine.Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress) => Compute(lambda).Hypergradient;

    /// <summary>Forgets the warm starts: the next solve starts from w_0 and q = 0.</summary>
    public void ResetWarmStarts()
    {
        _coldStart.CopyTo(_w, 0);
        Array.Clear(_q);
    }

    /// <summary>f(λ) and the implicit hypergradient at tolerance <paramref name="tolerance"/> (default: the options').</summary>
    /// <exception cref="ImplicitSolveException">The inner problem or the linear system missed the tolerance.</exception>
    /// <exception cref="NonFiniteValueException">w*, E or the hypergradient is not finite.</exception>
    public ImplicitResult Compute(ReadOnlySpan<double> lambda, double? tolerance = null)
    {
        var clock = Stopwatch.StartNew();
        if (lambda.Length != Space.Count)
        {
            throw new ArgumentException($"λ has {lambda.Length} values; {Space.Count} are tuned.", nameof(lambda));
        }

        double epsilon = tolerance ?? Options.Tolerance;
        long gradients = _training.Gradients, products = _training.HessianProducts;
        var lossLambda = Space.LossValues.ToArray();
        foreach (var block in Space.Tuned)
        {
            lambda.Slice(block.Offset, block.Length).CopyTo(lossLambda.AsSpan(block.Source, block.Length));
        }

        _training.SetLambda(lossLambda);
        var inner = _inner.Minimize(_w, epsilon, _coldStart);
        CheckFinite(_w, "w*", i => $"w[{i}]", lambda);
        if (!inner.Converged)
        {
            throw new ImplicitSolveException(
                "inner problem", inner.GradientNorm / inner.Scale, epsilon, inner.Iterations, string.Create(CultureInfo.InvariantCulture,
                    $"The inner problem was not solved: ‖∇_w J‖ = {inner.GradientNorm:G3} = {inner.GradientNorm / inner.Scale:G3} of its scale, above the tolerance {epsilon:G3}, after {inner.Iterations} Newton iterations ({inner.Reason}) (hyperparameters: {Space.Describe(lambda)})."));
        }

        // E and its gradients at w*.
        int n = _w.Length, m = Space.Count;
        var lambdaT = EngineVectors.Convert<T>(lambda);
        var stateGradient = new T[n];
        var lambdaGradient = new T[m];
        double value = double.CreateChecked(_response.Gradient(EngineVectors.Convert<T>(_w), lambdaT, stateGradient, lambdaGradient));
        var b = EngineVectors.ToDouble<T>(stateGradient);

        SymmetricOperator hessian = (v, result) => _training.HessianVector(_w, v, result);
        var solveOptions = new LinearSolveOptions(epsilon, Options.MaxLinearIterations, Options.NeumannStep);
        (LinearSolveResult linear, LinearSolveResult? firstAttempt) = Options.Fallback
            ? LinearSolvers.SolveWithFallback(Options.LinearSolver, hessian, b, _q, solveOptions)
            : (LinearSolvers.Solve(Options.LinearSolver, hessian, b, _q, solveOptions), null);
        if (!linear.Converged)
        {
            string attempts = firstAttempt is null
                ? $"{linear.Iterations} iterations of {linear.Method}"
                : $"{firstAttempt.Iterations} iterations of {firstAttempt.Method}{(firstAttempt.NegativeCurvature ? " (H not positive definite)" : string.Empty)} and {linear.Iterations} of the fallback {linear.Method}";
            throw new ImplicitSolveException(
                "linear solve", linear.RelativeResidual, epsilon, linear.Iterations + (firstAttempt?.Iterations ?? 0), string.Create(CultureInfo.InvariantCulture,
                    $"The linear solve H·q = ∇_w E was not solved: relative residual ‖Hq − ∇_w E‖/‖∇_w E‖ = {linear.RelativeResidual:G3}, above the tolerance {epsilon:G3}, after {attempts} (hyperparameters: {Space.Describe(lambda)})."));
        }

        linear.Solution.CopyTo(_q, 0);

        // p = ∇_λ E − (∂∇_w J/∂λ)ᵀ q, on the tuned blocks of λ_J.
        var crossAdjoint = new T[lossLambda.Length];
        _training.CrossAdjoint(_w, _q, crossAdjoint);
        var gradient = new double[m];
        foreach (var block in Space.Tuned)
        {
            for (int j = 0; j < block.Length; j++)
            {
                gradient[block.Offset + j] = double.CreateChecked(lambdaGradient[block.Offset + j] - crossAdjoint[block.Source + j]);
            }
        }

        CheckFinite(gradient, "the hypergradient", i => Names[i], lambda);
        CheckFinite([value], "f(λ)", _ => "E", lambda);
        var cost = new EngineCost(
            _training.Gradients - gradients, 0, _training.HessianProducts - products, 0, 0,
            _training.Bytes + (6L * n + 2 * m) * sizeof(double), clock.Elapsed);
        return new ImplicitResult(new HypergradientResult(value, gradient, Names, cost), inner, linear, firstAttempt);
    }

    private void CheckFinite(ReadOnlySpan<double> values, string what, Func<int, string> name, ReadOnlySpan<double> lambda)
    {
        int index = FiniteGuard.FirstNonFinite(values);
        if (index >= 0)
        {
            throw new NonFiniteValueException("The implicit hypergradient", $"{what} {name(index)} = {values[index]}", Space.Describe(lambda));
        }
    }
}
