using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Experiments;

/// <summary>
/// The sizes of a <c>hoag</c> run: MNIST's training images of the digits 4 and 9 (in file order), the first
/// <see cref="TrainingRows"/> to train and the next <see cref="ValidationRows"/> to validate; every 4 and 9 of MNIST's
/// test images to test.
/// </summary>
/// <param name="TrainingRows">The training examples.</param>
/// <param name="ValidationRows">The validation examples.</param>
/// <param name="InnerSolves">The budget of every method: this many inner problems solved.</param>
/// <param name="LowerLambda">The low end of the search range of λ (the l2 strength).</param>
/// <param name="UpperLambda">Its high end.</param>
/// <param name="Tolerance">The inner tolerance of grid and random search: ‖∇J‖ ≤ tolerance·‖∇J(0)‖.</param>
/// <param name="Seed">The seed of random search.</param>
public sealed record HoagSettings(int TrainingRows, int ValidationRows, int InnerSolves, double LowerLambda, double UpperLambda, double Tolerance, ulong Seed)
{
    /// <summary>The 4s and 9s among MNIST's 60000 training images.</summary>
    public const int AvailableRows = 11791;

    /// <summary>All of them, split in half; 30 inner solves per method; λ in [10⁻⁶, 1].</summary>
    public static HoagSettings Full(ulong seed) => new(AvailableRows / 2, AvailableRows - AvailableRows / 2, 30, 1e-6, 1, 1e-6, seed);

    /// <summary>A smoke test: 1000 training and 1000 validation images, 8 inner solves per method.</summary>
    public static HoagSettings Quick(ulong seed) => Full(seed) with { TrainingRows = 1000, ValidationRows = 1000, InnerSolves = 8 };

    /// <summary>How this run departs from the paper's, one sentence each.</summary>
    public IReadOnlyList<string> Deviations(string precision) =>
    [
        "Pedregosa (ICML 2016) tunes l2-regularized logistic regression on 20newsgroups and real-sim (and a kernel and a multi-hyperparameter problem), not MNIST 4 vs 9, and shows curves, not a table: `paper` is null in every row.",
        FormattableString.Invariant(
            $"Each method gets the same number of inner solves ({InnerSolves}), not the same wall time: the count is reproducible on a shared machine; the figure's x axis is each method's own wall time."),
        FormattableString.Invariant(
            $"Grid and random search solve each inner problem to ‖∇J‖ ≤ {Tolerance:G3}·‖∇J(0)‖ with Newton-CG, warm-started from the previous solve (the grid from strong to weak regularization); HOAG uses its own decreasing tolerances ε_k = 10⁻²·0.9^k."),
        FormattableString.Invariant(
            $"HOAG steps on u = log λ (λ = e^u) from λ = {UpperLambda:G3}, the top of the range and the grid's first point, without the range as a box: its λ could leave [{LowerLambda:G3}, {UpperLambda:G3}], which the grid and random search cannot."),
        FormattableString.Invariant(
            $"Training: the first {TrainingRows} of MNIST's training 4s and 9s (file order), validation the next {ValidationRows}; test: all 1991 4s and 9s of MNIST's test set; pixels in [0, 1], a bias, label 1 for the digit 9."),
        $"Computed in {precision}; random search draws log λ uniformly (System.Random, seed {Seed}).",
    ];
}

/// <summary>A row: one search method at its chosen λ.</summary>
/// <param name="Name">HOAG, Grid search or Random search.</param>
/// <param name="BestValidationLoss">The lowest validation loss the method saw.</param>
/// <param name="TestAccuracy">The test accuracy of w*(λ) at the chosen λ (the one with that validation loss).</param>
/// <param name="TestLoss">Its test loss (mean cross-entropy).</param>
/// <param name="Lambda">The chosen λ.</param>
/// <param name="InnerSolves">The inner problems the method solved.</param>
/// <param name="Seconds">The method's wall time.</param>
/// <param name="Paper">Always null: the paper has no table for this task.</param>
public sealed record HoagRow(string Name, double BestValidationLoss, double TestAccuracy, double TestLoss, double Lambda, int InnerSolves, double Seconds, object? Paper);

/// <summary>The best validation loss so far against wall time, after each inner solve.</summary>
public sealed record HoagCurve(string Name, IReadOnlyList<double> Seconds, IReadOnlyList<double> BestValidationLoss, IReadOnlyList<double> Lambda);

/// <summary>
/// HOAG (Pedregosa, "Hyperparameter optimization with approximate gradient", ICML 2016) against grid and random search
/// for the l2 strength λ of binary logistic regression, J(w; λ) = mean cross-entropy + (λ/2)·‖W‖² (the bias is not
/// penalized), on MNIST 4 vs 9; the outer objective is the mean cross-entropy on the validation set.
/// </summary>
/// <remarks>In double: the implicit hypergradient solves to tolerances near float's rounding.</remarks>
public sealed class HoagBench
{
    private const int Negative = 4, Positive = 9;
    private static readonly ModelOptions Logistic = new(ModelKind.Logistic);
    private readonly HoagSettings _settings;
    private readonly Dataset<double> _training;
    private readonly Dataset<double> _validation;
    private readonly Dataset<double> _test;
    private readonly ModelObjective<double> _evaluator;

    public HoagBench(HoagSettings settings, Dataset<double> mnistTraining, Dataset<double> mnistTest)
    {
        var pairs = Digits(mnistTraining);
        if (settings.TrainingRows + settings.ValidationRows > pairs.Count)
        {
            throw new ArgumentException($"hoag needs {settings.TrainingRows + settings.ValidationRows} images of 4 and 9; {mnistTraining.Source} has {pairs.Count}.", nameof(mnistTraining));
        }

        _settings = settings;
        _training = pairs.Slice(0, settings.TrainingRows);
        _validation = pairs.Slice(settings.TrainingRows, settings.ValidationRows);
        _test = Digits(mnistTest);
        _evaluator = ModelObjective<double>.Create(_validation, Logistic);
        Source = mnistTraining.Source;
    }

    public string Source { get; }

    public int TestRows => _test.Count;

    /// <summary>HOAG for the settings' number of iterations (one inner solve each), from the top of the range (the grid's first λ).</summary>
    public (HoagRow Row, HoagCurve Curve) Hoag(Action<int, double>? progress)
    {
        var clock = Stopwatch.StartNew();
        var training = TrainingObjective();
        var problem = BilevelProblem<double>.AtOptimum(
            training,
            ModelObjective<double>.Create(_validation, Logistic),
            new BilevelOptions
            {
                Tune = ["l2"],
                LossValues = new Dictionary<string, double> { ["l2"] = _settings.UpperLambda },
                Domains = new Dictionary<string, Domain> { ["l2"] = Domain.Positive(PositiveMethod.Log) },
            });

        // The implicit engine itself rather than problem.Hoag: the curve records the weights of each inner solve.
        var engine = (ImplicitHypergradient<double>)problem.Engine(Engine.ImplicitAtOptimum());
        var hoag = AutoHypergrad.Engines.Implicit.Hoag.For(engine, problem.Domains, new HoagOptions(_settings.InnerSolves));
        var curve = new CurveBuilder("HOAG");
        hoag.Run(problem.InitialHyperparameters, (iteration, lambda) =>
        {
            curve.Add(clock, iteration.Value, lambda[0], engine.Weights);
            progress?.Invoke(iteration.Iteration + 1, curve.Best);
        });
        return (Row(curve, clock), curve.Build());
    }

    /// <summary>Grid search: the settings' number of λ evenly spaced in log scale, from the strongest to the weakest.</summary>
    public (HoagRow Row, HoagCurve Curve) Grid(Action<int, double>? progress)
    {
        int n = _settings.InnerSolves;
        double lower = Math.Log(_settings.LowerLambda), upper = Math.Log(_settings.UpperLambda);
        var lambdas = Enumerable.Range(0, n).Select(i => Math.Exp(n == 1 ? (lower + upper) / 2 : upper - (upper - lower) * i / (n - 1)));
        return Search("Grid search", lambdas, progress);
    }

    /// <summary>Random search: the settings' number of λ with log λ uniform over the range.</summary>
    public (HoagRow Row, HoagCurve Curve) Random(Action<int, double>? progress)
    {
        var search = new RandomSearch([new SearchRange("l2", _settings.LowerLambda, _settings.UpperLambda, Logarithmic: true)], unchecked((int)_settings.Seed));
        var lambdas = search.Draws().Take(_settings.InnerSolves).Select(drawn => drawn["l2"]).ToArray();
        return Search("Random search", lambdas, progress);
    }

    /// <summary>The 4s and 9s of <paramref name="mnist"/>, in order, labelled 0 and 1.</summary>
    internal static Dataset<double> Digits(Dataset<double> mnist)
    {
        var labels = mnist.Labels ?? throw new ArgumentException($"{mnist.Source} has no labels.", nameof(mnist));
        int[] rows = Enumerable.Range(0, mnist.Count).Where(i => labels[i] is Negative or Positive).ToArray();
        var selected = mnist.Select(rows);
        return new Dataset<double>(
            selected.Features, selected.Count, selected.FeatureCount, rows.Select(i => labels[i] == Positive ? 1 : 0).ToArray(), null, 2,
            $"{mnist.Source}: digits {Negative} (0) and {Positive} (1)");
    }

    private (HoagRow Row, HoagCurve Curve) Search(string name, IEnumerable<double> lambdas, Action<int, double>? progress)
    {
        var clock = Stopwatch.StartNew();
        var training = TrainingObjective();
        var solver = new NewtonCg<double>(training);
        var validation = new ValidationError<double>(ModelObjective<double>.Create(_validation, Logistic));
        var coldStart = new double[training.ParameterCount];
        var w = new double[training.ParameterCount];
        var curve = new CurveBuilder(name);
        var lossLambda = training.Hyperparameters.Defaults<double>();
        foreach (double lambda in lambdas)
        {
            lossLambda[0] = lambda;
            var inner = solver.Minimize(w, lossLambda, _settings.Tolerance, coldStart);
            if (!inner.Converged)
            {
                throw new ImplicitSolveException(
                    "inner problem", inner.GradientNorm / inner.Scale, _settings.Tolerance, inner.Iterations,
                    FormattableString.Invariant($"{name}: the inner problem at λ = {lambda:G4} was not solved to {_settings.Tolerance:G3} ({inner.Reason})."));
            }

            double value = validation.Value(w, []);
            curve.Add(clock, value, lambda, w);
            progress?.Invoke(curve.Count, curve.Best);
        }

        return (Row(curve, clock), curve.Build());
    }

    private HoagRow Row(CurveBuilder curve, Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        var (loss, accuracy) = _evaluator.Evaluate(curve.BestWeights, _test);
        return new HoagRow(curve.Name, curve.Best, accuracy, loss, curve.BestLambda, curve.Count, seconds, null);
    }

    private ModelObjective<double> TrainingObjective() => ModelObjective<double>.Create(_training, Logistic with { Hyperparameters = LossHyperparameters.L2 });

    /// <summary>The best validation loss so far after each inner solve, and the weights where it was reached.</summary>
    private sealed class CurveBuilder(string name)
    {
        private readonly List<double> _seconds = [];
        private readonly List<double> _best = [];
        private readonly List<double> _lambda = [];

        public string Name => name;

        public int Count => _seconds.Count;

        public double Best { get; private set; } = double.PositiveInfinity;

        public double BestLambda { get; private set; } = double.NaN;

        public double[] BestWeights { get; private set; } = [];

        /// <summary>An inner solve at <paramref name="lambda"/> gave w and validation loss <paramref name="value"/>; the clock reads its end.</summary>
        public void Add(Stopwatch clock, double value, double lambda, ReadOnlySpan<double> w)
        {
            if (value < Best)
            {
                (Best, BestLambda, BestWeights) = (value, lambda, w.ToArray());
            }

            _seconds.Add(clock.Elapsed.TotalSeconds);
            _best.Add(Best);
            _lambda.Add(lambda);
        }

        public HoagCurve Build() => new(name, _seconds, _best, _lambda);
    }
}
