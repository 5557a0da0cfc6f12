using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>The engines in float: the same hypergradient as in double, to float's precision.</summary>
public sealed class PrecisionTests
{
    [Theory]
    [InlineData("Momentum")]
    [InlineData("Adam")]
    public void Reverse_and_forward_in_float_agree_with_double(string optimizer)
    {
        var (dynamicsD, responseD, lambda) = EngineProblems.Create<double>(optimizer, ["lr", "wd"]);
        var (dynamicsF, responseF, _) = EngineProblems.Create<float>(optimizer, ["lr", "wd"]);
        var reference = new ReverseHypergradient<double>(dynamicsD, responseD).Compute(lambda);
        var reverse = new ReverseHypergradient<float>(dynamicsF, responseF).Compute(lambda);
        var forward = new ForwardHypergradient<float>(dynamicsF, responseF).Compute(lambda);

        // 12 steps of float arithmetic: errors of a few hundred ulps (2⁻²³ ≈ 1.2e-7) of the largest entry.
        Agreement.Close(reference, reverse, 1e-4, $"{optimizer} reverse in float");
        Agreement.Close(reference, forward, 1e-4, $"{optimizer} forward in float");
    }
}
