using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoHypergrad.Runtime.Tests.Harness;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>Each derivative pair in float: the same generic methods, reached by type inference.</summary>
public class FloatSmokeTests
{
    public static IEnumerable<object[]> CasesAndSizes() =>
        from name in OpCatalog.Names
        from n in new[] { 7, 33 }
        select new object[] { name, n };

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void AdjointMatchesTangent(string name, int n)
    {
        OpCase<float> op = OpCatalog.Get<float>(name);
        foreach (int extra in ExtrasFor(op))
        {
            (double error, double lhs, double rhs) = TensorPrimitivesDerivativeTests.DotProductTest(op, new Random(n * 31 + extra), n, extra);
            Assert.True(error <= 1e-5, $"{name} n={n} extra={extra}: ⟨w, Jv⟩ = {lhs:R}, ⟨Jᵀw, v⟩ = {rhs:R}, relative {error:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void TangentComputesThePrimal(string name, int n)
    {
        OpCase<float> op = OpCatalog.Get<float>(name);
        Random random = new(n);
        Point<float> p = Sample(op, random, n, ExtrasFor(op).Max());
        (float value, float[] destination) = RunPrimal(op, p);
        var tangent = RunTangent(op, p, Direction(p, random));
        Assert.Equal(value, tangent.Value);
        Assert.Equal(destination, tangent.Destination);
    }
}
