using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Engines;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// Reverse-HG through the engines' own interfaces with a given vectorized step: softmax regression on 24 synthetic
/// examples (18 weights), 10 steps of Adam in minibatches of 8, every optimizer hyperparameter tuned.
/// </summary>
public static class EngineRuns
{
    public static HypergradientResult ReverseHypergradient<T>(IVectorizedStep<T> kernel, out double[] lambda)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (dynamics, response) = Run(kernel, null, out lambda);
        return new ReverseHypergradient<T>(dynamics, response).Compute(lambda);
    }

    /// <summary>The training run and its validation error, with the state in <paramref name="memory"/> (null: host arrays).</summary>
    public static (TrainingDynamics<T> Dynamics, ValidationError<T> Response) Run<T>(IVectorizedStep<T> kernel, IStateMemory<T>? memory, out double[] lambda)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var descriptor = AutoHypergrad.Optimizers.Optimizers.Find(kernel.Name);
        var values = descriptor.ValuesArray();
        values[descriptor.Hyperparameters.ToList().FindIndex(h => h.Name == "lr")] = 0.05;
        var training = ModelObjective<T>.Create(BuiltInObjectiveChecks.SyntheticData(3, 11).Convert<T>(), new ModelOptions(ModelKind.Softmax));
        var validation = ModelObjective<T>.Create(BuiltInObjectiveChecks.SyntheticData(3, 12).Convert<T>(), new ModelOptions(ModelKind.Softmax));
        var w0 = Enumerable.Range(0, training.ParameterCount).Select(i => 0.1 * (i % 5) - 0.2).ToArray();
        var names = descriptor.Hyperparameters.Select(h => h.Name).ToArray();
        var space = HyperparameterSpace.Create(
            names, values, training.Hyperparameters, training.Hyperparameters.Defaults<double>(), w0, 10, names,
            descriptor.Hyperparameters.Select(h => h.PerElement).ToArray());
        var dynamics = new TrainingDynamics<T>(
            training, kernel, space, new BatchSchedule(training.ExampleCount, 8, seed: 3), new StepOptions(1, new Dictionary<string, double> { ["epsInsideSqrt"] = 0 }), memory);
        lambda = space.InitialValues();
        return (dynamics, new ValidationError<T>(validation));
    }
}
