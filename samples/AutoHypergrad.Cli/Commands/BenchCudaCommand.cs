using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using AutoHypergrad.BenchmarkHarness.Cuda;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cuda;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>One row of <c>bench cuda</c>: a kernel's time per element against the memory bandwidth, or Reverse-HG on the GPU against the CPU.</summary>
internal sealed record BenchCudaRow(
    string Name,
    double? NsPerElement = null,
    long? BytesPerElement = null,
    double? GbPerSecond = null,
    double? PeakBandwidthFraction = null,
    double? CpuSeconds = null,
    double? GpuSeconds = null,
    double? Speedup = null,
    double? MaxRelativeDifference = null,
    object? Paper = null);

/// <summary>The device of a <c>bench cuda</c> run, from its attributes.</summary>
internal sealed record BenchCudaDevice(string Name, string Architecture, int Multiprocessors, int MemoryClockKilohertz, int MemoryBusWidthBits, double PeakGbPerSecond, long TotalMemoryBytes);

/// <summary>The JSON of <c>bench cuda</c> (the experiment contract's top-level names).</summary>
internal sealed record BenchCudaReport(
    string Experiment,
    string Command,
    BenchMachine Machine,
    BenchCudaDevice Device,
    bool Quick,
    double Seconds,
    long Elements,
    int Repeats,
    IReadOnlyList<BenchCudaRow> Rows,
    IReadOnlyList<string> Deviations);

/// <summary>
/// <c>autohypergrad bench cuda</c>: on a CUDA GPU, ns/element of Adam's generated primal, tangent (one direction)
/// and adjoint kernels at 10⁸ elements, in double and float, against the memory bandwidth the device's attributes
/// give (bytes per element counted from the kernels' parameters); and Reverse-HG on hyper-cleaning with the optimizer
/// step on the GPU against the same run on the CPU. Without a CUDA driver it exits 1 with one line saying what is
/// missing.
/// </summary>
internal static class BenchCudaCommand
{
    private static readonly Option<bool> Quick = new("--quick") { Description = "10⁶ elements, 3 repeats, hyper-cleaning's --quick size: seconds." };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
    private static readonly Option<long?> Elements = new("--elements") { Description = "Elements per kernel launch (default 100000000).", HelpName = "N" };
    private static readonly Option<int?> Repeats = new("--repeats") { Description = "Timed launches per kernel (default 20).", HelpName = "N" };

    public static Command Create()
    {
        var command = new Command(
            "cuda",
            "Times Adam's generated CUDA kernels (primal, tangent, adjoint; ns/element and the fraction of the memory " +
            "bandwidth) and Reverse-HG on hyper-cleaning on the GPU (data, objective, step and trajectory on the device) against the CPU. Needs a CUDA driver " +
            "and NVRTC (exit code 1 with the reason without them).");
        command.Options.Add(Quick);
        command.Options.Add(Json);
        command.Options.Add(Elements);
        command.Options.Add(Repeats);
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            bool quick = parse.GetValue(Quick);
            long elements = parse.GetValue(Elements) ?? (quick ? 1_000_000 : 100_000_000);
            int repeats = parse.GetValue(Repeats) ?? (quick ? 3 : 20);
            if (elements is < 1 or > int.MaxValue || repeats < 1)
            {
                throw new UsageException($"--elements must be in [1, {int.MaxValue}] and --repeats at least 1; got {elements} and {repeats}.");
            }

            // Loads libcuda: without a driver, CudaUnavailableException is the one-line failure.
            using var device = CudaDevice.Open();
            var machine = BenchMachine.Current();
            AnsiConsole.MarkupLine(Markup.Escape($"{device.Description}; NVRTC {CudaCompiler.Version}; host {machine.Processor}, {machine.ProcessorCount} processors" + (quick ? "; --quick" : "")));
            var rows = new List<BenchCudaRow>();
            var deviations = new List<string>
            {
                $"Adam's tangent is timed with {CudaBenchmark.TangentDirections} direction (k = {CudaBenchmark.TangentDirections}); the engines' forward mode uses as many as there are tuned hyperparameters.",
                "The peak bandwidth is the theoretical 2 × memory clock × bus width of the device attributes; the achievable peak is lower (typically 85–92%).",
                "Reverse-HG on the GPU keeps the data, the objective's products (cuBLAS and the loss-head kernels), the step and the whole trajectory on the device; per step it moves λ-sized values (the example weights) and one int per finite check between host and device (docs/cuda.md).",
            };
            rows.AddRange(CudaBenchmark.AdamKernels<double>(device, (int)elements, repeats).Concat(CudaBenchmark.AdamKernels<float>(device, (int)elements, repeats))
                .Select(t => new BenchCudaRow(t.Name, NsPerElement: t.NsPerElement, BytesPerElement: t.BytesPerElement, GbPerSecond: t.GbPerSecond, PeakBandwidthFraction: t.PeakBandwidthFraction)));
            if (MnistLocator.Find() is { } mnist)
            {
                var cleaning = CudaBenchmark.HyperCleaning(device, mnist, quick);
                rows.Add(new BenchCudaRow(
                    cleaning.Name, CpuSeconds: cleaning.CpuSeconds, GpuSeconds: cleaning.GpuSeconds, Speedup: cleaning.Speedup, MaxRelativeDifference: cleaning.MaxRelativeDifference));
            }
            else
            {
                deviations.Add($"MNIST not found (set {MnistLocator.EnvironmentVariable}): the Reverse-HG row was not run.");
            }

            AnsiConsole.Write(Table(rows));
            var report = new BenchCudaReport(
                "bench-cuda", commandLine, machine,
                new BenchCudaDevice(device.Name, device.Architecture, device.Multiprocessors, device.MemoryClockKilohertz, device.MemoryBusWidthBits, device.PeakBandwidthBytesPerSecond / 1e9, device.TotalMemoryBytes),
                quick, clock.Elapsed.TotalSeconds, elements, repeats, rows, deviations);
            if (parse.GetValue(Json) is { } path)
            {
                JsonFile.Write(path, report);
            }

            return 0;
        });

    private static Table Table(IEnumerable<BenchCudaRow> rows)
    {
        var table = new Table().AddColumns("Run", "ns/element", "bytes/element", "GB/s", "of peak", "CPU s", "GPU s", "speed-up", "max rel. diff");
        static string Number(double? value, string format) => value is { } v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "";
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Name), Number(row.NsPerElement, "0.000"), Number(row.BytesPerElement, "0"), Number(row.GbPerSecond, "0"),
                Number(row.PeakBandwidthFraction * 100, "0'%'"), Number(row.CpuSeconds, "0.00"), Number(row.GpuSeconds, "0.00"), Number(row.Speedup, "0.00"),
                Number(row.MaxRelativeDifference, "0.0e0"));
        }

        return table;
    }
}
