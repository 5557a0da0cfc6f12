using System;
using System.Collections.Generic;

namespace AutoHypergrad.Cli.Commands;

/// <summary>A name and a value, for printing.</summary>
internal readonly record struct NamedValue(string Name, double Value);

/// <summary>
/// One optimizer step at a fixed state, seen as a function of its hyperparameters λ, with the three ways of
/// computing ∂w′/∂λ that <see cref="StepDerivativesCommand"/> compares.
/// </summary>
/// <param name="Title">The optimizer, for the heading.</param>
/// <param name="Inputs">The state and gradient the step starts from, and any passive input.</param>
/// <param name="Hyperparameters">The hyperparameters and the values the step is taken at.</param>
/// <param name="Step">The primal step at the given hyperparameter values; returns the new state, new weight first.</param>
/// <param name="WeightTangent">
/// The generated tangent at λ in the direction λ̇ of hyperparameter space (state and gradient held fixed); returns ẇ′.
/// </param>
/// <param name="WeightAdjoint">
/// The generated adjoint at λ seeded with w̄′ = 1 (and zero for the rest of the new state); returns λ̄ = ∂w′/∂λ.
/// </param>
internal sealed record OptimizerStepCase(
    string Title,
    IReadOnlyList<NamedValue> Inputs,
    IReadOnlyList<NamedValue> Hyperparameters,
    Func<double[], NamedValue[]> Step,
    Func<double[], double[], double> WeightTangent,
    Func<double[], double[]> WeightAdjoint)
{
    public double[] HyperparameterValues()
    {
        double[] values = new double[Hyperparameters.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Hyperparameters[i].Value;
        }

        return values;
    }
}
