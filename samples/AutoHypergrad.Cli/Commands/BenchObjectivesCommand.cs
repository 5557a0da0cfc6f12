using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.BenchmarkHarness.Steps;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using AutoHypergrad.LinearAlgebra;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad bench objectives</c>: the time of an objective's gradient, Hessian-vector product and cross
/// products at the shapes of the experiments, and H·v time over gradient time (the target is at most 2).
/// </summary>
internal static class BenchObjectivesCommand
{
    /// <summary>One timed objective: a model, its loss hyperparameters and its data's shape.</summary>
    private sealed record Shape(string Name, ModelOptions Options, int Rows, int Batch, int Classes);

    private static readonly Shape[] Shapes =
    [
        new("hyper-cleaning: softmax, example weights", new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights }, 5000, 0, 10),
        new("HOAG: logistic, l2", new ModelOptions(ModelKind.Logistic) { Hyperparameters = LossHyperparameters.L2 }, 5000, 0, 2),
        new("HD: softmax, batch 128", new ModelOptions(ModelKind.Softmax), 60000, 128, 10),
        new("HD: MLP 784-1000-1000-10 ReLU, batch 128", new ModelOptions(ModelKind.Mlp) { Hidden = [1000, 1000], Activation = Activation.ReLU, Hyperparameters = LossHyperparameters.L2 }, 60000, 128, 10),
    ];

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "10 ms measurements, 3 samples, double precision only: well under a minute." };
        var json = new Option<string?>("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
        var command = new Command(
            "objectives",
            "Times the gradient, the Hessian-vector product H·v, the cross products with the loss hyperparameters and the fused " +
            "H·v with cross adjoint of the built-in objectives at the experiments' shapes (synthetic data of MNIST's size: 784 " +
            "features in [0, 1]), in float and double, one thread for the elementwise work and the BLAS of the run.");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.SetAction(result => Run(result.GetValue(quick), result.GetValue(json)));
        return command;
    }

    /// <summary>Milliseconds per call of each product, for one objective and precision.</summary>
    internal sealed record ObjectiveTiming(
        string Objective, string Precision, int BatchRows, int Parameters, double GradientMs, double HessianVectorMs,
        double HessianVectorAtGradientMs, double CrossTangentMs, double CrossAdjointMs, double FusedMs)
    {
        public double HessianVectorOverGradient => HessianVectorMs / GradientMs;

        public double HessianVectorAtGradientOverGradient => HessianVectorAtGradientMs / GradientMs;
    }

    private static int Run(bool quick, string? jsonPath)
    {
        var settings = quick ? TimingSettings.Quick : TimingSettings.Full;
        var timings = new List<ObjectiveTiming>();
        AnsiConsole.MarkupLine($"BLAS: [bold]{Markup.Escape(Blas.Describe())}[/]");
        var start = DateTime.UtcNow;
        AnsiConsole.Progress().Start(progress =>
        {
            var precisions = quick ? new[] { "double" } : new[] { "float", "double" };
            var task = progress.AddTask("Timing objectives", maxValue: Shapes.Length * precisions.Length);
            foreach (var shape in Shapes)
            {
                foreach (var precision in precisions)
                {
                    timings.Add(precision == "float" ? Time<float>(shape, settings) : Time<double>(shape, settings));
                    task.Increment(1);
                }
            }
        });

        var table = new Table().Title("Objective products, ms per call (median)")
            .AddColumns("objective", "precision", "batch", "parameters", "gradient", "H·v", "/ gradient", "H·v after ∇", "/ gradient", "cross tangent", "cross adjoint", "H·v + cross adjoint");
        foreach (int column in Enumerable.Range(2, 10))
        {
            table.Columns[column].RightAligned();
        }

        foreach (var t in timings)
        {
            table.AddRow(
                Markup.Escape(t.Objective), t.Precision, Count(t.BatchRows), Count(t.Parameters), Ms(t.GradientMs), Ms(t.HessianVectorMs),
                Ratio(t.HessianVectorOverGradient), Ms(t.HessianVectorAtGradientMs), Ratio(t.HessianVectorAtGradientOverGradient),
                Ms(t.CrossTangentMs), Ms(t.CrossAdjointMs), Ms(t.FusedMs));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(
            "H·v after ∇: H·v at the point of the gradient just computed, which reuses its forward and backward passes, as an " +
            "engine's step does (the time of gradient and H·v together, less the gradient's)."));
        double seconds = (DateTime.UtcNow - start).TotalSeconds;
        AnsiConsole.MarkupLine($"Wall time {seconds:0.0} s. OPENBLAS_CORETYPE={Markup.Escape(Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)")}.");
        if (jsonPath is not null)
        {
            JsonFile.Write(jsonPath, new { blas = Blas.Describe(), rows = timings, seconds });
        }

        return CommandLine.Success;
    }

    private static ObjectiveTiming Time<T>(Shape shape, TimingSettings settings)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
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
        var batch = shape.Batch == 0 ? Batch.Full : new BatchSchedule(shape.Rows, shape.Batch, 3).At(0);
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

    /// <summary>MNIST-sized synthetic data: 784 features uniform in [0, 1], labels cycling through the classes.</summary>
    private static Dataset<T> Synthetic<T>(int rows, int classes)
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

    private static string Ms(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
