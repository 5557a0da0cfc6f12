using System;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Objectives;

/// <summary>
/// A user-written objective: robust linear regression with the Cauchy loss log(1 + r²), which an outlier cannot
/// dominate, and one L2 strength per feature:
/// <code>
/// J(w; λ) = (1/B)·Σᵢ log(1 + (xᵢ·w₀…w_{d−1} + w_d − yᵢ)²) + ½·Σ_j λ_j·w_j²
/// </code>
/// Marked <c>[Differentiable(Order = 2), Objective]</c>, it gets a generated adjoint (the gradient, and ∂J/∂λ), a
/// generated Hessian-vector product over (w, λ) together, and from them the generated <c>LossObjective</c> with H·v and
/// both cross products: the whole objective interface from one method.
/// </summary>
public static partial class CauchyRegression
{
    /// <summary>The objective on a regression data set: w = d weights and a bias; λ = <c>featureL2</c>, d strengths.</summary>
    public static LossObjective Objective(Dataset<double> data)
        => new(data, parameterCount: data.FeatureCount + 1, featureL2Length: data.FeatureCount, featureL2: 0.0);

    /// <param name="w">d weights, then the bias.</param>
    /// <param name="featureL2">d L2 strengths, ½·λ_j·w_j² for each feature j.</param>
    /// <param name="features">The batch's rows (rows × columns, row-major).</param>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="rows">The batch size B.</param>
    /// <param name="columns">The number of features d.</param>
    [Differentiable(Order = 2), Objective]
    public static double Loss(
        ReadOnlySpan<double> w, [Hyper(Domain = HyperparameterDomain.NonNegative)] ReadOnlySpan<double> featureL2, [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
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
            penalty += featureL2[j] * w[j] * w[j];
        }

        return sum / rows + 0.5 * penalty;
    }
}
