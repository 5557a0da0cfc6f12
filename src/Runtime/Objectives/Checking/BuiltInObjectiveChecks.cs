using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Objectives.Checking;

/// <summary>One objective to check, at a point: its parameters w, hyperparameters λ and batch.</summary>
public sealed record ObjectiveCheckCase(string Name, IObjective<double> Objective, double[] W, double[] Lambda, Batch Batch)
{
    public IReadOnlyList<CheckResult> Run(int seed = 1) => ObjectiveChecker.Run(Name, Objective, W, Lambda, Batch, seed);

    public override string ToString() => Name;
}

/// <summary>
/// Every built-in model × loss × loss hyperparameter, on small synthetic data sets (24 examples, 5 features), each
/// at a random point with every hyperparameter away from zero, on a batch of 16 examples out of order (and the
/// full batch for one), so that gathering rows is checked too.
/// </summary>
public static class BuiltInObjectiveChecks
{
    private const int Examples = 24;
    private const int Features = 5;

    public static IEnumerable<ObjectiveCheckCase> All()
    {
        var regression = SyntheticData(classes: 0, seed: 11);
        var binary = SyntheticData(classes: 2, seed: 12);
        var multiclass = SyntheticData(classes: 3, seed: 13);
        var models = new (string Name, Dataset<double> Data, ModelOptions Options)[]
        {
            ("linear/mse", regression, new ModelOptions(ModelKind.Linear)),
            ("logistic/cross-entropy", binary, new ModelOptions(ModelKind.Logistic)),
            ("softmax/cross-entropy", multiclass, new ModelOptions(ModelKind.Softmax)),
            ("softmax-nobias/cross-entropy", multiclass, new ModelOptions(ModelKind.Softmax) { Bias = false }),
            ("mlp-tanh/cross-entropy", multiclass, new ModelOptions(ModelKind.Mlp) { Hidden = [4], Activation = Activation.Tanh }),
            ("mlp-relu/cross-entropy", multiclass, new ModelOptions(ModelKind.Mlp) { Hidden = [4], Activation = Activation.ReLU }),
            ("mlp-sigmoid/cross-entropy", binary, new ModelOptions(ModelKind.Mlp) { Hidden = [4], Activation = Activation.Sigmoid }),
            ("mlp-tanh-2/cross-entropy", multiclass, new ModelOptions(ModelKind.Mlp) { Hidden = [6, 4], Activation = Activation.Tanh }),
            ("mlp-sigmoid/mse", regression, new ModelOptions(ModelKind.Mlp) { Hidden = [4], Activation = Activation.Sigmoid }),
        };
        var hyperparameterSets = new[]
        {
            LossHyperparameters.None,
            LossHyperparameters.ExampleWeights,
            LossHyperparameters.L2,
            LossHyperparameters.FeatureL2,
            LossHyperparameters.LogFeatureL2,
            LossHyperparameters.MultiTask,
            LossHyperparameters.ExampleWeights | LossHyperparameters.L2 | LossHyperparameters.LogFeatureL2,
        };
        int seed = 100;
        foreach (var (name, data, options) in models)
        {
            foreach (var hyperparameters in hyperparameterSets)
            {
                bool multiOutput = data.ClassCount > 2 || (data.ClassCount == 2 && options.Model == ModelKind.Mlp);
                if (hyperparameters.HasFlag(LossHyperparameters.MultiTask) && !multiOutput)
                {
                    continue;
                }

                var objective = ModelObjective<double>.Create(data, options with { Hyperparameters = hyperparameters });
                seed++;
                yield return At($"{name} [{Describe(hyperparameters)}]", objective, seed, FirstSixteenShuffled(seed));
            }
        }

        var full = ModelObjective<double>.Create(multiclass, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 });
        yield return At("softmax/cross-entropy [weights, l2] full batch", full, 999, Batch.Full);
    }

    /// <summary>
    /// An objective at a random point: parameters in ±0.5 (added to a model's initialization), λ in ranges that
    /// keep every term of the loss active: example weights in [0.5, 1.5], strengths in [0.1, 0.5].
    /// </summary>
    public static ObjectiveCheckCase At(string name, IObjective<double> objective, int seed, Batch batch)
    {
        var random = new Random(seed);
        var w = new double[objective.ParameterCount];
        (objective as ModelObjective<double>)?.InitialParameters(w, (ulong)seed);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] += random.NextDouble() - 0.5;
        }

        var lambda = new double[objective.Hyperparameters.Count];
        foreach (var block in objective.Hyperparameters.Blocks)
        {
            for (int i = 0; i < block.Length; i++)
            {
                double u = random.NextDouble();
                lambda[block.Offset + i] = block.Name switch
                {
                    "weights" => 0.5 + u,
                    "logFeatureL2" => Math.Log(0.1 + 0.4 * u),
                    "taskMatrix" => 0.2 * u,
                    _ => 0.1 + 0.4 * u,
                };
            }
        }

        return new ObjectiveCheckCase(name, objective, w, lambda, batch);
    }

    private static string Describe(LossHyperparameters hyperparameters)
        => hyperparameters == LossHyperparameters.None ? "none" : string.Join(", ", Enum.GetValues<LossHyperparameters>()
            .Where(flag => flag != LossHyperparameters.None && hyperparameters.HasFlag(flag))
            .Select(flag => flag switch
            {
                LossHyperparameters.ExampleWeights => "weights",
                LossHyperparameters.L2 => "l2",
                LossHyperparameters.FeatureL2 => "featureL2",
                LossHyperparameters.LogFeatureL2 => "logFeatureL2",
                _ => "multi-task",
            }));

    /// <summary>16 of the 24 examples, out of order.</summary>
    public static Batch FirstSixteenShuffled(int seed)
    {
        var indices = Enumerable.Range(0, Examples).OrderBy(i => (i * 7919 + seed) % Examples).Take(16).ToArray();
        return Batch.Of(indices);
    }

    /// <summary>
    /// 24 examples of 5 features in ±1: labels of <paramref name="classes"/> classes from a threshold on the first
    /// feature, or (0 classes) a noisy linear target.
    /// </summary>
    public static Dataset<double> SyntheticData(int classes, int seed)
    {
        var random = new Random(seed);
        var x = new double[Examples * Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() * 2 - 1;
        }

        if (classes == 0)
        {
            var targets = Enumerable.Range(0, Examples).Select(i => x[i * Features] - 0.5 * x[i * Features + 1] + 0.1 * random.NextDouble()).ToArray();
            return new Dataset<double>(x, Examples, Features, null, targets, 0, "synthetic regression");
        }

        var labels = Enumerable.Range(0, Examples).Select(i => (int)Math.Floor((x[i * Features] + 1) / 2 * classes) % classes).ToArray();
        return new Dataset<double>(x, Examples, Features, labels, null, classes, $"synthetic {classes}-class");
    }
}
