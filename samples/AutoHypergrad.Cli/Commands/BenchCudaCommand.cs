using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Cuda;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using AutoHypergrad.Steps;
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
                "Adam's tangent is timed with one direction (k = 1); the engines' forward mode uses as many as there are tuned hyperparameters.",
                "The peak bandwidth is the theoretical 2 × memory clock × bus width of the device attributes; the achievable peak is lower (typically 85–92%).",
                "Reverse-HG on the GPU keeps the data, the objective's products (cuBLAS and the loss-head kernels), the step and the whole trajectory on the device; per step it moves λ-sized values (the example weights) and one int per finite check between host and device (docs/cuda.md).",
            };
            rows.AddRange(AdamKernels<double>(device, (int)elements, repeats));
            rows.AddRange(AdamKernels<float>(device, (int)elements, repeats));
            if (HyperCleaningRow(device, quick, out string? skipped) is { } cleaning)
            {
                rows.Add(cleaning);
            }
            else
            {
                deviations.Add(skipped!);
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

    /// <summary>Adam's three kernels at <paramref name="n"/> elements, each timed over <paramref name="repeats"/> launches after one to warm up.</summary>
    private static IEnumerable<BenchCudaRow> AdamKernels<T>(CudaDevice device, int n, int repeats)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var adam = Optimizers.Optimizers.Find("Adam");
        using var kernel = new CudaVectorizedStep<T>(device, adam);
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        const int k = 1;
        int hyperCount = adam.Hyperparameters.Count;
        var hyper = adam.ValuesArray().Select(T.CreateChecked).ToArray();
        var options = new StepOptions(10);

        // Every buffer holds values in [0.01, 1): a valid Adam state (v ≥ 0) and gradient.
        var random = new Random(1);
        var block = Enumerable.Range(0, n).Select(_ => T.CreateChecked(0.01 + 0.99 * random.NextDouble())).ToArray();
        DeviceBuffer<T> Filled(int blocks)
        {
            var buffer = new DeviceBuffer<T>(device, (long)blocks * n);
            for (int b = 0; b < blocks; b++)
            {
                buffer.Upload(block, (long)b * n);
            }

            return buffer;
        }

        using var state = Filled(3);
        using var gradient = Filled(1);
        using var stateTangents = Filled(3 * k);
        using var gradientTangents = Filled(k);
        using var hyperTangents = new DeviceBuffer<T>(device, Enumerable.Repeat(T.One, hyperCount * k).ToArray());
        using var stateAdjoint = Filled(3);
        using var gradientAdjoint = Filled(1);
        using var hyperAdjoints = new DeviceBuffer<T>(device, new T[hyperCount]);

        var kernels = new (string Name, CudaKernelSignature Signature, Action Launch)[]
        {
            ("primal", kernel.Module.Primal, () => kernel.Step(state.Pointer, gradient.Pointer, hyper, options, n)),
            ("tangent", kernel.Module.Tangent, () => kernel.Tangents(state.Pointer, stateTangents.Pointer, gradient.Pointer, gradientTangents.Pointer, hyper, hyperTangents.Pointer, options, n, k)),
            ("adjoint", kernel.Module.Adjoint, () => kernel.Adjoint(state.Pointer, stateAdjoint.Pointer, gradient.Pointer, gradientAdjoint.Pointer, hyper, hyperAdjoints.Pointer, options, n)),
        };
        foreach (var (name, signature, launch) in kernels)
        {
            launch();
            device.Synchronize();
            float milliseconds = device.Time(() =>
            {
                for (int r = 0; r < repeats; r++)
                {
                    launch();
                }
            });
            double seconds = milliseconds / 1e3 / repeats;
            long bytes = KernelTraffic.BytesPerElement(signature, size, k);
            double bandwidth = bytes * (double)n / seconds;
            yield return new BenchCudaRow(
                $"Adam {name} ({typeof(T).Name.ToLowerInvariant()})",
                NsPerElement: seconds * 1e9 / n,
                BytesPerElement: bytes,
                GbPerSecond: bandwidth / 1e9,
                PeakBandwidthFraction: bandwidth / device.PeakBandwidthBytesPerSecond);
        }
    }

    /// <summary>
    /// The first hypergradient of hyper-cleaning (float, radius 1000 or --quick's 100) on the CPU and on the GPU (the
    /// same experiment on each <see cref="TrainingBackend{T}"/>); null, with the reason, when MNIST is not found.
    /// </summary>
    private static BenchCudaRow? HyperCleaningRow(CudaDevice device, bool quick, out string? skipped)
    {
        string? mnist = MnistLocator.Find();
        if (mnist is null)
        {
            skipped = $"MNIST not found (set {MnistLocator.EnvironmentVariable}): the Reverse-HG row was not run.";
            return null;
        }

        skipped = null;
        var settings = quick ? HyperCleaningSettings.Quick(0) : HyperCleaningSettings.Paper(0);
        double radius = settings.Radii[0];
        var data = MnistReader.Read<float>(mnist, MnistSplit.Train);
        // The engine's own clock: the hypergradient, without the setup before it (the data's upload, NVRTC).
        using var cpuBackend = TrainingBackend<float>.Cpu();
        var cpu = new HyperCleaning<float>(settings, data, "float", cpuBackend).FirstHypergradient(radius);
        using var gpuBackend = TrainingBackend<float>.Cuda(device);
        var gpu = new HyperCleaning<float>(settings, data, "float", gpuBackend).FirstHypergradient(radius);
        double scale = cpu.Gradient.Max(Math.Abs);
        double difference = cpu.Gradient.Zip(gpu.Gradient, (a, b) => Math.Abs(a - b)).Max() / scale;
        return new BenchCudaRow(
            $"Reverse-HG hyper-cleaning ({settings.TrainingRows} examples, {settings.Steps} steps, float)",
            CpuSeconds: cpu.Cost.Elapsed.TotalSeconds,
            GpuSeconds: gpu.Cost.Elapsed.TotalSeconds,
            Speedup: cpu.Cost.Elapsed.TotalSeconds / gpu.Cost.Elapsed.TotalSeconds,
            MaxRelativeDifference: difference);
    }

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
