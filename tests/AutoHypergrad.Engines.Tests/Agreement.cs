using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>Vector comparisons with the tolerance relative to the reference's largest entry.</summary>
internal static class Agreement
{
    /// <summary>max |actual − expected| ≤ tolerance · max |expected|, entry by entry, with the names in the message.</summary>
    public static void Close(HypergradientResult expected, HypergradientResult actual, double tolerance, string what)
    {
        Assert.Equal(expected.Gradient.Length, actual.Gradient.Length);
        double scale = expected.Gradient.Max(Math.Abs);
        Assert.True(scale > 0, $"{what}: the reference hypergradient is 0, which tests nothing.");
        for (int i = 0; i < expected.Gradient.Length; i++)
        {
            double error = Math.Abs(actual.Gradient[i] - expected.Gradient[i]) / scale;
            Assert.True(
                error <= tolerance,
                $"{what}: ∂f/∂{expected.Names[i]} = {actual.Gradient[i]:R}, expected {expected.Gradient[i]:R} (relative error {error:E2} > {tolerance:E0}).");
        }

        Assert.Equal(expected.Value, actual.Value, tolerance * Math.Abs(expected.Value));
    }

    /// <summary>The same bits, value and gradient.</summary>
    public static void Identical(HypergradientResult expected, HypergradientResult actual, string what)
    {
        Assert.True(expected.Value.Equals(actual.Value), $"{what}: f = {actual.Value:R}, expected {expected.Value:R}.");
        for (int i = 0; i < expected.Gradient.Length; i++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected.Gradient[i]) == BitConverter.DoubleToInt64Bits(actual.Gradient[i]),
                $"{what}: ∂f/∂{expected.Names[i]} = {actual.Gradient[i]:R}, expected the bits of {expected.Gradient[i]:R}.");
        }
    }
}
