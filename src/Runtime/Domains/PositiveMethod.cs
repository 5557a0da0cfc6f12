namespace AutoHypergrad.Domains;

/// <summary>How <see cref="Domain.Positive"/> keeps a hyperparameter positive.</summary>
public enum PositiveMethod
{
    /// <summary>λ = u, projected onto [floor, ∞) after each outer step.</summary>
    Projection,

    /// <summary>λ = exp u: multiplicative steps, the usual choice for learning rates and regularization weights.</summary>
    Log,

    /// <summary>λ = log(1 + e^u): linear for large u, exponential for very negative u.</summary>
    Softplus,
}
