using System;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// At v = 0 and g = 0 (a weight whose gradient has been exactly 0 so far), v̂ = 0 and √ has an infinite derivative.
/// The generated derivatives multiply it only by tangents and adjoints that are not exactly 0 (the zero-safe product
/// of √'s rule), so both of Adam's forms, w − lr·m̂/(√v̂ + eps) and epsInsideSqrt's w − lr·m̂/√(v̂ + eps), have finite
/// hypergradients there that match finite differences.
/// </summary>
public sealed class AdamEpsilonPlacementTests
{
    // w, m, v, g, lr, beta1, beta2, eps, wd; then t, epsInsideSqrt.
    // The state Adam reaches for a weight whose gradient has always been 0: m = v = 0. Adam's coupled decay would
    // add wd·w to the gradient, so it is 0 there; AdamW's decoupled decay moves w without touching m and v.
    private static double[] NeverMoved(string optimizer) => [0.5, 0, 0, 0, 1e-3, 0.9, 0.999, 1e-8, optimizer == nameof(AdamW) ? 1e-2 : 0];

    // m ≠ 0 with v = 0 (a state training does not reach from m = v = 0, but a user can start from): the weight moves.
    private static readonly double[] AtZeroSecondMoment = [0.5, 0.1, 0, 0, 1e-3, 0.9, 0.999, 1e-8, 0];

    private static readonly string[] HyperparameterNames = ["lr", "beta1", "beta2", "eps", "wd"];

    public static TheoryData<string> Optimizers() => new() { nameof(Adam), nameof(AdamW) };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Default_form_has_finite_hypergradients_for_a_weight_whose_gradient_was_always_zero(string optimizer)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        object[] passive = [3.0, false];
        double[] x = NeverMoved(optimizer);

        double[] y = step.Primal(x, passive);
        for (int k = 0; k < y.Length; k++)
        {
            double[] bars = step.Reverse(x, GeneratedDerivativeTests.Unit(y.Length, k), new double[x.Length], passive);
            Assert.All(bars, bar => Assert.True(double.IsFinite(bar), $"{step.OutputNames[k]}′: a bar is {bar:R}"));
        }

        // Before √'s zero-safe rule, the tangents along beta2 (and the adjoints upstream of v) were NaN here.
        AssertTangentsMatchFiniteDifferences(step, x, passive, SmoothAtZeroSecondMoment(optimizer));
        if (optimizer == nameof(AdamW))
        {
            // ∂w′/∂lr = −wd·w ≠ 0: the check is not only of zeros.
            (_, double[] byLr) = step.Forward(x, GeneratedDerivativeTests.Unit(x.Length, Array.IndexOf(step.ActiveNames, "lr")), passive);
            Assert.Equal(-1e-2 * 0.5, byLr[0], 15);
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Default_form_tangents_are_finite_and_right_at_v_zero_with_a_moving_weight(string optimizer)
    {
        // Along beta2, v̂ does not move (v = g = 0 for every beta2): the tangent is 0·∞ in √'s rule, and 0 is right.
        // (The adjoint of w′ is not finite here: ∂w′/∂v̂ = −∞ at v̂ = 0 with m̂ ≠ 0, and reverse mode multiplies it by
        // ∂v̂/∂beta2 = 0 outside √'s rule.)
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        object[] passive = [3.0, false];

        double[] y = step.Primal(AtZeroSecondMoment, passive);
        Assert.All(y, value => Assert.True(double.IsFinite(value)));
        Assert.NotEqual(AtZeroSecondMoment[0], y[0]);

        AssertTangentsMatchFiniteDifferences(step, AtZeroSecondMoment, passive, SmoothAtZeroSecondMoment(optimizer));
    }

    /// <summary>
    /// The hyperparameters w′ is smooth in at v = g = 0 on the scale finite differences can see: Adam's wd (0 there)
    /// enters through the gradient, where it moves √v̂ off 0 at the rate |wd|, a kink.
    /// </summary>
    private static string[] SmoothAtZeroSecondMoment(string optimizer)
        => optimizer == nameof(AdamW) ? HyperparameterNames : ["lr", "beta1", "beta2", "eps"];

    /// <summary>Each tangent along one of <paramref name="names"/> is finite and matches five-point finite differences.</summary>
    private static void AssertTangentsMatchFiniteDifferences(StepMethod step, double[] x, object[] passive, string[] names)
    {
        foreach (string name in names)
        {
            int i = Array.IndexOf(step.ActiveNames, name);
            (_, double[] tangent) = step.Forward(x, GeneratedDerivativeTests.Unit(x.Length, i), passive);
            Assert.All(tangent, value => Assert.True(double.IsFinite(value), $"∂y/∂{name} = {value:R}"));

            double h = name == "beta2" ? 1e-7 : name == "eps" ? 1e-10 : 1e-6;
            (double[] finite, double[] noise) = FiniteDifferences.FivePoint(z => step.Primal(z, passive), x, i, h);
            for (int k = 0; k < tangent.Length; k++)
            {
                double allowed = 1e-7 * Math.Max(Math.Abs(tangent[k]), Math.Abs(finite[k])) + noise[k];
                Assert.True(Math.Abs(finite[k] - tangent[k]) <= allowed,
                    $"∂{step.OutputNames[k]}′/∂{name}: tangent {tangent[k]:R}, finite {finite[k]:R}");
            }
        }
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
        AssertTangentsMatchFiniteDifferences(step, x, passive, ["g", .. HyperparameterNames]);

        // ∂w′/∂eps is not 0 (it is the only way eps enters): the check above is not vacuous.
        (_, double[] byEps) = step.Forward(x, GeneratedDerivativeTests.Unit(x.Length, Array.IndexOf(step.ActiveNames, "eps")), passive);
        Assert.True(byEps[0] > 0);
    }
}
