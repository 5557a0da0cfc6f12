using System;
using System.Numerics;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// E(s) = the mean loss of the weights w (the state's first block) on a validation objective over its full set, with
/// no regularization term and no hyperparameters: the seeds' validation error.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ValidationError<T> : IResponseObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IObjective<T> _validation;
    private readonly T[] _noHyperparameters;

    /// <summary>E on <paramref name="validation"/>; its loss hyperparameters stay at their defaults.</summary>
    public ValidationError(IObjective<T> validation)
    {
        _validation = validation ?? throw new ArgumentNullException(nameof(validation));
        _noHyperparameters = validation.Hyperparameters.Defaults<T>();
    }

    public T Value(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda)
        => _validation.Value(state[.._validation.ParameterCount], _noHyperparameters, Batch.Full);

    public T Gradient(ReadOnlySpan<T> state, ReadOnlySpan<T> lambda, Span<T> stateGradient, Span<T> lambdaGradient)
    {
        int n = _validation.ParameterCount;
        stateGradient[n..].Clear();
        return _validation.Gradient(state[..n], _noHyperparameters, Batch.Full, stateGradient[..n]);
    }
}
