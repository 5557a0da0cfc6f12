using System.Linq;
using AutoHypergrad.Optimizers;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The engines run with the optimizer step on a device through <see cref="CudaStepKernel{T}"/>, unchanged: Reverse-HG
/// with Adam's generated CUDA C (host build) gives the same bits as with the C# step kernel applied element by
/// element, the objective and the engine being the same code on both sides.
/// </summary>
public sealed class HostEngineTests
{
    [Fact]
    public void Reverse_hypergradient_with_the_CUDA_step_matches_the_CSharp_step_bit_for_bit()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var device = new HostDevice();
        using var cuda = new CudaStepKernel<double>(device, adam);
        var expected = EngineRuns.ReverseHypergradient(new ElementwiseStepKernel<double>(adam.Kernel<double>()), out _);
        var actual = EngineRuns.ReverseHypergradient(cuda, out _);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Names, actual.Names);
        Assert.Equal(expected.Gradient, actual.Gradient);
        Assert.Contains(actual.Gradient, g => g != 0);
        Assert.All(actual.Gradient, g => Assert.True(double.IsFinite(g)));
    }
}
