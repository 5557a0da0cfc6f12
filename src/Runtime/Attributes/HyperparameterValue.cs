using System;
using System.Globalization;

namespace AutoHypergrad;

/// <summary>
/// The value of one hyperparameter in a <see cref="BilevelProblem{T}"/>, and whether the engines differentiate with
/// respect to it: a plain number is a fixed value (the conversion from double), <see cref="Tune"/> a tuned one that
/// starts there, <see cref="TunePerStep"/> a tuned one with its own value at every step (an optimizer's schedule). A
/// block of several values (a per-element learning rate, a loss hyperparameter that is a span) starts with every value
/// at <see cref="Value"/>.
/// </summary>
/// <param name="Value">The value, or the start of a tuned one.</param>
/// <param name="Tuned">Whether the engines differentiate with respect to it.</param>
/// <param name="PerStep">Whether it is tuned as one value per step (only an optimizer's hyperparameter can be).</param>
public readonly record struct HyperparameterValue(double Value, bool Tuned = false, bool PerStep = false)
{
    /// <summary>A tuned hyperparameter starting at <paramref name="start"/>.</summary>
    public static HyperparameterValue Tune(double start) => new(start, Tuned: true);

    /// <summary>An optimizer's hyperparameter tuned as one value per step, every step's starting at <paramref name="start"/>.</summary>
    public static HyperparameterValue TunePerStep(double start) => new(start, Tuned: true, PerStep: true);

    /// <summary>A fixed value.</summary>
    public static implicit operator HyperparameterValue(double value) => new(value);

    /// <summary>The value (and "tuned" or "tuned per step"), for messages.</summary>
    public override string ToString()
        => Value.ToString("G6", CultureInfo.InvariantCulture) + (PerStep ? " (tuned per step)" : Tuned ? " (tuned)" : "");

    /// <summary>
    /// The value of <paramref name="name"/>: <paramref name="given"/>, else <paramref name="declaredDefault"/> (NaN
    /// where the declaration has none). The generated factories and objective constructors call this for each
    /// hyperparameter argument, so that a missing or non-finite value is one clear error naming it.
    /// </summary>
    /// <exception cref="ArgumentException">Neither is given, or the value is not finite.</exception>
    public static HyperparameterValue Resolve(HyperparameterValue? given, double declaredDefault, string owner, string name)
    {
        var value = given ?? new HyperparameterValue(declaredDefault);
        if (given is null && double.IsNaN(declaredDefault))
        {
            throw new ArgumentException($"{owner}: '{name}' has no default ([Hyper(Default = …)]); give its value.", name);
        }

        if (!double.IsFinite(value.Value))
        {
            throw new ArgumentException($"{owner}: '{name}' = {value.Value.ToString(CultureInfo.InvariantCulture)} is not finite.", name);
        }

        return value;
    }
}
