using System;
using System.Reflection;
using Xunit;
using Xunit.Sdk;

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
    }
}
