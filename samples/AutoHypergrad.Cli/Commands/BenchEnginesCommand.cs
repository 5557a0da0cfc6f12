using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using AutoHypergrad.BenchmarkHarness.Engines;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.Data;
using AutoHypergrad.Engines;
using AutoHypergrad.Experiments;
using AutoHypergrad.LinearAlgebra;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad bench engines</c>: the wall time and memory of each hypergradient engine against plain training
/// on two MNIST problems, with the targets (reverse ≤ 3×, checkpointed ≤ 4.5×, forward ≤ 1 + 1.25m).
/// </summary>
internal static class BenchEnginesCommand
{
    /// <summary>Full storage is skipped when its states would take more than this.</summary>
    private const long MemoryCapBytes = 8_000_000_000;

    private static readonly string[] EnvironmentVariables =
        ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "AUTOHYPERGRAD_BLAS", MnistLocator.EnvironmentVariable];

    public static Command Create()
    {
        var quick = new Option<bool>("--quick")
        {
            Description = "T = 50, 1000 training images, an MLP 784-100-100-10: under a minute.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
        var precision = new Option<string>("--precision")
        {
            Description = "Element type: float (default) or double (twice the time and memory).",
            DefaultValueFactory = _ => "float",
        };
        precision.AcceptOnlyFromAmong("float", "double");
        var steps = new Option<int?>("--steps") { Description = "T, the training steps (default 1000; 50 with --quick).", HelpName = "T" };
        steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--steps: give at least 1.");
            }
        });

        var command = new Command(
            "engines",
            "Times the hypergradient engines against plain training, in one process: Reverse-HG with full storage and " +
            "checkpointed on ⌈√T⌉ states, Forward-HG with m = 2 and 4 hyperparameters together and in separate passes; " +
            "with each engine's stored and peak bytes and the process's working set and allocations. Two problems on " +
            "MNIST: (a) hyper-cleaning, softmax regression on 5000 images, full batch, the 5000 example weights tuned; " +
            "(b) an MLP 784-256-256-10 (tanh), batch 100 from 5000 images. Momentum, lr 0.1, mu 0.9, T = 1000.");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.Options.Add(precision);
        command.Options.Add(steps);
        command.SetAction(result =>
        {
            bool isQuick = result.GetValue(quick);
            var problems = EngineProblem.For(isQuick, result.GetValue(steps));
            return result.GetValue(precision) == "double"
                ? Run<double>(problems, "double", isQuick, result.GetValue(json))
                : Run<float>(problems, "float", isQuick, result.GetValue(json));
        });
        return command;
    }

    private static int Run<T>(IReadOnlyList<EngineProblem> problems, string precision, bool quick, string? jsonPath)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var wall = Stopwatch.StartNew();
        string? mnist = MnistLocator.Find();
        if (mnist is null)
        {
            Console.Error.WriteLine(
                $"autohypergrad: error: MNIST not found in {string.Join(", ", MnistLocator.Candidates())}; " +
                $"set {MnistLocator.EnvironmentVariable} to the directory of its four files.");
            return CommandLine.UsageErrorExitCode;
        }

        var machine = BenchMachine.Current();
        var environment = EnvironmentVariables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{machine.Processor}, {machine.ProcessorCount} processors, {machine.Os}, {machine.Runtime}" + (quick ? "; --quick" : string.Empty)));
        AnsiConsole.MarkupLine(Markup.Escape($"BLAS: {Blas.Describe()}"));
        AnsiConsole.MarkupLine(Markup.Escape(string.Join(", ", environment.Select(e => $"{e.Key}={e.Value ?? "(unset)"}"))));

        int rows = problems.Max(p => p.TrainingRows + p.ValidationRows);
        var data = MnistReader.Read<T>(mnist, MnistSplit.Train).Slice(0, rows);
        AnsiConsole.MarkupLine(Markup.Escape($"Data: {data.Source}"));

        var reports = new List<EngineProblemReport>();
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var overall = context.AddTask("Engines", maxValue: problems.Count * EngineBenchmark<T>.ModeCount);
                var steps = context.AddTask("steps");
                foreach (var problem in problems)
                {
                    var progress = new TaskProgress(problem.Name, overall, steps);
                    var benchmark = new EngineBenchmark<T>(problem, problem.Build(data), MemoryCapBytes, progress);
                    reports.Add(benchmark.Run());
                }
            });

        wall.Stop();
        using var process = Process.GetCurrentProcess();
        var report = new EngineReport(
            Environment.CommandLine,
            string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            machine,
            Blas.Describe(),
            environment,
            data.Source,
            precision,
            quick,
            MemoryCapBytes,
            wall.Elapsed.TotalSeconds,
            process.PeakWorkingSet64,
            reports);
        foreach (var problem in reports)
        {
            AnsiConsole.Write(problem.Table(precision));
            AnsiConsole.MarkupLine(Markup.Escape($"Agreement: {problem.DescribeAgreement()}."));
            AnsiConsole.WriteLine();
        }

        AnsiConsole.MarkupLine(Markup.Escape(
            $"Wall time {report.WallSeconds:0.0} s; process peak working set {ByteCount.Megabytes(report.ProcessPeakWorkingSetBytes)} MB."));
        if (jsonPath is not null)
        {
            JsonFile.Write(jsonPath, report);
        }

        return CommandLine.Success;
    }

    /// <summary>The benchmark's progress on two bars: modes done over all problems, and the current mode's steps.</summary>
    private sealed class TaskProgress(string problem, ProgressTask overall, ProgressTask steps) : EngineBenchmarkProgress
    {
        public override void StartMode(string mode)
        {
            if (!Quiet)
            {
                overall.Description = Markup.Escape(problem);
                steps.Description = Markup.Escape(mode);
                steps.Value = 0;
            }
        }

        public override void FinishMode()
        {
            if (!Quiet)
            {
                overall.Increment(1);
            }
        }

        public override void Report(EngineProgress value)
        {
            if (!Quiet)
            {
                steps.MaxValue = Math.Max(1, value.Total);
                steps.Value = value.Done;
            }
        }
    }
}
