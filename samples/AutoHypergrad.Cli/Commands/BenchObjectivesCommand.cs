using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using AutoHypergrad.BenchmarkHarness.Objectives;
using AutoHypergrad.BenchmarkHarness.Steps;
using AutoHypergrad.Experiments;
using AutoHypergrad.LinearAlgebra;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad bench objectives</c>: the time of an objective's gradient, Hessian-vector product and cross
/// products at the shapes of the experiments, and H·v time over gradient time (the target is at most 2).
/// </summary>
internal static class BenchObjectivesCommand
{
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

    private static int Run(bool quick, string? jsonPath)
    {
        var settings = quick ? TimingSettings.Quick : TimingSettings.Full;
        var timings = new List<ObjectiveTiming>();
        AnsiConsole.MarkupLine($"BLAS: [bold]{Markup.Escape(Blas.Describe())}[/]");
        var start = DateTime.UtcNow;
        AnsiConsole.Progress().Start(progress =>
        {
            var precisions = quick ? new[] { "double" } : new[] { "float", "double" };
            var task = progress.AddTask("Timing objectives", maxValue: ObjectiveBenchmark.Shapes.Count * precisions.Length);
            foreach (var shape in ObjectiveBenchmark.Shapes)
            {
                foreach (var precision in precisions)
                {
                    timings.Add(precision == "float" ? ObjectiveBenchmark.Time<float>(shape, settings) : ObjectiveBenchmark.Time<double>(shape, settings));
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

    private static string Ms(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
