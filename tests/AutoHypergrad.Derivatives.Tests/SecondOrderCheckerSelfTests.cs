using System;
using System.Reflection;
using Xunit;
using Xunit.Sdk;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The second-order checks against hand-written Tangent/Adjoint/HessianVector triples: correct ones pass, and each kind
/// of mistake is caught by the check meant for it, so a passing <see cref="SecondOrderTests"/> run means something.
/// These do not depend on the generator's output.
/// </summary>
public sealed class SecondOrderCheckerSelfTests
{
    [Fact]
    public void CorrectHessianVectorsPassEveryCheck()
    {
        DerivativeChecker.CheckHessianVector(Load(nameof(HandWritten.Cubic)));
        CaseMethod span = Load(nameof(HandWritten.WeightedSquares));
        DerivativeChecker.CheckHessianVector(span);
        DerivativeChecker.CheckHessianVectorLengthsAreChecked(span);
    }

    [Fact]
    public void AMissingMixedTermFailsTheDifferencesAndTheSymmetryCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckHessianVector(Load(nameof(HandWritten.CubicMissingMixedTerm))));
        Assert.Contains("but differences of the gradient", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not symmetric", failure.Message, StringComparison.Ordinal);
        Assert.Contains("H[x, y] =", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymmetricButWrongHessianFailsTheDifferences()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckHessianVector(Load(nameof(HandWritten.CubicWrongCurvature))));
        Assert.Contains("but differences of the gradient", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not symmetric", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverwritingAccumulatorFailsTheAccumulationCheck()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => DerivativeChecker.CheckHessianVector(Load(nameof(HandWritten.CubicOverwriting))));
        Assert.Contains("must accumulate", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("but differences of the gradient", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUncheckedDirectionLengthFailsTheLengthCheck()
    {
        CaseMethod method = Load(nameof(HandWritten.WeightedSquaresUncheckedDirection));
        DerivativeChecker.CheckHessianVectorLengthsAreChecked(method, directions: false, accumulators: true);
        var failure = Assert.ThrowsAny<XunitException>(() => DerivativeChecker.CheckHessianVectorLengthsAreChecked(method));
        Assert.Contains("ParamName is xV", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHessianVectorOfTheWrongShapeIsNotFound()
    {
        CaseMethod method = Load(nameof(HandWritten.Misshapen));
        Assert.Null(method.HessianVector);
        Assert.ThrowsAny<XunitException>(() => DerivativeChecker.CheckHessianVector(method));
    }

    private static CaseMethod Load(string name) =>
        new(typeof(HandWritten).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!);

    /// <summary>Primal/Tangent/Adjoint/HessianVector quadruples written by hand, some deliberately wrong.</summary>
    public static class HandWritten
    {
        /// <summary>f = x³y + y²: H = [[6xy, 3x²], [3x², 2]].</summary>
        [Domain(-2, 2)]
        public static double Cubic(double x, double y) => x * x * x * y + y * y;

        public static (double Value, double Tangent) CubicTangent(double x, double xDot, double y, double yDot) =>
            (Cubic(x, y), 3 * x * x * y * xDot + (x * x * x + 2 * y) * yDot);

        public static void CubicAdjoint(double x, ref double xBar, double y, ref double yBar, double resultBar)
        {
            xBar += 3 * x * x * y * resultBar;
            yBar += (x * x * x + 2 * y) * resultBar;
        }

        public static void CubicHessianVector(double x, double xV, ref double xHv, double y, double yV, ref double yHv)
        {
            xHv += 6 * x * y * xV + 3 * x * x * yV;
            yHv += 3 * x * x * xV + 2 * yV;
        }

        [Domain(-2, 2)]
        public static double CubicMissingMixedTerm(double x, double y) => Cubic(x, y);

        public static (double Value, double Tangent) CubicMissingMixedTermTangent(double x, double xDot, double y, double yDot) =>
            CubicTangent(x, xDot, y, yDot);

        public static void CubicMissingMixedTermAdjoint(double x, ref double xBar, double y, ref double yBar, double resultBar) =>
            CubicAdjoint(x, ref xBar, y, ref yBar, resultBar);

        public static void CubicMissingMixedTermHessianVector(double x, double xV, ref double xHv, double y, double yV, ref double yHv)
        {
            xHv += 6 * x * y * xV; // missing 3x²·yV
            yHv += 3 * x * x * xV + 2 * yV;
        }

        [Domain(-2, 2)]
        public static double CubicWrongCurvature(double x, double y) => Cubic(x, y);

        public static (double Value, double Tangent) CubicWrongCurvatureTangent(double x, double xDot, double y, double yDot) =>
            CubicTangent(x, xDot, y, yDot);

        public static void CubicWrongCurvatureAdjoint(double x, ref double xBar, double y, ref double yBar, double resultBar) =>
            CubicAdjoint(x, ref xBar, y, ref yBar, resultBar);

        public static void CubicWrongCurvatureHessianVector(double x, double xV, ref double xHv, double y, double yV, ref double yHv)
        {
            xHv += 6 * x * y * xV + 3 * x * x * yV;
            yHv += 3 * x * x * xV + 1 * yV; // ∂²f/∂y² is 2
        }

        [Domain(-2, 2)]
        public static double CubicOverwriting(double x, double y) => Cubic(x, y);

        public static (double Value, double Tangent) CubicOverwritingTangent(double x, double xDot, double y, double yDot) =>
            CubicTangent(x, xDot, y, yDot);

        public static void CubicOverwritingAdjoint(double x, ref double xBar, double y, ref double yBar, double resultBar) =>
            CubicAdjoint(x, ref xBar, y, ref yBar, resultBar);

        public static void CubicOverwritingHessianVector(double x, double xV, ref double xHv, double y, double yV, ref double yHv)
        {
            xHv = 6 * x * y * xV + 3 * x * x * yV;
            yHv += 3 * x * x * xV + 2 * yV;
        }

        /// <summary>f = a·Σxᵢ²: ∂²f/∂xᵢ∂xⱼ = 2aδᵢⱼ, ∂²f/∂xᵢ∂a = 2xᵢ, ∂²f/∂a² = 0.</summary>
        [Domain(-2, 2)]
        [Lengths(3)]
        public static double WeightedSquares(ReadOnlySpan<double> x, double a)
        {
            double s = 0;
            foreach (double xi in x)
            {
                s += xi * xi;
            }

            return a * s;
        }

        public static (double Value, double Tangent) WeightedSquaresTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, double a, double aDot)
        {
            Require(xDot.Length == x.Length, nameof(xDot));
            double s = 0, sDot = 0;
            for (int i = 0; i < x.Length; i++)
            {
                s += x[i] * x[i];
                sDot += 2 * x[i] * xDot[i];
            }

            return (a * s, aDot * s + a * sDot);
        }

        public static void WeightedSquaresAdjoint(ReadOnlySpan<double> x, Span<double> xBar, double a, ref double aBar, double resultBar)
        {
            Require(xBar.Length == x.Length, nameof(xBar));
            for (int i = 0; i < x.Length; i++)
            {
                aBar += x[i] * x[i] * resultBar;
                xBar[i] += 2 * a * x[i] * resultBar;
            }
        }

        public static void WeightedSquaresHessianVector(
            ReadOnlySpan<double> x, ReadOnlySpan<double> xV, Span<double> xHv, double a, double aV, ref double aHv)
        {
            Require(xV.Length == x.Length, nameof(xV));
            Require(xHv.Length == x.Length, nameof(xHv));
            for (int i = 0; i < x.Length; i++)
            {
                xHv[i] += 2 * a * xV[i] + 2 * x[i] * aV;
                aHv += 2 * x[i] * xV[i];
            }
        }

        [Domain(-2, 2)]
        [Lengths(3)]
        public static double WeightedSquaresUncheckedDirection(ReadOnlySpan<double> x, double a) => WeightedSquares(x, a);

        public static (double Value, double Tangent) WeightedSquaresUncheckedDirectionTangent(
            ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, double a, double aDot) => WeightedSquaresTangent(x, xDot, a, aDot);

        public static void WeightedSquaresUncheckedDirectionAdjoint(ReadOnlySpan<double> x, Span<double> xBar, double a, ref double aBar, double resultBar) =>
            WeightedSquaresAdjoint(x, xBar, a, ref aBar, resultBar);

        public static void WeightedSquaresUncheckedDirectionHessianVector(
            ReadOnlySpan<double> x, ReadOnlySpan<double> xV, Span<double> xHv, double a, double aV, ref double aHv)
        {
            Require(xHv.Length == x.Length, nameof(xHv));
            for (int i = 0; i < x.Length; i++)
            {
                xHv[i] += 2 * a * xV[i] + 2 * x[i] * aV;
                aHv += 2 * x[i] * xV[i];
            }
        }

        [Domain(-2, 2)]
        public static double Misshapen(double x) => x * x;

        public static (double Value, double Tangent) MisshapenTangent(double x, double xDot) => (x * x, 2 * x * xDot);

        public static void MisshapenAdjoint(double x, ref double xBar, double resultBar) => xBar += 2 * x * resultBar;

        public static double MisshapenHessianVector(double x, double xV) => 2 * xV; // returns H·v instead of adding it

        private static void Require(bool condition, string name)
        {
            if (!condition)
            {
                throw new ArgumentException($"{name} has the wrong length.", name);
            }
        }
    }
}
