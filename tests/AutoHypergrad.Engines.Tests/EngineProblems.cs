using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Engines.Tests;

/// <summary>Small training runs to differentiate: softmax regression (or a given model) on 24 synthetic examples.</summary>
internal static class EngineProblems
{
    /// <summary>A learning rate per optimizer that makes 12 steps move the weights without diverging.</summary>
    private static readonly Dictionary<string, double> LearningRates = new()
    {
        ["Sgd"] = 0.5, ["Momentum"] = 0.3, ["Nesterov"] = 0.3, ["Adam"] = 0.05, ["AdamW"] = 0.05,
        ["RmsProp"] = 0.02, ["Adagrad"] = 0.3, ["Adadelta"] = 1.0, ["Lion"] = 0.01,
        ["SgdPerParameter"] = 0.5, ["MomentumPerParameter"] = 0.3, ["AdamPerParameter"] = 0.05,
    };

    /// <summary>
    /// The optimizers whose hyperparameters are all uniform: HyperparameterSpace and TrainingDynamics pack one value
    /// per hyperparameter, so the per-parameter-learning-rate ones join once they pack a per-element one as n values.
    /// </summary>
    public static IEnumerable<object[]> OptimizerNames() => Optimizers.Optimizers.All.Select(d => new object[] { d.Name });

    /// <summary>A run of <paramref name="optimizer"/> tuning <paramref name="tuned"/>, on softmax regression (18 weights) unless <paramref name="model"/> is given.</summary>
    public static (TrainingDynamics<T> Dynamics, ValidationError<T> Response, double[] Lambda) Create<T>(
        string optimizer,
        IEnumerable<string> tuned,
        int steps = 12,
        int batchSize = 8,
        LossHyperparameters loss = LossHyperparameters.None,
        Action<double[]>? adjustLoss = null,
        IReadOnlyDictionary<string, double>? optimizerValues = null,
        ModelOptions? model = null)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        model ??= new ModelOptions(ModelKind.Softmax);
        var descriptor = Optimizers.Optimizers.Find(optimizer);
        var values = descriptor.ValuesArray();
        for (int h = 0; h < values.Length; h++)
        {
            string name = descriptor.Hyperparameters[h].Name;
            values[h] = optimizerValues is not null && optimizerValues.TryGetValue(name, out double given) ? given : name switch
            {
                "lr" => LearningRates[descriptor.Name],
                "wd" => 0.01,
                _ => values[h],
            };
        }

        var training = ModelObjective<T>.Create(BuiltInObjectiveChecks.SyntheticData(3, 11).Convert<T>(), model with { Hyperparameters = loss });
        var validation = ModelObjective<T>.Create(BuiltInObjectiveChecks.SyntheticData(3, 12).Convert<T>(), model with { Hyperparameters = LossHyperparameters.None });
        var lossValues = training.Hyperparameters.Defaults<double>();
        adjustLoss?.Invoke(lossValues);
        var random = new Random(5);
        var w0 = Enumerable.Range(0, training.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var space = HyperparameterSpace.Create(
            descriptor.Hyperparameters.Select(h => h.Name).ToArray(), values, training.Hyperparameters, lossValues, w0, steps, tuned,
            descriptor.Hyperparameters.Select(h => h.PerElement).ToArray());
        var batches = batchSize == 0 ? null : new BatchSchedule(training.ExampleCount, batchSize, seed: 3);
        var options = new StepOptions(1, new Dictionary<string, double> { ["epsInsideSqrt"] = 0 });
        var dynamics = new TrainingDynamics<T>(training, descriptor.Step<T>(), space, batches, options);
        return (dynamics, new ValidationError<T>(validation), space.InitialValues());
    }

    /// <summary>All of an optimizer's hyperparameters.</summary>
    public static string[] AllOf(string optimizer) => Optimizers.Optimizers.Find(optimizer).Hyperparameters.Select(h => h.Name).ToArray();
}
