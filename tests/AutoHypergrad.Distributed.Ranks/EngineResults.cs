using System;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Distributed.Ranks;

/// <summary>
/// The <c>engine</c> scenario: one engine's hypergradient of a validation loss through 12 SGD steps on softmax
/// regression over data sharded across the ranks, with the example weights (per example), the L2 strength and the
/// learning rate tuned, against the same problem over all the data in this process.
/// </summary>
internal static class EngineResults
{
    /// <summary>
    /// "maxrel R value V bits H" for engine <paramref name="name"/> (reverse, truncated, checkpointed, forward,
    /// differences): the largest difference from the one-process hypergradient relative to its largest entry (for
    /// finite differences, relative to each entry's rounding bound ε·|f|/h_i instead, which the reassociated sums move),
    /// f's relative difference, and a hash of the result's bits.
    /// </summary>
    public static string Compare(MpiSession session, string name)
    {
        var engine = name switch
        {
            "reverse" => Engine.Reverse,
            "truncated" => Engine.Truncated(5),
            "checkpointed" => Engine.Checkpointed(3),
            "forward" => Engine.Forward,
            "differences" => Engine.FiniteDifferences,
            _ => throw new ArgumentException($"unknown engine '{name}'"),
        };
        var random = new Random(23);
        var training = ObjectiveProducts.Data(random, ObjectiveProducts.Examples);
        var validation = ModelObjective<double>.Create(ObjectiveProducts.Data(random, 20), new ModelOptions(ModelKind.Softmax));
        var options = new BilevelOptions { Tune = ["weights", "l2", "lr"] };

        BilevelProblem<double> Problem(IObjective<double> objective)
            => new(objective, Optimizers.Sgd.StepOptimizer(lr: 0.5), validation, 12, options);

        var wholeProblem = Problem(ModelObjective<double>.Create(training, ObjectiveProducts.Options));
        var whole = wholeProblem.Hypergradient(engine);
        var parallel = Problem(DataParallelObjective<double>.Over(session, training, shard => ModelObjective<double>.Create(shard, ObjectiveProducts.Options))).Hypergradient(engine);
        double[] lambda = wholeProblem.InitialHyperparameters;
        double[] scale = engine.Kind == EngineKind.FiniteDifferences
            ? lambda.Select(l => Math.Abs(whole.Value) * (Math.BitIncrement(1.0) - 1.0) / (engine.RelativeStep * Math.Max(Math.Abs(l), 1e-3))).ToArray()
            : Enumerable.Repeat(whole.Gradient.Max(Math.Abs), lambda.Length).ToArray();
        double largest = Enumerable.Range(0, lambda.Length).Max(i => Math.Abs(whole.Gradient[i] - parallel.Gradient[i]) / scale[i]);
        long hash = parallel.Gradient.Aggregate(BitConverter.DoubleToInt64Bits(parallel.Value), (h, x) => (h * 31) + BitConverter.DoubleToInt64Bits(x));
        return string.Create(CultureInfo.InvariantCulture, $"maxrel {largest:R} value {Math.Abs(parallel.Value - whole.Value) / Math.Abs(whole.Value):R} bits {hash:x16}");
    }
}
