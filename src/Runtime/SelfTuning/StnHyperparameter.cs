using System;
using AutoHypergrad.Domains;

namespace AutoHypergrad.SelfTuning;

/// <summary>The regularization hyperparameters STNs tune, each with the domain its value lives in.</summary>
public enum StnHyperparameterKind
{
    /// <summary>A dropout rate p ∈ (0, 1), tuned as logit p.</summary>
    DropoutRate,

    /// <summary>An L2 (weight decay) coefficient c &gt; 0, tuned as log c.</summary>
    WeightDecay,

    /// <summary>The standard deviation of Gaussian noise added to the inputs, s &gt; 0, tuned as log s.</summary>
    InputNoise,
}

/// <summary>
/// A hyperparameter of an STN: the network sees its free (unconstrained) value u, which the trainer moves and
/// perturbs (MacKay et al., "Self-Tuning Networks", ICLR 2019, §4.3 and appendix: logit for rates, log for scales);
/// the regularizer uses λ = r(u) from the kind's <see cref="Domain"/>.
/// </summary>
public sealed record StnHyperparameter(string Name, StnHyperparameterKind Kind)
{
    /// <summary>(0, 1) by logit for a rate, (0, ∞) by log otherwise.</summary>
    public Domain Domain => Kind == StnHyperparameterKind.DropoutRate ? Domain.UnitInterval : Domain.Positive(PositiveMethod.Log);

    /// <summary>λ = r(u).</summary>
    public double ValueOf(double free)
    {
        Span<double> value = stackalloc double[1];
        Domain.FromFree([free], value);
        return value[0];
    }

    /// <summary>u = r⁻¹(λ).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is outside the domain.</exception>
    public double FreeOf(double value)
    {
        Span<double> free = stackalloc double[1];
        Domain.ToFree([value], free);
        return free[0];
    }

    /// <summary>dλ/du = r'(u), the chain-rule factor from a gradient in λ to one in u.</summary>
    public double Derivative(double free)
    {
        Span<double> gradient = stackalloc double[1];
        Domain.ChainGradient([free], [1.0], gradient);
        return gradient[0];
    }
}
