using System;

namespace AutoHypergrad;

/// <summary>
/// Where a hyperparameter may lie, as its <see cref="HyperAttribute.Domain"/> declares it; the outer loop keeps λ
/// there (<see cref="HyperparameterDomainExtensions.ToDomain"/>).
/// </summary>
public enum HyperparameterDomain
{
    /// <summary>Any real number.</summary>
    Unconstrained,

    /// <summary>x &gt; 0 (learning rates, ε).</summary>
    Positive,

    /// <summary>x ≥ 0 (weight decay, a ridge strength).</summary>
    NonNegative,

    /// <summary>0 ≤ x &lt; 1 (momentum coefficients and decay rates).</summary>
    UnitInterval,
}

/// <summary>Membership tests and the outer loop's domains for <see cref="HyperparameterDomain"/>.</summary>
public static class HyperparameterDomainExtensions
{
    /// <summary>Whether <paramref name="value"/> lies in <paramref name="domain"/> (NaN never does).</summary>
    public static bool Contains(this HyperparameterDomain domain, double value) => domain switch
    {
        HyperparameterDomain.Unconstrained => !double.IsNaN(value),
        HyperparameterDomain.Positive => value > 0,
        HyperparameterDomain.NonNegative => value >= 0,
        HyperparameterDomain.UnitInterval => value >= 0 && value < 1,
        _ => throw new ArgumentOutOfRangeException(nameof(domain), domain, null),
    };

    /// <summary>The error for a hyperparameter's value outside its declared domain, naming the owner (an optimizer, a loss) and the value.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not lie in <paramref name="domain"/>.</exception>
    public static void CheckContains(this HyperparameterDomain domain, double value, string owner, string name)
    {
        if (!domain.Contains(value))
        {
            throw new ArgumentException(
                $"{owner}: {name} = {value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} is outside its domain ({domain}).", name);
        }
    }

    /// <summary>
    /// The domain the outer loop keeps a hyperparameter in: a projection onto x ≥ <see cref="Domains.Domain.DefaultFloor"/> for a positive one, onto
    /// [0, ∞) for a non-negative one and onto [0, 0.999999] for one in the unit interval.
    /// </summary>
    public static Domains.Domain ToDomain(this HyperparameterDomain domain) => domain switch
    {
        HyperparameterDomain.Positive => Domains.Domain.Positive(),
        HyperparameterDomain.NonNegative => Domains.Domain.NonNegative,
        HyperparameterDomain.UnitInterval => Domains.Domain.Box(0, 0.999999),
        _ => Domains.Domain.Unconstrained,
    };
}
