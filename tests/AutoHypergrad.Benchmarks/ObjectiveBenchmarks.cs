using System;
using System.Linq;
using AutoHypergrad.BenchmarkHarness.Objectives;
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
        // The shapes and the data of bench objectives (the harness): hyper-cleaning's softmax and HD's MLP.
        var shape = ObjectiveBenchmark.Shapes[Shape.StartsWith("mlp", StringComparison.Ordinal) ? 3 : 0];
        var data = ObjectiveBenchmark.Synthetic<float>(shape.Rows, shape.Classes);
        var options = shape.Options;
        var random = new Random(1);
        objective = ModelObjective<float>.Create(data, options);
        w = new float[objective.ParameterCount];
        objective.InitialParameters(w, 1);
        v = Enumerable.Range(0, w.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        lambda = objective.Hyperparameters.Defaults<float>();
        lambdaBar = new float[lambda.Length];
        result = new float[w.Length];
        batch = ObjectiveBenchmark.BatchOf(shape);
    }

    [Benchmark(Baseline = true)]
    public float Gradient() => objective.Gradient(w, lambda, batch, result);

    [Benchmark]
    public void HessianVector() => objective.HessianVector(w, lambda, batch, v, result);

    [Benchmark]
    public void HessianVectorAndCrossAdjoint() => objective.HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, lambdaBar);
}
