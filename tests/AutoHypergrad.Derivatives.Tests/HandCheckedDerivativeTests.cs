using System;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Derivatives written out by hand, so the finite-difference and dot-product checks are not the only oracles. The
/// closed forms use the same operations as the generated code would, so they agree to a few units of roundoff; the
/// tolerance is 1e-14 absolute on O(1) numbers (≈ 50 ε).
/// </summary>
public sealed class HandCheckedDerivativeTests
{
    private const double Tolerance = 1e-14;

    /// <summary>
    /// One momentum step v' = μv + g, w' = w − ηv'. Jacobian (rows w', v'; columns w, v, g, η, μ):
    /// ∂w'/∂(w, v, g, η, μ) = (1, −ημ, −η, −v', −ηv); ∂v'/∂(w, v, g, η, μ) = (0, μ, 1, 0, v).
    /// </summary>
    [Fact]
    public void MomentumTangentGivesTheHandWrittenJacobian()
    {
        const double w = 0.7, v = -0.3, g = 0.45, lr = 0.1, mu = 0.9;
        double vNext = mu * v + g;
        double[,] expected =
        {
            { 1, -lr * mu, -lr, -vNext, -lr * v },
            { 0, mu, 1, 0, v },
        };

        for (int column = 0; column < 5; column++)
        {
            double ww = w, vv = v;
            double wDot = column == 0 ? 1 : 0, vDot = column == 1 ? 1 : 0;
            OptimizerCases.MomentumTangent(
                ref ww, ref wDot, ref vv, ref vDot, g, column == 2 ? 1 : 0, lr, column == 3 ? 1 : 0, mu, column == 4 ? 1 : 0);
            Assert.Equal(w - lr * vNext, ww, Tolerance);
            Assert.Equal(vNext, vv, Tolerance);
            Assert.Equal(expected[0, column], wDot, Tolerance);
            Assert.Equal(expected[1, column], vDot, Tolerance);
        }
    }

    /// <summary>
    /// √x at x = 0, in f(x, y) = √x + √(xy + 1)·y: ∂f/∂x = 1/(2√x) + y²/(2√(xy + 1)) is +∞ there, and ∂f/∂y =
    /// x/(2√(xy + 1))·y + √(xy + 1) = 1. A direction that does not move x must give 1, not ∞·0 = NaN; one that does gives ∞.
    /// </summary>
    [Fact]
    public void SqrtAtZeroIsZeroSafeAlongDirectionsThatDoNotMoveItsOperand()
    {
        const double y = 0.75;

        Assert.Equal(1.0, MathCases.SqrtTangent(0, 0, y, 1).Tangent, Tolerance);
        Assert.Equal(double.PositiveInfinity, MathCases.SqrtTangent(0, 1, y, 0).Tangent);

        double xBar = 0, yBar = 0;
        MathCases.SqrtAdjoint(0, ref xBar, y, ref yBar, 1);
        Assert.Equal(double.PositiveInfinity, xBar);
        Assert.Equal(1.0, yBar, Tolerance);

        // A zero adjoint reaching √0 adds nothing, where ∞·0 would have made every bar NaN.
        xBar = 0;
        yBar = 0;
        MathCases.SqrtAdjoint(0, ref xBar, y, ref yBar, 0);
        Assert.Equal(0.0, xBar);
        Assert.Equal(0.0, yBar);
    }

    /// <summary>The hypergradients of w' with respect to η and μ, the quantities the library exists for.</summary>
    [Fact]
    public void MomentumAdjointGivesTheHypergradientsOfTheWeight()
    {
        const double w = -1.2, v = 0.6, g = -0.25, lr = 0.05, mu = 0.8;
        double vNext = mu * v + g;
        double wBar = 1, vBar = 0, gBar = 0, lrBar = 0, muBar = 0;

        OptimizerCases.MomentumAdjoint(w, ref wBar, v, ref vBar, g, ref gBar, lr, ref lrBar, mu, ref muBar);

        Assert.Equal(-vNext, lrBar, Tolerance);
        Assert.Equal(-lr * v, muBar, Tolerance);
        Assert.Equal(-lr, gBar, Tolerance);
        Assert.Equal(1, wBar, Tolerance);
        Assert.Equal(-lr * mu, vBar, Tolerance);
    }

    /// <summary>Adjoint of v' alone: ∂v'/∂(w, v, g, η, μ) = (0, μ, 1, 0, v).</summary>
    [Fact]
    public void MomentumAdjointOfTheVelocity()
    {
        const double w = 0.3, v = 0.2, g = 0.1, lr = 0.2, mu = 0.5;
        double wBar = 0, vBar = 1, gBar = 0, lrBar = 0, muBar = 0;

        OptimizerCases.MomentumAdjoint(w, ref wBar, v, ref vBar, g, ref gBar, lr, ref lrBar, mu, ref muBar);

        Assert.Equal(0, wBar, Tolerance);
        Assert.Equal(mu, vBar, Tolerance);
        Assert.Equal(1, gBar, Tolerance);
        Assert.Equal(0, lrBar, Tolerance);
        Assert.Equal(v, muBar, Tolerance);
    }

    /// <summary>
    /// Adam: with D = √û + ε, ∂w'/∂η = −m̂/D and ∂w'/∂ε = η·m̂/D². With m̂ = m'/(1 − β₁ᵗ), m' = β₁m + (1 − β₁)g:
    /// ∂w'/∂m = −η·β₁/((1 − β₁ᵗ)·D) (m does not enter û).
    /// </summary>
    [Fact]
    public void AdamAdjointGivesTheHandWrittenPartials()
    {
        const double w = 0.5, m = 0.2, u = 0.4, g = -0.3, lr = 0.01, beta1 = 0.9, beta2 = 0.95, eps = 1e-4, t = 3;
        double mNext = beta1 * m + (1 - beta1) * g;
        double uNext = beta2 * u + (1 - beta2) * g * g;
        double mHat = mNext / (1 - Math.Pow(beta1, t));
        double uHat = uNext / (1 - Math.Pow(beta2, t));
        double denominator = Math.Sqrt(uHat) + eps;
        double wBar = 1, mBar = 0, uBar = 0, gBar = 0, lrBar = 0, beta1Bar = 0, beta2Bar = 0, epsBar = 0;

        OptimizerCases.AdamAdjoint(
            w, ref wBar, m, ref mBar, u, ref uBar, g, ref gBar, lr, ref lrBar, beta1, ref beta1Bar, beta2, ref beta2Bar, eps, ref epsBar, t);

        Assert.Equal(-mHat / denominator, lrBar, 1e-12);
        Assert.Equal(lr * mHat / (denominator * denominator), epsBar, 1e-12);
        Assert.Equal(-lr * beta1 / ((1 - Math.Pow(beta1, t)) * denominator), mBar, 1e-12);
        Assert.Equal(1, wBar, Tolerance);
    }

    /// <summary>d/dx [xʸ + (x + y²)ˣ] = y·xʸ⁻¹ + (x + y²)ˣ·(ln(x + y²) + x/(x + y²)); d/dy = xʸ·ln x + (x + y²)ˣ·2xy/(x + y²).</summary>
    [Fact]
    public void PowTangentAndAdjointGiveTheClosedForms()
    {
        const double x = 1.7, y = -0.6;
        double b = x + y * y;
        double expectedDx = y * Math.Pow(x, y - 1) + Math.Pow(b, x) * (Math.Log(b) + x / b);
        double expectedDy = Math.Pow(x, y) * Math.Log(x) + Math.Pow(b, x) * 2 * x * y / b;

        (double value, double dx) = MathCases.PowBothTangent(x, 1, y, 0);
        (_, double dy) = MathCases.PowBothTangent(x, 0, y, 1);
        double xBar = 0, yBar = 0;
        MathCases.PowBothAdjoint(x, ref xBar, y, ref yBar, 1);

        Assert.Equal(Math.Pow(x, y) + Math.Pow(b, x), value, Tolerance);
        Assert.Equal(expectedDx, dx, 1e-13);
        Assert.Equal(expectedDy, dy, 1e-13);
        Assert.Equal(expectedDx, xBar, 1e-13);
        Assert.Equal(expectedDy, yBar, 1e-13);
    }

    /// <summary>x³ and x² at a negative base with passive exponents: d/dx (x³ + x²·x) = 6x², defined for x &lt; 0.</summary>
    [Fact]
    public void PowOfANegativeBaseWithIntegerExponentsHasAFiniteDerivative()
    {
        const double x = -1.5;
        (double value, double tangent) = MathCases.PowNegativeBaseIntegerExponentTangent(x, 1, 3);
        double xBar = 0;
        MathCases.PowNegativeBaseIntegerExponentAdjoint(x, ref xBar, 3, 1);

        Assert.Equal(2 * x * x * x, value, Tolerance);
        Assert.Equal(6 * x * x, tangent, 1e-13);
        Assert.Equal(6 * x * x, xBar, 1e-13);
    }

    /// <summary>
    /// Clamp(x, lo, hi)·(1 + x·lo) + hi. Clamped at hi: f = hi·(1 + x·lo) + hi, so ∂f/∂x = hi·lo, ∂f/∂lo = hi·x,
    /// ∂f/∂hi = 2 + x·lo. Clamped at lo: f = lo·(1 + x·lo) + hi, ∂f/∂x = lo², ∂f/∂lo = 1 + 2x·lo, ∂f/∂hi = 1. Inside:
    /// f = x(1 + x·lo) + hi, ∂f/∂x = 1 + 2x·lo, ∂f/∂lo = x², ∂f/∂hi = 1.
    /// </summary>
    [Theory]
    [InlineData(1.5, -0.5, 0.5)]
    [InlineData(-1.5, -0.5, 0.5)]
    [InlineData(0.25, -0.5, 0.5)]
    public void ClampSendsTheDerivativeToTheActiveBound(double x, double lo, double hi)
    {
        (double dx, double dlo, double dhi) = x > hi ? (hi * lo, hi * x, 2 + x * lo)
            : x < lo ? (lo * lo, 1 + 2 * x * lo, 1.0)
            : (1 + 2 * x * lo, x * x, 1.0);
        double xBar = 0, loBar = 0, hiBar = 0;

        MathCases.ClampBoundsAdjoint(x, ref xBar, lo, ref loBar, hi, ref hiBar, 1);

        Assert.Equal(dx, xBar, Tolerance);
        Assert.Equal(dlo, loBar, Tolerance);
        Assert.Equal(dhi, hiBar, Tolerance);
        Assert.Equal(dx, MathCases.ClampBoundsTangent(x, 1, lo, 0, hi, 0).Tangent, Tolerance);
        Assert.Equal(dlo, MathCases.ClampBoundsTangent(x, 0, lo, 1, hi, 0).Tangent, Tolerance);
        Assert.Equal(dhi, MathCases.ClampBoundsTangent(x, 0, lo, 0, hi, 1).Tangent, Tolerance);
    }

    /// <summary>
    /// EarlyReturns on each of its paths: x &gt; 1 → xy; y &lt; 0, x &lt; 0 → x − y²; y &lt; 0, x ≥ 0 → (x + y²)²;
    /// otherwise (x + y)².
    /// </summary>
    [Theory]
    [InlineData(1.5, 0.3, 0.3, 1.5)]
    [InlineData(-1.0, -1.0, 1.0, 2.0)]
    [InlineData(0.5, -1.0, 3.0, -6.0)]
    [InlineData(0.5, 0.5, 2.0, 2.0)]
    public void EarlyReturnsFollowTheBranchTaken(double x, double y, double expectedDx, double expectedDy)
    {
        double xBar = 0, yBar = 0;
        BranchCases.EarlyReturnsAdjoint(x, ref xBar, y, ref yBar, 1);

        Assert.Equal(expectedDx, BranchCases.EarlyReturnsTangent(x, 1, y, 0).Tangent, Tolerance);
        Assert.Equal(expectedDy, BranchCases.EarlyReturnsTangent(x, 0, y, 1).Tangent, Tolerance);
        Assert.Equal(expectedDx, xBar, Tolerance);
        Assert.Equal(expectedDy, yBar, Tolerance);
    }

    /// <summary>Math.Sign(x)·y + x·Sign(y − ½) + Sign(xy)·xy: ∂/∂x = Sign(y − ½) + Sign(xy)·y, ∂/∂y = Sign(x) + Sign(xy)·x.</summary>
    [Fact]
    public void SignIsPassive()
    {
        const double x = -0.8, y = 1.3;
        (_, double dx) = MathCases.SignPassiveTangent(x, 1, y, 0);
        (_, double dy) = MathCases.SignPassiveTangent(x, 0, y, 1);

        Assert.Equal(1 - y, dx, Tolerance);
        Assert.Equal(-1 - x, dy, Tolerance);
    }

    /// <summary>s' = x² − x: sBar on exit is 0 (s's input is overwritten unread), xBar accumulates sBar·(2x − 1).</summary>
    [Fact]
    public void OverwrittenStateHasAZeroInputAdjoint()
    {
        const double s = 5, x = 1.25;
        double sBar = 2, xBar = 10;

        StateCases.WriteOnlyRefAdjoint(s, ref sBar, x, ref xBar);

        Assert.Equal(0, sBar);
        Assert.Equal(10 + 2 * (2 * x - 1), xBar, Tolerance);
    }

    /// <summary>Bars accumulate: 10 + 2·(2·3) = 22, exactly.</summary>
    [Fact]
    public void AdjointAccumulatesIntoTheBar()
    {
        double xBar = 10;

        CallCases.SquareAdjoint(3, ref xBar, 2);

        Assert.Equal(22, xBar);
    }

    /// <summary>A float step: the tangent of w' along η is −v', in float.</summary>
    [Fact]
    public void FloatMomentumTangentAlongTheLearningRate()
    {
        float w = 1f, v = 0.5f, wDot = 0f, vDot = 0f;
        const float g = 0.25f, lr = 0.125f, mu = 0.5f;

        FloatCases.MomentumTangent(ref w, ref wDot, ref v, ref vDot, g, 0f, lr, 1f, mu, 0f);

        Assert.Equal(0.5f, v); // 0.5·0.5 + 0.25, exact in float
        Assert.Equal(1f - 0.125f * 0.5f, w);
        Assert.Equal(-0.5f, wDot);
        Assert.Equal(0f, vDot);
    }
}
