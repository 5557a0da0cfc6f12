using System;

namespace AutoHypergrad.SelfTuning;

/// <summary>
/// A network whose weights are a best-response approximation ŵ_φ(λ) (MacKay et al., "Self-Tuning Networks",
/// ICLR 2019): the two losses <see cref="SelfTuningTrainer"/> alternates on. Hyperparameters are free
/// (unconstrained) values, one row of h per example of the batch, each example with its own perturbed λ + ε.
/// The model chooses its batches (the argument <c>step</c> counts calls) and maps the free values through
/// <see cref="StnHyperparameter"/> domains itself.
/// </summary>
public interface IStnModel
{
    /// <summary>The length of φ.</summary>
    int ParameterCount { get; }

    /// <summary>h, the tuned hyperparameters.</summary>
    int HyperparameterCount { get; }

    /// <summary>Examples in a training batch: the rows of hyperparameters <see cref="TrainingLoss"/> receives.</summary>
    int TrainingBatchSize { get; }

    /// <summary>Examples in a validation batch.</summary>
    int ValidationBatchSize { get; }

    /// <summary>
    /// The mean regularized training loss f(λ_r, ŵ_φ(λ_r)) over a batch (regularizers applied with each row's λ_r);
    /// writes ∇_φ to <paramref name="parameterGradient"/>.
    /// </summary>
    double TrainingLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> parameterGradient, int step);

    /// <summary>
    /// The mean validation loss F(λ_r, ŵ_φ(λ_r)) over a batch (no regularizers); writes its gradient with respect to each
    /// row λ_r to <paramref name="hyperparameterGradient"/>: the direct gradient ∂F/∂λ (zero for a regularizer) plus
    /// the response gradient ∂F/∂ŵ · ∂ŵ_φ/∂λ, which the STN layers' <see cref="StnDenseLayer.Backward"/> gives.
    /// </summary>
    double ValidationLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> hyperparameterGradient, int step);
}
