using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Every [Differentiable(Order = 2)] method of this assembly: its generated HessianVector against central differences
/// of the generated gradient (double) or its double twin (float), symmetry, accumulation, and the lengths of its
/// direction and accumulator spans. See <see cref="DerivativeChecker.CheckHessianVector"/> for the tolerances. (Its
/// signature, and the absence of a HessianVector for Order = 1, are checked with the others by
/// <see cref="GeneratedDerivativeTests.GeneratedSignaturesFollowTheContract"/>.) Then a few Hessians written out by
/// hand, so finite differences are not the only oracle.
/// </summary>
public sealed class SecondOrderTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [MemberData(nameof(CaseCatalog.SecondOrder), MemberType = typeof(CaseCatalog))]
    public void HessianVectorMatchesDifferencesOfTheGradient(string method) =>
        DerivativeChecker.CheckHessianVector(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.SecondOrder), MemberType = typeof(CaseCatalog))]
    public void TangentAdjointMatchesTheHessianVectorAndTheAdjoint(string method) =>
        DerivativeChecker.CheckTangentAdjoint(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.SecondOrderWithActiveSequences), MemberType = typeof(CaseCatalog))]
    public void HessianVectorAccumulatorsOfAnotherLengthAreRejected(string method) =>
        DerivativeChecker.CheckHessianVectorLengthsAreChecked(CaseCatalog.Get(method), directions: false, accumulators: true);

    [Theory]
    [MemberData(nameof(CaseCatalog.SecondOrderWithActiveSequences), MemberType = typeof(CaseCatalog))]
    public void HessianVectorDirectionsOfAnotherLengthAreRejected(string method) =>
        DerivativeChecker.CheckHessianVectorLengthsAreChecked(CaseCatalog.Get(method), directions: true, accumulators: false);

    /// <summary>A direction one element short or long is rejected before any accumulator changes.</summary>
    [Fact]
    public void HessianVectorRejectsADirectionOfAnotherLength()
    {
        double[] c = [1, 2, 3, 4, 5], cHv = new double[5];
        double xHv = 0;
        var e = Assert.ThrowsAny<ArgumentException>(() => SecondOrderCases.HornerHessianVector(c, new double[4], cHv, 0.5, 1, ref xHv));
        Assert.Equal("cV", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => SecondOrderCases.HornerHessianVector(c, new double[6], cHv, 0.5, 1, ref xHv));
        Assert.Equal("cV", e.ParamName);
    }

    [Fact]
    public void SecondOrderCasesCoverScalarsSpansNoDiffHyperAndFloat()
    {
        var cases = CaseCatalog.Methods.Where(c => c.Order == 2).ToList();
        Assert.True(cases.Count(c => !c.IsFloat) >= 12, $"only {cases.Count(c => !c.IsFloat)} double Order = 2 cases");
        Assert.Contains(cases, c => c.IsFloat);
        Assert.Contains(cases, c => c.Parameters.All(p => !p.IsSequence));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsActive && p.Shape == ParameterShape.ReadOnlySpan));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsNoDiff && p.IsSequence));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsHyper) && c.HasActiveSequences);
        Assert.Contains(cases, c => c.IsFloat && c.HasActiveSequences);
        Assert.Contains(cases, c => c.Parameters.Count(p => p.IsActive && p.IsSequence) > 1);
    }

    /// <summary>At the minimum (1, 1) of Rosenbrock's function H = [[802, −400], [−400, 200]].</summary>
    [Fact]
    public void RosenbrockHessianAtTheMinimum()
    {
        double xHv = 0, yHv = 0;
        SecondOrderCases.RosenbrockHessianVector(1, 1, ref xHv, 1, 0, ref yHv);
        Assert.Equal(802, xHv, Tolerance);
        Assert.Equal(-400, yHv, Tolerance);
        xHv = 0;
        yHv = 0;
        SecondOrderCases.RosenbrockHessianVector(1, 0, ref xHv, 1, 1, ref yHv);
        Assert.Equal(-400, xHv, Tolerance);
        Assert.Equal(200, yHv, Tolerance);
    }

    /// <summary>H = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]] anywhere; the accumulators start nonzero.</summary>
    [Fact]
    public void RosenbrockHessianVectorAddsToTheAccumulators()
    {
        const double x = 0.5, y = -0.3, vx = 0.7, vy = -0.4;
        double hxx = 2 - 400 * (y - x * x) + 800 * x * x, hxy = -400 * x, hyy = 200;
        double xHv = 1.5, yHv = -2.5;
        SecondOrderCases.RosenbrockHessianVector(x, vx, ref xHv, y, vy, ref yHv);
        Assert.Equal(1.5 + hxx * vx + hxy * vy, xHv, 1e-11);
        Assert.Equal(-2.5 + hxy * vx + hyy * vy, yHv, 1e-11);
    }

    /// <summary>½xᵀAx + bᵀx: H·v = (A + Aᵀ)v/2, whatever x and b.</summary>
    [Fact]
    public void QuadraticFormHessianIsTheSymmetricPartOfA()
    {
        double[] a = [2, -1, 0.5, 3, 1, -2, 0.25, 4, -1.5], b = [1, -1, 2], x = [0.3, -0.7, 1.1], v = [1, 0.5, -2];
        double[] xHv = new double[3];
        SecondOrderCases.QuadraticFormHessianVector(x, v, xHv, a, b);
        for (int i = 0; i < 3; i++)
        {
            double expected = 0;
            for (int j = 0; j < 3; j++)
            {
                expected += 0.5 * (a[i * 3 + j] + a[j * 3 + i]) * v[j];
            }

            Assert.Equal(expected, xHv[i], Tolerance);
        }
    }

    /// <summary>
    /// Ridge, f = ‖Xw − y‖²/m + l2·‖w‖²: (H·v)_w = (2/m)XᵀX v_w + 2·l2·v_w + 2w·v_l2 and (H·v)_l2 = 2w·v_w, the mixed
    /// terms in both directions.
    /// </summary>
    [Fact]
    public void RidgeHessianHasTheMixedTermsOfTheHyperparameter()
    {
        double[] w = [0.5, -1, 0.25], x = [1, 2, -1, 0.5, -0.5, 1.5, 2, 0, 1, -1, 1, 0.5], y = [1, -2, 0.5, 3];
        double[] vw = [0.3, -0.6, 0.9];
        const double l2 = 0.2, vl2 = -0.8;
        double[] wHv = new double[3];
        double l2Hv = 0;
        SecondOrderCases.RidgeHessianVector(w, vw, wHv, x, y, l2, vl2, ref l2Hv);
        for (int j = 0; j < 3; j++)
        {
            double xtxv = 0;
            for (int k = 0; k < 4; k++)
            {
                double xv = 0;
                for (int i = 0; i < 3; i++)
                {
                    xv += x[k * 3 + i] * vw[i];
                }

                xtxv += x[k * 3 + j] * xv;
            }

            Assert.Equal(2.0 / 4 * xtxv + 2 * l2 * vw[j] + 2 * w[j] * vl2, wHv[j], Tolerance);
        }

        Assert.Equal(2 * (w[0] * vw[0] + w[1] * vw[1] + w[2] * vw[2]), l2Hv, Tolerance);
    }

    /// <summary>
    /// The Huber loss through its extracted helper has the Hessian of the inlined one: H·v equal, to roundoff, to
    /// <see cref="SecondOrderCases.HuberSumHessianVector"/>'s, the mixed δ terms included.
    /// </summary>
    [Fact]
    public void HuberThroughItsHelperHasTheHessianOfTheInlinedLoss()
    {
        double[] r = [0.2, -1.8, 1.6, -0.3, 0.9], v = [0.5, -1, 0.25, 2, -0.75];
        const double delta = 1.0, vDelta = -0.6;
        double[] inlined = new double[5], called = new double[5];
        double inlinedDelta = 0, calledDelta = 0;
        SecondOrderCases.HuberSumHessianVector(r, v, inlined, delta, vDelta, ref inlinedDelta);
        SecondOrderCallCases.HuberSumHessianVector(r, v, called, delta, vDelta, ref calledDelta);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(inlined[i], called[i], Tolerance);
        }

        Assert.Equal(inlinedDelta, calledDelta, Tolerance);
        Assert.NotEqual(0, calledDelta);
    }

    /// <summary>
    /// TensorRidge, f = (w·x − y)² + l2‖w‖² through TensorPrimitives.Dot and SumOfSquares, by hand:
    /// (H·v)_w = 2x(x·v_w) + 2l2·v_w + 2w·v_l2 and (H·v)_l2 = 2w·v_w.
    /// </summary>
    [Fact]
    public void TensorRidgeHessianByHand()
    {
        double[] w = [0.5, -1, 0.25, 1.5], x = [1, 2, -1, 0.5], vw = [0.3, -0.6, 0.9, -0.2];
        const double y = 0.7, l2 = 0.2, vl2 = -0.8;
        double[] wHv = new double[4];
        double l2Hv = 0;
        SecondOrderCallCases.TensorRidgeHessianVector(w, vw, wHv, x, y, l2, vl2, ref l2Hv);
        double xv = 0, wv = 0;
        for (int j = 0; j < 4; j++)
        {
            xv += x[j] * vw[j];
            wv += w[j] * vw[j];
        }

        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(2 * x[j] * xv + 2 * l2 * vw[j] + 2 * w[j] * vl2, wHv[j], Tolerance);
        }

        Assert.Equal(2 * wv, l2Hv, Tolerance);
    }

    /// <summary>A float method's directions and accumulators are float.</summary>
    [Fact]
    public void FloatHessianVectorTakesFloatAccumulators()
    {
        float xHv = 0, yHv = 0;
        SecondOrderFloatCases.RosenbrockHessianVector(1f, 1f, ref xHv, 1f, 0f, ref yHv);
        Assert.Equal(802f, xHv);
        Assert.Equal(-400f, yHv);
    }
}
