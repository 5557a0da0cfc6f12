using System;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Cli.Objectives;

/// <summary>
/// A user-written objective: robust linear regression with the Cauchy loss log(1 + r²), which an outlier cannot
/// dominate, and one L2 strength per feature:
/// <code>
/// J(w; λ) = (1/B)·Σᵢ log(1 + (xᵢ·w₀…w_{d−1} + w_d − yᵢ)²) + ½·Σ_j λ_j·w_j²
/// </code>
/// Marked <c>[Differentiable(Order = 2)]</c>, it gets a generated adjoint (the gradient, and ∂J/∂λ) and a generated
/// Hessian-vector product over (w, λ) together, from which <see cref="DifferentiableObjective{T}"/> takes H·v and
/// both cross products: the whole objective interface from one method.
/// </summary>
public static partial class CauchyRegression
{
    /// <summary>The objective on a regression data set: w = d weights and a bias; λ = <c>featureL2</c>, d strengths.</summary>
    public static DifferentiableObjective<double> Objective(Dataset<double> data)
    {
        var hyperparameters = new HyperparameterLayout.Builder();
        hyperparameters.Add("featureL2", data.FeatureCount, 0.0, "½·λ_j·w_j² for each feature j");
        return new DifferentiableObjective<double>(data, data.FeatureCount + 1, hyperparameters.Build(), Loss, LossAdjoint, LossHessianVector);
    }

    /// <param name="w">d weights, then the bias.</param>
    /// <param name="lambda">d L2 strengths.</param>
    /// <param name="features">The batch's rows (rows × columns, row-major).</param>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="rows">The batch size B.</param>
    /// <param name="columns">The number of features d.</param>
    [Differentiable(Order = 2)]
    public static double Loss(
        ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
    {
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double prediction = w[columns];
            for (int j = 0; j < columns; j++)
            {
                prediction += features[i * columns + j] * w[j];
            }

            double residual = prediction - targets[i];
            sum += Math.Log(1 + residual * residual);
        }

        double penalty = 0;
        for (int j = 0; j < columns; j++)
        {
            penalty += lambda[j] * w[j] * w[j];
        }

        return sum / rows + 0.5 * penalty;
    }
}
