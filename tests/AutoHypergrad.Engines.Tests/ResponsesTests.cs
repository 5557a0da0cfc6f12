using System;
using System.Linq;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using Xunit;
using static AutoHypergrad.HyperparameterValue;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// The built-in responses against the formulas written out here: a sum over at most 200 examples in another order
/// agrees to a few ulps of its terms (1e-13 relative); the accuracy is a count, exact.
/// </summary>
public sealed class ResponsesTests
{
    private const double Sums = 1e-13;

    [Fact]
    public void The_mean_squared_error_of_a_linear_model_is_the_mean_of_the_squared_residuals_with_the_bias_last()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 6);
        var response = Responses.MeanSquaredError(data);
        var w = Weights(data.FeatureCount + 1, seed: 2);
        var residuals = Enumerable.Range(0, data.Count)
            .Select(i => w[^1] + Enumerable.Range(0, data.FeatureCount).Sum(j => data.Features[(i * data.FeatureCount) + j] * w[j]) - data.Targets![i])
            .ToArray();
        var gradient = new double[w.Length];

        double value = response.Gradient(w, [], gradient, []);

        Assert.Equal(data.FeatureCount + 1, response.ParameterCount);
        Close(residuals.Average(r => r * r), response.Value(w, []));
        Close(residuals.Average(r => r * r), value);
        for (int j = 0; j <= data.FeatureCount; j++)
        {
            double expected = Enumerable.Range(0, data.Count).Average(i => 2 * residuals[i] * (j < data.FeatureCount ? data.Features[(i * data.FeatureCount) + j] : 1));
            Close(expected, gradient[j]);
        }

        Assert.True(double.IsNaN(response.Accuracy(w)));
    }

    [Fact]
    public void Cross_entropy_is_the_mean_negative_log_likelihood_and_accuracy_counts_the_most_likely_class()
    {
        const int classes = 3;
        var data = BuiltInObjectiveChecks.SyntheticData(classes, seed: 12);
        var response = Responses.CrossEntropy(data, new ModelOptions(ModelKind.Softmax));
        var w = Weights(response.ParameterCount, seed: 4);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            // Softmax regression's weights are features × classes, row-major, then one bias per class.
            var logits = Enumerable.Range(0, classes)
                .Select(k => w[(data.FeatureCount * classes) + k] + Enumerable.Range(0, data.FeatureCount).Sum(j => data.Features[(i * data.FeatureCount) + j] * w[(j * classes) + k]))
                .ToArray();
            double max = logits.Max();
            loss += max + Math.Log(logits.Sum(z => Math.Exp(z - max))) - logits[data.Labels![i]];
            correct += Array.IndexOf(logits, max) == data.Labels[i] ? 1 : 0;
        }

        Close(loss / data.Count, response.Value(w, []));
        Assert.Equal((double)correct / data.Count, response.Accuracy(w));
    }

    [Fact]
    public void A_response_that_does_not_fit_the_data_is_refused_with_the_one_to_use()
    {
        var regression = Assert.Throws<ArgumentException>(() => Responses.CrossEntropy(BuiltInObjectiveChecks.SyntheticData(0, 1), new ModelOptions(ModelKind.Linear)));
        var classes = Assert.Throws<ArgumentException>(() => Responses.MeanSquaredError(BuiltInObjectiveChecks.SyntheticData(3, 1)));

        Assert.StartsWith("Cross-entropy needs class labels; synthetic regression has regression targets (use Responses.MeanSquaredError).", regression.Message, StringComparison.Ordinal);
        Assert.StartsWith("The mean squared error needs regression targets; synthetic 3-class has 3 classes (use Responses.CrossEntropy).", classes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_users_loss_is_tuned_against_a_built_in_response_and_the_tuned_weights_are_the_runs()
    {
        var train = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 5);
        var validation = Responses.MeanSquaredError(BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 6));
        var problem = new BilevelProblem<double>(
            new UserLosses.SmoothHuberObjective(train, parameterCount: train.FeatureCount + 1, l2: Tune(0.01)),
            UserSteps.HeavyBallOptimizer(lr: Tune(0.3)),
            validation,
            steps: 12);

        var reverse = problem.Hypergradient(Engine.Reverse);
        var trained = problem.Train(problem.InitialHyperparameters);

        Agreement.Close(problem.Hypergradient(Engine.FiniteDifferences), reverse, 1e-6, "reverse vs finite differences");
        Close(reverse.Value, validation.Value(trained, []));
        Assert.Throws<ArgumentException>(() => problem.Train([0.3]));
    }

    private static double[] Weights(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    private static void Close(double expected, double actual)
        => Assert.True(Math.Abs(actual - expected) <= Sums * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
