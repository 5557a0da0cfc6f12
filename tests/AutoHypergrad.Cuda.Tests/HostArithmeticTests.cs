using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The generated CUDA C and the generated C# compute the same bits: every optimizer, float and double, its step,
/// k-direction tangent and adjoint (per-element and summed uniform adjoints), with every option flag off and on,
/// the CUDA C compiled as host C++ and driven through <see cref="CudaVectorizedStep{T}"/> (so its packing of the
/// IVectorizedStep layouts into kernel arguments is checked too). Bit equality holds because the operations are the same
/// in the same order (the CUDA C is printed from the same IR), g++ does not contract a·b + c into an FMA
/// (-ffp-contract=off; the C# uses none unless written), sqrt and the four operations are correctly rounded on both
/// sides, and pow, exp, log and tanh are glibc's on both (.NET calls the C runtime's). On a GPU the last point does not
/// hold (CUDA's pow is within 2 ulp, not glibc's), and the uniform sums go in another order: see GpuTests.
/// </summary>
public sealed class HostArithmeticTests
{
    private static readonly HostDevice Device = new();

    [Theory]
    [MemberData(nameof(GeneratedModules.All), MemberType = typeof(GeneratedModules))]
    public void Host_build_of_the_CUDA_C_matches_the_CSharp_bit_for_bit(string optimizer, bool single)
    {
        var descriptor = AutoHypergrad.Optimizers.Optimizers.Find(optimizer);
        if (single)
        {
            Check<float>(descriptor);
        }
        else
        {
            Check<double>(descriptor);
        }
    }

    private static void Check<T>(Optimizer descriptor)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        // 37 elements: odd, and past any vector width, so that the C# drivers would take their vector loops at full length.
        var agreement = new StepAgreement<T>(descriptor, n: 37, seed: 7);
        using var kernel = new CudaVectorizedStep<T>(Device, descriptor);
        foreach (var flags in new[] { false, true })
        {
            var options = agreement.Options(flags);
            StepAgreement<T>.AssertBitwiseEqual(agreement.RunElementwise(options), agreement.Run(kernel, options), $"{descriptor.Name} ({typeof(T).Name}, flags {(flags ? "on" : "off")})");
        }
    }
}
