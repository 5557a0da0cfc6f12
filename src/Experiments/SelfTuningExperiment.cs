using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Outer;
using AutoHypergrad.SelfTuning;

namespace AutoHypergrad.Experiments;

/// <summary>
/// The sizes and rates of an <c>stn</c> run: an MLP of STN layers on MNIST, its dropout rates, L2 and input noise tuned
/// by Self-Tuning Networks (MacKay et al., ICLR 2019), against random search.
/// </summary>
/// <param name="TrainingRows">The first MNIST training images trained on.</param>
/// <param name="ValidationRows">The MNIST training images after them, held out for validation.</param>
/// <param name="Hidden">The widths of the hidden layers.</param>
/// <param name="Epochs">Passes of the STN over the training images.</param>
/// <param name="BatchSize">Examples per training step, and per hyperparameter step.</param>
/// <param name="TrialEpochs">Passes over the training images of each random-search trial.</param>
/// <param name="Baseline">none or random-search.</param>
/// <param name="ParameterLearningRate">Adam's step size on φ (the STN and the trials alike).</param>
/// <param name="HyperparameterLearningRate">Adam's step size on (λ, log σ).</param>
/// <param name="Seed">Seeds the initial weights, the batches, the masks, the perturbations and the trials.</param>
public sealed record StnSettings(
    int TrainingRows, int ValidationRows, IReadOnlyList<int> Hidden, int Epochs, int BatchSize, int TrialEpochs, string Baseline,
    double ParameterLearningRate, double HyperparameterLearningRate, int Seed)
{
    /// <summary>The full run: 50000 training and 10000 validation images, 784-200-200-10, 10 epochs of batch 128; trials of 3 epochs.</summary>
    public static StnSettings Full(int seed) => new(50000, 10000, [200, 200], 10, 128, 3, "random-search", 1e-3, 3e-3, seed);

    /// <summary>A smoke test: 2000 and 1000 images, 784-50-50-10, 2 epochs; trials of 1 epoch.</summary>
    public static StnSettings Quick(int seed) => Full(seed) with { TrainingRows = 2000, ValidationRows = 1000, Hidden = [50, 50], Epochs = 2, TrialEpochs = 1 };

    /// <summary>The range random search draws each hyperparameter from: dropout uniform, the scales log-uniform.</summary>
    public static IReadOnlyList<SearchRange> Ranges { get; } =
    [
        new("dropout", 0.0, 0.8, Logarithmic: false),
        new("l2", 1e-6, 1e-2, Logarithmic: true),
        new("inputNoise", 1e-3, 0.5, Logarithmic: true),
    ];

    /// <summary>How this run departs from the paper, one sentence each; <paramref name="processes"/> shared the random search's trials.</summary>
    public IReadOnlyList<string> Deviations(int trials, int processes = 1)
    {
        var deviations = new List<string>
        {
            "The STN paper has no MNIST-MLP experiment (its experiments are an LSTM on Penn Treebank and CNNs on CIFAR-10), so the rows have no paper values (paper: null).",
            $"STN: {Epochs} epochs of batch {BatchSize}, T_train = 5, T_valid = 1, Adam on φ (lr {ParameterLearningRate:G3}) and on (λ, log σ) (lr {HyperparameterLearningRate:G3}), τ = 0.001, σ starting at 0.5, in double.",
            "The STN layers see the free hyperparameters minus their starting values; the L2 penalty is c·Σ‖Ŵ_l(λ)‖² over the weight matrices of the best-response layers (biases, V and C are not penalized).",
            $"Random search trains the same STN-layered network at a fixed λ (its hyper half is then a redundant reparametrization, about twice a plain MLP's cost per step), {TrialEpochs} epochs per trial, trials started while the STN's wall time lasts ({(trials == 0 ? "not run" : $"{trials} run")}{(processes > 1 ? $", on {processes} processes, each given that time" : string.Empty)}).",
        };
        if (TrainingRows != 50000 || ValidationRows != 10000)
        {
            deviations.Add($"{TrainingRows} training and {ValidationRows} validation images instead of 50000 and 10000.");
        }

        return deviations;
    }
}

/// <summary>A row: the STN, or random search's best trial by validation loss.</summary>
public sealed record StnRow(
    string Name, double ValidationLoss, double ValidationAccuracy, double TestLoss, double TestAccuracy, double Seconds,
    IReadOnlyDictionary<string, double> Hyperparameters, IReadOnlyDictionary<string, double>? Paper);

/// <summary>One random-search trial: its fixed hyperparameters and results.</summary>
public sealed record StnTrial(IReadOnlyDictionary<string, double> Hyperparameters, double ValidationLoss, double ValidationAccuracy, double Seconds, int Process = 0);

/// <summary>
/// The STN's hyperparameter values (λ = r(u), not the free values), its perturbation scales σ, and its full validation
/// loss, over the epochs (fractional: after each cycle).
/// </summary>
public sealed record StnTrajectory(
    IReadOnlyList<double> Epoch,
    IReadOnlyDictionary<string, List<double>> Values,
    IReadOnlyDictionary<string, List<double>> Sigma,
    IReadOnlyList<double> ValidationEpoch,
    IReadOnlyList<double> ValidationLoss,
    IReadOnlyList<double> ValidationAccuracy);

/// <summary>The STN run and its random-search baseline on one split of MNIST.</summary>
public sealed class SelfTuningExperiment
{
    private const int TrainingSteps = 5;
    private const int ValidationPoints = 20;
    private readonly StnSettings _settings;
    private readonly Dataset<double> _validation;
    private readonly Dataset<double> _test;
    private readonly StnMlp _model;

    public SelfTuningExperiment(StnSettings settings, Dataset<double> mnistTrain, Dataset<double> test)
    {
        _settings = settings;
        var training = mnistTrain.Slice(0, settings.TrainingRows);
        _validation = mnistTrain.Slice(settings.TrainingRows, settings.ValidationRows);
        _test = test;
        _model = new StnMlp(training, _validation, new StnMlpOptions
        {
            HiddenWidths = settings.Hidden,
            TrainingBatchSize = settings.BatchSize,
            ValidationBatchSize = settings.BatchSize,
            Seed = (ulong)settings.Seed,
        });
    }

    public IReadOnlyList<string> Names => _model.Hyperparameters.Select(h => h.Name).ToArray();

    /// <summary>Cycles of T_train = 5 training steps and one hyperparameter step, <see cref="StnSettings.Epochs"/> epochs' worth.</summary>
    public int Cycles => _settings.Epochs * StepsPerEpoch / TrainingSteps;

    private int StepsPerEpoch => _settings.TrainingRows / _settings.BatchSize;

    /// <summary>Trains the STN; reports each cycle to <paramref name="progress"/> and each validation point to <paramref name="log"/>.</summary>
    public (StnRow Row, StnTrajectory Trajectory) RunStn(IProgress<EngineProgress>? progress, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        double[] phi = _model.InitialParameters(_settings.Seed);
        var trainer = new SelfTuningTrainer(_model, phi, _model.Initial(), new SelfTuningOptions
        {
            TrainingSteps = TrainingSteps,
            ValidationSteps = 1,
            ParameterLearningRate = _settings.ParameterLearningRate,
            HyperparameterLearningRate = _settings.HyperparameterLearningRate,
            Seed = _settings.Seed,
        });
        var epochs = new List<double>();
        var values = Names.ToDictionary(n => n, _ => new List<double>());
        var sigma = Names.ToDictionary(n => n, _ => new List<double>());
        var validationEpoch = new List<double>();
        var validationLoss = new List<double>();
        var validationAccuracy = new List<double>();
        int every = Math.Max(1, Cycles / ValidationPoints);
        for (int cycle = 0; cycle <= Cycles; cycle++)
        {
            double epoch = (double)cycle * TrainingSteps / StepsPerEpoch;
            if (cycle > 0)
            {
                trainer.Run(1);
                NonFiniteValueGuard(trainer, cycle);
            }

            epochs.Add(epoch);
            double[] current = _model.ValuesOf(trainer.Hyperparameters);
            for (int i = 0; i < current.Length; i++)
            {
                values[Names[i]].Add(current[i]);
                sigma[Names[i]].Add(Math.Exp(trainer.LogSigma[i]));
            }

            if (cycle % every == 0 || cycle == Cycles)
            {
                var (loss, accuracy) = _model.Evaluate(phi, trainer.Hyperparameters, _validation);
                validationEpoch.Add(epoch);
                validationLoss.Add(loss);
                validationAccuracy.Add(accuracy);
                log(FormattableString.Invariant(
                    $"STN epoch {epoch:0.00}: validation loss {loss:0.0000} (accuracy {accuracy:P2}); {Describe(current)}"));
            }

            progress?.Report(new EngineProgress("STN cycles", cycle, Cycles));
        }

        var (validLoss, validAccuracy) = (validationLoss[^1], validationAccuracy[^1]);
        var (testLoss, testAccuracy) = _model.Evaluate(phi, trainer.Hyperparameters, _test);
        var row = new StnRow(
            "STN", validLoss, validAccuracy, testLoss, testAccuracy, clock.Elapsed.TotalSeconds, Named(_model.ValuesOf(trainer.Hyperparameters)), null);
        return (row, new StnTrajectory(epochs, values, sigma, validationEpoch, validationLoss, validationAccuracy));
    }

    /// <summary>
    /// Random search: trials of <see cref="StnSettings.TrialEpochs"/> epochs at hyperparameters drawn from
    /// <see cref="StnSettings.Ranges"/>, started while <paramref name="budgetSeconds"/> lasts (at least one); the best by
    /// validation loss is evaluated on the test set. With a <paramref name="group"/> of several processes, each spends
    /// the budget on its own trials and all of them are gathered (<see cref="RandomSearch.Run{TOutcome}"/>).
    /// </summary>
    public (StnRow Row, IReadOnlyList<StnTrial> Trials) RunRandomSearch(double budgetSeconds, IProgress<EngineProgress>? progress, Action<string> log, ITrialGroup? group = null)
    {
        int steps = _settings.TrialEpochs * StepsPerEpoch;
        var search = new RandomSearch(StnSettings.Ranges, _settings.Seed + 1000);
        var result = search.Run(
            (drawn, index) =>
            {
                // One dropout rate for every layer, as a plain random search of "the dropout rate" would draw it.
                double[] value = [.. Enumerable.Repeat(drawn["dropout"], _model.LayerCount), drawn["l2"], drawn["inputNoise"]];
                double[] free = value.Select((v, i) => _model.Hyperparameters[i].FreeOf(v)).ToArray();
                double[] rows = Enumerable.Range(0, _settings.BatchSize).SelectMany(_ => free).ToArray();
                double[] phi = _model.InitialParameters(_settings.Seed), gradient = new double[phi.Length];
                var adam = new HyperAdam(_settings.ParameterLearningRate);
                for (int step = 0; step < steps; step++)
                {
                    _model.TrainingLoss(phi, rows, gradient, step);
                    adam.Step(phi, gradient);
                    progress?.Report(new EngineProgress($"random search, trial {index + 1}", step + 1, steps));
                }

                var (loss, accuracy) = _model.Evaluate(phi, free, _validation);
                return (Value: value, Phi: phi, Free: free, Loss: loss, Accuracy: accuracy);
            },
            trial => trial.Loss,
            budgetSeconds,
            progress: trial => log(FormattableString.Invariant(
                $"Random search trial {trial.Index + 1}: validation loss {trial.Outcome.Loss:0.0000} (accuracy {trial.Outcome.Accuracy:P2}); {Describe(trial.Outcome.Value)} ({trial.Seconds:0.0} s)")),
            group: group);

        var trials = result.Trials
            .Select(t => new StnTrial(Named(t.Outcome.Value), double.IsFinite(t.Outcome.Loss) ? t.Outcome.Loss : double.MaxValue, t.Outcome.Accuracy, t.Seconds, t.Process))
            .ToArray();
        var best = result.Best.Outcome;
        var (testLoss, testAccuracy) = _model.Evaluate(best.Phi, best.Free, _test);
        var row = new StnRow(
            $"Random search (best of {trials.Length} by validation{(result.Processes > 1 ? $", {result.Processes} processes" : string.Empty)})", best.Loss, best.Accuracy, testLoss, testAccuracy, result.Seconds, Named(best.Value), null);
        return (row, trials);
    }

    private static void NonFiniteValueGuard(SelfTuningTrainer trainer, int cycle)
    {
        if (!double.IsFinite(trainer.LastTrainingLoss) || !double.IsFinite(trainer.LastValidationObjective) || !AllFinite(trainer.Hyperparameters))
        {
            throw new InvalidOperationException(FormattableString.Invariant(
                $"STN cycle {cycle}: training loss {trainer.LastTrainingLoss}, validation objective {trainer.LastValidationObjective}: not finite."));
        }
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private Dictionary<string, double> Named(IReadOnlyList<double> values) => Names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2);

    private string Describe(IReadOnlyList<double> values) => string.Join(", ", Names.Select((n, i) => FormattableString.Invariant($"{n} {values[i]:G3}")));
}
