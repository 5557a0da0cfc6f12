using System;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// A user's loss that reads past the parameters or loss hyperparameters it was declared with fails with one error
/// that names the count it was given and the index it reads, from every entry point, not an
/// IndexOutOfRangeException inside a generated file.
/// </summary>
public sealed class GeneratedObjectiveErrorTests
{
    private static Dataset<double> Data()
    {
        var random = new Random(3);
        const int Rows = 6, Columns = 4;
        var x = new double[Rows * Columns];
        var y = new double[Rows];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = random.NextDouble();
        }

        return new Dataset<double>(x, Rows, Columns, null, y, 0, "six rows");
    }

    public static TheoryData<string> EntryPoints => ["Value", "Gradient", "HessianVector", "CrossTangent", "CrossAdjoint", "LambdaGradient"];

    private static void Call(IObjective<double> objective, string entry)
    {
        var w = new double[objective.ParameterCount];
        var lambda = new double[objective.Hyperparameters.Count];
        var v = new double[objective.ParameterCount];
        var result = new double[objective.ParameterCount];
        var lambdaBar = new double[objective.Hyperparameters.Count];
        switch (entry)
        {
            case "Value": objective.Value(w, lambda, Batch.Full); break;
            case "Gradient": objective.Gradient(w, lambda, Batch.Full, result); break;
            case "HessianVector": objective.HessianVector(w, lambda, Batch.Full, v, result); break;
            case "CrossTangent": objective.CrossTangent(w, lambda, Batch.Full, lambdaBar, result); break;
            case "CrossAdjoint": objective.CrossAdjoint(w, lambda, Batch.Full, v, lambdaBar); break;
            default: objective.LambdaGradient(w, lambda, Batch.Full, lambdaBar); break;
        }
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_loss_that_reads_more_parameters_than_declared_names_both_counts(string entry)
    {
        // The loss reads w[4] (the bias after 4 weights); the objective was told 4 parameters.
        var objective = new Losses.RidgeObjective(Data(), parameterCount: 4, lambdaLength: 1, lambda: 0.1);

        var error = Assert.Throws<InvalidOperationException>(() => Call(objective, entry));

        Assert.Equal("Losses.Ridge reads w[4], but the objective was created with parameterCount 4 (w[0] … w[3]): create it with parameterCount 5; or fix the loss's indexing.", error.Message);
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_loss_that_reads_more_hyperparameters_than_its_layout_names_the_layout(string entry)
    {
        var objective = new Losses.FeatureRidgeObjective(Data(), parameterCount: 5, lambdaLength: 1, lambda: 0.1);

        var error = Assert.Throws<InvalidOperationException>(() => Call(objective, entry));

        Assert.Equal("Losses.FeatureRidge reads lambda[3], but it has 1 value(s): create it with lambdaLength 4; or fix the loss's indexing.", error.Message);
    }

    [Fact]
    public void Both_at_once_are_both_named()
    {
        var objective = new Losses.FeatureRidgeObjective(Data(), parameterCount: 3, lambdaLength: 2, lambda: 0.1);

        var error = Assert.Throws<InvalidOperationException>(() => Call(objective, "Gradient"));

        Assert.Equal("Losses.FeatureRidge reads w[4], but the objective was created with parameterCount 3 (w[0] … w[2]): create it with parameterCount 5; " +
                     "it also reads lambda[3], but it has 2 value(s): create it with lambdaLength 4; or fix the loss's indexing.", error.Message);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_loss_within_its_counts_runs(string entry)
        => Call(new Losses.FeatureRidgeObjective(Data(), parameterCount: 5, lambdaLength: 4, lambda: 0.1), entry);
}

/// <summary>The losses of <see cref="GeneratedObjectiveErrorTests"/>.</summary>
internal static partial class Losses
{
    /// <summary>Linear regression with a bias, w = (w₀ … w_{d−1}, b), and one L2 strength: d + 1 parameters, 1 hyperparameter.</summary>
    [Differentiable(Order = 2), Objective]
    internal static double Ridge(
        ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double penalty = 0;
        for (int j = 0; j < columns; j++)
        {
            penalty += w[j] * w[j];
        }

        return (SquaredResiduals(w, features, targets, rows, columns) / rows) + (lambda[0] * penalty);
    }

    /// <summary>The same residuals with a per-feature strength lambda[j] (d hyperparameters).</summary>
    [Differentiable(Order = 2), Objective]
    internal static double FeatureRidge(
        ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = SquaredResiduals(w, features, targets, rows, columns);
        for (int j = 0; j < columns; j++)
        {
            sum += lambda[j] * w[j] * w[j];
        }

        return sum;
    }

    /// <summary>Σᵢ (xᵢ·w + b − yᵢ)², the bias b = w[columns].</summary>
    [Differentiable(Order = 2)]
    private static double SquaredResiduals(
        ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = w[columns] - targets[i];
            for (int j = 0; j < columns; j++)
            {
                r += features[(i * columns) + j] * w[j];
            }

            sum += r * r;
        }

        return sum;
    }
}
