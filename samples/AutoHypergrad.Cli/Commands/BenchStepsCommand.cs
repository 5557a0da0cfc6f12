using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using AutoHypergrad.BenchmarkHarness.Steps;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad bench steps</c>: times the generated span drivers of every optimizer step (primal, tangent,
/// adjoint) against hand-written Vector512 code, a TensorPrimitives chain and the memory-bandwidth limit, and the
/// vector-mode tangent (k directions in one pass) against the single-direction tangent run once per direction.
/// </summary>
internal static class BenchStepsCommand
{
    private static readonly int[] FullSizes = [1_000, 100_000, 10_000_000];
    private static readonly int[] QuickSizes = [1_000, 100_000, 1_000_000];

    /// <summary>Enough for any optimizer's buffers to fit in memory.</summary>
    private const int MaxSize = 100_000_000;

    public static Command Create()
    {
        var quick = new Option<bool>("--quick")
        {
            Description = "Smaller sizes (1000,100000,1000000 unless --sizes), 10 ms measurements, 3 samples: under a minute.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
        var sizes = new Option<int[]?>("--sizes")
        {
            Description = "Comma-separated element counts (default 1000,100000,10000000).",
            HelpName = "N,N,...",
            CustomParser = ParseSizes,
        };
        var optimizers = new Option<StepImplementations[]?>("--optimizers")
        {
            Description = $"Comma-separated optimizers (default all: {string.Join(',', StepImplementations.All.Select(o => o.Name.ToLowerInvariant()))}).",
            HelpName = "NAME,...",
            CustomParser = ParseOptimizers,
        };

        var command = new Command(
            "steps",
            "Times the generated span drivers (primal, tangent, adjoint; double precision, one thread) in ns/element " +
            "against hand-written Vector512 code, a TensorPrimitives chain, the same step in C (gcc " + CompiledC.Contracted + ", and without fma, where gcc is " +
            "found; Adam) and a STREAM triad's bandwidth, and the " +
            $"vector-mode tangent (k = {BenchHyper.Directions} directions in one pass) in ns/element/direction against the " +
            "tangent run once per direction. Checks first that the implementations agree (exit code 1 if not).");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.Options.Add(sizes);
        command.Options.Add(optimizers);
        command.SetAction(result =>
        {
            bool isQuick = result.GetValue(quick);
            StepImplementations[]? chosen = result.GetValue(optimizers);
            int[]? chosenSizes = result.GetValue(sizes);
            var run = new StepBenchmark(
                chosen is { Length: > 0 } ? chosen : [.. StepImplementations.All],
                chosenSizes is { Length: > 0 } ? chosenSizes : (isQuick ? QuickSizes : FullSizes),
                isQuick ? TimingSettings.Quick : TimingSettings.Full,
                isQuick);
            return run.Run(result.GetValue(json));
        });
        return command;
    }

    private static int[]? ParseSizes(ArgumentResult result)
    {
        var values = new List<int>();
        foreach (string item in SplitList(result))
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || value != Math.Floor(value) || value < 1 || value > MaxSize)
            {
                result.AddError($"--sizes: '{item}' is not a whole number of elements between 1 and {MaxSize}.");
                return null;
            }

            values.Add((int)value);
        }

        if (values.Count == 0)
        {
            result.AddError("--sizes: give at least one size.");
            return null;
        }

        return [.. values];
    }

    private static StepImplementations[]? ParseOptimizers(ArgumentResult result)
    {
        var chosen = new List<StepImplementations>();
        foreach (string item in SplitList(result))
        {
            StepImplementations? optimizer = StepImplementations.All.FirstOrDefault(o => string.Equals(o.Name, item, StringComparison.OrdinalIgnoreCase));
            if (optimizer is null)
            {
                string known = string.Join(", ", StepImplementations.All.Select(o => o.Name.ToLowerInvariant()));
                result.AddError($"--optimizers: unknown optimizer '{item}' (known: {known}).");
                return null;
            }

            if (!chosen.Contains(optimizer))
            {
                chosen.Add(optimizer);
            }
        }

        if (chosen.Count == 0)
        {
            result.AddError("--optimizers: give at least one optimizer.");
            return null;
        }

        return [.. chosen];
    }

    private static IEnumerable<string> SplitList(ArgumentResult result) =>
        result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>One run of <c>bench steps</c>.</summary>
internal sealed class StepBenchmark(IReadOnlyList<StepImplementations> optimizers, IReadOnlyList<int> sizes, TimingSettings settings, bool quick)
{
    /// <summary>The C references, compiled when a chosen optimizer has one and gcc is found: gcc's defaults, and without fma.</summary>
    private CompiledC? _c, _cExact;

    public int Run(string? jsonPath)
    {
        var wall = Stopwatch.StartNew();
        BenchMachine machine = BenchMachine.Current();
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{machine.ProcessorCount} processors, {machine.Os}, {machine.Runtime}, Vector512.IsHardwareAccelerated = {machine.Vector512HardwareAccelerated}" +
            (quick ? "; --quick" : string.Empty)));
        string? cReference = null;
        if (optimizers.Any(o => o.CPrimal is not null))
        {
            _c = CompiledC.Load(CompiledC.Contracted, out string? reason);
            _cExact = _c is null ? null : CompiledC.Load(CompiledC.Exact, out reason);
            cReference = _c is null || _cExact is null
                ? $"C reference skipped: {reason}."
                : $"C reference: {_c.Compiler}, {_c.Flags}; without fma: {_cExact.Flags}.";
            AnsiConsole.MarkupLine(Markup.Escape(cReference));
        }

        List<AgreementResult> agreement = CheckAgreement();
        if (agreement.Any(a => !(a.MaxRelativeDifference <= Agreement.Tolerance)))
        {
            AnsiConsole.MarkupLine($"[red]Implementations disagree[/]: wanted a max relative difference ≤ {Agreement.Tolerance:0.0E+0}; nothing was timed.");
            return CommandLine.CheckFailed;
        }

        double bandwidth = 0;
        var rows = new List<StepBenchRow>();
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("triad bandwidth", maxValue: 1 + CountMeasurements());
                bandwidth = Triad.BytesPerSecond(settings.TriadLength, settings.TriadRepetitions);
                task.Increment(1);
                foreach (StepImplementations optimizer in optimizers)
                {
                    foreach (int n in sizes)
                    {
                        task.Description = Markup.Escape($"{optimizer.Name}, n = {n:N0}: allocating");
                        var buffers = new StepBuffers(n, optimizer.StateCount, TensorPrimitivesChains.Temporaries, seed: n, BenchHyper.Directions);
                        foreach (StepPart kind in Enum.GetValues<StepPart>())
                        {
                            rows.Add(Measure(optimizer, kind, buffers, bandwidth, task));
                        }
                    }

                    GC.Collect();
                }
            });

        wall.Stop();
        StepBenchReport report = new(
            Environment.CommandLine,
            string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            machine,
            quick,
            settings,
            wall.Elapsed.TotalSeconds,
            bandwidth / 1e9,
            agreement,
            rows,
            cReference);
        AnsiConsole.Write(report.Table());
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Triad bandwidth {report.TriadBandwidthGBPerSecond:0.0} GB/s ({settings.TriadLength:N0} doubles, best of {settings.TriadRepetitions}); " +
            $"wall time {report.WallSeconds:0.0} s."));
        if (jsonPath is not null)
        {
            report.WriteJson(jsonPath);
            AnsiConsole.MarkupLine(Markup.Escape($"Wrote {jsonPath}."));
        }

        return CommandLine.Success;
    }

    private List<AgreementResult> CheckAgreement()
    {
        var results = optimizers.SelectMany(o => Agreement.Check(o, _c, _cExact)).ToList();
        var table = new Table()
            .Title($"Agreement on {Agreement.Length} elements (generated vs. other)")
            .AddColumn("optimizer").AddColumn("part").AddColumn("against")
            .AddColumn(new TableColumn("max rel. diff.").RightAligned());
        foreach (AgreementResult result in results)
        {
            string color = result.MaxRelativeDifference <= Agreement.Tolerance ? "green" : "red";
            table.AddRow(
                new Text(result.Optimizer), new Text(result.Part), new Text(result.Against),
                new Markup($"[{color}]{result.MaxRelativeDifference.ToString("0.0E+0", CultureInfo.InvariantCulture)}[/]"));
        }

        AnsiConsole.Write(table);
        return results;
    }

    private int CountMeasurements()
    {
        int perSize = 0;
        foreach (StepImplementations optimizer in optimizers)
        {
            foreach (StepPart kind in Enum.GetValues<StepPart>())
            {
                perSize += 1 + (optimizer.HandWritten(kind) is null ? 0 : 1) + (kind == StepPart.Primal && optimizer.Chain is not null ? 1 : 0)
                    + (optimizer.InC(kind, _c) is null ? 0 : 1) + (optimizer.InC(kind, _cExact) is null ? 0 : 1) + (kind == StepPart.Tangents ? 1 : 0);
            }
        }

        return perSize * sizes.Count;
    }

    private StepBenchRow Measure(StepImplementations optimizer, StepPart kind, StepBuffers buffers, double bandwidth, ProgressTask task)
    {
        string label = $"{optimizer.Name} {StepParts.Name(kind)}, n = {buffers.Length:N0}";
        double Time(Action<StepBuffers> kernel, string what)
        {
            task.Description = Markup.Escape($"{label}: {what}");
            double ns = BenchTimer.NanosecondsPerElement(kernel, buffers, settings);
            task.Increment(1);
            return ns;
        }

        double generated = Time(optimizer.Generated(kind), "generated");
        Action<StepBuffers>? hand = optimizer.HandWritten(kind);
        double? handWritten = hand is null ? null : Time(hand, "hand-written");
        double? chain = kind == StepPart.Primal && optimizer.Chain is not null ? Time(optimizer.Chain, "TensorPrimitives") : null;
        Action<StepBuffers>? inC = optimizer.InC(kind, _c);
        double? c = inC is null ? null : Time(inC, Agreement.C);
        Action<StepBuffers>? inCExact = optimizer.InC(kind, _cExact);
        double? cExact = inCExact is null ? null : Time(inCExact, Agreement.CExact);
        double? separate = null;
        if (kind == StepPart.Tangents)
        {
            // Per element and direction.
            int k = buffers.Directions.Count;
            separate = Time(optimizer.TangentInEachDirection, Agreement.SeparateTangents) / k;
            generated /= k;
        }

        int bytes = optimizer.BytesPerElement(kind);
        double boundNs = bytes / bandwidth * 1e9;
        return new StepBenchRow(
            optimizer.Name, StepParts.Name(kind), buffers.Length, bytes, generated,
            handWritten, handWritten is null ? null : generated / handWritten,
            chain, chain is null ? null : generated / chain,
            100 * boundNs / generated,
            separate, separate is null ? null : generated / separate,
            c, c is null ? null : generated / c,
            cExact, cExact is null ? null : generated / cExact);
    }
}
