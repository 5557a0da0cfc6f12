using System;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// Every product of one softmax objective against another on the same data and arguments: J, ∇J (and the J it
/// returns), H·v, the cross tangent, the cross adjoint and ∂J/∂λ (both added to a nonzero λ̄, as the engines do),
/// and the shared H·v and cross adjoint. Each vector's error is taken relative to its largest entry.
/// </summary>
public static class SoftmaxAgreement
{
    /// <summary>Features uniform in [0, 1), labels uniform over the classes.</summary>
    public static Dataset<double> Data(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * features).Select(_ => random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return new Dataset<double>(x, rows, features, labels, null, classes, $"random {classes}-class");
    }

    /// <summary>The arguments of every product: w, v (scale 0.3 and 1), λ in (0.2, 1.2), λ̇.</summary>
    public sealed record Arguments<T>(T[] W, T[] V, T[] Lambda, T[] LambdaDot)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public static Arguments<T> Draw(IObjective<T> objective, int seed)
        {
            var random = new Random(seed);
            T[] Vector(int length, double scale) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating((random.NextDouble() - 0.5) * 2 * scale)).ToArray();
            int m = objective.Hyperparameters.Count;
            return new(
                Vector(objective.ParameterCount, 0.3),
                Vector(objective.ParameterCount, 1),
                Enumerable.Range(0, m).Select(_ => T.CreateTruncating(0.2 + random.NextDouble())).ToArray(),
                Vector(m, 1));
        }
    }

    /// <summary>Every product of <paramref name="objective"/>, flattened in a fixed order (J first).</summary>
    public static T[] Products<T>(IObjective<T> objective, Arguments<T> a, Batch batch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = objective.ParameterCount, m = objective.Hyperparameters.Count;
        T start = T.CreateTruncating(0.25);
        var gradient = new T[n];
        T value = objective.Value(a.W, a.Lambda, batch);
        T gradientValue = objective.Gradient(a.W, a.Lambda, batch, gradient);
        var hv = new T[n];
        objective.HessianVector(a.W, a.Lambda, batch, a.V, hv);
        var tangent = new T[n];
        objective.CrossTangent(a.W, a.Lambda, batch, a.LambdaDot, tangent);
        var adjoint = Enumerable.Repeat(start, m).ToArray();
        objective.CrossAdjoint(a.W, a.Lambda, batch, a.V, adjoint);
        var hyper = Enumerable.Repeat(start, m).ToArray();
        objective.LambdaGradient(a.W, a.Lambda, batch, hyper);
        var sharedHv = new T[n];
        var sharedAdjoint = Enumerable.Repeat(start, m).ToArray();
        objective.HessianVectorAndCrossAdjoint(a.W, a.Lambda, batch, a.V, sharedHv, sharedAdjoint);
        return [value, gradientValue, .. gradient, .. hv, .. tangent, .. adjoint, .. hyper, .. sharedHv, .. sharedAdjoint];
    }

    /// <summary>
    /// Asserts that every product of <paramref name="actual"/> is within <paramref name="tolerance"/> of
    /// <paramref name="expected"/>'s, relative to the product's largest entry (or exactly equal where that is 0, as
    /// the cross products are without example weights); returns the largest relative error seen.
    /// </summary>
    public static double AssertAgree<T>(IObjective<T> expected, IObjective<T> actual, Arguments<T> arguments, Batch batch, double tolerance, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.ParameterCount, actual.ParameterCount);
        Assert.Equal(expected.ExampleCount, actual.ExampleCount);
        Assert.Equal(expected.Hyperparameters.Blocks, actual.Hyperparameters.Blocks);
        var e = Products(expected, arguments, batch);
        var a = Products(actual, arguments, batch);
        int n = expected.ParameterCount, m = expected.Hyperparameters.Count;
        (string Name, int Length)[] parts =
        [
            ("J", 1), ("J of Gradient", 1), ("∇J", n), ("H·v", n), ("cross tangent", n), ("cross adjoint", m), ("∂J/∂λ", m),
            ("H·v of the shared call", n), ("cross adjoint of the shared call", m),
        ];
        double largest = 0;
        int offset = 0;
        foreach (var (name, length) in parts)
        {
            var expectedPart = e.AsSpan(offset, length).ToArray().Select(double.CreateTruncating).ToArray();
            var actualPart = a.AsSpan(offset, length).ToArray().Select(double.CreateTruncating).ToArray();
            offset += length;
            if (length == 0)
            {
                continue;
            }

            double scale = expectedPart.Max(Math.Abs);
            if (scale == 0)
            {
                Assert.True(actualPart.All(x => x == 0), $"{what}: {name} should be 0, as the reference's is.");
                continue;
            }

            for (int i = 0; i < length; i++)
            {
                double error = Math.Abs(actualPart[i] - expectedPart[i]) / scale;
                largest = Math.Max(largest, error);
                Assert.True(error <= tolerance, $"{what}: {name}[{i}] = {actualPart[i]:R}, expected {expectedPart[i]:R} (relative error {error:E2} > {tolerance:E2}).");
            }
        }

        return largest;
    }
}
