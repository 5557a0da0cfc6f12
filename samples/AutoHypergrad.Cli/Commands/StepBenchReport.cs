using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoHypergrad.BenchmarkHarness.Steps;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The machine a benchmark ran on.</summary>
internal sealed record BenchMachine(
    int ProcessorCount,
    string Processor,
    string Os,
    string Architecture,
    string Runtime,
    bool Vector512HardwareAccelerated,
    bool Vector256HardwareAccelerated)
{
    public static BenchMachine Current() => new(
        Environment.ProcessorCount,
        ProcessorName(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        Vector512.IsHardwareAccelerated,
        Vector256.IsHardwareAccelerated);

    private static string ProcessorName()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return "unknown";
    }
}

/// <summary>
/// One line of the table: a generated kernel at one size and what it is compared with. For the vector-mode tangent
/// (k directions) the times and bytes are per element and direction, and it is compared with the single-direction
/// tangent run once per direction (<c>SeparateTangents</c>). The primal of a step with a C reference is also
/// compared with that step compiled by gcc (<c>C</c>), and compiled without fused multiply-adds (<c>CExact</c>: the
/// generated step's own operations and bits).
/// </summary>
internal sealed record StepBenchRow(
    string Optimizer,
    string Part,
    int N,
    int BytesPerElement,
    double GeneratedNsPerElement,
    double? HandWrittenNsPerElement,
    double? GeneratedOverHandWritten,
    double? TensorPrimitivesNsPerElement,
    double? GeneratedOverTensorPrimitives,
    double PercentOfBandwidth,
    double? SeparateTangentsNsPerElement = null,
    double? GeneratedOverSeparateTangents = null,
    double? CNsPerElement = null,
    double? GeneratedOverC = null,
    double? CExactNsPerElement = null,
    double? GeneratedOverCExact = null);

/// <summary>The results of a run of <c>bench steps</c>: printed as a table, written as JSON.</summary>
internal sealed record StepBenchReport(
    string CommandLine,
    string Arguments,
    BenchMachine Machine,
    bool Quick,
    TimingSettings Settings,
    double WallSeconds,
    double TriadBandwidthGBPerSecond,
    IReadOnlyList<AgreementResult> Agreement,
    IReadOnlyList<StepBenchRow> Rows,
    string? CReference = null)
{

    public Table Table()
    {
        var table = new Table()
            .Title("Optimizer steps' span drivers, double, ns/element (median)")
            .AddColumn("optimizer").AddColumn("part").AddColumn(new TableColumn("n").RightAligned())
            .AddColumn(new TableColumn("generated").RightAligned())
            .AddColumn(new TableColumn("hand-written").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn("TensorPrimitives chain").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn(BenchmarkHarness.Steps.Agreement.C).RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn(BenchmarkHarness.Steps.Agreement.CExact).RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn("% of bandwidth").RightAligned())
            .AddColumn(new TableColumn(BenchmarkHarness.Steps.Agreement.SeparateTangents).RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .Caption("ratio = generated / other (> 1: generated slower). % of bandwidth = (bytes moved / triad bandwidth) / generated time. " +
                $"tangents (k={BenchHyper.Directions}): ns per element and direction, the vector-mode tangent against the tangent run once per direction.");
        foreach (StepBenchRow row in Rows)
        {
            table.AddRow(
                row.Optimizer, row.Part, row.N.ToString("N0", CultureInfo.InvariantCulture),
                Ns(row.GeneratedNsPerElement), Ns(row.HandWrittenNsPerElement), Ratio(row.GeneratedOverHandWritten),
                Ns(row.TensorPrimitivesNsPerElement), Ratio(row.GeneratedOverTensorPrimitives),
                Ns(row.CNsPerElement), Ratio(row.GeneratedOverC),
                Ns(row.CExactNsPerElement), Ratio(row.GeneratedOverCExact),
                row.PercentOfBandwidth.ToString("0", CultureInfo.InvariantCulture) + "%",
                Ns(row.SeparateTangentsNsPerElement), Ratio(row.GeneratedOverSeparateTangents));
        }

        return table;
    }

    /// <summary>Writes the report as JSON, atomically.</summary>
    public void WriteJson(string path) => JsonFile.Write(path, this);

    private static string Ns(double? value) => value switch
    {
        null => "–",
        < 10 => value.Value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? value) => value is null ? "–" : value.Value.ToString("0.00", CultureInfo.InvariantCulture);
}
