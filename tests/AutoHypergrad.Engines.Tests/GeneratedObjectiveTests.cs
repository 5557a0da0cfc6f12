using System;
using System.Linq;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// The objective class the generator writes for an [Objective] loss: every product the engines use matches finite
/// differences (ObjectiveChecker's extrapolated central differences), over a Dataset's mini-batches and over a loss's
/// own data of any shape, and its value is the loss called with λ unpacked into its hyperparameters.
/// </summary>
public sealed class GeneratedObjectiveTests
{
    [Fact]
    public void A_loss_over_a_dataset_matches_finite_differences_on_a_mini_batch()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 5);
        var objective = new UserLosses.SmoothHuberObjective(data, parameterCount: data.FeatureCount + 1, l2: 0.2);

        var results = BuiltInObjectiveChecks.At("SmoothHuber", objective, seed: 11, BuiltInObjectiveChecks.FirstSixteenShuffled(11)).Run();

        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
    }

    [Fact]
    public void A_loss_over_its_own_data_of_any_shape_matches_finite_differences()
    {
        var random = new Random(8);
        var exampleWeights = Enumerable.Range(0, 12).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var points = Enumerable.Range(0, 12).Select(_ => random.NextDouble() - 0.5).ToArray();
        var objective = new UserLosses.WeightedObjective(parameterCount: 4, exampleWeights, points, strengthsLength: 4, strengths: 0.3, scale: 1.5);

        var results = BuiltInObjectiveChecks.At("Weighted", objective, seed: 3, Batch.Full).Run();

        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
        Assert.Equal(["strengths", "scale"], objective.Hyperparameters.Blocks.Select(b => b.Name));
        Assert.Equal([0, 4], objective.Hyperparameters.Blocks.Select(b => b.Offset));
    }

    [Fact]
    public void Its_value_is_the_loss_with_lambda_unpacked_into_its_hyperparameters()
    {
        double[] exampleWeights = [1, 2, 0.5], points = [0.1, -0.2, 0.3];
        var objective = new UserLosses.WeightedObjective(parameterCount: 2, exampleWeights, points, strengthsLength: 2, strengths: 0, scale: 1);
        double[] w = [0.4, -0.7], lambda = [0.25, 0.5, 3];

        double value = objective.Value(w, lambda, Batch.Full);

        Assert.Equal(UserLosses.Weighted(w, exampleWeights, [0.25, 0.5], 3, points), value);
        Assert.Equal([0, 0, 1], objective.Hyperparameters.Defaults<double>());
    }

    [Fact]
    public void A_loss_over_its_own_data_refuses_a_mini_batch_and_says_how_to_get_them()
    {
        var objective = new UserLosses.WeightedObjective(parameterCount: 2, [1, 1], new double[] { 0, 0 }, strengthsLength: 2, strengths: 0, scale: 1);

        var error = Assert.Throws<ArgumentException>(() => objective.Value([0, 0], [0, 0, 1], Batch.Of([0])));

        Assert.StartsWith("UserLosses.Weighted evaluates its whole data", error.Message, StringComparison.Ordinal);
        Assert.Contains("construct its objective from a Dataset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_outside_the_declared_domain_or_not_finite_is_refused_with_its_name()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 5);

        var negative = Assert.Throws<ArgumentException>(() => new UserLosses.SmoothHuberObjective(data, 6, l2: -0.1));
        var infinite = Assert.Throws<ArgumentException>(() => new UserLosses.SmoothHuberObjective(data, 6, l2: double.PositiveInfinity));

        Assert.Equal("UserLosses.SmoothHuber: l2 = -0.1 is outside its domain (NonNegative). (Parameter 'l2')", negative.Message);
        Assert.Equal("UserLosses.SmoothHuber: 'l2' = Infinity is not finite. (Parameter 'l2')", infinite.Message);
    }

    [Fact]
    public void The_dataset_constructor_and_the_data_constructor_give_the_same_objective()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 5);
        var overDataset = new UserLosses.SmoothHuberObjective(data, parameterCount: 6, l2: 0.2);
        var overArrays = new UserLosses.SmoothHuberObjective(parameterCount: 6, data.Features, data.Targets, data.Count, data.FeatureCount, l2: 0.2);
        double[] w = [0.1, -0.2, 0.3, 0.05, -0.4, 0.2], lambda = [0.2];
        double[] g1 = new double[6], g2 = new double[6];

        Assert.Equal(overDataset.Gradient(w, lambda, Batch.Full, g1), overArrays.Gradient(w, lambda, Batch.Full, g2));
        Assert.Equal(g1, g2);
        Assert.Equal(data.Count, overArrays.ExampleCount);
    }
}

/// <summary>The [Objective] losses of <see cref="GeneratedObjectiveTests"/> and BilevelProblemTests.</summary>
internal static partial class UserLosses
{
    /// <summary>
    /// Linear regression with a bias and the pseudo-Huber loss √(1 + r²) − 1 (smooth, so finite differences hold
    /// everywhere), plus l2·Σⱼ wⱼ²: the (features, targets, rows, columns) shape, so its objective takes a Dataset.
    /// </summary>
    [Differentiable(Order = 2), Objective]
    internal static double SmoothHuber(ReadOnlySpan<double> w, [Hyper(Default = 1e-3, Domain = HyperparameterDomain.NonNegative)] double l2,
        [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = w[columns] - targets[i];
            for (int j = 0; j < columns; j++)
            {
                r += features[(i * columns) + j] * w[j];
            }

            sum += Math.Sqrt(1 + (r * r)) - 1;
        }

        double penalty = 0;
        for (int j = 0; j < columns; j++)
        {
            penalty += w[j] * w[j];
        }

        return (sum / rows) + (l2 * penalty);
    }

    /// <summary>Σᵢ aᵢ·(w[i mod n] − pᵢ)² + Σⱼ sⱼ·wⱼ², all times scale: data of another shape, a span and a scalar hyperparameter.</summary>
    [Differentiable(Order = 2), Objective]
    internal static double Weighted(ReadOnlySpan<double> w, [NoDiff] double[] exampleWeights, ReadOnlySpan<double> strengths, double scale, [NoDiff] ReadOnlySpan<double> points)
    {
        double sum = 0;
        for (int i = 0; i < points.Length; i++)
        {
            double d = w[i % w.Length] - points[i];
            sum += exampleWeights[i] * d * d;
        }

        for (int j = 0; j < w.Length; j++)
        {
            sum += strengths[j] * w[j] * w[j];
        }

        return scale * sum;
    }
}
