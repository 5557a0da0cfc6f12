using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cuda;
using AutoHypergrad.Data;
using AutoHypergrad.Experiments;
using AutoHypergrad.Steps;

namespace AutoHypergrad.BenchmarkHarness.Cuda;

/// <summary>A generated CUDA kernel's time per element against the device's memory bandwidth.</summary>
/// <param name="Name">The step, the kernel (primal, tangent, adjoint) and the precision.</param>
/// <param name="NsPerElement">The time of a launch over the elements.</param>
/// <param name="BytesPerElement">The bytes a launch reads and writes per element, counted from the kernel's parameters.</param>
/// <param name="GbPerSecond">The bandwidth achieved: bytes per element × elements / time.</param>
/// <param name="PeakBandwidthFraction">The achieved bandwidth over the theoretical peak of the device's attributes.</param>
public sealed record CudaKernelTiming(string Name, double NsPerElement, long BytesPerElement, double GbPerSecond, double PeakBandwidthFraction);

/// <summary>One hypergradient on the CPU and on the GPU: the engine's own times and how far the results are apart.</summary>
/// <param name="Name">The problem: examples, steps, precision.</param>
/// <param name="CpuSeconds">The hypergradient's time on the CPU.</param>
/// <param name="GpuSeconds">The hypergradient's time with its state on the GPU.</param>
/// <param name="Speedup">CPU time over GPU time.</param>
/// <param name="MaxRelativeDifference">max |cpu − gpu| over max |cpu|, over the hypergradient's entries.</param>
public sealed record CudaHypergradientTiming(string Name, double CpuSeconds, double GpuSeconds, double Speedup, double MaxRelativeDifference);

/// <summary>
/// What <c>bench cuda</c> measures on a CUDA device: Adam's generated kernels against the memory bandwidth, and
/// Reverse-HG on hyper-cleaning with its state on the GPU against the same run on the CPU.
/// </summary>
public static class CudaBenchmark
{
    /// <summary>Adam's tangent is timed with one direction; the engines' forward mode uses one per tuned hyperparameter.</summary>
    public const int TangentDirections = 1;

    /// <summary>Adam's primal, tangent and adjoint kernels at <paramref name="n"/> elements, each timed over <paramref name="repeats"/> launches after one to warm up.</summary>
    public static IEnumerable<CudaKernelTiming> AdamKernels<T>(CudaDevice device, int n, int repeats)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var adam = Optimizers.Optimizers.Find("Adam");
        using var kernel = new CudaVectorizedStep<T>(device, adam);
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        const int k = TangentDirections;
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
        var timings = new List<CudaKernelTiming>();
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
            timings.Add(new CudaKernelTiming(
                $"Adam {name} ({typeof(T).Name.ToLowerInvariant()})", seconds * 1e9 / n, bytes, bandwidth / 1e9, bandwidth / device.PeakBandwidthBytesPerSecond));
        }

        return timings;
    }

    /// <summary>
    /// The first hypergradient of hyper-cleaning (float, the paper's size at radius 1000, or --quick's at 100) on the
    /// CPU and on the GPU: the same experiment on each <see cref="TrainingBackend{T}"/>, timed by the engine's own
    /// clock (the hypergradient, without the setup before it: the data's upload, NVRTC).
    /// </summary>
    public static CudaHypergradientTiming HyperCleaning(CudaDevice device, string mnist, bool quick)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = quick ? HyperCleaningSettings.Quick(0) : HyperCleaningSettings.Paper(0);
        double radius = settings.Radii[0];
        var data = MnistReader.Read<float>(mnist, MnistSplit.Train);
        using var cpuBackend = TrainingBackend<float>.Cpu();
        var cpu = new HyperCleaning<float>(settings, data, "float", cpuBackend).FirstHypergradient(radius);
        using var gpuBackend = TrainingBackend<float>.Cuda(device);
        var gpu = new HyperCleaning<float>(settings, data, "float", gpuBackend).FirstHypergradient(radius);
        double scale = cpu.Gradient.Max(Math.Abs);
        double difference = cpu.Gradient.Zip(gpu.Gradient, (a, b) => Math.Abs(a - b)).Max() / scale;
        double cpuSeconds = cpu.Cost.Elapsed.TotalSeconds, gpuSeconds = gpu.Cost.Elapsed.TotalSeconds;
        return new CudaHypergradientTiming(
            $"Reverse-HG hyper-cleaning ({settings.TrainingRows} examples, {settings.Steps} steps, float)", cpuSeconds, gpuSeconds, cpuSeconds / gpuSeconds, difference);
    }
}
