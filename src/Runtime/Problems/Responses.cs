using System;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad;

/// <summary>
/// The common validation responses, f = E(w_T) on a validation set, for <see cref="BilevelProblem{T}"/>: the mean
/// squared error of a regression and the cross-entropy of a classifier, unregularized, with the accuracy as a metric.
/// The weights are those of a built-in model (<see cref="ModelOptions"/>); a linear model's are
/// w = (w₀ … w_{d−1}, b), prediction x·w + b, which is also how a user's own linear loss may lay them out.
/// <code>
/// var problem = new BilevelProblem&lt;double&gt;(myLoss, myOptimizer, Responses.MeanSquaredError(validation), steps: 50);
/// </code>
/// </summary>
public static class Responses
{
    /// <summary>The mean squared error of a linear model, w = (w₀ … w_{d−1}, b), on <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="validation"/> has class labels, not regression targets.</exception>
    public static ModelResponse<T> MeanSquaredError<T>(Dataset<T> validation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => MeanSquaredError(validation, new ModelOptions(ModelKind.Linear));

    /// <summary>The mean squared error of <paramref name="model"/> (linear, or an MLP with one output) on <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="validation"/> has class labels, or the model does not fit it.</exception>
    public static ModelResponse<T> MeanSquaredError<T>(Dataset<T> validation, ModelOptions model)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => new(validation, model, LossKind.MeanSquaredError);

    /// <summary>The cross-entropy of the classifier <paramref name="model"/> (logistic, softmax or MLP) on <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="validation"/> has regression targets, or the model does not fit it.</exception>
    public static ModelResponse<T> CrossEntropy<T>(Dataset<T> validation, ModelOptions model)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => new(validation, model, LossKind.CrossEntropy);
}

/// <summary>
/// A built-in model's loss on a validation set as the response f of a hyperparameter problem (its value and gradient
/// with respect to the trained weights, the first block of the state), and the metrics of a trained w.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ModelResponse<T> : IResponseObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ValidationError<T> _error;

    internal ModelResponse(Dataset<T> validation, ModelOptions model, LossKind loss)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(model);
        if (validation.IsClassification != (loss == LossKind.CrossEntropy))
        {
            throw new ArgumentException(
                loss == LossKind.CrossEntropy
                    ? $"Cross-entropy needs class labels; {validation.Source} has regression targets (use Responses.MeanSquaredError)."
                    : $"The mean squared error needs regression targets; {validation.Source} has {validation.ClassCount} classes (use Responses.CrossEntropy).",
                nameof(validation));
        }

        Data = validation;
        Model = ModelObjective<T>.Create(validation, model with { Hyperparameters = LossHyperparameters.None });
        Loss = loss;
        _error = new ValidationError<T>(Model);
    }

    /// <summary>The validation set.</summary>
    public Dataset<T> Data { get; }

    /// <summary>The model on the validation set, unregularized.</summary>
    public ModelObjective<T> Model { get; }

    /// <summary>Which loss f is.</summary>
    public LossKind Loss { get; }

    /// <summary>The weights the model has: the length of w.</summary>
    public int ParameterCount => Model.ParameterCount;

    /// <inheritdoc/>
    public T Value(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda) => _error.Value(state, lambda);

    /// <inheritdoc/>
    public T Gradient(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda, Span<T> stateGradient, Span<T> lambdaGradient)
        => _error.Gradient(state, lambda, stateGradient, lambdaGradient);

    /// <summary>
    /// The accuracy of <paramref name="weights"/> on the validation set: the fraction of examples whose most likely
    /// class is their label (a metric, not differentiated); NaN for a regression.
    /// </summary>
    public double Accuracy(ReadOnlySpan<T> weights) => Evaluate(weights, Data).Accuracy;

    /// <summary>The loss and the accuracy (NaN for a regression) of <paramref name="weights"/> on <paramref name="data"/> (a test set, say).</summary>
    /// <exception cref="ArgumentException">The weights or the data do not fit the model.</exception>
    public (double Loss, double Accuracy) Evaluate(ReadOnlySpan<T> weights, Dataset<T> data) => Model.Evaluate(weights, data);
}
