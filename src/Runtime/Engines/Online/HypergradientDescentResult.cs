using System;
using System.Collections.Generic;
using AutoHypergrad.Domains;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Engines.Online;

/// <summary>The settings of a hypergradient-descent run besides the training problem.</summary>
public sealed record HypergradientDescentOptions
{
    /// <summary>The lowest learning rate: α is projected onto [<see cref="Floor"/>, <see cref="Ceiling"/>] after every update.</summary>
    public double Floor { get; init; } = Domain.DefaultFloor;

    /// <summary>The highest learning rate (∞ for none).</summary>
    public double Ceiling { get; init; } = double.PositiveInfinity;

    /// <summary>Evaluate the validation loss every this many steps as well as at the end; 0 for the end only.</summary>
    public int ValidationInterval { get; init; }

    /// <summary>The step's options (the step number is set per step).</summary>
    public StepOptions StepOptions { get; init; }
}

/// <summary>The validation loss after a training step.</summary>
/// <param name="Step">The step t (w_t was evaluated).</param>
/// <param name="Loss">E(w_t).</param>
public sealed record ValidationPoint(int Step, double Loss);

/// <summary>The outcome of a hypergradient-descent run: one entry per training step t = 1 … T in each list.</summary>
/// <param name="State">s_T: the trained weights, then the optimizer's state slots.</param>
/// <param name="Losses">The training objective J(w_{t−1}; batch_t), as its gradient g_t was taken.</param>
/// <param name="LearningRates">α_t, the learning rate step t used (after its update and projection); the mean of the α_i for per-parameter rates.</param>
/// <param name="Hypergradients">h_t = g_t·∂u_{t−1}/∂α, the hypergradient α_t was updated with; for per-parameter rates the sum of the h_{t,i}; null when α is fixed.</param>
/// <param name="Validation">The validation losses, every interval and after step T; empty without a validation objective.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record HypergradientDescentResult<T>(
    T[] State,
    double[] Losses,
    double[] LearningRates,
    double[]? Hypergradients,
    IReadOnlyList<ValidationPoint> Validation,
    TimeSpan Elapsed)
{
    /// <summary>α after the last step.</summary>
    public double FinalLearningRate => LearningRates[^1];
}
