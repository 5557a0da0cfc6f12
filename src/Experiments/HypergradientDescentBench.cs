using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Text.Json.Serialization;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Experiments;

/// <summary>The models of <c>hd-bench</c>: the paper's logistic regression and its MLP 784-1000-1000-10 (ReLU).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HypergradientDescentModel>))]
public enum HypergradientDescentModel
{
    LogReg,
    Mlp,
}

/// <summary>
/// The sizes and rates of an <c>hd-bench</c> run (Baydin et al., ICLR 2018, section 4: logistic regression and an MLP on MNIST).
/// </summary>
/// <param name="Model">Logistic regression or the MLP.</param>
/// <param name="TrainingRows">The first MNIST training images trained on.</param>
/// <param name="ValidationRows">The first MNIST test images validated on.</param>
/// <param name="Epochs">Passes over them.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="InitialLearningRate">α_0 of every run.</param>
/// <param name="SgdBeta">β of the SGD family (SGD, SGDN).</param>
/// <param name="AdamBeta">β of Adam.</param>
/// <param name="Standardize">Whether the pixels are standardized as the paper's code does (<see cref="MnistStandardization"/>); else they stay in [0, 1].</param>
/// <param name="WeightDecay">The optimizers' coupled L2 weight decay wd (the paper's code: 1e-4).</param>
/// <param name="Seed">The seed of the batch order and of the MLP's initial weights.</param>
public sealed record HypergradientDescentSettings(
    HypergradientDescentModel Model,
    int TrainingRows,
    int ValidationRows,
    int Epochs,
    int BatchSize,
    double InitialLearningRate,
    double SgdBeta,
    double AdamBeta,
    bool Standardize,
    double WeightDecay,
    ulong Seed)
{
    /// <summary>The paper's epochs: 10 for logistic regression, 100 for the MLP (its code's run.sh).</summary>
    public static int PaperEpochs(HypergradientDescentModel model) => model == HypergradientDescentModel.Mlp ? 100 : 10;

    /// <summary>
    /// The paper's run: all 60000 training images, validated on the 10000 test images, batch 128, α_0 = 1e-3,
    /// β = 1e-3 (SGD, SGDN) and 1e-7 (Adam), standardized pixels and weight decay 1e-4 as in its code.
    /// </summary>
    public static HypergradientDescentSettings Paper(HypergradientDescentModel model, ulong seed)
        => new(model, 60000, 10000, PaperEpochs(model), 128, 1e-3, 1e-3, 1e-7, true, 1e-4, seed);

    /// <summary>
    /// A smoke test of one epoch: logistic regression on 2000 images (15 steps) validated on 2000 test images; the MLP,
    /// whose steps cost a hundred times more, on 640 images (5 steps) validated on 500.
    /// </summary>
    public static HypergradientDescentSettings Quick(HypergradientDescentModel model, ulong seed)
        => model == HypergradientDescentModel.Mlp
            ? Paper(model, seed) with { TrainingRows = 640, ValidationRows = 500, Epochs = 1 }
            : Paper(model, seed) with { TrainingRows = 2000, ValidationRows = 2000, Epochs = 1 };

    /// <summary>T: the steps of every run (the images that do not fill a batch are left out of each epoch).</summary>
    public int Steps => StepsPerEpoch * Epochs;

    /// <summary>The steps of one epoch.</summary>
    public int StepsPerEpoch => TrainingRows / BatchSize;

    /// <summary>How this run departs from the paper's, one sentence each.</summary>
    public IReadOnlyList<string> Deviations(string precision)
    {
        var deviations = new List<string>();
        var paper = Paper(Model, Seed);
        if (TrainingRows != paper.TrainingRows)
        {
            deviations.Add($"{TrainingRows} training images instead of 60000.");
        }

        if (ValidationRows != paper.ValidationRows)
        {
            deviations.Add($"Validated on the first {ValidationRows} test images instead of all 10000.");
        }

        if (Epochs != paper.Epochs)
        {
            deviations.Add($"{Epochs} epochs instead of the paper's {paper.Epochs}.");
        }

        if (!Standardize)
        {
            deviations.Add("The pixels stay in [0, 1]; the paper's code standardizes them to (x − 0.1307)/0.3081.");
        }

        if (WeightDecay != paper.WeightDecay)
        {
            deviations.Add(FormattableString.Invariant($"Weight decay {WeightDecay} instead of the paper's code's 1e-4."));
        }

        deviations.Add("The validation loss is that of MNIST's test images after the last step (the paper plots training loss; its code validates on the test set too).");
        deviations.Add(Model == HypergradientDescentModel.Mlp
            ? "The MLP's weights start Glorot-uniform (±√(6/(in + out))) with zero biases; PyTorch's nn.Linear starts at ±1/√in for both."
            : "The weights start at 0; PyTorch's nn.Linear starts them uniform in ±1/√784.");
        deviations.Add("Each epoch drops the images that do not fill a batch of 128 (468 steps of 128; the paper's loader ends each epoch with a batch of 96).");
        deviations.Add("The hd-momentum (μ = 0.9) and hd-adam (β1 = 0.9, β2 = 0.999) rows use the same β as plain hd; the paper has no such rows.");
        deviations.Add($"Computed in {precision}; the batch order is this program's (SplitMix64, seed {Seed}).");
        return deviations;
    }
}

/// <summary>The paper's value for a row, under the row's metric names.</summary>
/// <param name="ValidationLoss">The final validation loss of the paper's code for this row.</param>
public sealed record HypergradientDescentPaper(double ValidationLoss)
{
    /// <summary>
    /// The validation loss after 10 epochs of logistic regression in the result files of the paper's code
    /// (github.com/gbaydin/hypergradient-descent, results/logreg/*.csv, last ValidLossEpoch).
    /// </summary>
    public static IReadOnlyDictionary<string, HypergradientDescentPaper> LogisticRegression { get; } = new Dictionary<string, HypergradientDescentPaper>
    {
        ["SGD"] = new(0.3737),
        ["SGD-HD"] = new(0.2878),
        ["SGDN"] = new(0.2846),
        ["SGDN-HD"] = new(0.2719),
        ["Adam"] = new(0.2719),
        ["Adam-HD"] = new(0.2723),
    };
}

/// <summary>A row: one optimizer with one learning-rate optimizer.</summary>
/// <param name="Name">SGD, SGD-HD, SGD-HD-momentum, …</param>
/// <param name="Optimizer">sgd, nesterov or adam.</param>
/// <param name="LearningRateOptimizer">none, hd, hd-momentum or hd-adam.</param>
/// <param name="Beta">β; null for a fixed α.</param>
/// <param name="ValidationLoss">The validation loss after the last step.</param>
/// <param name="ValidationAccuracy">The validation accuracy after the last step.</param>
/// <param name="FinalTrainingLoss">The mean training loss over the last epoch's batches.</param>
/// <param name="FinalLearningRate">α after the last step.</param>
/// <param name="Seconds">The run's wall time.</param>
/// <param name="Paper">The paper's code's validation loss for this row, where there is one.</param>
public sealed record HypergradientDescentRow(
    string Name,
    string Optimizer,
    string LearningRateOptimizer,
    double? Beta,
    double ValidationLoss,
    double ValidationAccuracy,
    double FinalTrainingLoss,
    double FinalLearningRate,
    double Seconds,
    HypergradientDescentPaper? Paper);

/// <summary>The training loss and α of every step of one run.</summary>
public sealed record HypergradientDescentCurve(string Name, IReadOnlyList<double> Loss, IReadOnlyList<double> LearningRate);

/// <summary>
/// Hypergradient descent's experiments (Baydin, Cornish, Martínez Rubio, Schmidt, Wood, ICLR 2018, figure 2):
/// logistic regression or an MLP on MNIST trained by SGD, SGD with Nesterov momentum and Adam, each with α fixed and
/// α adapted by <see cref="HypergradientDescent{T}"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class HypergradientDescentBench<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly HypergradientDescentSettings _settings;
    private readonly Dataset<T> _training;
    private readonly Dataset<T> _validation;
    private readonly ModelObjective<T> _trainingObjective;
    private readonly ModelObjective<T> _validationObjective;
    private readonly double[] _initialWeights;

    /// <summary>The optimizers of the paper: name, optimizer and whether it is of the SGD family (β = SgdBeta).</summary>
    public static IReadOnlyList<(string Name, string Optimizer, bool SgdFamily)> Families { get; } =
        [("SGD", "sgd", true), ("SGDN", "nesterov", true), ("Adam", "adam", false)];

    /// <summary>The learning-rate optimizers of each family, with the suffix of their rows.</summary>
    public static IReadOnlyList<(string Rule, string Suffix)> Rules { get; } =
        [("none", ""), ("hd", "-HD"), ("hd-momentum", "-HD-momentum"), ("hd-adam", "-HD-adam")];

    public HypergradientDescentBench(HypergradientDescentSettings settings, Dataset<T> training, Dataset<T> validation)
    {
        if (training.Count < settings.TrainingRows)
        {
            throw new ArgumentException($"hd-bench needs {settings.TrainingRows} training images; {training.Source} has {training.Count}.", nameof(training));
        }

        if (validation.Count < settings.ValidationRows)
        {
            throw new ArgumentException($"hd-bench needs {settings.ValidationRows} validation images; {validation.Source} has {validation.Count}.", nameof(validation));
        }

        _settings = settings;
        _training = training.Slice(0, settings.TrainingRows);
        _validation = validation.Slice(0, settings.ValidationRows);
        if (settings.Standardize)
        {
            _training = MnistStandardization.Apply(_training);
            _validation = MnistStandardization.Apply(_validation);
        }

        var model = settings.Model == HypergradientDescentModel.Mlp
            ? new ModelOptions(ModelKind.Mlp) { Hidden = [1000, 1000], Activation = Activation.ReLU }
            : new ModelOptions(ModelKind.Softmax);
        _trainingObjective = ModelObjective<T>.Create(_training, model);
        _validationObjective = ModelObjective<T>.Create(_validation, model);
        var w0 = new T[_trainingObjective.ParameterCount];
        _trainingObjective.InitialParameters(w0, settings.Seed);
        _initialWeights = w0.Select(double.CreateChecked).ToArray();
        Source = _training.Source;
    }

    public string Source { get; }

    /// <summary>Trains one row from w_0 at α_0 = <paramref name="initialLearningRate"/> (the settings' α_0 when null).</summary>
    public (HypergradientDescentRow Row, HypergradientDescentCurve Curve) Run(
        string family, string optimizerName, bool sgdFamily, string rule, string suffix, IProgress<EngineProgress>? progress, double? initialLearningRate = null)
    {
        var clock = Stopwatch.StartNew();
        var optimizer = Optimizers.Optimizers.Find(optimizerName).With(new Dictionary<string, double>
        {
            [HypergradientDescent<T>.LearningRateName] = initialLearningRate ?? _settings.InitialLearningRate,
            ["wd"] = _settings.WeightDecay,
        });
        var problem = new BilevelProblem<T>(
            _trainingObjective,
            optimizer,
            _validationObjective,
            _settings.Steps,
            new BilevelOptions { InitialWeights = _initialWeights, BatchSize = _settings.BatchSize, Seed = _settings.Seed });
        double beta = sgdFamily ? _settings.SgdBeta : _settings.AdamBeta;
        var learningRateOptimizer = LearningRateOptimizer.Parse(rule, beta);
        var result = problem.HypergradientDescent(learningRateOptimizer, progress: progress);
        var (loss, accuracy) = _validationObjective.Evaluate(result.State.AsSpan(0, _trainingObjective.ParameterCount), _validation);
        string name = family + suffix;
        int lastEpoch = Math.Min(result.Losses.Length, _settings.StepsPerEpoch);
        bool paperSetting = _settings.Model == HypergradientDescentModel.LogReg && initialLearningRate is null;
        var row = new HypergradientDescentRow(
            name,
            optimizerName,
            rule,
            learningRateOptimizer.Adapts ? beta : null,
            loss,
            accuracy,
            result.Losses[^lastEpoch..].Average(),
            result.FinalLearningRate,
            clock.Elapsed.TotalSeconds,
            paperSetting && HypergradientDescentPaper.LogisticRegression.TryGetValue(name, out var paper) ? paper : null);
        return (row, new HypergradientDescentCurve(name, result.Losses, result.LearningRates));
    }
}

/// <summary>One line of the α_0-insensitivity table: a run's first iteration at or below each loss threshold.</summary>
/// <param name="Name">SGD, SGD-HD, …</param>
/// <param name="InitialLearningRate">α_0.</param>
/// <param name="Iterations">For each threshold, the first iteration whose training loss is at or below it; null where none is.</param>
/// <param name="FinalLearningRate">α after the last step.</param>
public sealed record InitialRateSweepRow(string Name, double InitialLearningRate, IReadOnlyList<int?> Iterations, double FinalLearningRate);

/// <summary>
/// The α_0-insensitivity table of Baydin et al.: how many iterations each optimizer, with α fixed and adapted by hd,
/// needs to reach given training-loss thresholds from several α_0. The loss of an iteration is the mean of the last
/// <see cref="Window"/> minibatch losses: the paper's code stops on a single minibatch's loss, which one easy batch
/// can cross early whatever α_0.
/// </summary>
/// <param name="InitialLearningRates">The α_0 of the columns.</param>
/// <param name="LossThresholds">The thresholds.</param>
/// <param name="Rows">One row per optimizer, rule and α_0.</param>
public sealed record InitialRateSweep(IReadOnlyList<double> InitialLearningRates, IReadOnlyList<double> LossThresholds, IReadOnlyList<InitialRateSweepRow> Rows)
{
    /// <summary>The paper's α_0 values.</summary>
    public static IReadOnlyList<double> PaperRates { get; } = [0.01, 0.005, 0.001, 0.0005, 0.0001];

    /// <summary>
    /// The thresholds, chosen here (the paper's were not found): a loss that SGD at α_0 = 1e-3 reaches within the run,
    /// and two below it that need a well-chosen α.
    /// </summary>
    public static IReadOnlyList<double> Thresholds(HypergradientDescentModel model)
        => model == HypergradientDescentModel.Mlp ? [0.3, 0.2, 0.1] : [0.5, 0.4, 0.3];

    /// <summary>The learning-rate optimizers compared: α fixed and hd.</summary>
    public static IReadOnlyList<(string Rule, string Suffix)> Rules { get; } = [("none", ""), ("hd", "-HD")];

    /// <summary>The minibatches averaged into an iteration's loss.</summary>
    public const int Window = 50;

    /// <summary>
    /// The first iteration t (1-based, t ≥ <see cref="Window"/>) whose mean minibatch loss over iterations
    /// t − Window + 1 … t is at or below <paramref name="threshold"/>; null if none is.
    /// </summary>
    public static int? FirstReach(IReadOnlyList<double> losses, double threshold)
    {
        double sum = 0;
        for (int t = 0; t < losses.Count; t++)
        {
            sum += losses[t] - (t >= Window ? losses[t - Window] : 0);
            if (t >= Window - 1 && sum / Window <= threshold)
            {
                return t + 1;
            }
        }

        return null;
    }
}
