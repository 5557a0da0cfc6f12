using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using D = AutoHypergrad.Derivatives.TensorPrimitivesDerivatives;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>
/// The hand-written second-order rules of TensorPrimitivesDerivatives: each reduction's <c>{Name}TangentAdjoint</c> is
/// the adjoint of its tangent's Tangent t(x, xDot) as a function of the inputs and their tangents. Checked by the
/// dot-product test against central differences of the hand-written tangent (itself checked against the primal by
/// <see cref="TensorPrimitivesDerivativeTests"/>), for accumulation into nonzero Bars, for the lengths it checks, and in
/// float against double.
/// </summary>
public class TensorPrimitivesSecondOrderTests
{
    /// <summary>One reduction: its number of span inputs, its tangent's Tangent and its TangentAdjoint.</summary>
    public sealed record Reduction(
        string Name,
        int Inputs,
        Func<double[][], double[][], double> Tangent,
        Action<double[][], double[][], double[][], double[][], double> TangentAdjoint,
        Func<float[][], float[][], float[][], float[][], float, int> FloatTangentAdjoint);

    private static readonly Reduction[] Reductions =
    [
        new("Dot", 2,
            (x, d) => D.DotTangent<double>(x[0], d[0], x[1], d[1]).Tangent,
            (x, b, d, db, r) => D.DotTangentAdjoint<double>(x[0], b[0], d[0], db[0], x[1], b[1], d[1], db[1], r),
            (x, b, d, db, r) => { D.DotTangentAdjoint<float>(x[0], b[0], d[0], db[0], x[1], b[1], d[1], db[1], r); return 0; }),
        new("Sum", 1,
            (x, d) => D.SumTangent<double>(x[0], d[0]).Tangent,
            (x, b, d, db, r) => D.SumTangentAdjoint<double>(x[0], b[0], d[0], db[0], r),
            (x, b, d, db, r) => { D.SumTangentAdjoint<float>(x[0], b[0], d[0], db[0], r); return 0; }),
        new("SumOfSquares", 1,
            (x, d) => D.SumOfSquaresTangent<double>(x[0], d[0]).Tangent,
            (x, b, d, db, r) => D.SumOfSquaresTangentAdjoint<double>(x[0], b[0], d[0], db[0], r),
            (x, b, d, db, r) => { D.SumOfSquaresTangentAdjoint<float>(x[0], b[0], d[0], db[0], r); return 0; }),
        new("Max", 1,
            (x, d) => D.MaxTangent<double>(x[0], d[0]).Tangent,
            (x, b, d, db, r) => D.MaxTangentAdjoint<double>(x[0], b[0], d[0], db[0], r),
            (x, b, d, db, r) => { D.MaxTangentAdjoint<float>(x[0], b[0], d[0], db[0], r); return 0; }),
    ];

    public static IEnumerable<object[]> CasesAndSizes() =>
        from r in Reductions
        from n in new[] { 1, 7, 33, 600 }
        select new object[] { r.Name, n };

    private static Reduction Get(string name) => Reductions.Single(r => r.Name == name);

    /// <summary>
    /// Values in [−1, 1] with one element raised to 3, so that the maximum stays unique (and its index fixed) under
    /// the perturbations of at most 0.5 the tests apply.
    /// </summary>
    private static double[][] Sample(Random random, int inputs, int n, double scale = 1)
    {
        var spans = new double[inputs][];
        for (int k = 0; k < inputs; k++)
        {
            spans[k] = Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
        }

        return spans;
    }

    private static double[][] Move(double[][] a, double[][] d, double h) =>
        a.Select((ak, k) => ak.Select((v, i) => v + h * d[k][i]).ToArray()).ToArray();

    private static double Dot(double[][] a, double[][] b) => a.Select((ak, k) => ak.Select((v, i) => v * b[k][i]).Sum()).Sum();

    private static double AbsDot(double[][] a, double[][] b) => a.Select((ak, k) => ak.Select((v, i) => Math.Abs(v * b[k][i])).Sum()).Sum();

    private static double[][] Copy(double[][] a) => a.Select(s => (double[])s.Clone()).ToArray();

    /// <summary>
    /// r·⟨∂t, (dx, dxDot)⟩ = ⟨xBar, dx⟩ + ⟨xDotBar, dxDot⟩. The tangents of the reductions are at most bilinear in
    /// (x, xDot) and Max's is linear while its index stays fixed, so the central difference with h = 1 is exact up to
    /// roundoff: the tolerance is 1e-12 relative to the sum of the magnitudes of the products on both sides.
    /// </summary>
    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void TangentAdjointIsTheTransposeOfTheTangentsDerivative(string name, int n)
    {
        Reduction op = Get(name);
        var random = new Random(name.Length * 7919 + n);
        double[][] x = Sample(random, op.Inputs, n);
        int top = random.Next(n);
        x[0][top] = 3;
        double[][] xDot = Sample(random, op.Inputs, n);
        double[][] dx = Sample(random, op.Inputs, n, 0.5);
        double[][] dxDot = Sample(random, op.Inputs, n, 0.5);
        double r = 0.75 - 2 * random.NextDouble();

        double plus = op.Tangent(Move(x, dx, 1), Move(xDot, dxDot, 1));
        double minus = op.Tangent(Move(x, dx, -1), Move(xDot, dxDot, -1));
        double lhs = r * (plus - minus) / 2;

        double[][] bars = x.Select(s => new double[n]).ToArray();
        double[][] dotBars = x.Select(s => new double[n]).ToArray();
        op.TangentAdjoint(x, bars, xDot, dotBars, r);
        double rhs = Dot(bars, dx) + Dot(dotBars, dxDot);

        double[][] absX = Move(x.Select(s => s.Select(Math.Abs).ToArray()).ToArray(), dx.Select(s => s.Select(Math.Abs).ToArray()).ToArray(), 1);
        double[][] absDot = Move(xDot.Select(s => s.Select(Math.Abs).ToArray()).ToArray(), dxDot.Select(s => s.Select(Math.Abs).ToArray()).ToArray(), 1);
        double magnitude = Math.Abs(r) * Math.Abs(op.Tangent(absX, absDot)) + AbsDot(bars, dx) + AbsDot(dotBars, dxDot);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * Math.Max(1, magnitude),
            $"{name}, n = {n}: r·Δt = {lhs:R} but ⟨xBar, dx⟩ + ⟨xDotBar, dxDot⟩ = {rhs:R}");
    }

    /// <summary>Bars and DotBars that start nonzero end at their start plus what a zero start gives.</summary>
    [Theory]
    [MemberData(nameof(CasesAndSizes))]
    public void TangentAdjointAccumulates(string name, int n)
    {
        Reduction op = Get(name);
        var random = new Random(name.Length * 104729 + n);
        double[][] x = Sample(random, op.Inputs, n);
        double[][] xDot = Sample(random, op.Inputs, n);
        double r = 1.25;
        double[][] bars = x.Select(s => new double[n]).ToArray();
        double[][] dotBars = x.Select(s => new double[n]).ToArray();
        op.TangentAdjoint(x, bars, xDot, dotBars, r);

        double[][] startBars = Sample(random, op.Inputs, n, 2);
        double[][] startDotBars = Sample(random, op.Inputs, n, 2);
        double[][] accumulatedBars = Copy(startBars);
        double[][] accumulatedDotBars = Copy(startDotBars);
        op.TangentAdjoint(x, accumulatedBars, xDot, accumulatedDotBars, r);
        for (int k = 0; k < op.Inputs; k++)
        {
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(startBars[k][i] + bars[k][i], accumulatedBars[k][i], 1e-15 * 8);
                Assert.Equal(startDotBars[k][i] + dotBars[k][i], accumulatedDotBars[k][i], 1e-15 * 8);
            }
        }
    }

    /// <summary>A Bar, tangent or DotBar one element off throws an ArgumentException naming it.</summary>
    [Theory]
    [InlineData("Dot")]
    [InlineData("Sum")]
    [InlineData("SumOfSquares")]
    [InlineData("Max")]
    public void TangentAdjointChecksItsLengths(string name)
    {
        Reduction op = Get(name);
        const int n = 5;
        foreach (string which in new[] { "xBar", "xDot", "xDotBar" })
        {
            var random = new Random(3);
            double[][] x = Sample(random, op.Inputs, n);
            double[][] bars = x.Select(s => new double[n]).ToArray();
            double[][] xDot = Sample(random, op.Inputs, n);
            double[][] dotBars = x.Select(s => new double[n]).ToArray();
            switch (which)
            {
                case "xBar": bars[0] = new double[n + 1]; break;
                case "xDot": xDot[0] = new double[n - 1]; break;
                default: dotBars[0] = new double[n + 1]; break;
            }

            var e = Assert.ThrowsAny<ArgumentException>(() => op.TangentAdjoint(x, bars, xDot, dotBars, 1));
            Assert.Equal(which, e.ParamName);
        }
    }

    /// <summary>The generic methods in float agree with double to float precision.</summary>
    [Theory]
    [InlineData("Dot")]
    [InlineData("Sum")]
    [InlineData("SumOfSquares")]
    [InlineData("Max")]
    public void TangentAdjointInFloat(string name)
    {
        Reduction op = Get(name);
        const int n = 33;
        var random = new Random(11);
        double[][] x = Sample(random, op.Inputs, n);
        double[][] xDot = Sample(random, op.Inputs, n);
        double[][] bars = x.Select(s => new double[n]).ToArray();
        double[][] dotBars = x.Select(s => new double[n]).ToArray();
        op.TangentAdjoint(x, bars, xDot, dotBars, 0.5);

        float[][] F(double[][] a) => a.Select(s => s.Select(v => (float)v).ToArray()).ToArray();
        float[][] fBars = F(bars.Select(s => new double[n]).ToArray());
        float[][] fDotBars = F(dotBars.Select(s => new double[n]).ToArray());
        op.FloatTangentAdjoint(F(x), fBars, F(xDot), fDotBars, 0.5f);
        for (int k = 0; k < op.Inputs; k++)
        {
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(bars[k][i], fBars[k][i], 1e-5);
                Assert.Equal(dotBars[k][i], fDotBars[k][i], 1e-5);
            }
        }
    }
}
