using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// A training run as the shared options describe it, built as the library's <see cref="BilevelProblem{T}"/>: the
/// built-in model on the training set (with the loss blocks of <c>--set</c> and <c>--hyper</c>), the optimizer with
/// the values of <c>--set</c>, the validation set's unregularized model as the response, w_0, T, the batches and the
/// tuned names in the order of <c>--hyper</c>. Without an optimizer (an implicit run) the problem is at the training
/// optimum. Under <c>mpiexec</c> the training set is split across the ranks (<see cref="IDataDistribution"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class TrainingProblem<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// The run of <paramref name="options"/> on <paramref name="data"/>, tuning <paramref name="tuned"/> (the names of
    /// <c>--hyper</c>, or what the command tunes), its training set split across <paramref name="distribution"/>'s
    /// processes where one is given.
    /// </summary>
    /// <exception cref="UsageException">The library refused the run (a value outside its domain); the message says how to choose another.</exception>
    public TrainingProblem(RunOptions options, TrainingData data, IReadOnlyList<string> tuned, IDataDistribution? distribution = null)
    {
        var settings = options.Settings;
        var model = new ModelOptions(options.Model) { Hidden = options.Hidden, Activation = options.Activation };
        var trainingModel = model with { Hyperparameters = settings.LossFlags };
        var trainingData = data.Training.Convert<T>();
        var whole = ModelObjective<T>.Create(trainingData, trainingModel);
        IObjective<T> training = distribution?.Objective(trainingData, part => ModelObjective<T>.Create(part, trainingModel)) ?? whole;
        ValidationData = data.Validation.Convert<T>();
        Validation = ModelObjective<T>.Create(ValidationData, model);
        var bilevel = new BilevelOptions { Tune = tuned, LossValues = settings.LossValues, Domains = settings.Domains };
        try
        {
            Problem = options.Optimizer is { } optimizer
                ? new BilevelProblem<T>(
                    training,
                    optimizer.With(optimizer.Hyperparameters.Select((h, i) => KeyValuePair.Create(h.Name, settings.OptimizerValues[i])).Concat(settings.StepOptions).ToDictionary()),
                    Validation,
                    options.Steps,
                    bilevel with { InitialWeights = InitialWeights(whole, options), BatchSize = options.Batch, Seed = options.Seed })
                : BilevelProblem<T>.AtOptimum(training, Validation, bilevel);
        }
        catch (ArgumentException e)
        {
            // RunSettings has checked the names; what the library still refuses is a value outside its domain.
            throw new UsageException($"{e.Message.TrimEnd('.')}; choose another value with --set or another domain with --domain.");
        }
    }

    /// <summary>The run as the library's entry point.</summary>
    public BilevelProblem<T> Problem { get; }

    /// <summary>The validation set's objective, unregularized.</summary>
    public ModelObjective<T> Validation { get; }

    /// <summary>The validation set.</summary>
    public Dataset<T> ValidationData { get; }

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
