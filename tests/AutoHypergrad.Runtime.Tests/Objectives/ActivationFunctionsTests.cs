using System;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Objectives.Models;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Objectives;

/// <summary>The vectorized passes through an activation give the scalar formulas' bits, element by element.</summary>
public sealed class ActivationFunctionsTests
{
    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.ReLU)]
    public void Vectorized_passes_match_the_scalar_formulas_bit_for_bit(Activation activation)
    {
        AssertScalarBits<float>(activation);
        AssertScalarBits<double>(activation);
    }

    private static void AssertScalarBits<T>(Activation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Three vectors and a tail, with ReLU's kink (z = 0, ±0) among the values.
        int n = (3 * Vector<T>.Count) + 5;
        var random = new Random(7);
        T Draw() => T.CreateTruncating((random.NextDouble() - 0.5) * 6);
        var z = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();
        z[1] = T.Zero;
        z[n - 2] = T.NegativeZero;
        var a = new T[n];
        ActivationFunctions.Apply(activation, z, a);
        var x = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();
        var zDot = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();
        var gradA = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();
        var rDelta = Enumerable.Range(0, n).Select(_ => Draw()).ToArray();

        var times = new T[n];
        ActivationFunctions.TimesFirst(activation, z, a, x, times);
        var second = (T[])rDelta.Clone();
        ActivationFunctions.SecondOrderDelta(activation, z, a, zDot, gradA, second);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] * ActivationFunctions.First(activation, z[i], a[i]), times[i]);
            T expected = rDelta[i] * ActivationFunctions.First(activation, z[i], a[i]) + ActivationFunctions.Second(activation, a[i]) * zDot[i] * gradA[i];
            Assert.Equal(expected, second[i]);
        }
    }
}
