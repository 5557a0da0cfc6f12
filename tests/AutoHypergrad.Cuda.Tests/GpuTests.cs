using System;
using System.Linq;
using AutoHypergrad.Steps;
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
        using var kernel = new CudaVectorizedStep<double>(device, adam);
        const int n = 100_003;
        var random = new Random(3);
        var state = Enumerable.Range(0, 3 * n).Select(i => i < n ? random.NextDouble() - 0.5 : random.NextDouble()).ToArray();
        var gradient = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var hyper = adam.ValuesArray();
        var options = new Steps.StepOptions(5);
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
        using var cuda = new CudaVectorizedStep<double>(Gpu.Device, adam);
        var expected = EngineRuns.ReverseHypergradient(adam.Step<double>(), out _);
        var actual = EngineRuns.ReverseHypergradient(cuda, out _);
        Assert.Equal(expected.Names, actual.Names);
        // Ten steps of the per-step differences above, in double, through a contracting training run.
        double scale = expected.Gradient.Max(Math.Abs);
        for (int i = 0; i < expected.Gradient.Length; i++)
        {
            Assert.True(Math.Abs(expected.Gradient[i] - actual.Gradient[i]) <= 1e-8 * scale, $"{expected.Names[i]}: GPU {actual.Gradient[i]:R}, CPU {expected.Gradient[i]:R}");
        }
    }

    [GpuFact]
    public void Engines_with_the_state_resident_on_the_GPU_equal_the_staged_runs_bit_for_bit()
        // 18 weights: one block, so even the uniform adjoints' atomicAdd sums in one order.
        => StateMemoryTests.AssertResidentRunsEqualStagedRuns(Gpu.Device);

    [GpuFact]
    public void Hyper_cleaning_hypergradient_with_data_products_step_and_state_on_the_GPU_matches_the_CPU()
        // The bounds of the host-build test hold here too: they allow any summation order (cuBLAS's included).
        => Assert.NotEmpty(DeviceHypergradientTests.AssertDeviceRunMatchesCpu(Gpu.Device));

    [GpuFact]
    public void State_memory_operations_on_the_GPU_give_the_host_bits()
        => StateMemoryTests.Operations<double>(Gpu.Device);

    private static void Check<T>(Optimizer descriptor, double relative)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        // 4099 elements: 17 blocks of 256, the last one partly filled.
        var agreement = new StepAgreement<T>(descriptor, n: 4099, seed: 11);
        using var kernel = new CudaVectorizedStep<T>(Gpu.Device, descriptor);
        foreach (var flags in new[] { false, true })
        {
            var options = agreement.Options(flags);
            StepAgreement<T>.AssertClose(agreement.RunElementwise(options), agreement.Run(kernel, options), relative, $"{descriptor.Name} ({typeof(T).Name}, flags {(flags ? "on" : "off")})");
        }
    }
}

/// <summary>cuBLAS GEMM on the GPU against the product computed in C#, where a GPU and libcublas are present.</summary>
public sealed class GpuBlasTests
{
    [GpuFact]
    public void Row_major_gemm_with_transposes_matches_the_host_product()
    {
        const int m = 37, n = 29, k = 53;
        var random = new Random(2);
        var a = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray(); // stored k×m: op(A) = Aᵀ
        var b = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray(); // stored k×n
        var device = Gpu.Device;
        using var da = new DeviceBuffer<double>(device, a);
        using var db = new DeviceBuffer<double>(device, b);
        using var dc = new DeviceBuffer<double>(device, new double[m * n]);
        if (!CublasPresence.TryGemm(() => device.GemmRowMajor(transposeA: true, transposeB: false, m, n, k, 1.0, da.Pointer, m, db.Pointer, n, 0.0, dc.Pointer, n)))
        {
            return;
        }

        var c = dc.ToArray();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    expected += a[p * m + i] * b[p * n + j];
                    magnitude += Math.Abs(a[p * m + i] * b[p * n + j]);
                }

                // Each side sums k products in its own order, within k·u of the exact sum (u = 2⁻⁵³, FMAs included): 2k·u apart.
                Assert.True(Math.Abs(c[i * n + j] - expected) <= k * Math.Pow(2, -53) * magnitude * 2, $"C[{i},{j}] = {c[i * n + j]:R}, expected {expected:R}");
            }
        }
    }
}

/// <summary>
/// <see cref="CudaSoftmaxRegression{T}"/> on a GPU against <see cref="Objectives.Models.WeightedSoftmaxRegression{T}"/>
/// on the CPU, and against itself. The bound is <see cref="CudaSoftmaxRegressionTests.Bound"/>'s, which holds for any
/// summation order: cuBLAS sums in blocks, with fused multiply-adds, and may split the k dimension, each sum still
/// within n·u of the sum of its terms' magnitudes; CUDA's exp and log (within 1–2 ulp in double, CUDA C Programming
/// Guide, "Mathematical Functions") stay inside the factor left for them. 1001 rows × 40 features and 10 classes:
/// four blocks of 256 rows, the last one partly filled, in the head.
/// </summary>
public sealed class GpuSoftmaxRegressionTests
{
    [GpuFact]
    public void Every_product_on_the_GPU_matches_the_host_objective_and_repeats_its_bits()
    {
        const int rows = 1001, features = 40, classes = 10;
        var data = SoftmaxAgreement.Data(rows, features, classes, seed: 12);
        var reference = Objectives.Models.WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true);
        using var cuda = CudaSoftmaxRegression<double>.Create(Gpu.Device, data, exampleWeights: true);
        var arguments = SoftmaxAgreement.Arguments<double>.Draw(reference, seed: 3);
        var repeated = Enumerable.Range(0, 300).Select(i => (i * 7) % rows).Append(5).Append(5).ToArray();
        foreach (var batch in new[] { Objectives.Batch.Full, Objectives.Batch.Of(repeated) })
        {
            if (!CublasPresence.TryGemm(() => cuda.Value(arguments.W, arguments.Lambda, batch)))
            {
                return;
            }

            SoftmaxAgreement.AssertAgree(reference, cuda, arguments, batch, CudaSoftmaxRegressionTests.Bound(rows, features, Math.Pow(2, -53)), batch.IsFull ? "GPU, full batch" : "GPU, partial batch");
            Assert.Equal(SoftmaxAgreement.Products(cuda, arguments, batch), SoftmaxAgreement.Products(cuda, arguments, batch));
        }
    }
}

/// <summary>Where a driver loads but the toolkit's cuBLAS does not, a GEMM test has nothing to check; its one-line reason is asserted instead.</summary>
internal static class CublasPresence
{
    public static bool TryGemm(Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (CudaUnavailableException e)
        {
            Assert.StartsWith("cuBLAS (libcublas.so) not found", e.Message, StringComparison.Ordinal);
            return false;
        }
    }
}
