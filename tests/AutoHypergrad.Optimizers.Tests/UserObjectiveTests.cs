using System;
using System.Linq;
using AutoHypergrad.Cli.Objectives;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// A loss written by a user as <c>[Differentiable(Order = 2)]</c> span code (the CLI sample's Cauchy regression)
/// becomes a full objective: its generated adjoint and Hessian-vector product give every product the engines use.
/// </summary>
public sealed class UserObjectiveTests
{
    [Fact]
    public void Every_product_of_a_user_objective_matches_finite_differences()
    {
        var objective = CauchyRegression.Objective(BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 21));
        var check = BuiltInObjectiveChecks.At("CauchyRegression", objective, seed: 77, BuiltInObjectiveChecks.FirstSixteenShuffled(77));
        var results = check.Run();
        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
    }

    [Fact]
    public void Its_value_and_gradient_are_the_loss_and_its_derivatives_by_hand()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 21);
        var objective = CauchyRegression.Objective(data);
        int d = data.FeatureCount;
        var w = Enumerable.Range(0, d + 1).Select(i => 0.1 * (i - 2)).ToArray();
        var lambda = Enumerable.Range(0, d).Select(j => 0.05 * (j + 1)).ToArray();
        var gradient = new double[d + 1];
        double value = objective.Gradient(w, lambda, Batch.Full, gradient);

        double expected = 0;
        var expectedGradient = new double[d + 1];
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Row(i);
            double r = w[d] - data.Targets![i];
            for (int j = 0; j < d; j++)
            {
                r += x[j] * w[j];
            }

            expected += Math.Log(1 + r * r) / data.Count;
            double slope = 2 * r / (1 + r * r) / data.Count;
            for (int j = 0; j < d; j++)
            {
                expectedGradient[j] += slope * x[j];
            }

            expectedGradient[d] += slope;
        }

        for (int j = 0; j < d; j++)
        {
            expected += 0.5 * lambda[j] * w[j] * w[j];
            expectedGradient[j] += lambda[j] * w[j];
        }

        Assert.Equal(expected, value, 12);
        for (int j = 0; j <= d; j++)
        {
            Assert.Equal(expectedGradient[j], gradient[j], 12);
        }
    }
}
