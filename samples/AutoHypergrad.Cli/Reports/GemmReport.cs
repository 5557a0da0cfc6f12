using System.Collections.Generic;
using System.Globalization;
using AutoHypergrad.BenchmarkHarness.Gemm;
using AutoHypergrad.Cli.Commands;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Reports;

/// <summary>
/// The machine's peak, from an FMA loop: the products are compared with <see cref="DoubleGflops"/> and
/// <see cref="FloatGflops"/>, the one-thread measurement times the thread count (what the cores can do; the loop run
/// on all threads at once is also reported, lower when another process shares a core).
/// </summary>
internal sealed record GemmPeak(
    string Width, int Threads, double OneThreadDoubleGflops, double OneThreadFloatGflops, double AllThreadsDoubleGflops, double AllThreadsFloatGflops)
{
    public double DoubleGflops => Threads * OneThreadDoubleGflops;

    public double FloatGflops => Threads * OneThreadFloatGflops;
}

/// <summary>The results of a run of <c>bench gemm</c>: printed as a table, written as JSON.</summary>
internal sealed record GemmReport(
    string CommandLine,
    string Arguments,
    BenchMachine Machine,
    bool Quick,
    string Precision,
    int Threads,
    string Managed,
    string? OpenBlas,
    IReadOnlyDictionary<string, string?> Environment,
    GemmTimingSettings Settings,
    GemmPeak Peak,
    double WallSeconds,
    IReadOnlyList<GemmRow> Rows)
{

    public Table Table()
    {
        var table = new Table()
            .Title($"Dense products, GFLOP/s (median), {Threads} thread{(Threads == 1 ? string.Empty : "s")}")
            .AddColumn("product").AddColumn("shape").AddColumn("precision")
            .AddColumn(new TableColumn("managed").RightAligned())
            .AddColumn(new TableColumn("OpenBLAS").RightAligned())
            .AddColumn(new TableColumn("managed / OpenBLAS").RightAligned())
            .AddColumn(new TableColumn("managed % of peak").RightAligned())
            .AddColumn(new TableColumn("OpenBLAS % of peak").RightAligned())
            .AddColumn(new TableColumn("agreement").RightAligned())
            .Caption(
                "GFLOP/s = 2mnk (GEMV 2mn) / median time per call. peak = threads × the one-thread FMA loop. " +
                "agreement = max |managed − OpenBLAS| / (2·γ(k+2)·|A||B|) on the first rows; ≤ 1 is within rounding.");
        foreach (GemmRow row in Rows)
        {
            table.AddRow(
                Markup.Escape(row.Product), Markup.Escape(row.Shape), row.Precision,
                Number(row.ManagedGflops), Number(row.OpenBlasGflops), Ratio(row.ManagedOverOpenBlas),
                Percent(row.ManagedPercentOfPeak), Percent(row.OpenBlasPercentOfPeak), Agreement(row.AgreementOverBound));
        }

        return table;
    }

    /// <summary>Writes the report as JSON, atomically.</summary>
    public void WriteJson(string path) => JsonFile.Write(path, this);

    private static string Number(double? value) => value switch
    {
        null => "–",
        < 10 => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? value) => value is null ? "–" : value.Value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is null ? "–" : value.Value.ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Agreement(double? value) => value is null ? "–" : value.Value.ToString("0.0E+0", CultureInfo.InvariantCulture);
}
