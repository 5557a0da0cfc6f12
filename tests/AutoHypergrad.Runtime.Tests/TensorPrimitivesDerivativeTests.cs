using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoHypergrad.Runtime.Tests.Harness;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>
/// Every derivative pair of TensorPrimitivesDerivatives, in double: the tangent against central finite differences,
/// the adjoint against the tangent (the dot-product test), accumulation, destinationBar, in-place calls and lengths.
/// Sizes 1, 7 and 33 exercise the vector tails, 600 the chunked paths (more than one 256-element chunk).
/// </summary>
public class TensorPrimitivesDerivativeTests
{
    public static readonly int[] Sizes = [1, 7, 33, 600];

    public static IEnumerable<object[]> CasesAndSizes() =>
        from name in OpCatalog.Names
        from n in Sizes
        select new object[] { name, n };

    public static IEnumerable<object[]> Cases() => OpCatalog.Names.Select(name => new object[] { name });

    public static IEnumerable<object[]> WritingCasesAndSizes() =>
        from op in OpCatalog.Cases<double>()
        where op.Writes
        from n in Sizes
        select new object[] { op.Name, n };

    public static IEnumerable<object[]> MultiSpanCasesAndSizes() =>
        from op in OpCatalog.Cases<double>()
        where op.Spans.Length > 1
        from n in Sizes
        select new object[] { op.Name, n };

    private static Random RandomFor(string name, int n, int salt = 0) =>
        new(unchecked((int)(StableHash(name) * 31 + n * 7919 + salt)));

    private static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void TangentComputesThePrimal(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        foreach (int extra in ExtrasFor(op))
        {
            Random random = RandomFor(name, n, extra);
            Point<double> p = Sample(op, random, n, extra);
            (double value, double[] destination) = RunPrimal(op, p);
            var tangent = RunTangent(op, p, Direction(p, random));
            Assert.Equal(value, tangent.Value);
            Assert.Equal(destination, tangent.Destination);
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void TangentMatchesCentralDifferences(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        // Central differences err by h²·f'''/6 + ε·|f|/h; h = ∛ε (times the inputs' scale) balances the two at ~ε^⅔.
        double scale = Math.Max(1, Math.Max(Math.Abs(op.Low), Math.Abs(op.High)));
        double machineEpsilon = Math.BitIncrement(1.0) - 1.0;
        double h = Math.Cbrt(machineEpsilon) * scale;
        foreach (int extra in ExtrasFor(op))
        {
            Random random = RandomFor(name, n, extra);
            Point<double> p = Sample(op, random, n, extra);
            Point<double> v = Direction(p, random);
            var tangent = RunTangent(op, p, v);
            (double plusValue, double[] plus) = RunPrimal(op, p.Step(v, h));
            (double minusValue, double[] minus) = RunPrimal(op, p.Step(v, -h));

            double[] analytic = [tangent.Tangent, .. tangent.DestinationDot];
            double[] numeric = [(plusValue - minusValue) / (2 * h), .. plus.Zip(minus, (a, b) => (a - b) / (2 * h))];
            double error = RelativeError(analytic, numeric);
            Assert.True(error <= 1e-7, $"{name} n={n} extra={extra}: relative error {error:E3} against central differences (h={h:E2})");
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void AdjointMatchesTangent(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        foreach (int extra in ExtrasFor(op))
        {
            Random random = RandomFor(name, n, 100 + extra);
            (double error, double lhs, double rhs) = DotProductTest(op, random, n, extra);
            Assert.True(error <= 1e-12, $"{name} n={n} extra={extra}: ⟨w, Jv⟩ = {lhs:R}, ⟨Jᵀw, v⟩ = {rhs:R}, relative {error:E3}");
        }
    }

    /// <summary>⟨w, J v⟩ against ⟨Jᵀ w, v⟩, relative to the sum of the magnitudes of their terms.</summary>
    internal static (double Error, double Lhs, double Rhs) DotProductTest<T>(OpCase<T> op, Random random, int n, int extra)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        Point<T> p = Sample(op, random, n, extra);
        Point<T> v = Direction(p, random);
        Point<T> w = Direction(p, random); // w.Destination: the adjoint of the output destination
        T resultBar = op.Writes ? T.Zero : T.CreateChecked(random.NextDouble() * 2 - 1);

        var tangent = RunTangent(op, p, v);
        double lhs = Dot(w.Destination, tangent.DestinationDot) + ToDouble(resultBar) * ToDouble(tangent.Tangent);
        double lhsScale = AbsDot(w.Destination, tangent.DestinationDot) + Math.Abs(ToDouble(resultBar) * ToDouble(tangent.Tangent));

        Point<T> start = ZerosLike(p);
        Array.Copy(w.Destination, start.Destination, w.Destination.Length);
        Point<T> bars = RunAdjoint(op, p, start, resultBar);
        double rhs = bars.Dot(v);
        double rhsScale = bars.AbsDot(v);
        double error = Math.Abs(lhs - rhs) / Math.Max(Math.Max(lhsScale, rhsScale), 1e-300);
        return (error, lhs, rhs);
    }

    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void AdjointAccumulatesAndSetsDestinationBar(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        foreach (int extra in ExtrasFor(op))
        {
            Random random = RandomFor(name, n, 200 + extra);
            Point<double> p = Sample(op, random, n, extra);
            Point<double> prior = Direction(p, random);
            double[] g = prior.Destination;
            double resultBar = op.Writes ? 0 : 0.75;

            Point<double> fromZero = ZerosLike(p);
            Array.Copy(g, fromZero.Destination, g.Length);
            Point<double> contribution = RunAdjoint(op, p, fromZero, resultBar);
            Point<double> accumulated = RunAdjoint(op, p, prior, resultBar);

            for (int k = 0; k < op.Spans.Length; k++)
            {
                double[] expected = prior.Spans[k].Zip(contribution.Spans[k], (a, b) => a + b).ToArray();
                AssertClose(expected, accumulated.Spans[k], 1e-14, $"{name}: {op.Spans[k]}Bar", floor: 1);
            }

            double[] expectedScalars = prior.Scalars.Zip(contribution.Scalars, (a, b) => a + b).ToArray();
            AssertClose(expectedScalars, accumulated.Scalars, 1e-14, $"{name}: scalar bars", floor: 1);

            // destinationBar: the adjoint of the input destination, zero where the operation writes, unchanged past it.
            double[] expectedDestinationBar = g.Select((value, i) => i < n ? 0.0 : value).ToArray();
            Assert.Equal(expectedDestinationBar, accumulated.Destination);
            Assert.Equal(expectedDestinationBar, contribution.Destination);
        }
    }

    [Theory]
    [MemberData(nameof(WritingCasesAndSizes))]
    public void InPlaceCallsMatchSeparateOnes(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        for (int k = 0; k < op.Spans.Length; k++)
        {
            Random random = RandomFor(name, n, 300 + k);
            Point<double> p = Sample(op, random, n, 0);
            Point<double> v = Direction(p, random);
            Point<double> bars = Direction(p, random);
            double[] g = bars.Destination;

            // Separate: destination's input values are those of span k.
            Point<double> separate = new(p.Spans, p.Scalars, (double[])p.Spans[k].Clone());
            Point<double> separateV = new(v.Spans, v.Scalars, (double[])v.Spans[k].Clone());
            var expected = RunTangent(op, separate, separateV);

            // In place: destination is span k, destinationDot is its tangent.
            Point<double> a = p.Clone();
            Point<double> av = v.Clone();
            op.Tangent(a.Spans, av.Spans, a.Scalars, av.Scalars, a.Spans[k], av.Spans[k]);
            AssertClose(expected.Destination, a.Spans[k], 1e-15, $"{name}: destination in place of {op.Spans[k]}");
            AssertClose(expected.DestinationDot, av.Spans[k], 1e-15, $"{name}: destinationDot in place of {op.Spans[k]}Dot");

            // Adjoint: destinationBar is span k's bar; the other bars hold prior adjoints.
            Point<double> start = new(bars.Spans.Select(s => (double[])s.Clone()).ToArray(), (double[])bars.Scalars.Clone(), (double[])g.Clone());
            start.Spans[k] = new double[n];
            Point<double> reference = RunAdjoint(op, separate, start, 0.0);

            Point<double> inPlace = bars.Clone();
            Array.Copy(g, inPlace.Spans[k], n);
            Point<double> primal = p.Clone();
            op.Adjoint(primal.Spans, inPlace.Spans, primal.Scalars, inPlace.Scalars, primal.Spans[k], inPlace.Spans[k], 0.0);

            for (int j = 0; j < op.Spans.Length; j++)
            {
                double[] want = j == k
                    ? reference.Spans[k].Zip(reference.Destination, (x, d) => x + d).ToArray()
                    : reference.Spans[j];
                AssertClose(want, inPlace.Spans[j], 1e-14, $"{name} in place of {op.Spans[k]}: {op.Spans[j]}Bar", floor: 1);
            }

            AssertClose(reference.Scalars, inPlace.Scalars, 1e-14, $"{name} in place of {op.Spans[k]}: scalar bars", floor: 1);
        }
    }

    [Theory]
    [MemberData(nameof(WritingCasesAndSizes))]
    public void AllSpansTheSameMemoryMatchesSeparateCalls(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        Random random = RandomFor(name, n, 400);
        Point<double> sample = Sample(op, random, n, 0);
        double[] a = sample.Spans[0];
        double[] v = Uniform<double>(random, n, -1, 1);
        double[] scalarDots = Uniform<double>(random, op.Scalars.Length, -1, 1);
        double[] g = Uniform<double>(random, n, -1, 1);
        int m = op.Spans.Length;

        Point<double> separate = new(Enumerable.Range(0, m).Select(_ => (double[])a.Clone()).ToArray(), sample.Scalars, (double[])a.Clone());
        Point<double> separateV = new(Enumerable.Range(0, m).Select(_ => (double[])v.Clone()).ToArray(), scalarDots, (double[])v.Clone());
        var expected = RunTangent(op, separate, separateV);

        double[] shared = (double[])a.Clone();
        double[] sharedDot = (double[])v.Clone();
        op.Tangent(Enumerable.Repeat(shared, m).ToArray(), Enumerable.Repeat(sharedDot, m).ToArray(),
            (double[])sample.Scalars.Clone(), (double[])scalarDots.Clone(), shared, sharedDot);
        AssertClose(expected.Destination, shared, 1e-15, $"{name}: destination, every span the same");
        AssertClose(expected.DestinationDot, sharedDot, 1e-14, $"{name}: destinationDot, every span the same", floor: 1);

        Point<double> start = ZerosLike(separate);
        Array.Copy(g, start.Destination, n);
        Point<double> reference = RunAdjoint(op, separate, start, 0.0);
        double[] sharedBar = (double[])g.Clone();
        double[] scalarBars = new double[op.Scalars.Length];
        double[] primal = (double[])a.Clone();
        op.Adjoint(Enumerable.Repeat(primal, m).ToArray(), Enumerable.Repeat(sharedBar, m).ToArray(),
            (double[])sample.Scalars.Clone(), scalarBars, primal, sharedBar, 0.0);

        double[] want = (double[])reference.Destination.Clone();
        foreach (double[] bar in reference.Spans)
        {
            for (int i = 0; i < n; i++)
            {
                want[i] += bar[i];
            }
        }

        AssertClose(want, sharedBar, 1e-14, $"{name}: the shared bar", floor: 1);
        AssertClose(reference.Scalars, scalarBars, 1e-14, $"{name}: scalar bars", floor: 1);
    }

    [Theory]
    [MemberData(nameof(MultiSpanCasesAndSizes))]
    public void InputsTheSameMemoryMatchSeparateCalls(string name, int n)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        Random random = RandomFor(name, n, 500);
        Point<double> sample = Sample(op, random, n, op.Writes ? 2 : 0);
        double[] a = sample.Spans[0];
        double[] v = Uniform<double>(random, n, -1, 1);
        double[] prior = Uniform<double>(random, n, -1, 1);
        Point<double> directions = Direction(sample, random);
        Point<double> adjoints = Direction(sample, random);
        int m = op.Spans.Length;

        Point<double> separate = new(Enumerable.Range(0, m).Select(_ => (double[])a.Clone()).ToArray(), sample.Scalars, sample.Destination);
        Point<double> separateV = new(Enumerable.Range(0, m).Select(_ => (double[])v.Clone()).ToArray(), directions.Scalars, directions.Destination);
        var expected = RunTangent(op, separate, separateV);

        double[] shared = (double[])a.Clone();
        double[] sharedDot = (double[])v.Clone();
        double[] destination = (double[])sample.Destination.Clone();
        double[] destinationDot = (double[])directions.Destination.Clone();
        (double value, double tangent) = op.Tangent(Enumerable.Repeat(shared, m).ToArray(), Enumerable.Repeat(sharedDot, m).ToArray(),
            (double[])sample.Scalars.Clone(), (double[])directions.Scalars.Clone(), destination, destinationDot);
        Assert.Equal(expected.Value, value);
        Assert.Equal(expected.Tangent, tangent, 1e-14);
        AssertClose(expected.Destination, destination, 0, $"{name}: destination");
        AssertClose(expected.DestinationDot, destinationDot, 1e-14, $"{name}: destinationDot", floor: 1);

        double resultBar = op.Writes ? 0 : 0.5;
        Point<double> start = ZerosLike(separate);
        Array.Copy(adjoints.Destination, start.Destination, adjoints.Destination.Length);
        Point<double> reference = RunAdjoint(op, separate, start, resultBar);
        double[] sharedBar = (double[])prior.Clone();
        double[] scalarBars = new double[op.Scalars.Length];
        double[] destinationBar = (double[])adjoints.Destination.Clone();
        op.Adjoint(Enumerable.Repeat(a, m).ToArray(), Enumerable.Repeat(sharedBar, m).ToArray(),
            (double[])sample.Scalars.Clone(), scalarBars, (double[])sample.Destination.Clone(), destinationBar, resultBar);

        double[] want = (double[])prior.Clone();
        foreach (double[] bar in reference.Spans)
        {
            for (int i = 0; i < n; i++)
            {
                want[i] += bar[i];
            }
        }

        AssertClose(want, sharedBar, 1e-14, $"{name}: the shared bar", floor: 1);
        AssertClose(reference.Destination, destinationBar, 0, $"{name}: destinationBar");
        AssertClose(reference.Scalars, scalarBars, 1e-14, $"{name}: scalar bars", floor: 1);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MismatchedDerivativeLengthsThrowNamingTheParameter(string name)
    {
        OpCase<double> op = OpCatalog.Get<double>(name);
        const int n = 7;
        Point<double> p = Sample(op, RandomFor(name, n), n, ExtrasFor(op).Max() > 0 ? 1 : 0);

        for (int k = 0; k < op.Spans.Length; k++)
        {
            Point<double> dots = ZerosLike(p);
            dots.Spans[k] = new double[n + 1];
            AssertThrowsNaming(op.Spans[k] + "Dot", () => op.Tangent(p.Spans, dots.Spans, p.Scalars, dots.Scalars, p.Destination, dots.Destination));
            dots.Spans[k] = new double[n - 1];
            AssertThrowsNaming(op.Spans[k] + "Dot", () => op.Tangent(p.Spans, dots.Spans, p.Scalars, dots.Scalars, p.Destination, dots.Destination));

            Point<double> bars = ZerosLike(p);
            bars.Spans[k] = new double[n + 1];
            AssertThrowsNaming(op.Spans[k] + "Bar", () => op.Adjoint(p.Spans, bars.Spans, p.Scalars, bars.Scalars, p.Destination, bars.Destination, 1.0));
        }

        if (op.Writes)
        {
            Point<double> dots = ZerosLike(p);
            AssertThrowsNaming("destinationDot", () => op.Tangent(p.Spans, dots.Spans, p.Scalars, dots.Scalars, p.Destination, new double[p.Destination.Length + 1]));
            Point<double> bars = ZerosLike(p);
            AssertThrowsNaming("destinationBar", () => op.Adjoint(p.Spans, bars.Spans, p.Scalars, bars.Scalars, p.Destination, new double[p.Destination.Length + 2], 1.0));

            // A destination shorter than the inputs, as TensorPrimitives refuses it.
            Point<double> shortDots = ZerosLike(p);
            Assert.Throws<ArgumentException>(() => op.Tangent(p.Spans, shortDots.Spans, p.Scalars, shortDots.Scalars, new double[n - 1], new double[n - 1]));
            Point<double> shortBars = ZerosLike(p);
            Assert.Throws<ArgumentException>(() => op.Adjoint(p.Spans, shortBars.Spans, p.Scalars, shortBars.Scalars, new double[n - 1], new double[n - 1], 1.0));
        }

        if (op.Spans.Length > 1)
        {
            // Inputs of different lengths, as TensorPrimitives refuses them.
            Point<double> unequal = p.Clone();
            unequal.Spans[1] = new double[n + 1];
            Point<double> dots = ZerosLike(unequal);
            Assert.Throws<ArgumentException>(() => op.Tangent(unequal.Spans, dots.Spans, unequal.Scalars, dots.Scalars, unequal.Destination, dots.Destination));
            Point<double> bars = ZerosLike(unequal);
            Assert.Throws<ArgumentException>(() => op.Adjoint(unequal.Spans, bars.Spans, unequal.Scalars, bars.Scalars, unequal.Destination, bars.Destination, 1.0));
        }
    }

    private static void AssertThrowsNaming(string parameter, Action action)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(action);
        Assert.Equal(parameter, exception.ParamName);
    }
}
