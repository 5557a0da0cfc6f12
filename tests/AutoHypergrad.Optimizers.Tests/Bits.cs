using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

internal static class Bits
{
    /// <summary>Asserts that <paramref name="actual"/> has the bits of <paramref name="expected"/>, element by element.</summary>
    public static void Identical<T>(T[] expected, T[] actual, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = MemoryMarshal.AsBytes(expected.AsSpan(i, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan(i, 1)));
            Assert.True(same, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
