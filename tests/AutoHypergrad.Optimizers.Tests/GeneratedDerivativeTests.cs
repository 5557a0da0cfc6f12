using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// The generated StepTangent and StepAdjoint of every optimizer (double), at random smooth states: the tangent
/// against central finite differences of Step with respect to every input and hyperparameter, the adjoint against the
/// tangent by the dot-product test, and the adjoint's calling contract.
/// </summary>
public sealed class GeneratedDerivativeTests
{
    /// <summary>
    /// Relative agreement of the tangent with finite differences, where they are well conditioned: the five-point
    /// stencil's own rounding noise (<see cref="FiniteDifferences.FivePoint"/>) is allowed on top, which only matters
    /// for derivatives that are exactly 0 (∂v′/∂lr) or below ~1e-4.
    /// </summary>
    private const double FiniteDifferenceTolerance = 1e-7;

    /// <summary>⟨ȳ, Jẋ⟩ and ⟨Jᵀȳ, ẋ⟩ are the same sum of products in two orders: they agree to rounding.</summary>
    private const double DotProductTolerance = 1e-12;

    /// <summary>A float step is a few dozen operations, each good to 2⁻²⁴ ≈ 6e-8.</summary>
    private const double FloatTolerance = 1e-6;

    public static TheoryData<string, bool> Cases() => OptimizerCases.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TangentMatchesCentralFiniteDifferencesForEveryInput(string optimizer, bool epsInsideSqrt)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        Optimizer descriptor = Descriptors.Of(step.Optimizer);
        var failures = new List<string>();
        foreach (StepPoint point in OptimizerCases.Points(step, epsInsideSqrt, seed: 1))
        {
            double[] y = step.Primal(point.X, point.Passive);
            for (int i = 0; i < point.X.Length; i++)
            {
                string name = step.ActiveNames[i];
                double[] direction = new double[point.X.Length];
                direction[i] = 1;
                (double[] value, double[] tangent) = step.Forward(point.X, direction, point.Passive);
                Assert.Equal(y, value);

                double h = FiniteDifferenceStep(descriptor, name, point.X[i]);
                (double[] finite, double[] noise) = FiniteDifferences.FivePoint(x => step.Primal(x, point.Passive), point.X, i, h);
                for (int k = 0; k < y.Length; k++)
                {
                    double error = Math.Abs(finite[k] - tangent[k]);
                    double allowed = FiniteDifferenceTolerance * Math.Max(Math.Abs(tangent[k]), Math.Abs(finite[k])) + noise[k];
                    if (!(error <= allowed))
                    {
                        failures.Add($"∂{step.OutputNames[k]}′/∂{name}: tangent {tangent[k]:R}, finite {finite[k]:R}, " +
                            $"|Δ| {error:E2} > {allowed:E2} at x = [{string.Join(", ", point.X)}], {string.Join(", ", point.Passive)}");
                    }
                }
            }

            // Never vacuous: every step moves the weight in proportion to lr.
            (_, double[] byLr) = step.Forward(point.X, Unit(point.X.Length, Array.IndexOf(step.ActiveNames, "lr")), point.Passive);
            Assert.NotEqual(0.0, byLr[0]);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointPassesTheDotProductTestAgainstTheTangent(string optimizer, bool epsInsideSqrt)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        var random = new Random(2);
        foreach (StepPoint point in OptimizerCases.Points(step, epsInsideSqrt, seed: 3))
        {
            double[] xDot = RandomVector(random, point.X.Length);
            double[] yBar = RandomVector(random, step.OutputIndices.Length);
            (_, double[] yDot) = step.Forward(point.X, xDot, point.Passive);
            double[] xBar = step.Reverse(point.X, yBar, new double[point.X.Length], point.Passive);

            double forward = Dot(yBar, yDot);
            double reverse = Dot(xBar, xDot);
            Assert.True(forward != 0, "⟨ȳ, Jẋ⟩ = 0: the test would be vacuous.");
            double relative = Math.Abs(forward - reverse) / Math.Max(Math.Abs(forward), Math.Abs(reverse));
            Assert.True(relative <= DotProductTolerance,
                $"⟨ȳ, Jẋ⟩ = {forward:R}, ⟨Jᵀȳ, ẋ⟩ = {reverse:R}: relative difference {relative:E2} > {DotProductTolerance:E0}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointAccumulatesIntoInputBarsAndOverwritesStateBars(string optimizer, bool epsInsideSqrt)
    {
        var step = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        var random = new Random(4);
        foreach (StepPoint point in OptimizerCases.Points(step, epsInsideSqrt, seed: 5))
        {
            double[] yBar = RandomVector(random, step.OutputIndices.Length);
            double[] fromZero = step.Reverse(point.X, yBar, new double[point.X.Length], point.Passive);
            double[] onEntry = Enumerable.Range(0, point.X.Length).Select(i => 0.25 * (i + 1)).ToArray();
            double[] accumulated = step.Reverse(point.X, yBar, onEntry, point.Passive);

            for (int i = 0; i < point.X.Length; i++)
            {
                bool isState = step.OutputIndices.Contains(i);
                double expected = isState ? fromZero[i] : onEntry[i] + fromZero[i];
                // One rounding of the sum (the adjoint may add its terms in a different grouping): a few ulps.
                double allowed = 4 * double.Epsilon + 4e-16 * (Math.Abs(onEntry[i]) + Math.Abs(fromZero[i]));
                Assert.True(Math.Abs(accumulated[i] - expected) <= allowed,
                    $"{step.ActiveNames[i]}Bar: {accumulated[i]:R}, expected {expected:R} ({(isState ? "state: overwritten" : "input: accumulated")})");
            }
        }
    }

    /// <summary>
    /// The float overload at the same (float-representable) inputs: its new state to 1e-6 relative, its tangent ẏ
    /// (random ẋ) and its adjoint x̄ (random ȳ) to 1e-6 of the vector's largest component, normwise: a component
    /// that is a small sum of larger terms of opposite signs (∂w′/∂beta2) loses float digits to the cancellation.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatOverloadAgreesWithDoubleToFloatRounding(string optimizer, bool epsInsideSqrt)
    {
        var single = new StepMethod(OptimizerCases.Get(optimizer), typeof(float));
        var @double = new StepMethod(OptimizerCases.Get(optimizer), typeof(double));
        Assert.Equal(@double.ActiveNames, single.ActiveNames);
        Assert.Equal(@double.Passive.Select(p => p.Name), single.Passive.Select(p => p.Name));

        var random = new Random(6);
        var failures = new List<string>();
        foreach (StepPoint raw in OptimizerCases.Points(@double, epsInsideSqrt, seed: 7))
        {
            StepPoint point = OptimizerCases.ToFloat(raw);
            double[] xDot = RandomVector(random, point.X.Length).Select(v => (double)(float)v).ToArray();
            double[] yBar = RandomVector(random, @double.OutputIndices.Length).Select(v => (double)(float)v).ToArray();

            double[] expected = @double.Primal(point.X, point.Passive);
            double[] actual = single.Primal(point.X, point.Passive);
            for (int k = 0; k < expected.Length; k++)
            {
                Compare($"{@double.OutputNames[k]}′", expected[k], actual[k], Math.Abs(expected[k]));
            }

            (_, double[] tangent) = @double.Forward(point.X, xDot, point.Passive);
            (_, double[] floatTangent) = single.Forward(point.X, xDot, point.Passive);
            CompareNormwise("ẏ", @double.OutputNames, tangent, floatTangent);

            double[] bars = @double.Reverse(point.X, yBar, new double[point.X.Length], point.Passive);
            double[] floatBars = single.Reverse(point.X, yBar, new double[point.X.Length], point.Passive);
            CompareNormwise("x̄", @double.ActiveNames, bars, floatBars);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        void CompareNormwise(string what, string[] names, double[] expected, double[] actual)
        {
            double norm = expected.Max(Math.Abs);
            Assert.True(norm > 0, $"{what} = 0: the comparison would be vacuous.");
            for (int k = 0; k < expected.Length; k++)
            {
                Compare($"{what} {names[k]}", expected[k], actual[k], norm);
            }
        }

        void Compare(string what, double expected, double actual, double scale)
        {
            if (!(Math.Abs(actual - expected) <= FloatTolerance * scale))
            {
                failures.Add($"{what}: double {expected:R}, float {actual:R}, |Δ| {Math.Abs(actual - expected):E2} > {FloatTolerance:E0} × {scale:E2}");
            }
        }
    }

    /// <summary>Lion's direction is sign(c): one step's w′ has zero derivative in g, m, beta1, beta2, and not in lr, wd.</summary>
    [Fact]
    public void Lion_hypergradients_through_the_sign_vanish()
    {
        var step = new StepMethod(typeof(Lion), typeof(double));
        foreach (StepPoint point in OptimizerCases.Points(step, epsInsideSqrt: false, seed: 8))
        {
            double[] bars = step.Reverse(point.X, [1, 0], new double[point.X.Length], point.Passive);
            double Bar(string name) => bars[Array.IndexOf(step.ActiveNames, name)];
            Assert.Equal(0.0, Bar("g"));
            Assert.Equal(0.0, Bar("m"));
            Assert.Equal(0.0, Bar("beta1"));
            Assert.Equal(0.0, Bar("beta2"));
            Assert.NotEqual(0.0, Bar("lr"));
            Assert.NotEqual(0.0, Bar("wd"));
        }
    }

    private static double FiniteDifferenceStep(Optimizer descriptor, string name, double x)
    {
        bool isUnitInterval = descriptor.Hyperparameters.Any(h => h.Name == name && h.Domain == HyperparameterDomain.UnitInterval);
        return isUnitInterval ? Math.Min(1e-5, 1e-3 * (1 - x)) : 1e-5 * Math.Max(1, Math.Abs(x));
    }

    internal static double[] Unit(int length, int index)
    {
        double[] e = new double[length];
        e[index] = 1;
        return e;
    }

    internal static double[] RandomVector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();

    internal static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
