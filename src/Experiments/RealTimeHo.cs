using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;
using static AutoHypergrad.HyperparameterValue;

namespace AutoHypergrad.Experiments;

/// <summary>
/// The sizes and rates of an <c>rtho</c> run: real-time HO of the learning rate η, the momentum μ and the L2 strength
/// of an MLP trained by heavy-ball momentum on MNIST (standing in for Franceschi et al. 2017, section 5.2, TIMIT).
/// </summary>
/// <param name="TrainingRows">The first MNIST training images trained on.</param>
/// <param name="ValidationRows">The MNIST training images after them, the validation set of E.</param>
/// <param name="TestRows">The first MNIST test images, for the test accuracy.</param>
/// <param name="Hidden">The MLP's hidden widths (ReLU).</param>
/// <param name="BatchSize">Examples per training step.</param>
/// <param name="Steps">T, the training steps of every run.</param>
/// <param name="LearningRate">η of the vanilla run and RTHO's start.</param>
/// <param name="Momentum">μ of the vanilla run and RTHO's start.</param>
/// <param name="WeightDecay">The L2 strength (momentum's coupled weight decay) of the vanilla run and RTHO's start.</param>
/// <param name="Interval">Δ, RTHO's training steps between hypersteps.</param>
/// <param name="HyperLearningRate">The step of Adam on RTHO's free variables (log η, logit μ, log L2).</param>
/// <param name="Seed">The seed of the batches, of the initial weights and of random search.</param>
public sealed record RealTimeHoSettings(
    int TrainingRows,
    int ValidationRows,
    int TestRows,
    IReadOnlyList<int> Hidden,
    int BatchSize,
    int Steps,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    int Interval,
    double HyperLearningRate,
    ulong Seed)
{
    /// <summary>The full run: 50000 training, 10000 validation and 10000 test images, MLP 784-300-10, 4000 steps of 128.</summary>
    public static RealTimeHoSettings Full(ulong seed) => new(50000, 10000, 10000, [300], 128, 4000, 0.01, 0.9, 1e-4, 100, 0.05, seed);

    /// <summary>A smoke test: 1000 / 500 / 1000 images, MLP 784-50-10, 50 steps, a hyperstep every 10.</summary>
    public static RealTimeHoSettings Quick(ulong seed) => Full(seed) with { TrainingRows = 1000, ValidationRows = 500, TestRows = 1000, Hidden = [50], Steps = 50, Interval = 10 };

    /// <summary>How this run departs from the paper's, one sentence each.</summary>
    public IReadOnlyList<string> Deviations(string precision, int trials, int processes = 1) =>
    [
        "MNIST instead of TIMIT: the paper's phone-classification network and data are not served here; its numbers (TIMIT test accuracy and minutes on its machine) are beside ours only as a reference.",
        FormattableString.Invariant($"An MLP 784-{string.Join("-", Hidden)}-10 (ReLU, Glorot-uniform start) trained by heavy-ball momentum for {Steps} steps of {BatchSize} on the first {TrainingRows} training images; the paper trains a deeper network on TIMIT."),
        FormattableString.Invariant($"E is the cross-entropy on the {ValidationRows} training images after them; the test accuracy is on the first {TestRows} MNIST test images."),
        "The L2 strength is momentum's coupled weight decay (d = g + wd·w on every parameter, biases included), i.e. (wd/2)‖w‖² added to the loss.",
        FormattableString.Invariant($"RTHO steps λ every Δ = {Interval} training steps with Adam (lr {HyperLearningRate}) on log η, logit μ and log wd; the paper's hyper-optimizer settings for TIMIT are not reproduced."),
        FormattableString.Invariant($"Random search drew {trials} configurations (η log-uniform in [1e-3, 0.3], μ uniform in [0, 0.99), wd log-uniform in [1e-6, 1e-2]), trials started while RTHO's wall time lasts{(processes > 1 ? $" on each of {processes} processes" : string.Empty)}, each trained for the same T and chosen by E."),
        $"Computed in {precision}; the pixels are standardized as (x − 0.1307)/0.3081; batches and the initial weights from SplitMix64 seed {Seed}.",
    ];
}

/// <summary>The paper's table 3 values for a row (TIMIT test accuracy as a fraction, and minutes as seconds where given).</summary>
public sealed record RealTimeHoPaper(double TestAccuracy, double? Seconds)
{
    /// <summary>Franceschi et al. (2017), table 3.</summary>
    public static IReadOnlyDictionary<string, RealTimeHoPaper> Table { get; } = new Dictionary<string, RealTimeHoPaper>
    {
        ["Vanilla"] = new(0.5981, null),
        ["Random search"] = new(0.6036, 300 * 60),
        ["RTHO"] = new(0.6197, 164 * 60),
    };
}

/// <summary>A row: one way of choosing (η, μ, L2) and the test accuracy it reached.</summary>
/// <param name="Name">Vanilla, Random search or RTHO.</param>
/// <param name="TestAccuracy">The test accuracy of the trained network.</param>
/// <param name="ValidationLoss">E of the trained network.</param>
/// <param name="LearningRate">η at the end (RTHO), of the best trial (random search) or fixed (vanilla).</param>
/// <param name="Momentum">μ, likewise.</param>
/// <param name="WeightDecay">The L2 strength, likewise.</param>
/// <param name="Seconds">The wall time of the row's training (all trials for random search).</param>
/// <param name="Trials">Training runs made: 1, or random search's count.</param>
/// <param name="Paper">The paper's table 3 values for the row.</param>
public sealed record RealTimeHoRow(
    string Name,
    double TestAccuracy,
    double ValidationLoss,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    double Seconds,
    int Trials,
    RealTimeHoPaper? Paper);

/// <summary>RTHO's hyperparameters after each hyperstep (the paper's figure 4) and E before it.</summary>
public sealed record RealTimeHoTrace(IReadOnlyList<int> Step, IReadOnlyList<double> LearningRate, IReadOnlyList<double> Momentum, IReadOnlyList<double> WeightDecay, IReadOnlyList<double> ValidationLoss);

/// <summary>A random-search trial: its hyperparameters and E (∞ where training diverged).</summary>
public sealed record RandomSearchTrial(double LearningRate, double Momentum, double WeightDecay, double ValidationLoss, double Seconds, int Process = 0);

/// <summary>
/// Real-time HO of η, μ and L2 (Franceschi, Donini, Frasconi, Pontil, "Forward and Reverse Gradient-Based
/// Hyperparameter Optimization", ICML 2017, section 5.2 and table 3) against vanilla training at fixed default values
/// and random search with RTHO's wall time, on an MLP on MNIST.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RealTimeHo<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly RealTimeHoSettings _settings;
    private readonly Dataset<T> _validationData;
    private readonly Dataset<T> _test;
    private readonly ModelObjective<T> _training;
    private readonly ModelObjective<T> _validation;
    private readonly ValidationError<T> _response;
    private readonly BilevelProblem<T> _problem;

    public RealTimeHo(RealTimeHoSettings settings, Dataset<T> mnistTrain, Dataset<T> mnistTest)
    {
        if (mnistTrain.Count < settings.TrainingRows + settings.ValidationRows || mnistTest.Count < settings.TestRows)
        {
            throw new ArgumentException(
                $"rtho needs {settings.TrainingRows} + {settings.ValidationRows} training and {settings.TestRows} test images; MNIST has {mnistTrain.Count} and {mnistTest.Count}.",
                nameof(settings));
        }

        _settings = settings;
        var training = MnistStandardization.Apply(mnistTrain.Slice(0, settings.TrainingRows));
        _validationData = MnistStandardization.Apply(mnistTrain.Slice(settings.TrainingRows, settings.ValidationRows));
        _test = MnistStandardization.Apply(mnistTest.Slice(0, settings.TestRows));
        var model = new ModelOptions(ModelKind.Mlp) { Hidden = settings.Hidden, Activation = Activation.ReLU };
        _training = ModelObjective<T>.Create(training, model);
        _validation = ModelObjective<T>.Create(_validationData, model);
        _response = new ValidationError<T>(_validation);

        var w0 = new T[_training.ParameterCount];
        _training.InitialParameters(w0, settings.Seed);
        _problem = new BilevelProblem<T>(
            _training,
            Optimizers.Momentum.StepOptimizer(lr: Tune(settings.LearningRate), mu: Tune(settings.Momentum), wd: Tune(settings.WeightDecay)),
            _response,
            settings.Steps,
            new BilevelOptions
            {
                InitialWeights = w0.Select(double.CreateChecked).ToArray(),
                BatchSize = settings.BatchSize,
                Seed = settings.Seed,
                // η and L2 positive through their logarithms, so that Adam's steps are relative; μ in (0, 1) through its logit.
                Domains = new Dictionary<string, Domain>
                {
                    ["lr"] = Domain.Positive(PositiveMethod.Log),
                    ["mu"] = Domain.UnitInterval,
                    ["wd"] = Domain.Positive(PositiveMethod.Log),
                },
            });
    }

    /// <summary>The model's parameter count.</summary>
    public int ParameterCount => _training.ParameterCount;

    /// <summary>Trains once at the settings' fixed (η, μ, L2).</summary>
    public RealTimeHoRow Vanilla(IProgress<EngineProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        double[] lambda = [_settings.LearningRate, _settings.Momentum, _settings.WeightDecay];
        var state = Train(lambda, progress);
        return Row("Vanilla", state, lambda, clock.Elapsed.TotalSeconds, 1);
    }

    /// <summary>One RTHO run from the settings' (η, μ, L2), with its trace.</summary>
    public (RealTimeHoRow Row, RealTimeHoTrace Trace) RealTime(IProgress<EngineProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        var result = _problem.RealTime(new HyperAdam(_settings.HyperLearningRate), _settings.Interval, progress);
        var trace = new RealTimeHoTrace(
            result.Updates.Select(u => u.Step).ToArray(),
            result.Updates.Select(u => u.Lambda[0]).ToArray(),
            result.Updates.Select(u => u.Lambda[1]).ToArray(),
            result.Updates.Select(u => u.Lambda[2]).ToArray(),
            result.Updates.Select(u => u.Value).ToArray());
        return (Row("RTHO", result.State, result.Lambda, clock.Elapsed.TotalSeconds, 1), trace);
    }

    /// <summary>The ranges random search draws (η, μ, L2) from.</summary>
    public static IReadOnlyList<SearchRange> Ranges { get; } =
    [
        new("lr", 1e-3, 0.3, Logarithmic: true),
        new("mu", 0, 0.99, Logarithmic: false),
        new("wd", 1e-6, 1e-2, Logarithmic: true),
    ];

    /// <summary>
    /// Random search: trains from random (η, μ, L2) while <paramref name="budgetSeconds"/> lasts (at least one
    /// trial), keeps the trial with the least E, and reports its test accuracy. With a <paramref name="group"/> of
    /// several processes, each spends the budget on its own trials and all of them are gathered.
    /// </summary>
    public (RealTimeHoRow Row, IReadOnlyList<RandomSearchTrial> Trials) RandomSearch(double budgetSeconds, IProgress<EngineProgress>? progress, ITrialGroup? group = null)
    {
        var result = new RandomSearch(Ranges, unchecked((int)_settings.Seed)).Run(
            (drawn, _) =>
            {
                double[] lambda = [drawn["lr"], drawn["mu"], drawn["wd"]];
                try
                {
                    var state = Train(lambda, progress);
                    return (Lambda: lambda, State: state, Loss: ValidationLoss(state));
                }
                catch (NonFiniteValueException)
                {
                    return (Lambda: lambda, State: (T[]?)null, Loss: double.PositiveInfinity);
                }
            },
            trial => trial.Loss,
            budgetSeconds,
            group: group);
        var trials = result.Trials.Select(t => new RandomSearchTrial(t.Outcome.Lambda[0], t.Outcome.Lambda[1], t.Outcome.Lambda[2], t.Value, t.Seconds, t.Process)).ToArray();
        var best = result.Best.Outcome;
        if (best.State is null)
        {
            throw new NonFiniteValueException("Random search", $"all {trials.Length} trials diverged", "see the trials");
        }

        return (Row(result.Processes > 1 ? $"Random search on {result.Processes} processes" : "Random search", best.State, best.Lambda, result.Seconds, trials.Length), trials);
    }

    /// <summary>w_T of a training run at fixed λ = (η, μ, L2); a diverged run throws <see cref="NonFiniteValueException"/>.</summary>
    private T[] Train(double[] lambda, IProgress<EngineProgress>? progress) => _problem.Train(lambda, progress);

    private double ValidationLoss(T[] state) => _validation.Evaluate(state.AsSpan(0, _training.ParameterCount), _validationData).Loss;

    private RealTimeHoRow Row(string name, T[] state, double[] lambda, double seconds, int trials)
    {
        var w = state.AsSpan(0, _training.ParameterCount);
        double test = _training.Evaluate(w, _test).Accuracy;
        return new RealTimeHoRow(name, test, ValidationLoss(state), lambda[0], lambda[1], lambda[2], seconds, trials, RealTimeHoPaper.Table.GetValueOrDefault(name));
    }
}
