using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>An elementwise step with one learning rate per parameter: [Hyper, PerElement].</summary>
public static partial class PerParameterSgd
{
    [Differentiable]
    public static void Step(ref double w, double g, [Hyper, PerElement] double lr, [Hyper] double wd)
    {
        w = w - lr * (g + wd * w);
    }
}

/// <summary>
/// A [PerElement] hyperparameter's span driver takes a span of values and, in the adjoint, a span of adjoints, while
/// a uniform one keeps one value and one summed adjoint; both agree with the scalar method element by element.
/// </summary>
public sealed class PerElementTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(19)]
    [InlineData(1001)]
    public void Per_element_learning_rates_get_their_own_adjoints(int length)
    {
        var random = new Random(length);
        double[] Draw() => Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var w = Draw();
        var g = Draw();
        var lr = Draw().Select(x => 0.1 + Math.Abs(x)).ToArray();
        var wBar = Draw();
        var wBarIn = wBar.ToArray();
        var gBar = new double[length];
        var lrBar = new double[length];
        var wd = 0.01;
        var wdBar = 0.0;

        PerParameterSgd.StepAdjoint(w, wBar, g, gBar, lr, lrBar, wd, ref wdBar);

        var expectedWdBar = 0.0;
        for (var i = 0; i < length; i++)
        {
            double wb = wBarIn[i], gb = 0, lb = 0;
            PerParameterSgd.StepAdjoint(w[i], ref wb, g[i], ref gb, lr[i], ref lb, wd, ref expectedWdBar);
            Assert.Equal(wb, wBar[i]);
            Assert.Equal(gb, gBar[i]);
            Assert.Equal(lb, lrBar[i]);

            // ∂w′/∂lrᵢ = −(gᵢ + wd·wᵢ): the adjoint of each learning rate is its own element's.
            Assert.Equal(-(g[i] + (wd * w[i])) * wBarIn[i], lrBar[i], 15);
        }

        Assert.Equal(expectedWdBar, wdBar, 12);
    }

    [Fact]
    public void Per_element_primal_and_tangent_take_spans_of_rates()
    {
        double[] w = [1, 2, 3], g = [0.5, -0.5, 1], lr = [0.1, 0.2, 0.3];
        PerParameterSgd.Step(w, g, lr, 0.0);
        Assert.Equal(new[] { 1 - 0.05, 2 + 0.1, 3 - 0.3 }, w);

        double[] w2 = [1, 2, 3], wDot = [0, 0, 0], gDot = [0, 0, 0], lrDot = [1, 0, 0];
        PerParameterSgd.StepTangent(w2, wDot, g, gDot, lr, lrDot, 0.0, 0.0);
        Assert.Equal(new[] { -0.5, 0, 0 }, wDot);
    }
}
