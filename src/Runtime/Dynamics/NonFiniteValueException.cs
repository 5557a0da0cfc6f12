using System;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// A NaN or an infinity appeared in a state, an adjoint, a tangent, a hypergradient or λ: the run stops there, with a
/// message naming where (the step or hyper-iteration), the quantity and the hyperparameters' values.
/// </summary>
public sealed class NonFiniteValueException : Exception
{
    /// <summary>A non-finite <paramref name="quantity"/> at <paramref name="where"/>.</summary>
    public NonFiniteValueException(string where, string quantity, string hyperparameters)
        : base($"{where}: {quantity} is not finite (hyperparameters: {hyperparameters}).")
    {
        Where = where;
        Quantity = quantity;
    }

    /// <summary>Where it appeared: <c>Step 17 of 30</c>, <c>Hyper-iteration 4</c>.</summary>
    public string Where { get; }

    /// <summary>What was not finite, with the entry (<c>the state v[12] = NaN</c>).</summary>
    public string Quantity { get; }
}
