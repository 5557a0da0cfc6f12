using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;
using BenchmarkDotNet.Attributes;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// The hypergradient engines against plain training (the baseline) on a small hyper-cleaning run: softmax
/// regression on 500 synthetic MNIST-sized examples (784 features, 10 classes), full batch, momentum (lr 0.1,
/// mu 0.9), T = 100. Reverse-HG tunes lr, mu and the 500 example weights, with full storage and on ⌈√T⌉ = 10
/// checkpoints; Forward-HG carries lr, mu, wd and l2 together. <c>autohypergrad bench engines</c> does the same at
/// the experiments' sizes on MNIST.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Rows = 500;
    private const int Steps = 100;

    private TrainingDynamics<float> reverseDynamics = null!;
    private TrainingDynamics<float> forwardDynamics = null!;
    private ValidationError<float> response = null!;
    private double[] reverseLambda = null!;
    private double[] forwardLambda = null!;
    private float[] trainingLambda = null!;
    private float[] state = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        Dataset<float> Synthetic()
        {
            var x = Enumerable.Range(0, Rows * 784).Select(_ => (float)random.NextDouble()).ToArray();
            return new Dataset<float>(x, Rows, 784, Enumerable.Range(0, Rows).Select(_ => random.Next(10)).ToArray(), null, 10, "synthetic");
        }

        var training = ModelObjective<float>.Create(
            Synthetic(), new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 });
        response = new ValidationError<float>(ModelObjective<float>.Create(Synthetic(), new ModelOptions(ModelKind.Softmax)));
        var momentum = Optimizers.Optimizers.Find("momentum");
        var names = momentum.Hyperparameters.Select(h => h.Name).ToArray();
        (TrainingDynamics<float>, double[]) Run(params string[] tuned)
        {
            var space = HyperparameterSpace.Create(
                names, [0.1, 0.9, 0.0], training.Hyperparameters, training.Hyperparameters.Defaults<double>(), new double[training.ParameterCount], Steps, tuned);
            return (new TrainingDynamics<float>(training, momentum.Step<float>(), space, null), space.InitialValues());
        }

        (reverseDynamics, reverseLambda) = Run("lr", "mu", "weights");
        (forwardDynamics, forwardLambda) = Run("lr", "mu", "wd", "l2");
        trainingLambda = reverseLambda.Select(v => (float)v).ToArray();
        state = new float[reverseDynamics.StateLength];
    }

    [Benchmark(Baseline = true)]
    public float Training()
    {
        reverseDynamics.Initialize(trainingLambda, state);
        for (int t = 1; t <= Steps; t++)
        {
            reverseDynamics.Step(t, state, trainingLambda);
        }

        return state[0];
    }

    [Benchmark]
    public double ReverseFull() => new ReverseHypergradient<float>(reverseDynamics, response, ReverseOptions.Full).Compute(reverseLambda).Value;

    [Benchmark]
    public double ReverseCheckpointed()
        => new ReverseHypergradient<float>(reverseDynamics, response, ReverseOptions.Checkpointed((int)Math.Ceiling(Math.Sqrt(Steps)))).Compute(reverseLambda).Value;

    [Benchmark]
    public double ForwardTogether() => new ForwardHypergradient<float>(forwardDynamics, response, maxDirections: 0).Compute(forwardLambda).Value;

    [Benchmark]
    public double ForwardSeparate() => new ForwardHypergradient<float>(forwardDynamics, response, maxDirections: 1).Compute(forwardLambda).Value;
}
