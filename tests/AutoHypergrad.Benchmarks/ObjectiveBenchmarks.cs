using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;
using BenchmarkDotNet.Attributes;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// An objective's Hessian-vector product and fused H·v with cross adjoint against its gradient (the baseline), in
/// float, at two experiments' shapes: the hyper-cleaning softmax (5000 × 784, 10 classes, example weights, full
/// batch) and the hypergradient-descent MLP (784-1000-1000-10 ReLU, batch 128). Synthetic MNIST-sized data.
/// </summary>
[MemoryDiagnoser]
public class ObjectiveBenchmarks
{
    private ModelObjective<float> objective = null!;
    private float[] w = null!;
    private float[] v = null!;
    private float[] lambda = null!;
    private float[] lambdaBar = null!;
    private float[] result = null!;
    private Batch batch;

    [Params("softmax-5000", "mlp-1000-1000-batch128")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        bool mlp = Shape.StartsWith("mlp", StringComparison.Ordinal);
        int rows = mlp ? 60000 : 5000;
        var random = new Random(1);
        var x = new float[rows * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        var data = new Dataset<float>(x, rows, 784, Enumerable.Range(0, rows).Select(i => i % 10).ToArray(), null, 10, "synthetic");
        var options = mlp
            ? new ModelOptions(ModelKind.Mlp) { Hidden = [1000, 1000], Activation = Activation.ReLU, Hyperparameters = LossHyperparameters.L2 }
            : new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights };
        objective = ModelObjective<float>.Create(data, options);
        w = new float[objective.ParameterCount];
        objective.InitialParameters(w, 1);
        v = Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        lambda = objective.Hyperparameters.Defaults<float>();
        lambdaBar = new float[lambda.Length];
        result = new float[w.Length];
        batch = mlp ? new BatchSchedule(rows, 128, 3).At(0) : Batch.Full;
    }

    [Benchmark(Baseline = true)]
    public float Gradient() => objective.Gradient(w, lambda, batch, result);

    [Benchmark]
    public void HessianVector() => objective.HessianVector(w, lambda, batch, v, result);

    [Benchmark]
    public void HessianVectorAndCrossAdjoint() => objective.HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, lambdaBar);
}
