using System;
using System.Linq;
using System.Reflection;
using Xunit;
using Xunit.Sdk;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The checker against hand-written Tangent/Adjoint pairs: it accepts correct ones and rejects each kind of mistake a
/// generator can make, so a passing run of <see cref="GeneratedDerivativeTests"/> means something. These do not
/// depend on the generator's output.
/// </summary>
public sealed class CheckerSelfTests
{
    [Fact]
    public void CorrectDerivativesPassEveryCheck()
    {
        foreach (string name in new[] { nameof(HandWritten.Cube), nameof(HandWritten.Store) })
        {
            CaseMethod method = Load(name);
            Assert.Empty(DerivativeChecker.SignatureProblems(method));
            DerivativeChecker.CheckTangentAgainstFiniteDifferences(method);
            DerivativeChecker.CheckAdjointAgainstTangent(method);
            DerivativeChecker.CheckAdjointContract(method);
            DerivativeChecker.CheckTangentMatchesPrimal(method);
        }
    }

    [Fact]
    public void AWrongTangentFailsTheFiniteDifferenceCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckTangentAgainstFiniteDifferences(Load(nameof(HandWritten.WrongTangent))));
        Assert.Contains("but finite differences", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdjointThatIsNotTheTransposeFailsTheDotProductTest()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckAdjointAgainstTangent(Load(nameof(HandWritten.WrongAdjoint))));
        Assert.Contains("differs", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdjointThatOverwritesItsBarFailsTheContractCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckAdjointContract(Load(nameof(HandWritten.Overwriting))));
        Assert.Contains("must accumulate", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefBarLeftAtTheOutputAdjointFailsTheDotProductTest()
    {
        // StaleRefBar's Adjoint adds to sBar instead of replacing it: the input s is overwritten unread, so sBar on
        // exit must be 0. Only the dot-product test sees this: the Adjoint is still linear in its Bars.
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckAdjointAgainstTangent(Load(nameof(HandWritten.StaleRefBar))));
        Assert.Contains("d(ref s)/d(s)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATangentWhoseValueDriftsFromThePrimalFailsThePrimalCheck()
    {
        Assert.ThrowsAny<XunitException>(() => DerivativeChecker.CheckTangentMatchesPrimal(Load(nameof(HandWritten.DriftingValue))));
    }

    [Fact]
    public void AMisnamedOrMisshapenSignatureIsReported()
    {
        CaseMethod method = Load(nameof(HandWritten.Misshapen));
        Assert.Contains(DerivativeChecker.SignatureProblems(method), p => p.Contains("found", StringComparison.Ordinal));
        Assert.Null(method.Adjoint);
        Assert.NotNull(method.Tangent);
        Assert.Contains(DerivativeChecker.SignatureProblems(method), p => p.Contains("named", StringComparison.Ordinal));
    }

    [Fact]
    public void FiniteDifferencesTooInaccurateForTheToleranceAreReportedAsABadTestPoint()
    {
        // The tangent is right, but sin(1000x) is far too curved for h = 1e-5: D(h) and D(h/2) disagree.
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckTangentAgainstFiniteDifferences(Load(nameof(HandWritten.TooCurved))));
        Assert.Contains("bad test point", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorrectSpanArrayAndOutDerivativesPassEveryCheck()
    {
        foreach (string name in new[] { nameof(HandWritten.Dot), nameof(HandWritten.Scale), nameof(HandWritten.ShiftAndSquare) })
        {
            CaseMethod method = Load(name);
            Assert.Empty(DerivativeChecker.SignatureProblems(method));
            DerivativeChecker.CheckTangentAgainstFiniteDifferences(method);
            DerivativeChecker.CheckAdjointAgainstTangent(method);
            DerivativeChecker.CheckAdjointContract(method);
            DerivativeChecker.CheckTangentMatchesPrimal(method);
            DerivativeChecker.CheckDerivativeLengthsAreChecked(method);
        }
    }

    [Fact]
    public void AWrongTangentOfOneSpanElementFailsTheFiniteDifferenceCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckTangentAgainstFiniteDifferences(Load(nameof(HandWritten.ScaleWrongLast))));
        Assert.Contains("output s[3]", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("output s[2]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheInvokerPassesSpansOverTheArraysAndWritesRefsBack()
    {
        double[] s = [1, 2, 3, 4];
        double[] sDot = [0, 1, 0, 0];
        object?[] args = [s, sDot, 2.0, 0.5];
        Invoker.Invoke(typeof(HandWritten).GetMethod(nameof(HandWritten.ScaleTangent))!, args);
        Assert.Equal([2.0, 4, 6, 8], s);
        Assert.Equal([0.5, 3, 1.5, 2], sDot);
        object?[] refArgs = [0.0, 0.0, 3.0, 1.0];
        Invoker.Invoke(typeof(HandWritten).GetMethod(nameof(HandWritten.StoreTangent))!, refArgs);
        Assert.Equal(6.0, refArgs[0]);
        Assert.Equal(2.0, refArgs[1]);
        object?[] outArgs = [new double[] { 1, 2, 3 }, new double[] { 0, 0, 0 }, 1.0, 1.0, 0.0, 0.0];
        Invoker.Invoke(typeof(HandWritten).GetMethod(nameof(HandWritten.ShiftAndSquareTangent))!, outArgs);
        Assert.Equal(4.0 + 9 + 16, outArgs[4]);
        Assert.Equal(2.0 * (2 + 3 + 4), outArgs[5]);
    }

    [Fact]
    public void SpanElementsAreCoordinates()
    {
        CaseMethod method = Load(nameof(HandWritten.ShiftAndSquare));
        Assert.Equal(["s[0]", "s[1]", "s[2]", "x"], method.Inputs.Select(c => c.Name));
        Assert.Equal(["s[0]", "s[1]", "s[2]", "out total"], method.Outputs.Select(c => c.OutputName));
        Assert.Equal(2, method.Parameters[0].Offset + method.Parameters[0].Length - 1);
    }

    [Fact]
    public void ASpanBarThatAccumulatesInsteadOfBeingReplacedFailsTheDotProductTest()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckAdjointAgainstTangent(Load(nameof(HandWritten.ScaleAccumulating))));
        Assert.Contains("d(s[0])/d(s[0])", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReadOnlySpanBarThatIsOverwrittenFailsTheContractCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckAdjointContract(Load(nameof(HandWritten.DotOverwriting))));
        Assert.Contains("xBar[0]", failure.Message, StringComparison.Ordinal);
        Assert.Contains("must accumulate", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingLengthCheckIsReported()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckDerivativeLengthsAreChecked(Load(nameof(HandWritten.DotOverwriting))));
        Assert.Contains("xDot of length 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("xBar of length 4", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASpanAdjointSignatureTakingASpanForTheInputValuesIsReported()
    {
        CaseMethod method = Load(nameof(HandWritten.ScaleMisshapen));
        Assert.Null(method.Adjoint);
        Assert.Contains(DerivativeChecker.SignatureProblems(method), p => p.Contains("ReadOnlySpan<Double> s", StringComparison.Ordinal));
    }

    private static CaseMethod Load(string name) =>
        new(typeof(HandWritten).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!);

    /// <summary>Primal/Tangent/Adjoint triples written by hand, some deliberately wrong.</summary>
    public static class HandWritten
    {
        [Domain(-2, 2)]
        public static double Cube(double x) => x * x * x;

        public static (double Value, double Tangent) CubeTangent(double x, double xDot) => (x * x * x, 3 * x * x * xDot);

        public static void CubeAdjoint(double x, ref double xBar, double resultBar) => xBar += 3 * x * x * resultBar;

        /// <summary>s ← 2x (s overwritten unread), returns s·x.</summary>
        [Domain(-2, 2)]
        public static double Store(ref double s, double x)
        {
            s = 2 * x;
            return s * x;
        }

        public static (double Value, double Tangent) StoreTangent(ref double s, ref double sDot, double x, double xDot)
        {
            s = 2 * x;
            sDot = 2 * xDot;
            return (s * x, sDot * x + s * xDot);
        }

        public static void StoreAdjoint(double s, ref double sBar, double x, ref double xBar, double resultBar)
        {
            double sOut = 2 * x;
            double sOutBar = sBar + resultBar * x;
            xBar += resultBar * sOut + 2 * sOutBar;
            sBar = 0;
        }

        [Domain(-2, 2)]
        public static double WrongTangent(double x) => x * x * x;

        public static (double Value, double Tangent) WrongTangentTangent(double x, double xDot) => (x * x * x, 2 * x * x * xDot);

        public static void WrongTangentAdjoint(double x, ref double xBar, double resultBar) => xBar += 2 * x * x * resultBar;

        [Domain(-2, 2)]
        public static double WrongAdjoint(double x, double y) => x * y;

        public static (double Value, double Tangent) WrongAdjointTangent(double x, double xDot, double y, double yDot) =>
            (x * y, xDot * y + x * yDot);

        public static void WrongAdjointAdjoint(double x, ref double xBar, double y, ref double yBar, double resultBar)
        {
            xBar += resultBar * x; // should be y
            yBar += resultBar * x;
        }

        [Domain(-2, 2)]
        public static double Overwriting(double x) => x * x * x;

        public static (double Value, double Tangent) OverwritingTangent(double x, double xDot) => (x * x * x, 3 * x * x * xDot);

        public static void OverwritingAdjoint(double x, ref double xBar, double resultBar) => xBar = 3 * x * x * resultBar;

        [Domain(-2, 2)]
        public static void StaleRefBar(ref double s, double x) => s = x * x;

        public static void StaleRefBarTangent(ref double s, ref double sDot, double x, double xDot)
        {
            s = x * x;
            sDot = 2 * x * xDot;
        }

        public static void StaleRefBarAdjoint(double s, ref double sBar, double x, ref double xBar) => xBar += 2 * x * sBar;

        [Domain(-2, 2)]
        public static double DriftingValue(double x) => Math.Exp(x) / 3;

        public static (double Value, double Tangent) DriftingValueTangent(double x, double xDot) =>
            (Math.Exp(x) * (1.0 / 3) * (1 + 1e-12), Math.Exp(x) / 3 * xDot);

        public static void DriftingValueAdjoint(double x, ref double xBar, double resultBar) => xBar += Math.Exp(x) / 3 * resultBar;

        [Domain(-2, 2)]
        public static double Misshapen(double x) => x;

        public static (double Value, double Tangent) MisshapenTangent(double x, double dx) => (x, dx);

        public static void MisshapenAdjoint(ref double x, ref double xBar, double resultBar) => xBar += resultBar;

        [Domain(-1, 1)]
        public static double TooCurved(double x) => Math.Sin(1000 * x);

        public static (double Value, double Tangent) TooCurvedTangent(double x, double xDot) =>
            (Math.Sin(1000 * x), 1000 * Math.Cos(1000 * x) * xDot);

        public static void TooCurvedAdjoint(double x, ref double xBar, double resultBar) =>
            xBar += 1000 * Math.Cos(1000 * x) * resultBar;

        [Domain(-2, 2)]
        [Lengths(3)]
        public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }

            return sum;
        }

        public static (double Value, double Tangent) DotTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, ReadOnlySpan<double> y, ReadOnlySpan<double> yDot)
        {
            Require(xDot.Length == x.Length, nameof(xDot));
            Require(yDot.Length == y.Length, nameof(yDot));
            double sum = 0, sumDot = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i] * y[i];
                sumDot += xDot[i] * y[i] + x[i] * yDot[i];
            }

            return (sum, sumDot);
        }

        public static void DotAdjoint(ReadOnlySpan<double> x, Span<double> xBar, ReadOnlySpan<double> y, Span<double> yBar, double resultBar)
        {
            Require(xBar.Length == x.Length, nameof(xBar));
            Require(yBar.Length == y.Length, nameof(yBar));
            for (int i = 0; i < x.Length; i++)
            {
                xBar[i] += y[i] * resultBar;
                yBar[i] += x[i] * resultBar;
            }
        }

        [Domain(-2, 2)]
        [Lengths(3)]
        public static double DotOverwriting(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Dot(x, y);

        public static (double Value, double Tangent) DotOverwritingTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, ReadOnlySpan<double> y, ReadOnlySpan<double> yDot)
        {
            double sum = 0, sumDot = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i] * y[i];
                sumDot += xDot[i] * y[i] + x[i] * yDot[i];
            }

            return (sum, sumDot);
        }

        public static void DotOverwritingAdjoint(ReadOnlySpan<double> x, Span<double> xBar, ReadOnlySpan<double> y, Span<double> yBar, double resultBar)
        {
            for (int i = 0; i < x.Length; i++)
            {
                xBar[i] = y[i] * resultBar;
                yBar[i] += x[i] * resultBar;
            }
        }

        /// <summary>s ← a·s elementwise.</summary>
        [Domain(-2, 2)]
        [Lengths(4)]
        public static void Scale(Span<double> s, double a)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = a * s[i];
            }
        }

        public static void ScaleTangent(Span<double> s, Span<double> sDot, double a, double aDot)
        {
            Require(sDot.Length == s.Length, nameof(sDot));
            for (int i = 0; i < s.Length; i++)
            {
                sDot[i] = aDot * s[i] + a * sDot[i];
                s[i] = a * s[i];
            }
        }

        public static void ScaleAdjoint(ReadOnlySpan<double> s, Span<double> sBar, double a, ref double aBar)
        {
            Require(sBar.Length == s.Length, nameof(sBar));
            for (int i = 0; i < s.Length; i++)
            {
                aBar += sBar[i] * s[i];
                sBar[i] = a * sBar[i];
            }
        }

        [Domain(-2, 2)]
        [Lengths(4)]
        public static void ScaleWrongLast(Span<double> s, double a) => Scale(s, a);

        public static void ScaleWrongLastTangent(Span<double> s, Span<double> sDot, double a, double aDot)
        {
            ScaleTangent(s, sDot, a, aDot);
            sDot[^1] += 0.01 * aDot;
        }

        public static void ScaleWrongLastAdjoint(ReadOnlySpan<double> s, Span<double> sBar, double a, ref double aBar) => ScaleAdjoint(s, sBar, a, ref aBar);

        [Domain(-2, 2)]
        [Lengths(4)]
        public static void ScaleAccumulating(Span<double> s, double a) => Scale(s, a);

        public static void ScaleAccumulatingTangent(Span<double> s, Span<double> sDot, double a, double aDot) => ScaleTangent(s, sDot, a, aDot);

        public static void ScaleAccumulatingAdjoint(ReadOnlySpan<double> s, Span<double> sBar, double a, ref double aBar)
        {
            for (int i = 0; i < s.Length; i++)
            {
                aBar += sBar[i] * s[i];
                sBar[i] += a * sBar[i];
            }
        }

        [Domain(-2, 2)]
        [Lengths(4)]
        public static void ScaleMisshapen(Span<double> s, double a) => Scale(s, a);

        public static void ScaleMisshapenTangent(Span<double> s, Span<double> sDot, double a, double aDot) => ScaleTangent(s, sDot, a, aDot);

        public static void ScaleMisshapenAdjoint(Span<double> s, Span<double> sBar, double a, ref double aBar) => ScaleAdjoint(s, sBar, a, ref aBar);

        /// <summary>s ← s + x elementwise (an array), total = Σ s².</summary>
        [Domain(-2, 2)]
        [Lengths(3)]
        public static void ShiftAndSquare(double[] s, double x, out double total)
        {
            total = 0;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] += x;
                total += s[i] * s[i];
            }
        }

        public static void ShiftAndSquareTangent(double[] s, double[] sDot, double x, double xDot, out double total, out double totalDot)
        {
            Require(sDot.Length == s.Length, nameof(sDot));
            total = 0;
            totalDot = 0;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] += x;
                sDot[i] += xDot;
                total += s[i] * s[i];
                totalDot += 2 * s[i] * sDot[i];
            }
        }

        public static void ShiftAndSquareAdjoint(double[] s, double[] sBar, double x, ref double xBar, double totalBar)
        {
            Require(sBar.Length == s.Length, nameof(sBar));
            for (int i = 0; i < s.Length; i++)
            {
                double shifted = s[i] + x;
                double shiftedBar = sBar[i] + 2 * shifted * totalBar;
                xBar += shiftedBar;
                sBar[i] = shiftedBar;
            }
        }

        private static void Require(bool condition, string parameter)
        {
            if (!condition)
            {
                throw new ArgumentException("Length differs from the primal's.", parameter);
            }
        }
    }
}
