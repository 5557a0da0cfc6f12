using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using AutoHypergrad.Cuda;
using AutoHypergrad.Data;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Experiments;

/// <summary>
/// The sizes and rates of a data hyper-cleaning run (Franceschi et al. 2017, section 5.1 and table 1): the first
/// <see cref="TrainingRows"/> MNIST training images with <see cref="Corrupted"/> labels replaced by another class,
/// the next <see cref="ValidationRows"/> to validate, the next <see cref="TestRows"/> to test.
/// </summary>
/// <param name="TrainingRows">N, the training examples.</param>
/// <param name="ValidationRows">The validation examples.</param>
/// <param name="TestRows">The test examples.</param>
/// <param name="Corrupted">The training labels replaced by another class.</param>
/// <param name="Steps">T, the gradient-descent steps of every training run.</param>
/// <param name="HyperIterations">The hyper-iterations per radius.</param>
/// <param name="Radii">The radii R of the capped simplex.</param>
/// <param name="LearningRate">Gradient descent's lr on the mean loss; the weighted inner problem steps with lr·N/R.</param>
/// <param name="HyperLearningRate">Adam's lr on λ.</param>
/// <param name="Seed">The seed of the label corruption.</param>
public sealed record HyperCleaningSettings(
    int TrainingRows,
    int ValidationRows,
    int TestRows,
    int Corrupted,
    int Steps,
    int HyperIterations,
    IReadOnlyList<double> Radii,
    double LearningRate,
    double HyperLearningRate,
    ulong Seed)
{
    /// <summary>The paper's run: 5000 / 5000 / 10000 images, 2500 corrupted, T = 2000, 500 hyper-iterations, R = 1000 … 2500.</summary>
    public static HyperCleaningSettings Paper(ulong seed) => new(5000, 5000, 10000, 2500, 2000, 500, [1000, 1500, 2000, 2500], 0.1, 0.005, seed);

    /// <summary>
    /// A smoke test: a tenth of the data, T = 50, R = 100 (the paper's 1000 scaled). λ starts at R/N = 0.2 and Adam
    /// moves it by about 0.005 a hyper-iteration, so 40 of them are the fewest in which examples get discarded.
    /// </summary>
    public static HyperCleaningSettings Quick(ulong seed) => new(500, 500, 1000, 250, 50, 40, [100], 0.1, 0.005, seed);

    /// <summary>How this run departs from the paper's, one sentence each.</summary>
    public IReadOnlyList<string> Deviations(string precision)
    {
        var paper = Paper(Seed);
        var deviations = new List<string>();
        if ((TrainingRows, ValidationRows, TestRows, Corrupted) != (paper.TrainingRows, paper.ValidationRows, paper.TestRows, paper.Corrupted))
        {
            deviations.Add($"{TrainingRows} training ({Corrupted} corrupted) / {ValidationRows} validation / {TestRows} test images instead of 5000 (2500) / 5000 / 10000.");
        }

        if (Steps != paper.Steps)
        {
            deviations.Add($"T = {Steps} gradient-descent steps instead of 2000.");
        }

        if (HyperIterations != paper.HyperIterations)
        {
            deviations.Add($"{HyperIterations} hyper-iterations instead of 500.");
        }

        if (!Radii.SequenceEqual(paper.Radii))
        {
            deviations.Add($"R = {string.Join(", ", Radii.Select(Invariant))}; the paper's are 1000, 1500, 2000, 2500.");
        }

        deviations.Add(
            $"The weights start at 0 and the test set is MNIST training images {TrainingRows + ValidationRows} … {TrainingRows + ValidationRows + TestRows - 1} " +
            "(the issue's split, not MNIST's test set); the paper's script may differ in both.");
        deviations.Add($"Computed in {precision}; the curves' test accuracy is that of w_T at each λ_k, read off the hypergradient's own training run.");
        deviations.Add($"The corruption is this program's (SplitMix64, seed {Seed}), not the paper's random draw.");
        return deviations;
    }

    /// <summary>Identifies the run for its checkpoints: a checkpoint of different settings is refused.</summary>
    public string Fingerprint(double radius, string precision, string source)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"hyperclean/2 {source} N={TrainingRows} V={ValidationRows} C={Corrupted} T={Steps} R={radius} lr={LearningRate} hlr={HyperLearningRate} seed={Seed} {precision}");

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One hyper-iteration k, as in the paper's figure 2: the run at λ_k and the examples λ_k discards.</summary>
/// <param name="Iteration">k, from 0.</param>
/// <param name="ValidationLoss">f(λ_k), the validation loss of w_T.</param>
/// <param name="ValidationAccuracy">The validation accuracy of w_T.</param>
/// <param name="TestAccuracy">The test accuracy of w_T.</param>
/// <param name="TruePositives">Corrupted examples with λ_i = 0.</param>
/// <param name="FalsePositives">Clean examples with λ_i = 0.</param>
/// <param name="Seconds">The hypergradient's wall time.</param>
public sealed record HyperCleaningPoint(
    int Iteration, double ValidationLoss, double ValidationAccuracy, double TestAccuracy, int TruePositives, int FalsePositives, double Seconds);

/// <summary>A row of table 1. F1 and the counts are those of finding the corrupted examples (null for Oracle and Baseline).</summary>
/// <param name="Name">Oracle, Baseline or DH-R.</param>
/// <param name="TestAccuracy">The test accuracy of the final training run.</param>
/// <param name="F1">The F1 score of calling the discarded examples corrupted.</param>
/// <param name="TruePositives">Corrupted examples discarded.</param>
/// <param name="FalsePositives">Clean examples discarded.</param>
/// <param name="TrainedOn">The examples of the final training run (kept training examples plus validation).</param>
/// <param name="Paper">The paper's test accuracy and F1 for this row (table 1), as fractions.</param>
public sealed record HyperCleaningRow(string Name, double TestAccuracy, double? F1, int TrainedOn, int? TruePositives, int? FalsePositives, PaperRow? Paper);

/// <summary>A row of the paper's table 1.</summary>
public sealed record PaperRow(double TestAccuracy, double? F1)
{
    /// <summary>Table 1 of Franceschi et al. (2017), by row name.</summary>
    public static IReadOnlyDictionary<string, PaperRow> Table { get; } = new Dictionary<string, PaperRow>
    {
        ["Oracle"] = new(0.9046, null),
        ["Baseline"] = new(0.8774, null),
        ["DH-1000"] = new(0.9007, 0.9137),
        ["DH-1500"] = new(0.9006, 0.9244),
        ["DH-2000"] = new(0.9000, 0.9211),
        ["DH-2500"] = new(0.9009, 0.9217),
    };

    public static PaperRow? For(string name) => Table.GetValueOrDefault(name);
}

/// <summary>The curves of one radius.</summary>
public sealed record HyperCleaningCurve(double Radius, int ResumedFrom, IReadOnlyList<HyperCleaningPoint> Points);

/// <summary>What a progress display is told.</summary>
public interface IHyperCleaningProgress : IProgress<EngineProgress>
{
    void Iteration(double radius, HyperCleaningPoint point);
}

/// <summary>
/// Data hyper-cleaning (Franceschi, Donini, Frasconi, Pontil, ICML 2017, table 1): softmax regression trained by
/// gradient descent on J = (1/N) Σ λ_i ℓ_i over a training set with half its labels corrupted (the fused
/// <see cref="WeightedSoftmaxRegression{T}"/>, which computes what <see cref="ModelObjective{T}"/> does for it); λ is tuned by Adam on
/// Reverse-HG's hypergradient of the validation loss, projected onto {0 ≤ λ ≤ 1, Σλ ≤ R}. Examples left at λ_i = 0
/// are the ones found corrupted; the model is then retrained on the others plus the validation set. Everything trains
/// on a <see cref="TrainingBackend{T}"/>: the CPU, or a CUDA device with the data, products and trajectory on it.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class HyperCleaning<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly ModelOptions Softmax = new(ModelKind.Softmax);
    private readonly HyperCleaningSettings _settings;
    private readonly string _precision;
    private readonly Dataset<T> _training;
    private readonly Dataset<T> _validation;
    private readonly Dataset<T> _test;
    private readonly bool[] _corrupted;
    private readonly TrainingBackend<T> _backend;

    /// <summary>
    /// The experiment on <paramref name="mnist"/> (MNIST's training images, at least the settings' rows), trained on
    /// <paramref name="backend"/> (the CPU's, or a CUDA device's).
    /// </summary>
    public HyperCleaning(HyperCleaningSettings settings, Dataset<T> mnist, string precision, TrainingBackend<T> backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _settings = settings;
        _precision = precision;
        int rows = settings.TrainingRows + settings.ValidationRows + settings.TestRows;
        if (mnist.Count < rows)
        {
            throw new ArgumentException($"Hyper-cleaning needs {rows} images; {mnist.Source} has {mnist.Count}.", nameof(mnist));
        }

        var clean = mnist.Slice(0, settings.TrainingRows);
        var noisy = LabelNoise.Corrupt(clean.Labels!, clean.ClassCount, settings.Corrupted, settings.Seed);
        _training = clean.WithLabels(noisy.Labels);
        _corrupted = noisy.Corrupted;
        _validation = mnist.Slice(settings.TrainingRows, settings.ValidationRows);
        _test = mnist.Slice(settings.TrainingRows + settings.ValidationRows, settings.TestRows);
        Source = mnist.Source;
    }

    public string Source { get; }

    /// <summary>Oracle: trained on the clean training examples plus the validation set.</summary>
    public HyperCleaningRow Oracle()
    {
        int[] clean = Enumerable.Range(0, _corrupted.Length).Where(i => !_corrupted[i]).ToArray();
        var data = Dataset<T>.Concatenate(_training.Select(clean), _validation);
        const string name = "Oracle";
        return new HyperCleaningRow(name, TestAccuracy(Train(data)), null, data.Count, null, null, PaperRow.For(name));
    }

    /// <summary>Baseline: trained on every training example, corrupted ones included, plus the validation set.</summary>
    public HyperCleaningRow Baseline()
    {
        var data = Dataset<T>.Concatenate(_training, _validation);
        const string name = "Baseline";
        return new HyperCleaningRow(name, TestAccuracy(Train(data)), null, data.Count, null, null, PaperRow.For(name));
    }

    /// <summary>
    /// DH-R: the outer loop for radius <paramref name="radius"/> (resumed from <paramref name="checkpointDirectory"/>
    /// when it holds this run's checkpoint), then the model retrained on the examples kept plus the validation set.
    /// </summary>
    public (HyperCleaningRow Row, HyperCleaningCurve Curve) Clean(double radius, string? checkpointDirectory, IHyperCleaningProgress? progress)
    {
        var (problem, response, validation) = Problem(radius);
        var engine = problem.Engine(Engine.Reverse);
        var updater = problem.Updater(new HyperAdam(_settings.HyperLearningRate));

        string fingerprint = _settings.Fingerprint(radius, _precision, Source);
        string? checkpoint = null, curvesPath = null;
        var points = new List<HyperCleaningPoint>();
        if (checkpointDirectory is not null)
        {
            Directory.CreateDirectory(checkpointDirectory);
            string stem = Path.Combine(checkpointDirectory, $"hyperclean-R{HyperCleaningSettings.Invariant(radius)}");
            (checkpoint, curvesPath) = (stem + ".json", stem + ".curves.json");
            points.AddRange(SavedCurve.Load(curvesPath, fingerprint));
        }

        var outer = new HyperparameterOptimization(
            lambda => engine.Compute(lambda, progress),
            updater,
            new OuterOptions(_settings.HyperIterations, CheckpointPath: checkpoint, Fingerprint: fingerprint));
        var result = outer.Run((iteration, lambda) =>
        {
            // The curve is saved before the outer checkpoint: a kill in between leaves an extra point, cut here on resume.
            Truncate(points, iteration.Iteration);
            var (truePositives, falsePositives) = Discarded(lambda);
            var point = new HyperCleaningPoint(
                iteration.Iteration,
                iteration.Value,
                validation.Evaluate(response.Weights, _validation).Accuracy,
                validation.Evaluate(response.Weights, _test).Accuracy,
                truePositives,
                falsePositives,
                iteration.Seconds);
            points.Add(point);
            if (curvesPath is not null)
            {
                new SavedCurve(fingerprint, points).Save(curvesPath);
            }

            progress?.Iteration(radius, point);
        });
        Truncate(points, result.History.Count);

        var (tp, fp) = Discarded(result.Lambda);
        int[] kept = Enumerable.Range(0, _settings.TrainingRows).Where(i => result.Lambda[i] > 0).ToArray();
        var data = Dataset<T>.Concatenate(_training.Select(kept), _validation);
        string name = $"DH-{HyperCleaningSettings.Invariant(radius)}";
        var row = new HyperCleaningRow(name, TestAccuracy(Train(data)), F1(tp, fp, _settings.Corrupted), data.Count, tp, fp, PaperRow.For(name));
        return (row, new HyperCleaningCurve(radius, result.ResumedFrom, points));
    }

    /// <summary>The first hypergradient of DH-R: Reverse-HG at λ_i = R/N, every example weighted alike.</summary>
    public HypergradientResult FirstHypergradient(double radius, IProgress<EngineProgress>? progress = null)
        => Problem(radius).Problem.Hypergradient(Engine.Reverse, progress);

    /// <summary>The validation loss as a function of the example weights, for radius <paramref name="radius"/>.</summary>
    private (BilevelProblem<T> Problem, RecordingResponse Response, ModelObjective<T> Validation) Problem(double radius)
    {
        var training = _backend.SoftmaxRegression(_training, exampleWeights: true);
        var validation = ModelObjective<T>.Create(_validation, Softmax);
        var response = new RecordingResponse(new ValidationError<T>(_backend.SoftmaxRegression(_validation, exampleWeights: false)), training.ParameterCount);
        return (Problem(training, response, _settings.LearningRate, _settings.Steps, radius, _backend), response, validation);
    }

    /// <summary>The F1 score of calling the discarded examples corrupted.</summary>
    public static double F1(int truePositives, int falsePositives, int corrupted)
        => truePositives == 0 ? 0 : 2.0 * truePositives / (2.0 * truePositives + falsePositives + (corrupted - truePositives));

    /// <summary>Keeps the first <paramref name="count"/> points (fewer when a curve file was lost beside its checkpoint).</summary>
    private static void Truncate(List<HyperCleaningPoint> points, int count)
    {
        if (points.Count > count)
        {
            points.RemoveRange(count, points.Count - count);
        }
    }

    private (int TruePositives, int FalsePositives) Discarded(ReadOnlySpan<double> lambda)
    {
        int truePositives = 0, falsePositives = 0;
        for (int i = 0; i < _corrupted.Length; i++)
        {
            if (lambda[i] <= 0)
            {
                (truePositives, falsePositives) = _corrupted[i] ? (truePositives + 1, falsePositives) : (truePositives, falsePositives + 1);
            }
        }

        return (truePositives, falsePositives);
    }

    /// <summary>
    /// DH-R's inner problem: gradient descent for <paramref name="steps"/> steps on <paramref name="training"/> from
    /// w = 0, its step and state on <paramref name="backend"/> (null: the CPU), the example weights tuned from
    /// λ_i = R/N in the capped simplex {0 ≤ λ ≤ 1, Σλ ≤ R} of <paramref name="radius"/> R, and, since J is the mean of
    /// λ_i ℓ_i, the step scaled by N/R as in the paper's script (at λ_i = R/N it is <paramref name="learningRate"/> on
    /// the plain mean loss).
    /// </summary>
    public static BilevelProblem<T> Problem(
        IObjective<T> training, IResponseObjective<T> response, double learningRate, int steps, double radius, ITrainingBackend<T>? backend = null)
    {
        int n = training.ExampleCount;
        var options = new BilevelOptions
        {
            Tune = ["weights"],
            LossValues = new Dictionary<string, double> { ["weights"] = radius / n },
            Domains = new Dictionary<string, Domain> { ["weights"] = Domain.CappedSimplex(radius) },
        };
        return new BilevelProblem<T>(training, Optimizers.Sgd.StepOptimizer(lr: learningRate * n / radius), response, steps, options, backend);
    }

    /// <summary>w_T of plain gradient descent (the same step as the inner problem's, unweighted) on <paramref name="data"/>.</summary>
    private T[] Train(Dataset<T> data)
    {
        var objective = _backend.SoftmaxRegression(data, exampleWeights: false);
        var weights = BilevelProblem<T>.TrainingRun(objective, Optimizers.Sgd.StepOptimizer(lr: _settings.LearningRate), _settings.Steps, backend: _backend).Train([]);
        _backend.Release(objective);
        return weights;
    }

    private double TestAccuracy(T[] w) => ModelObjective<T>.Create(_validation, Softmax).Evaluate(w, _test).Accuracy;

    /// <summary>E = the validation loss, keeping a copy of the w_T it was last evaluated at (the engine's run ends there).</summary>
    private sealed class RecordingResponse(ValidationError<T> inner, int parameters) : IResponseObjective<T>
    {
        public T[] Weights { get; } = new T[parameters];

        public T Value(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda)
        {
            state[..parameters].CopyTo(Weights);
            return inner.Value(state, lambda);
        }

        public T Gradient(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda, Span<T> stateGradient, Span<T> lambdaGradient)
        {
            state[..parameters].CopyTo(Weights);
            return inner.Gradient(state, lambda, stateGradient, lambdaGradient);
        }
    }

    /// <summary>The curve of a radius beside its outer checkpoint, under the same fingerprint.</summary>
    private sealed record SavedCurve(string Fingerprint, IReadOnlyList<HyperCleaningPoint> Points)
    {
        public static IReadOnlyList<HyperCleaningPoint> Load(string path, string fingerprint)
        {
            if (!File.Exists(path))
            {
                return [];
            }

            var saved = JsonSerializer.Deserialize<SavedCurve>(File.ReadAllText(path), JsonFile.SerializerOptions)
                        ?? throw new InvalidDataException($"{path} is not a hyper-cleaning curve.");
            return saved.Fingerprint == fingerprint
                ? saved.Points
                : throw new InvalidDataException($"{path} belongs to another run ({saved.Fingerprint}); remove it or choose another --checkpoint-dir.");
        }

        public void Save(string path) => JsonFile.Write(path, this);
    }
}
