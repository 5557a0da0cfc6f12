using System;
using System.Collections.Generic;

namespace AutoHypergrad.Objectives.Models;

/// <summary>The built-in models.</summary>
public enum ModelKind
{
    /// <summary>Linear regression, one output, squared error.</summary>
    Linear,

    /// <summary>Binary logistic regression, one output, cross-entropy.</summary>
    Logistic,

    /// <summary>Softmax (multinomial logistic) regression, one output per class, cross-entropy.</summary>
    Softmax,

    /// <summary>A multilayer perceptron: cross-entropy over the classes, or squared error for regression.</summary>
    Mlp,
}

/// <summary>Which loss hyperparameters the objective has (each is one named block of λ).</summary>
[Flags]
public enum LossHyperparameters
{
    None = 0,

    /// <summary><c>weights</c>: one weight per training example, J = (1/B)·Σ λᵢℓᵢ (data hyper-cleaning); default 1.</summary>
    ExampleWeights = 1,

    /// <summary><c>l2</c>: (l2/2)·‖W‖² over the weight matrices, not the biases; default 0.</summary>
    L2 = 2,

    /// <summary><c>featureL2</c>: ½·Σ_j λ_j‖W₀[j, :]‖², one strength per input feature; default 0.</summary>
    FeatureL2 = 4,

    /// <summary><c>logFeatureL2</c>: the same with λ_j = exp(θ_j), θ the hyperparameter; default θ = ln 10⁻³.</summary>
    LogFeatureL2 = 8,

    /// <summary><c>taskMatrix</c> (K × K) and <c>rho</c>: the multi-task regularizer Ω_{A,ρ} on the output weights; default 0.</summary>
    MultiTask = 16,
}

/// <summary>A model and its loss hyperparameters.</summary>
/// <param name="Model">The model.</param>
public sealed record ModelOptions(ModelKind Model)
{
    /// <summary>The hidden layers' widths (MLP only).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [];

    /// <summary>The MLP's nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>Whether each layer has a bias (on by default).</summary>
    public bool Bias { get; init; } = true;

    public LossHyperparameters Hyperparameters { get; init; }
}
