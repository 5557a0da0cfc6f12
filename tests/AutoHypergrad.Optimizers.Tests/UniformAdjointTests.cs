using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// An elementwise step whose uniform intermediates (a bias correction and a step size) receive adjoints from both
/// arms of a per-element branch: the span adjoint sums those adjoints over the elements and passes them on to the
/// hyperparameters once, after the vector loop.
/// </summary>
public static partial class BranchyCorrectedStep
{
    [Differentiable]
    public static void Step(ref double w, double g, [Hyper] double lr, [Hyper] double beta, [NoDiff] double t)
    {
        double correction = 1.0 - Math.Pow(beta, t);
        double stepSize = lr / correction;
        if (g > 0)
        {
            w = w - stepSize * g;
        }
        else
        {
            w = w * (1.0 - beta) + correction * g;
        }
    }
}

public sealed class UniformAdjointTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(1001)]
    public void Span_adjoint_of_uniform_intermediates_equals_the_sum_of_scalar_adjoints(int length)
    {
        var random = new Random(length);
        double[] Draw() => Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] w = Draw(), g = Draw(), wBar = Draw();
        double[] wBarIn = wBar.ToArray();
        var gBar = new double[length];
        double lr = 0.05, beta = 0.9, t = 3;
        double lrBar = 0, betaBar = 0;

        BranchyCorrectedStep.StepAdjoint(w, wBar, g, gBar, lr, ref lrBar, beta, ref betaBar, t);

        double expectedLrBar = 0, expectedBetaBar = 0, lrTerms = 0, betaTerms = 0;
        for (var i = 0; i < length; i++)
        {
            double wb = wBarIn[i], gb = 0, lb = 0, bb = 0;
            BranchyCorrectedStep.StepAdjoint(w[i], ref wb, g[i], ref gb, lr, ref lb, beta, ref bb, t);
            Assert.Equal(wb, wBar[i]);
            Assert.Equal(gb, gBar[i]);
            expectedLrBar += lb;
            expectedBetaBar += bb;
            lrTerms += Math.Abs(lb);
            betaTerms += Math.Abs(bb);
        }

        // Sums of `length` terms in another order, each term rounded a few times: within a few length · ε of the
        // sum of their magnitudes.
        var epsilon = Math.Pow(2, -52);
        Assert.InRange(Math.Abs(lrBar - expectedLrBar), 0, 4 * (length + 1) * epsilon * lrTerms);
        Assert.InRange(Math.Abs(betaBar - expectedBetaBar), 0, 4 * (length + 1) * epsilon * betaTerms);
    }

    [Fact]
    public void Uniform_adjoints_match_finite_differences_of_the_span_primal()
    {
        const int length = 37;
        var random = new Random(5);
        double[] w0 = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] g = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] weights = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        double lr = 0.05, beta = 0.9, t = 3;

        double Objective(double lrValue, double betaValue)
        {
            var w = w0.ToArray();
            BranchyCorrectedStep.Step(w, g, lrValue, betaValue, t);
            return w.Zip(weights, (a, b) => a * b).Sum();
        }

        double lrBar = 0, betaBar = 0;
        BranchyCorrectedStep.StepAdjoint(w0, weights.ToArray(), g, new double[length], lr, ref lrBar, beta, ref betaBar, t);

        // Central differences: truncation h²·f‴/6 (f‴ is of order 10³ in beta, through 1/(1 − beta³)) and rounding
        // ε·|f|/h: both about 1e-10 at h = 1e-6.
        const double h = 1e-6;
        Assert.Equal((Objective(lr + h, beta) - Objective(lr - h, beta)) / (2 * h), lrBar, 8);
        Assert.Equal((Objective(lr, beta + h) - Objective(lr, beta - h)) / (2 * h), betaBar, 8);
    }
}
