using System;
using System.Linq;
using AutoHypergrad.Optimizers;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// Real launches on a CUDA GPU (skipped, with the reason, where none opens). The kernels are compiled with
/// --fmad=false, so that a·b + c rounds twice as in the C#; what still differs from the C# is (1) CUDA's pow, exp, log
/// and tanh, within 1–2 ulp in double and 1–4 ulp in float (CUDA C Programming Guide, "Mathematical Functions"),
/// not glibc's, amplified by Adam's bias correction 1/(1 − β₂ᵗ) up to β₂ᵗ/(1 − β₂ᵗ) ≈ 330 at t = 3 and β₂ ≈ 0.999:
/// about 700 ulp, 1.5e−13 in double and 2.4e−4 in float, relative; and (2) the order of the uniform adjoints' sums
/// (tree per block, blocks in any order), which moves a sum of n terms by up to n·u·Σ|cᵢ|. The bounds below,
/// 1e−10 (double) and 2e−3 (float) of each output's largest magnitude, leave room for both at n = 4099; they have not
/// been exercised on a GPU from this repository's machines, which have none.
/// </summary>
public sealed class GpuTests
{
    [GpuTheory]
    [MemberData(nameof(GeneratedModules.All), MemberType = typeof(GeneratedModules))]
    public void Step_tangent_and_adjoint_on_the_GPU_match_the_CSharp(string optimizer, bool single)
    {
        var descriptor = AutoHypergrad.Optimizers.Optimizers.Find(optimizer);
        if (single)
        {
            Check<float>(descriptor, 2e-3);
        }
        else
        {
            Check<double>(descriptor, 1e-10);
        }
    }

    [GpuFact]
    public void Device_resident_step_equals_the_staged_step_bit_for_bit()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        var device = Gpu.Device;
        using var kernel = new CudaStepKernel<double>(device, adam);
        const int n = 100_003;
        var random = new Random(3);
        var state = Enumerable.Range(0, 3 * n).Select(i => i < n ? random.NextDouble() - 0.5 : random.NextDouble()).ToArray();
        var gradient = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var hyper = adam.Defaults();
        var options = new Engines.StepOptions(5);
        using var deviceState = new DeviceBuffer<double>(device, state);
        using var deviceGradient = new DeviceBuffer<double>(device, gradient);
        kernel.Step(deviceState.Pointer, deviceGradient.Pointer, hyper, options, n);
        device.Synchronize();
        kernel.Step(state, gradient, hyper, options);
        Assert.Equal(state, deviceState.ToArray());
    }

    [GpuFact]
    public void Reverse_hypergradient_with_the_step_on_the_GPU_matches_the_CPU()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var cuda = new CudaStepKernel<double>(Gpu.Device, adam);
        var expected = EngineRuns.ReverseHypergradient(adam.Kernel<double>(), out _);
        var actual = EngineRuns.ReverseHypergradient(cuda, out _);
        Assert.Equal(expected.Names, actual.Names);
        // Ten steps of the per-step differences above, in double, through a contracting training run.
        double scale = expected.Gradient.Max(Math.Abs);
        for (int i = 0; i < expected.Gradient.Length; i++)
        {
            Assert.True(Math.Abs(expected.Gradient[i] - actual.Gradient[i]) <= 1e-8 * scale, $"{expected.Names[i]}: GPU {actual.Gradient[i]:R}, CPU {expected.Gradient[i]:R}");
        }
    }

    private static void Check<T>(OptimizerDescriptor descriptor, double relative)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        // 4099 elements: 17 blocks of 256, the last one partly filled.
        var agreement = new StepAgreement<T>(descriptor, n: 4099, seed: 11);
        using var kernel = new CudaStepKernel<T>(Gpu.Device, descriptor);
        foreach (var flags in new[] { false, true })
        {
            var options = agreement.Options(flags);
            StepAgreement<T>.AssertClose(agreement.RunElementwise(options), agreement.Run(kernel, options), relative, $"{descriptor.Name} ({typeof(T).Name}, flags {(flags ? "on" : "off")})");
        }
    }
}
