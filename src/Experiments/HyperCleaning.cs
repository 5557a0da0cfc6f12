using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Serialization;
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
/// The sizes and rates of a data hyper-cleaning run (Franceschi et al. 2017, section 5.1 and table 1): from MNIST
/// training image <see cref="FirstImage"/> on, <see cref="TrainingRows"/> images with <see cref="Corrupted"/> labels
/// replaced by another class, the next <see cref="ValidationRows"/> to validate, the next <see cref="TestRows"/> to test.
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
/// <param name="FirstImage">
/// The first MNIST training image used. The authors' script (RFHO, <c>data_hyper_cleaning.py</c>) takes the first 20,000
/// images of its MNIST loader, whose training set starts after the 5000 images it keeps for validation: MNIST training
/// images 5000 … 24,999. Results written before this setting existed started at 0, which their JSON reads as.
/// </param>
/// <param name="HyperAdamForm">
/// How Adam on λ adds its ε: "inside" the square root, on the uncorrected v, as the script's optimizer (RFHO's
/// <c>AdamOptimizer</c>, ε = 10⁻⁸) does; or "outside", Kingma and Ba's form. Inside, ε is a floor of about 10⁻⁴ under
/// √v, the size of a typical entry of the hypergradient here, so it damps the steps of small entries. Results written
/// before this setting existed used "outside", which their JSON reads as.
/// </param>
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
    ulong Seed,
    int FirstImage = 0,
    string HyperAdamForm = HyperCleaningSettings.EpsilonOutside)
{
    /// <summary>Adam on λ with ε inside the square root: the script's form.</summary>
    public const string EpsilonInside = "inside";

    /// <summary>Adam on λ with ε outside the square root: Kingma and Ba's form.</summary>
    public const string EpsilonOutside = "outside";

    /// <summary>The script's first image: its loader's training set starts after the 5000 images it keeps for validation.</summary>
    public const int ScriptFirstImage = 5000;

    /// <summary>
    /// An example counts as found corrupted (discarded) when its weight is below this: the script's threshold
    /// (<c>_calc_pos_neg</c>, <c>thr=1.e-3</c>), which its F1 scores, and so table 1's, are computed with.
    /// </summary>
    public const double DiscardThreshold = 1e-3;

    /// <summary>The paper's run: 5000 / 5000 / 10000 images, 2500 corrupted, T = 2000, 500 hyper-iterations, R = 1000 … 2500.</summary>
    public static HyperCleaningSettings Paper(ulong seed) => new(5000, 5000, 10000, 2500, 2000, 500, [1000, 1500, 2000, 2500], 0.1, 0.005, seed, ScriptFirstImage, EpsilonInside);

    /// <summary>
    /// A smoke test: a tenth of the data, T = 50, R = 100 (the paper's 1000 scaled). λ starts at R/N = 0.2 and Adam
    /// moves it by at most about 0.005 a hyper-iteration (less at first in the script's form), so 40 of them are about
    /// the fewest in which examples get discarded (134 corrupted and 3 clean ones with seed 1).
    /// </summary>
    public static HyperCleaningSettings Quick(ulong seed) => new(500, 500, 1000, 250, 50, 40, [100], 0.1, 0.005, seed, ScriptFirstImage, EpsilonInside);

    /// <summary>The images the run reads, from <see cref="FirstImage"/> on.</summary>
    [JsonIgnore]
    public int Images => TrainingRows + ValidationRows + TestRows;

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

        if (FirstImage != paper.FirstImage)
        {
            deviations.Add($"MNIST training images {FirstImage} … {FirstImage + Images - 1} instead of the script's, which start at {paper.FirstImage}.");
        }

        if (HyperAdamForm != paper.HyperAdamForm)
        {
            deviations.Add("Adam on λ adds its ε outside the square root (Kingma and Ba's form); the script's Adam adds it inside, on the uncorrected v, which damps small steps.");
        }

        deviations.Add($"Computed in {precision}; the curves' test accuracy is that of w_T at each λ_k, read off the hypergradient's own training run.");
        deviations.Add($"The corruption is this program's (SplitMix64, seed {Seed}), not the paper's random draw.");
        return deviations;
    }

    /// <summary>Identifies the run for its checkpoints: a checkpoint of different settings is refused.</summary>
    public string Fingerprint(double radius, string precision, string source)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"hyperclean/4 {source} first={FirstImage} N={TrainingRows} V={ValidationRows} C={Corrupted} T={Steps} R={radius} lr={LearningRate} hlr={HyperLearningRate} adam-eps={HyperAdamForm} seed={Seed} {precision}");

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One hyper-iteration k, as in the paper's figure 2: the run at λ_k and the examples λ_k discards.</summary>
/// <param name="Iteration">k, from 0.</param>
/// <param name="ValidationLoss">f(λ_k), the validation loss of w_T.</param>
/// <param name="ValidationAccuracy">The validation accuracy of w_T.</param>
/// <param name="TestAccuracy">The test accuracy of w_T.</param>
/// <param name="TruePositives">Corrupted examples discarded (λ_i below <see cref="HyperCleaningSettings.DiscardThreshold"/>).</param>
/// <param name="FalsePositives">Clean examples discarded.</param>
/// <param name="Seconds">The hypergradient's wall time.</param>
public sealed record HyperCleaningPoint(
    int Iteration, double ValidationLoss, double ValidationAccuracy, double TestAccuracy, int TruePositives, int FalsePositives, double Seconds);

/// <summary>A row of table 1. F1 and the counts are those of finding the corrupted examples (null for Oracle and Baseline).</summary>
/// <param name="Name">Oracle, Baseline or DH-R.</param>
/// <param name="TestAccuracy">The test accuracy of the final training run.</param>
/// <param name="F1">The F1 score of calling the discarded examples corrupted.</param>
/// <param name="TruePositives">Corrupted examples discarded.</param>
/// <param name="FalsePositives">Clean examples discarded.</param>
/// <param name="TrainedOn">The examples of the final training run whose weight is not 0 (of the training and validation examples).</param>
/// <param name="Paper">The paper's test accuracy and F1 for this row (table 1), as fractions.</param>
/// <param name="HypergradientSeconds">
/// DH-R's hypergradients' wall time, summed over its curve: every hyper-iteration's, those of earlier runs it was
/// resumed from included (null for Oracle and Baseline, and in results written before it was recorded).
/// </param>
public sealed record HyperCleaningRow(
    string Name, double TestAccuracy, double? F1, int TrainedOn, int? TruePositives, int? FalsePositives, PaperRow? Paper, double? HypergradientSeconds = null);

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
/// <param name="Radius">R.</param>
/// <param name="ResumedFrom">The hyper-iterations loaded from a checkpoint rather than computed by this run.</param>
/// <param name="Points">Every hyper-iteration's point, those loaded from the checkpoint included.</param>
public sealed record HyperCleaningCurve(double Radius, int ResumedFrom, IReadOnlyList<HyperCleaningPoint> Points)
{
    /// <summary>The wall time of the hypergradients loaded from the checkpoint: the earlier runs' part of this curve.</summary>
    public double ResumedSeconds => Points.Where(point => point.Iteration < ResumedFrom).Sum(point => point.Seconds);
}

/// <summary>What a progress display is told.</summary>
public interface IHyperCleaningProgress : IProgress<EngineProgress>
{
    void Iteration(double radius, HyperCleaningPoint point);
}

/// <summary>
/// Data hyper-cleaning (Franceschi, Donini, Frasconi, Pontil, ICML 2017, table 1): softmax regression trained by
/// gradient descent on J = (1/N) Σ λ_i ℓ_i over a training set with half its labels corrupted (the fused
/// <see cref="WeightedSoftmaxRegression{T}"/>, which computes what <see cref="ModelObjective{T}"/> does for it); λ is tuned by Adam on
/// Reverse-HG's hypergradient of the validation loss, projected onto {0 ≤ λ ≤ 1, Σλ ≤ R}. Examples whose λ_i ends below
/// <see cref="HyperCleaningSettings.DiscardThreshold"/> are the ones found corrupted; the model is then retrained with the
/// tuned weights on the training and validation examples stacked, as the authors' script does. Everything trains
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
    private readonly Dataset<T> _stacked;
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
        if (mnist.Count < settings.FirstImage + settings.Images)
        {
            throw new ArgumentException(
                $"Hyper-cleaning reads images {settings.FirstImage} … {settings.FirstImage + settings.Images - 1}; {mnist.Source} has {mnist.Count}.", nameof(mnist));
        }

        var clean = mnist.Slice(settings.FirstImage, settings.TrainingRows);
        var noisy = LabelNoise.Corrupt(clean.Labels!, clean.ClassCount, settings.Corrupted, settings.Seed);
        _training = clean.WithLabels(noisy.Labels);
        _corrupted = noisy.Corrupted;
        _validation = mnist.Slice(settings.FirstImage + settings.TrainingRows, settings.ValidationRows);
        _test = mnist.Slice(settings.FirstImage + settings.TrainingRows + settings.ValidationRows, settings.TestRows);
        _stacked = Dataset<T>.Concatenate(_training, _validation);
        Source = mnist.Source;
    }

    public string Source { get; }

    /// <summary>Oracle: the corrupted examples' weights 0, every other example's 1 (the script's <c>lmd_oracle</c>).</summary>
    public HyperCleaningRow Oracle()
        => Row("Oracle", Enumerable.Range(0, _stacked.Count).Select(i => i < _corrupted.Length && _corrupted[i] ? 0.0 : 1.0).ToArray(), _settings.LearningRate);

    /// <summary>Baseline: every example's weight 1, the corrupted ones included.</summary>
    public HyperCleaningRow Baseline() => Row("Baseline", Enumerable.Repeat(1.0, _stacked.Count).ToArray(), _settings.LearningRate);

    /// <summary>
    /// DH-R: the outer loop for radius <paramref name="radius"/> (resumed from <paramref name="checkpointDirectory"/>
    /// when it holds this run's checkpoint), then the final round: the model retrained with the tuned weights (<see cref="FinalRound"/>).
    /// </summary>
    public (HyperCleaningRow Row, HyperCleaningCurve Curve) Clean(double radius, string? checkpointDirectory, IHyperCleaningProgress? progress)
    {
        var (problem, response, validation) = Problem(radius);
        var engine = problem.Engine(Engine.Reverse);
        var updater = problem.Updater(new HyperAdam(_settings.HyperLearningRate, epsilonInsideSquareRoot: _settings.HyperAdamForm == HyperCleaningSettings.EpsilonInside));

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
            new OuterOptions(_settings.HyperIterations, CheckpointPath: checkpoint, Fingerprint: fingerprint, SavesCheckpoints: _backend.WritesResults));
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
            if (curvesPath is not null && _backend.WritesResults)
            {
                new SavedCurve(fingerprint, points).Save(curvesPath);
            }

            progress?.Iteration(radius, point);
        });
        Truncate(points, result.History.Count);

        var (tp, fp) = Discarded(result.Lambda);
        var row = FinalRound($"DH-{HyperCleaningSettings.Invariant(radius)}", result.Lambda) with
        {
            F1 = F1(tp, fp, _settings.Corrupted), TruePositives = tp, FalsePositives = fp, HypergradientSeconds = points.Sum(point => point.Seconds),
        };
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
            if (lambda[i] < HyperCleaningSettings.DiscardThreshold)
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

    /// <summary>
    /// The final round of DH-R, as the script trains it: the training examples weighted by the tuned λ, the validation
    /// examples by max λ ("there's no reason to overweight the validation examples"), and the learning rate divided by
    /// max λ, so that the largest weight steps as a weight of 1 at the learning rate.
    /// </summary>
    private HyperCleaningRow FinalRound(string name, ReadOnlySpan<double> lambda)
    {
        double largest = TensorPrimitives.Max(lambda);
        if (largest <= 0)
        {
            throw new InvalidOperationException($"{name}: every example's weight is 0, so the final round has nothing to train on.");
        }

        double[] weights = new double[_stacked.Count];
        weights.AsSpan(lambda.Length).Fill(largest);
        lambda.CopyTo(weights);
        return Row(name, weights, _settings.LearningRate / largest);
    }

    /// <summary>
    /// A row trained as the script trains Oracle, Baseline and every final round: gradient descent for T steps from
    /// w = 0 at <paramref name="learningRate"/> on the training and validation examples stacked, each example's loss
    /// times its weight, the mean over all of them; "trained on" counts the examples whose weight is not 0.
    /// </summary>
    private HyperCleaningRow Row(string name, double[] weights, double learningRate)
    {
        var objective = _backend.SoftmaxRegression(_stacked, exampleWeights: true);
        var run = BilevelProblem<T>.TrainingRun(
            objective, Optimizers.Sgd.StepOptimizer(lr: learningRate), _settings.Steps, new BilevelOptions { Tune = ["weights"] }, _backend);
        var w = run.Train(weights);
        _backend.Release(objective);
        return new HyperCleaningRow(name, TestAccuracy(w), null, weights.Count(weight => weight != 0), null, null, PaperRow.For(name));
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
