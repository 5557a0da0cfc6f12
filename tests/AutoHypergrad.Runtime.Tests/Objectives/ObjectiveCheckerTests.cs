using System;
using System.Linq;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Objectives;

/// <summary>The checker itself: it fails an objective whose products are wrong by a small amount, each in its own check.</summary>
public sealed class ObjectiveCheckerTests
{
    [Theory]
    [InlineData("gradient")]
    [InlineData("Hessian-vector product")]
    [InlineData("cross tangent (∂∇J/∂λ)·λ̇")]
    [InlineData("cross adjoint (∂∇J/∂λ)ᵀ·v")]
    [InlineData("∂J/∂λ")]
    public void A_product_off_by_one_percent_fails_its_check(string check)
    {
        var sound = BuiltInObjectiveChecks.All().First(c => c.Name == "mlp-tanh/cross-entropy [weights, l2, logFeatureL2]");
        var broken = new Skewed(sound.Objective, check);
        var results = ObjectiveChecker.Run("skewed", broken, sound.W, sound.Lambda, sound.Batch, 1);
        Assert.Contains(results, r => r.Check == check && !r.Passed);
        Assert.All(sound.Run(), r => Assert.True(r.Passed, $"{r.Check}: {r.RelativeError:E2}"));
    }

    [Fact]
    public void Finite_difference_errors_are_far_below_the_tolerance()
    {
        var worst = BuiltInObjectiveChecks.All().SelectMany(c => c.Run()).Where(r => r.Tolerance == ObjectiveChecker.FiniteDifferenceTolerance).Max(r => r.RelativeError);
        // A third of the tolerance's exponent: the checks are not passing by a hair.
        Assert.True(worst < 1e-8, $"largest finite-difference error {worst:E2}");
    }

    /// <summary>Multiplies one product of a sound objective by 1.01.</summary>
    private sealed class Skewed(IObjective<double> inner, string check) : IObjective<double>
    {
        public int ParameterCount => inner.ParameterCount;

        public HyperparameterLayout Hyperparameters => inner.Hyperparameters;

        public int ExampleCount => inner.ExampleCount;

        public double Value(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch) => inner.Value(w, lambda, batch);

        public double Gradient(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, Span<double> gradient)
        {
            double value = inner.Gradient(w, lambda, batch, gradient);
            Skew("gradient", gradient);
            return value;
        }

        public void HessianVector(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, ReadOnlySpan<double> v, Span<double> result)
        {
            inner.HessianVector(w, lambda, batch, v, result);
            Skew("Hessian-vector product", result);
        }

        public void CrossTangent(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, ReadOnlySpan<double> lambdaDot, Span<double> result)
        {
            inner.CrossTangent(w, lambda, batch, lambdaDot, result);
            Skew("cross tangent (∂∇J/∂λ)·λ̇", result);
        }

        public void CrossAdjoint(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, ReadOnlySpan<double> v, Span<double> lambdaBar)
        {
            inner.CrossAdjoint(w, lambda, batch, v, lambdaBar);
            Skew("cross adjoint (∂∇J/∂λ)ᵀ·v", lambdaBar);
        }

        public void LambdaGradient(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, Span<double> lambdaBar)
        {
            inner.LambdaGradient(w, lambda, batch, lambdaBar);
            Skew("∂J/∂λ", lambdaBar);
        }

        private void Skew(string product, Span<double> values)
        {
            if (product == check)
            {
                foreach (ref double x in values)
                {
                    x *= 1.01;
                }
            }
        }
    }
}
