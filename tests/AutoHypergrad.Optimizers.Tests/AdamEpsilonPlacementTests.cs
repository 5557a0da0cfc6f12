using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// At v = 0 and g = 0 (a weight whose gradient has been exactly 0 so far), v̂ = 0 and √ has an infinite derivative:
/// Adam's default form w − lr·m̂/(√v̂ + eps) has NaN hypergradients there although its step is finite, and
/// epsInsideSqrt, w − lr·m̂/√(v̂ + eps), keeps them finite (and right: they match finite differences).
/// </summary>
public sealed class AdamEpsilonPlacementTests
{
    // w, m, v, g, lr, beta1, beta2, eps, wd; then t, epsInsideSqrt. m ≠ 0 so that the weight still moves.
    private static readonly double[] AtZeroSecondMoment = [0.5, 0.1, 0, 0, 1e-3, 0.9, 0.999, 1e-8, 0];

    public static TheoryData<string> Optimizers() => new() { nameof(Adam), nameof(AdamW) };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Default_form_gives_NaN_hypergradients_at_v_zero(string optimizer)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        object[] passive = [3.0, false];

        double[] y = step.Primal(AtZeroSecondMoment, passive);
        Assert.All(y, value => Assert.True(double.IsFinite(value)));
        Assert.NotEqual(AtZeroSecondMoment[0], y[0]);

        int beta2 = Array.IndexOf(step.ActiveNames, "beta2");
        (_, double[] tangent) = step.Forward(AtZeroSecondMoment, GeneratedDerivativeTests.Unit(9, beta2), passive);
        Assert.True(double.IsNaN(tangent[0]), $"∂w′/∂beta2 = {tangent[0]:R}, expected NaN");

        double[] bars = step.Reverse(AtZeroSecondMoment, [1, 0, 0], new double[9], passive);
        Assert.True(double.IsNaN(bars[beta2]), $"w̄′ = 1 gives beta2Bar = {bars[beta2]:R}, expected NaN");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EpsInsideSqrt_gives_finite_hypergradients_at_v_zero_that_match_finite_differences(string optimizer)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        object[] passive = [3.0, true];
        double[] x = AtZeroSecondMoment;

        double[] y = step.Primal(x, passive);
        Assert.All(y, value => Assert.True(double.IsFinite(value)));

        for (int k = 0; k < y.Length; k++)
        {
            double[] yBar = GeneratedDerivativeTests.Unit(y.Length, k);
            double[] bars = step.Reverse(x, yBar, new double[x.Length], passive);
            Assert.All(bars, bar => Assert.True(double.IsFinite(bar), $"{step.OutputNames[k]}′: a bar is {bar:R}"));
        }

        // Every hyperparameter, and g (v stays ≥ 0 on both sides), against finite differences.
        foreach (string name in new[] { "g", "lr", "beta1", "beta2", "eps", "wd" })
        {
            int i = Array.IndexOf(step.ActiveNames, name);
            (_, double[] tangent) = step.Forward(x, GeneratedDerivativeTests.Unit(x.Length, i), passive);
            Assert.All(tangent, value => Assert.True(double.IsFinite(value), $"∂y/∂{name} = {value:R}"));

            double h = name == "beta2" ? 1e-7 : name == "eps" ? 1e-10 : 1e-6;
            (double[] finite, double[] noise) = FiniteDifferences.FivePoint(z => step.Primal(z, passive), x, i, h);
            for (int k = 0; k < y.Length; k++)
            {
                double allowed = 1e-7 * Math.Max(Math.Abs(tangent[k]), Math.Abs(finite[k])) + noise[k];
                Assert.True(Math.Abs(finite[k] - tangent[k]) <= allowed,
                    $"∂{step.OutputNames[k]}′/∂{name}: tangent {tangent[k]:R}, finite {finite[k]:R}");
            }
        }

        // ∂w′/∂eps is not 0 (it is the only way eps enters): the check above is not vacuous.
        (_, double[] byEps) = step.Forward(x, GeneratedDerivativeTests.Unit(x.Length, Array.IndexOf(step.ActiveNames, "eps")), passive);
        Assert.True(byEps[0] > 0);
    }
}
