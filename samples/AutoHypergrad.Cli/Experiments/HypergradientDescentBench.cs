using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Engines.Training;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Experiments;

/// <summary>
/// The sizes and rates of an <c>hd-bench</c> run (Baydin et al., ICLR 2018, section 4.1: logistic regression on MNIST).
/// </summary>
/// <param name="TrainingRows">The first MNIST training images trained on.</param>
/// <param name="Epochs">Passes over them.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="InitialLearningRate">α_0 of every run.</param>
/// <param name="SgdBeta">β of the SGD family (SGD, SGDN).</param>
/// <param name="AdamBeta">β of Adam.</param>
/// <param name="Seed">The seed of the batch order.</param>
internal sealed record HypergradientDescentSettings(int TrainingRows, int Epochs, int BatchSize, double InitialLearningRate, double SgdBeta, double AdamBeta, ulong Seed)
{
    /// <summary>The paper's run: all 60000 training images, 10 epochs, batch 128, α_0 = 1e-3, β = 1e-3 (SGD, SGDN) and 1e-7 (Adam).</summary>
    public static HypergradientDescentSettings Paper(ulong seed) => new(60000, 10, 128, 1e-3, 1e-3, 1e-7, seed);

    /// <summary>A smoke test: 2000 images, one epoch (15 steps).</summary>
    public static HypergradientDescentSettings Quick(ulong seed) => Paper(seed) with { TrainingRows = 2000, Epochs = 1 };

    /// <summary>T: the steps of every run (the images that do not fill a batch are left out of each epoch).</summary>
    public int Steps => TrainingRows / BatchSize * Epochs;

    /// <summary>How this run departs from the paper's, one sentence each.</summary>
    public IReadOnlyList<string> Deviations(string precision)
    {
        var deviations = new List<string>();
        var paper = Paper(Seed);
        if (TrainingRows != paper.TrainingRows)
        {
            deviations.Add($"{TrainingRows} training images instead of 60000.");
        }

        if (Epochs != paper.Epochs)
        {
            deviations.Add($"{Epochs} epochs instead of 10.");
        }

        deviations.Add("The validation loss is that of MNIST's 10000 test images after the last step (the paper plots training loss; its validation numbers come from a PyTorch re-implementation).");
        deviations.Add("The weights start at 0; each epoch drops the images that do not fill a batch of 128.");
        deviations.Add("The hd-momentum (μ = 0.9) and hd-adam (β1 = 0.9, β2 = 0.999) rows use the same β as plain hd; the paper has no such rows.");
        deviations.Add("Adam divides by √(v̂ + 1e-16) instead of √v̂ + 1e-8 (epsInsideSqrt): the same at v̂ = 0, but differentiable there, where MNIST's always-blank pixels keep v̂.");
        deviations.Add($"Computed in {precision}; the batch order is this program's (SplitMix64, seed {Seed}).");
        return deviations;
    }
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
/// <param name="Reference">The validation loss of the PyTorch re-implementation for this row, where there is one.</param>
/// <param name="Seconds">The run's wall time.</param>
internal sealed record HypergradientDescentRow(
    string Name,
    string Optimizer,
    string LearningRateOptimizer,
    double? Beta,
    double ValidationLoss,
    double ValidationAccuracy,
    double FinalTrainingLoss,
    double FinalLearningRate,
    double? Reference,
    double Seconds)
{
    /// <summary>The validation losses of a PyTorch re-implementation of the paper's logistic-regression runs.</summary>
    public static IReadOnlyDictionary<string, double> References { get; } = new Dictionary<string, double>
    {
        ["SGD"] = 0.3737,
        ["SGD-HD"] = 0.2878,
        ["SGDN"] = 0.2846,
        ["SGDN-HD"] = 0.2719,
        ["Adam"] = 0.2719,
        ["Adam-HD"] = 0.2723,
    };
}

/// <summary>The training loss and α of every step of one run.</summary>
internal sealed record HypergradientDescentCurve(string Name, IReadOnlyList<double> Loss, IReadOnlyList<double> LearningRate);

/// <summary>
/// Hypergradient descent's logistic-regression experiment (Baydin, Cornish, Martínez Rubio, Schmidt, Wood, ICLR 2018,
/// figure 2 left): softmax regression on MNIST trained by SGD, SGD with Nesterov momentum and Adam, each with α fixed
/// and α adapted by <see cref="HypergradientDescent{T}"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class HypergradientDescentBench<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const string AdamEpsilonInsideRoot = "epsInsideSqrt";
    private static readonly ModelOptions Softmax = new(ModelKind.Softmax);
    private readonly HypergradientDescentSettings _settings;
    private readonly Dataset<T> _training;
    private readonly Dataset<T> _validation;
    private readonly ModelObjective<T> _trainingObjective;
    private readonly ModelObjective<T> _validationObjective;

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

        _settings = settings;
        _training = training.Slice(0, settings.TrainingRows);
        _validation = validation;
        _trainingObjective = ModelObjective<T>.Create(_training, Softmax);
        _validationObjective = ModelObjective<T>.Create(_validation, Softmax);
        Source = training.Source;
    }

    public string Source { get; }

    /// <summary>Trains one row from w_0 = 0.</summary>
    public (HypergradientDescentRow Row, HypergradientDescentCurve Curve) Run(string family, string optimizerName, bool sgdFamily, string rule, string suffix, IProgress<EngineProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        var optimizer = Optimizers.Optimizers.Find(optimizerName);
        var names = optimizer.Hyperparameters.Select(h => h.Name).ToArray();
        var values = optimizer.Defaults();
        values[Array.IndexOf(names, HypergradientDescent<T>.LearningRateName)] = _settings.InitialLearningRate;

        // Adam's √v̂ has an infinite derivative at v̂ = 0, and MNIST's border pixels keep v = 0, so the tangent along lr
        // would be ∞·0 = NaN there: Adam differentiates √(v̂ + eps) instead, with eps = 1e-16 so that √eps is the
        // paper's 1e-8 where v̂ = 0 (a difference below float's rounding elsewhere).
        bool adam = optimizer.Options.Contains(AdamEpsilonInsideRoot);
        if (adam)
        {
            values[Array.IndexOf(names, "eps")] = 1e-16;
        }

        var space = HyperparameterSpace.Create(
            names, values, _trainingObjective.Hyperparameters, _trainingObjective.Hyperparameters.Defaults<double>(),
            new double[_trainingObjective.ParameterCount], _settings.Steps, []);
        double beta = sgdFamily ? _settings.SgdBeta : _settings.AdamBeta;
        var learningRateOptimizer = LearningRateOptimizer.Parse(rule, beta);
        var engine = new HypergradientDescent<T>(
            _trainingObjective, optimizer.Kernel<T>(), space, new BatchSchedule(_training.Count, _settings.BatchSize, _settings.Seed), learningRateOptimizer, null,
            new HypergradientDescentOptions { StepOptions = adam ? new StepOptions(1, new Dictionary<string, double> { [AdamEpsilonInsideRoot] = 1 }) : new StepOptions(1) });
        var result = engine.Run(progress);
        var (loss, accuracy) = _validationObjective.Evaluate(result.State.AsSpan(0, _trainingObjective.ParameterCount), _validation);
        string name = family + suffix;
        int lastEpoch = Math.Min(result.Losses.Length, _settings.TrainingRows / _settings.BatchSize);
        var row = new HypergradientDescentRow(
            name,
            optimizerName,
            rule,
            learningRateOptimizer.Adapts ? beta : null,
            loss,
            accuracy,
            result.Losses[^lastEpoch..].Average(),
            result.FinalLearningRate,
            HypergradientDescentRow.References.TryGetValue(name, out double reference) ? reference : null,
            clock.Elapsed.TotalSeconds);
        return (row, new HypergradientDescentCurve(name, result.Losses, result.LearningRates));
    }
}
