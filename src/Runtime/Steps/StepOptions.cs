using System.Collections.Generic;

namespace AutoHypergrad.Steps;

/// <summary>
/// The values of a step's <c>[NoDiff]</c> options. An option named <c>t</c> is the 1-based step number
/// (<see cref="StepNumber"/>, for bias corrections); every other option takes its value from
/// <see cref="Values"/> by name (a bool option is true when its value is not 0), or 0 (false) when absent.
/// </summary>
/// <param name="StepNumber">The 1-based number of the step.</param>
/// <param name="Values">The other options' values by name; null for none.</param>
public readonly record struct StepOptions(int StepNumber, IReadOnlyDictionary<string, double>? Values = null)
{
    /// <summary>The value of the option named <paramref name="name"/> (0 when it is not given).</summary>
    public double Value(string name) => Values is not null && Values.TryGetValue(name, out double value) ? value : 0.0;

    /// <summary>The bool option named <paramref name="name"/> (false when it is not given).</summary>
    public bool Flag(string name) => Value(name) != 0.0;

    /// <summary>The same options at another step.</summary>
    public StepOptions At(int stepNumber) => this with { StepNumber = stepNumber };
}
