using System;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Distributed.Ranks;

/// <summary>
/// The <c>objective</c> scenario: every product of a <see cref="DataParallelObjective{T}"/> over softmax regression
/// with example weights (a per-example block) and an L2 penalty (a shared one), on the full batch and on a mini-batch
/// that spans the shards, against the same objective over all the data in this process.
/// </summary>
internal static class ObjectiveProducts
{
    public const int Examples = 37;
    public const int Features = 5;
    public const int Classes = 3;
    public static readonly ModelOptions Options = new(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 };

    /// <summary>"maxrel R bits H": the largest difference from the one-process products relative to each product's largest entry, and a hash of every product's bits.</summary>
    public static string Compare(MpiSession session)
    {
        var random = new Random(11);
        var data = Data(random, Examples);
        var whole = ModelObjective<double>.Create(data, Options);
        var parallel = DataParallelObjective<double>.Over(session, data, shard => ModelObjective<double>.Create(shard, Options));
        if (parallel.Hyperparameters.Count != whole.Hyperparameters.Count || parallel.ExampleCount != whole.ExampleCount)
        {
            throw new InvalidOperationException("The data-parallel objective's layout differs from the whole objective's.");
        }

        double[] w = Draw(random, whole.ParameterCount);
        double[] v = Draw(random, whole.ParameterCount);
        double[] lambda = Draw(random, whole.Hyperparameters.Count).Select(x => 0.5 + Math.Abs(x)).ToArray();
        double[] lambdaDot = Draw(random, whole.Hyperparameters.Count);
        double largest = 0;
        long hash = 17;
        foreach (var batch in new[] { Batch.Full, Batch.Of([3, 17, 30, 8, 22, 35, 0]) })
        {
            foreach (var (reference, result) in Products(whole, null, w, v, lambda, lambdaDot, batch)
                         .Zip(Products(parallel, parallel, w, v, lambda, lambdaDot, batch)))
            {
                double scale = reference.Max(Math.Abs);
                largest = Math.Max(largest, reference.Zip(result).Max(p => Math.Abs(p.First - p.Second)) / scale);
                hash = result.Aggregate(hash, (h, x) => (h * 31) + BitConverter.DoubleToInt64Bits(x));
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"maxrel {largest:R} bits {hash:x16}");
    }

    /// <summary>Value and gradient, H·v, the cross tangent, the cross adjoint, ∂J/∂λ and H·v with the cross adjoint.</summary>
    private static double[][] Products(
        IObjective<double> objective, DataParallelObjective<double>? parallel, double[] w, double[] v, double[] lambda, double[] lambdaDot, Batch batch)
    {
        int p = objective.ParameterCount, h = objective.Hyperparameters.Count;
        double[] gradient = new double[p];
        double value = objective.Gradient(w, lambda, batch, gradient);
        double[] hv = new double[p];
        objective.HessianVector(w, lambda, batch, v, hv);
        double[] crossTangent = new double[p];
        objective.CrossTangent(w, lambda, batch, lambdaDot, crossTangent);
        double[] crossAdjoint = new double[h];
        objective.CrossAdjoint(w, lambda, batch, v, crossAdjoint);
        double[] lambdaGradient = new double[h];
        objective.LambdaGradient(w, lambda, batch, lambdaGradient);
        double[] hvTogether = new double[p];
        double[] crossTogether = new double[h];
        objective.HessianVectorAndCrossAdjoint(w, lambda, batch, v, hvTogether, crossTogether);
        foreach (var block in objective.Hyperparameters.Blocks.Where(b => parallel?.IsPartitioned(b.Name) == true))
        {
            foreach (double[] adjoint in new[] { crossAdjoint, lambdaGradient, crossTogether })
            {
                parallel!.Gather(block.Name, adjoint.AsSpan(block.Offset, block.Length));
            }
        }
        return [[value, objective.Value(w, lambda, batch)], gradient, hv, crossTangent, crossAdjoint, lambdaGradient, hvTogether, crossTogether];
    }

    /// <summary><paramref name="count"/> random examples of <see cref="Features"/> features and <see cref="Classes"/> classes.</summary>
    public static Dataset<double> Data(Random random, int count)
        => new(Draw(random, count * Features), count, Features, Enumerable.Range(0, count).Select(_ => random.Next(Classes)).ToArray(), null, Classes, "random");

    public static double[] Draw(Random random, int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
}
