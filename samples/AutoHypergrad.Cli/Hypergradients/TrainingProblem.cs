using System;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Training;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// A training run as the shared options describe it: the training objective (with the loss blocks of <c>--set</c>
/// and <c>--hyper</c>), the validation objective and set, the optimizer's kernel, the hyperparameter space (fixed
/// values, w_0, T and the tuned blocks), the batches and the step options. Without an optimizer (an implicit run)
/// the objectives, the space and w_0 are the same and there is no kernel.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class TrainingProblem<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public TrainingProblem(RunOptions options, TrainingData data)
    {
        var settings = options.Settings;
        var model = new ModelOptions(options.Model) { Hidden = options.Hidden, Activation = options.Activation };
        Training = ModelObjective<T>.Create(data.Training.Convert<T>(), model with { Hyperparameters = settings.LossFlags });
        ValidationData = data.Validation.Convert<T>();
        Validation = ModelObjective<T>.Create(ValidationData, model);

        var lossValues = Training.Hyperparameters.Defaults<double>();
        foreach (var (name, value) in settings.LossValues)
        {
            var block = Training.Hyperparameters[name];
            lossValues.AsSpan(block.Offset, block.Length).Fill(value);
        }

        var optimizerHyperparameters = options.Optimizer?.Hyperparameters ?? [];
        Space = HyperparameterSpace.Create(
            optimizerHyperparameters.Select(h => h.Name).ToArray(),
            settings.OptimizerValues,
            Training.Hyperparameters,
            lossValues,
            InitialWeights(Training, options),
            options.Steps,
            settings.Tuned,
            optimizerHyperparameters.Select(h => h.PerElement).ToArray());
        Batches = options.Batch is { } size ? new BatchSchedule(Training.ExampleCount, size, options.Seed) : null;
        Kernel = options.Optimizer?.Kernel<T>();
        StepOptions = new StepOptions(1, settings.StepOptions.ToDictionary());
    }

    /// <summary>J on the training set.</summary>
    public ModelObjective<T> Training { get; }

    /// <summary>The validation set's objective, unregularized.</summary>
    public ModelObjective<T> Validation { get; }

    /// <summary>The validation set.</summary>
    public Dataset<T> ValidationData { get; }

    public HyperparameterSpace Space { get; }

    /// <summary>The batch of each step; null for full batch.</summary>
    public BatchSchedule? Batches { get; }

    /// <summary>The optimizer's step; null for a run without an optimizer (the space then holds loss blocks only).</summary>
    public IStepKernel<T>? Kernel { get; }

    public StepOptions StepOptions { get; }

    /// <summary>
    /// w_0: zeros, or random (the default for an MLP): Glorot-uniform for an MLP, small uniform values in ±0.1 for a
    /// linear model, drawn from the seed.
    /// </summary>
    private static double[] InitialWeights(ModelObjective<T> training, RunOptions options)
    {
        var w = new double[training.ParameterCount];
        if (!options.RandomInit)
        {
            return w;
        }

        if (options.Model == ModelKind.Mlp)
        {
            var initial = new T[w.Length];
            training.InitialParameters(initial, options.Seed);
            return initial.Select(double.CreateChecked).ToArray();
        }

        var random = new Random(unchecked((int)options.Seed));
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = 0.2 * random.NextDouble() - 0.1;
        }

        return w;
    }
}
