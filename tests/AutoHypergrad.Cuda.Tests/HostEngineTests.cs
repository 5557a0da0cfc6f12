using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The engines run with the optimizer step on a device through <see cref="CudaVectorizedStep{T}"/>, unchanged: Reverse-HG
/// with Adam's generated CUDA C (host build) gives the same bits as with the C# vectorized step applied element by
/// element, the objective and the engine being the same code on both sides.
/// </summary>
public sealed class HostEngineTests
{
    [Fact]
    public void Reverse_hypergradient_with_the_CUDA_step_matches_the_CSharp_step_bit_for_bit()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var device = new HostDevice();
        using var cuda = new CudaVectorizedStep<double>(device, adam);
        var expected = EngineRuns.ReverseHypergradient(new ElementwiseVectorizedStep<double>(adam.Step<double>()), out _);
        var actual = EngineRuns.ReverseHypergradient(cuda, out _);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Names, actual.Names);
        Assert.Equal(expected.Gradient, actual.Gradient);
        Assert.Contains(actual.Gradient, g => g != 0);
        Assert.All(actual.Gradient, g => Assert.True(double.IsFinite(g)));
    }
}

/// <summary>The bytes per element the bandwidth figures of <c>bench cuda</c> divide by.</summary>
public sealed class KernelTrafficTests
{
    [Fact]
    public void Adam_moves_its_state_twice_and_its_inputs_once_per_element()
    {
        var module = GeneratedModules.Of(AutoHypergrad.Optimizers.Optimizers.Find("Adam"), single: false);
        // Primal: w, m, v read and written, g read: 7 doubles.
        Assert.Equal(7 * 8, KernelTraffic.BytesPerElement(module.Primal, 8, 1));
        // Tangent, k = 2: w, m, v (2 each) and their tangents (2·2 each), g (1) and its tangents (2).
        Assert.Equal((6 + 12 + 1 + 2) * 8, KernelTraffic.BytesPerElement(module.Tangent, 8, 2));
        // Adjoint: w, m, v and g read (4), their adjoints read and written (8).
        Assert.Equal(12 * 4, KernelTraffic.BytesPerElement(GeneratedModules.Of(AutoHypergrad.Optimizers.Optimizers.Find("Adam"), single: true).Adjoint, 4, 1));
    }
}
