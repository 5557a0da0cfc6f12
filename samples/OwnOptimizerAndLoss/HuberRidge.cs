using System;
using AutoHypergrad;

namespace OwnOptimizerAndLoss;

/// <summary>Linear regression with a bias: w = (w₀ … w_{d−1}, b), prediction xᵢ·w + b.</summary>
public static partial class HuberRidge
{
    /// <summary>
    /// The training loss: the mean Huber loss (δ = 1) of the residuals, plus l2·Σⱼ wⱼ² (not the bias). The generator
    /// adds <c>LossObjective</c>, whose constructor takes the data and <c>l2</c>.
    /// </summary>
    [Differentiable(Order = 2), Objective]
    public static double Loss(ReadOnlySpan<double> w, [Hyper(Default = 1e-3, Domain = HyperparameterDomain.NonNegative)] double l2,
        [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = Residual(w, features, targets, i, columns);
            sum += r * r <= 1 ? 0.5 * r * r : Math.Abs(r) - 0.5;
        }

        double penalty = 0;
        for (int j = 0; j < columns; j++)
        {
            penalty += w[j] * w[j];
        }

        return (sum / rows) + (l2 * penalty);
    }

    /// <summary>The validation response: the mean squared error, no regularization.</summary>
    [Differentiable(Order = 2), Objective]
    public static double SquaredError(ReadOnlySpan<double> w,
        [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = Residual(w, features, targets, i, columns);
            sum += r * r;
        }

        return sum / rows;
    }

    [Differentiable(Order = 2)]
    private static double Residual(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int i, int columns)
    {
        double prediction = w[columns];
        for (int j = 0; j < columns; j++)
        {
            prediction += features[(i * columns) + j] * w[j];
        }

        return prediction - targets[i];
    }
}
