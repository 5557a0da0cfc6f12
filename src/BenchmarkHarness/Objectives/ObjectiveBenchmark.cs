using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.BenchmarkHarness.Steps;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.BenchmarkHarness.Objectives;

/// <summary>One timed objective: a model, its loss hyperparameters and its data's shape (batch 0: full batch).</summary>
public sealed record ObjectiveShape(string Name, ModelOptions Options, int Rows, int Batch, int Classes);

/// <summary>Milliseconds per call of each product, for one objective and precision.</summary>
public sealed record ObjectiveTiming(
    string Objective, string Precision, int BatchRows, int Parameters, double GradientMs, double HessianVectorMs,
    double HessianVectorAtGradientMs, double CrossTangentMs, double CrossAdjointMs, double FusedMs)
{
    public double HessianVectorOverGradient => HessianVectorMs / GradientMs;

    public double HessianVectorAtGradientOverGradient => HessianVectorAtGradientMs / GradientMs;
}

/// <summary>
/// The time of a built-in objective's gradient, Hessian-vector product and cross products at the shapes of the
/// experiments, on synthetic data of MNIST's size (<c>bench objectives</c>, and BenchmarkDotNet's ObjectiveBenchmarks).
/// </summary>
public static class ObjectiveBenchmark
{
    /// <summary>The experiments' shapes: hyper-cleaning, HOAG, and hypergradient descent's two models.</summary>
    public static IReadOnlyList<ObjectiveShape> Shapes { get; } =
    [
        new("hyper-cleaning: softmax, example weights", new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights }, 5000, 0, 10),
        new("HOAG: logistic, l2", new ModelOptions(ModelKind.Logistic) { Hyperparameters = LossHyperparameters.L2 }, 5000, 0, 2),
        new("HD: softmax, batch 128", new ModelOptions(ModelKind.Softmax), 60000, 128, 10),
        new("HD: MLP 784-1000-1000-10 ReLU, batch 128", new ModelOptions(ModelKind.Mlp) { Hidden = [1000, 1000], Activation = Activation.ReLU, Hyperparameters = LossHyperparameters.L2 }, 60000, 128, 10),
    ];

    /// <summary>
    /// Each product of <paramref name="shape"/>'s objective over <typeparamref name="T"/>, timed as
    /// <paramref name="settings"/> say; H·v both on its own (an objective never asked for a gradient) and after the
    /// gradient at the same point, which reuses its passes as an engine's step does.
    /// </summary>
    public static ObjectiveTiming Time<T>(ObjectiveShape shape, TimingSettings settings)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        var data = Synthetic<T>(shape.Rows, shape.Classes);
        var objective = ModelObjective<T>.Create(data, shape.Options);

        // Never asked for a gradient: its H·v always runs the forward and backward passes itself.
        var cold = ModelObjective<T>.Create(data, shape.Options);
        var w = new T[objective.ParameterCount];
        objective.InitialParameters(w, 1);
        var random = new Random(2);
        var v = Enumerable.Range(0, w.Length).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var lambda = objective.Hyperparameters.Defaults<T>();
        var lambdaDot = Enumerable.Range(0, lambda.Length).Select(_ => T.CreateTruncating(random.NextDouble())).ToArray();
        var lambdaBar = new T[lambda.Length];
        var result = new T[w.Length];
        var batch = BatchOf(shape);
        var gradient = new T[w.Length];
        double Ms(Action call) => BenchTimer.SecondsPerCall(call, settings) * 1e3;
        double gradientMs = Ms(() => objective.Gradient(w, lambda, batch, gradient));
        return new ObjectiveTiming(
            shape.Name,
            typeof(T) == typeof(float) ? "float" : "double",
            batch.Count(shape.Rows),
            objective.ParameterCount,
            gradientMs,
            Ms(() => cold.HessianVector(w, lambda, batch, v, result)),
            Ms(() =>
            {
                objective.Gradient(w, lambda, batch, gradient);
                objective.HessianVector(w, lambda, batch, v, result);
            }) - gradientMs,
            Ms(() => cold.CrossTangent(w, lambda, batch, lambdaDot, result)),
            Ms(() => cold.CrossAdjoint(w, lambda, batch, v, lambdaBar)),
            Ms(() => cold.HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, lambdaBar)));
    }

    /// <summary>The batch a shape's products are timed on: the full set, or the first mini-batch of seed 3.</summary>
    public static Batch BatchOf(ObjectiveShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Batch == 0 ? Batch.Full : new BatchSchedule(shape.Rows, shape.Batch, 3).At(0);
    }

    /// <summary>MNIST-sized synthetic data: 784 features uniform in [0, 1] (seed 1), labels cycling through the classes.</summary>
    public static Dataset<T> Synthetic<T>(int rows, int classes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int Features = 784;
        var random = new Random(1);
        var x = new T[rows * Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateTruncating(random.NextDouble());
        }

        return new Dataset<T>(x, rows, Features, Enumerable.Range(0, rows).Select(i => i % classes).ToArray(), null, classes, "synthetic MNIST-sized data");
    }
}
