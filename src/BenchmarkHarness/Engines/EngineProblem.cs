using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.BenchmarkHarness.Engines;

/// <summary>
/// One training run whose hypergradient <c>bench engines</c> times: a model on the first
/// <see cref="TrainingRows"/> MNIST training images, validated on the next <see cref="ValidationRows"/>, trained by
/// momentum for <see cref="Steps"/> steps.
/// </summary>
/// <param name="Name">The problem's name in tables.</param>
/// <param name="Model">The model and its loss hyperparameters.</param>
/// <param name="TrainingRows">Training examples.</param>
/// <param name="ValidationRows">Validation examples (E is the mean loss over all of them).</param>
/// <param name="BatchSize">Examples per step; 0 for full batch.</param>
/// <param name="Steps">T.</param>
/// <param name="LearningRate">Momentum's lr.</param>
/// <param name="Momentum">Momentum's mu.</param>
/// <param name="ReverseTuned">The hyperparameters Reverse-HG differentiates with respect to.</param>
public sealed record EngineProblem(
    string Name,
    ModelOptions Model,
    int TrainingRows,
    int ValidationRows,
    int BatchSize,
    int Steps,
    double LearningRate,
    double Momentum,
    IReadOnlyList<string> ReverseTuned)
{
    /// <summary>The optimizer every problem trains with.</summary>
    public const string Optimizer = "momentum";

    /// <summary>The hyperparameters Forward-HG carries: the first m of these, for m = 2 and m = 4.</summary>
    public static IReadOnlyList<string> ForwardTuned { get; } = ["lr", "mu", "wd", "l2"];

    /// <summary>
    /// (a) hyper-cleaning: softmax regression, full batch, every example's weight tuned; (b) an MLP (tanh), batch
    /// 100. <paramref name="quick"/> shrinks the data, the MLP and T; <paramref name="steps"/> overrides T.
    /// <para>
    /// The MLP is 784-256-256-10, not the 784-1000-1000-10 of the hypergradient-descent experiments: at T = 1000 on
    /// a two-core machine the wider network's modes take about an hour (55 ms a training step in double), this one's
    /// a few minutes, and full storage still fits (2.2 GB of states in float).
    /// </para>
    /// </summary>
    public static IReadOnlyList<EngineProblem> For(bool quick, int? steps)
    {
        int[] hidden = quick ? [100, 100] : [256, 256];
        int rows = quick ? 1000 : 5000;
        int t = steps ?? (quick ? 50 : 1000);
        return
        [
            new(
                "hyper-cleaning: softmax, example weights",
                new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 },
                rows, rows, 0, t, 0.1, 0.9, ["lr", "mu", "weights"]),
            new(
                $"MLP 784-{string.Join('-', hidden)}-10 tanh, batch 100",
                new ModelOptions(ModelKind.Mlp) { Hidden = hidden, Activation = Activation.Tanh, Hyperparameters = LossHyperparameters.L2 },
                rows, rows, 100, t, 0.1, 0.9, ["lr", "mu"]),
        ];
    }

    /// <summary>c = ⌈√T⌉, the checkpointed engine's stored states.</summary>
    public int CheckpointSlots => (int)Math.Ceiling(Math.Sqrt(Steps));

    /// <summary>The run in words, for the report.</summary>
    public string Describe()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{TrainingRows} training / {ValidationRows} validation images, {(BatchSize == 0 ? "full batch" : $"batch {BatchSize}")}, " +
            $"{Optimizer} lr {LearningRate} mu {Momentum}, T = {Steps}");

    /// <summary>The objectives of this problem on <paramref name="data"/> (training rows first, then validation rows).</summary>
    public EngineObjectives<T> Build<T>(Dataset<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (data.Count < TrainingRows + ValidationRows)
        {
            throw new ArgumentException($"{Name} needs {TrainingRows + ValidationRows} rows; {data.Source} has {data.Count}.", nameof(data));
        }

        var training = ModelObjective<T>.Create(data.Slice(0, TrainingRows), Model);
        var validation = ModelObjective<T>.Create(data.Slice(TrainingRows, ValidationRows), Model with { Hyperparameters = LossHyperparameters.None });
        var w0 = new T[training.ParameterCount];
        training.InitialParameters(w0, 1);
        return new EngineObjectives<T>(this, training, new ValidationError<T>(validation), w0.Select(double.CreateChecked).ToArray());
    }
}

/// <summary>A problem's objectives, from which runs of any length and any tuned set are made.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class EngineObjectives<T>(EngineProblem problem, ModelObjective<T> training, ValidationError<T> response, double[] initialWeights)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public ValidationError<T> Response => response;

    public int ParameterCount => training.ParameterCount;

    /// <summary>A run of <paramref name="steps"/> steps tuning <paramref name="tuned"/>, and its starting λ.</summary>
    public (TrainingDynamics<T> Dynamics, double[] Lambda) Run(int steps, IEnumerable<string> tuned)
    {
        var run = new BilevelProblem<T>(
            training,
            Optimizers.Optimizers.Find(EngineProblem.Optimizer).With(new Dictionary<string, double> { ["lr"] = problem.LearningRate, ["mu"] = problem.Momentum }),
            response,
            steps,
            new BilevelOptions { InitialWeights = initialWeights, Tune = tuned.ToArray(), BatchSize = problem.BatchSize == 0 ? null : problem.BatchSize, Seed = 3 });
        return (run.Dynamics!, run.InitialHyperparameters);
    }
}
