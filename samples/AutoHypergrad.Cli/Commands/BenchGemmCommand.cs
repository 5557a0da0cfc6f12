using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Linq;
using AutoHypergrad.BenchmarkHarness.Gemm;
using AutoHypergrad.Cli.Reports;
using AutoHypergrad.LinearAlgebra;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad bench gemm</c>: GFLOP/s of the managed GEMM/GEMV (<see cref="ManagedBlas"/>) against OpenBLAS at
/// the experiments' shapes, in one process, with the machine's measured FMA peak for scale.
/// </summary>
internal static class BenchGemmCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick")
        {
            Description = "The hidden-layer product on 6000 rows instead of 60000, 20 ms samples, 3 of them: under a minute.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
        var precision = new Option<string>("--precision")
        {
            Description = "Element type: float, double or both (default both).",
            DefaultValueFactory = _ => "both",
        };
        precision.AcceptOnlyFromAmong("float", "double", "both");
        var threads = new Option<int?>("--threads")
        {
            Description = $"Threads for both implementations (default {Environment.ProcessorCount}, the processor count).",
            HelpName = "N",
        };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--threads: give at least 1.");
            }
        });

        var command = new Command(
            "gemm",
            "Times dense matrix products (GFLOP/s) of the managed implementation against OpenBLAS at the experiments' " +
            "shapes: X·W (5000×784 by 784×10), Xᵀ·R, the 60000×784 by 784×1000 hidden layer, 1024³, and two GEMVs. " +
            "Checks first that both agree within rounding (exit code 1 if not).");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.Options.Add(precision);
        command.Options.Add(threads);
        command.SetAction(result =>
        {
            bool isQuick = result.GetValue(quick);
            string chosen = result.GetValue(precision) ?? "both";
            var run = new GemmBenchmark(
                GemmCase.For(isQuick),
                chosen,
                result.GetValue(threads) ?? Environment.ProcessorCount,
                isQuick ? GemmTimingSettings.Quick : GemmTimingSettings.Full,
                isQuick);
            return run.Run(result.GetValue(json));
        });
        return command;
    }
}

/// <summary>One run of <c>bench gemm</c>.</summary>
internal sealed class GemmBenchmark(IReadOnlyList<GemmCase> cases, string precision, int threads, GemmTimingSettings settings, bool quick)
{
    private static readonly string[] EnvironmentVariables =
        ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "AUTOHYPERGRAD_BLAS"];

    public int Run(string? jsonPath)
    {
        var wall = Stopwatch.StartNew();
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns when it cannot ask the terminal: too narrow for the table.
            AnsiConsole.Profile.Width = 180;
        }

        ManagedBlas.MaxDegreeOfParallelism = threads;
        string? openBlas = LoadOpenBlas(out string? whyNot);
        BenchMachine machine = BenchMachine.Current();
        var environment = EnvironmentVariables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        string? coreType = environment["OPENBLAS_CORETYPE"];
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{machine.Processor}, {machine.ProcessorCount} processors, {machine.Os}, {machine.Runtime}, " +
            $"Vector512.IsHardwareAccelerated = {machine.Vector512HardwareAccelerated}" + (quick ? "; --quick" : string.Empty)));
        AnsiConsole.MarkupLine(Markup.Escape($"Managed: {ManagedBlas.Describe()}"));
        AnsiConsole.MarkupLine(Markup.Escape(openBlas is null ? $"OpenBLAS: not available ({whyNot})" : $"OpenBLAS: {openBlas}"));
        AnsiConsole.MarkupLine(Markup.Escape(
            (coreType is null ? "OPENBLAS_CORETYPE is not set" : $"OPENBLAS_CORETYPE={coreType}") +
            string.Concat(environment.Where(e => e.Key != "OPENBLAS_CORETYPE" && e.Value is not null).Select(e => $", {e.Key}={e.Value}"))));

        GemmPeak? peak = null;
        var rows = new List<GemmRow>();
        string? failure = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                string[] types = precision == "both" ? ["double", "float"] : [precision];
                ProgressTask task = context.AddTask("FMA peak", maxValue: 1 + (cases.Count * types.Length));
                peak = MeasurePeak();
                task.Increment(1);
                foreach (GemmCase product in cases)
                {
                    foreach (string type in types)
                    {
                        void Status(string text) => task.Description = Markup.Escape(text);
                        GemmRow row = type == "double"
                            ? GemmMeasurement.Measure<double>(product, settings, openBlas is not null, peak.DoubleGflops, Status)
                            : GemmMeasurement.Measure<float>(product, settings, openBlas is not null, peak.FloatGflops, Status);
                        rows.Add(row);
                        task.Increment(1);
                        if (row.AgreementOverBound is > 1 or double.NaN)
                        {
                            failure = $"{product.Name} ({type}): managed and OpenBLAS differ by {row.AgreementOverBound:0.00} times the rounding bound.";
                            return;
                        }
                    }

                    GC.Collect();
                }
            });

        wall.Stop();
        var report = new GemmReport(
            Environment.CommandLine,
            string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            machine,
            quick,
            precision,
            threads,
            ManagedBlas.Describe(),
            openBlas,
            environment,
            settings,
            peak!,
            wall.Elapsed.TotalSeconds,
            rows);
        AnsiConsole.Write(report.Table());
        AnsiConsole.MarkupLine(Markup.Escape(
            $"FMA peak ({peak!.Width}): one thread {peak.OneThreadDoubleGflops:0.0} GFLOP/s double, {peak.OneThreadFloatGflops:0.0} float" +
            (threads == 1 ? string.Empty : $"; {threads} threads at once {peak.AllThreadsDoubleGflops:0.0} and {peak.AllThreadsFloatGflops:0.0}") +
            $"; wall time {report.WallSeconds:0.0} s."));
        if (jsonPath is not null)
        {
            report.WriteJson(jsonPath);
            AnsiConsole.MarkupLine(Markup.Escape($"Wrote {jsonPath}."));
        }

        if (failure is not null)
        {
            AnsiConsole.MarkupLine($"[red]Disagreement[/]: {Markup.Escape(failure)}");
            return CommandLine.CheckFailed;
        }

        return CommandLine.Success;
    }

    /// <summary>Makes <see cref="Blas"/> call OpenBLAS (whatever AUTOHYPERGRAD_BLAS says) with the chosen thread count.</summary>
    private string? LoadOpenBlas(out string? whyNot)
    {
        try
        {
            Blas.Use(BlasProvider.OpenBlas);
        }
        catch (InvalidOperationException e)
        {
            whyNot = e.Message;
            return null;
        }

        whyNot = null;
        if (!OpenBlasThreads.TrySet(threads))
        {
            AnsiConsole.MarkupLine(Markup.Escape("openblas_set_num_threads is not exported: OpenBLAS keeps its own thread count."));
        }

        return Blas.Describe();
    }

    private GemmPeak MeasurePeak()
    {
        double seconds = quick ? 0.1 : 0.5;
        double oneDouble = FmaPeak.GigaflopsPerSecond<double>(1, seconds);
        double oneFloat = FmaPeak.GigaflopsPerSecond<float>(1, seconds);
        return new GemmPeak(
            FmaPeak.Width,
            threads,
            oneDouble,
            oneFloat,
            threads == 1 ? oneDouble : FmaPeak.GigaflopsPerSecond<double>(threads, seconds),
            threads == 1 ? oneFloat : FmaPeak.GigaflopsPerSecond<float>(threads, seconds));
    }
}
