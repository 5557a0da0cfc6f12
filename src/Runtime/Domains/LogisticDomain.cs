using System;

namespace AutoHypergrad.Domains;

/// <summary>
/// λ = σ(u) = 1/(1 + e^−u) in (0, 1), u = logit λ = log(λ/(1 − λ)), r'(u) = λ(1 − λ): probabilities such as dropout
/// rates. C = ℝⁿ, so nothing is projected.
/// </summary>
internal sealed class LogisticDomain : Domain
{
    public static readonly LogisticDomain Instance = new();

    public override string Describe() => "unit interval (logit reparametrization)";

    public override string ToString() => "unit:logit";

    public override void Project(Span<double> free)
    {
    }

    /// <summary>σ(u), computed from e^−|u| so that it neither overflows nor loses the tail.</summary>
    internal static double Logistic(double u)
    {
        double e = Math.Exp(-Math.Abs(u));
        return u >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    private protected override int FirstViolation(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] > 0 && values[i] < 1))
            {
                return i;
            }
        }

        return -1;
    }

    private protected override void Inverse(ReadOnlySpan<double> values, Span<double> free)
    {
        for (int i = 0; i < values.Length; i++)
        {
            free[i] = Math.Log(values[i] / (1 - values[i]));
        }
    }

    private protected override void Map(ReadOnlySpan<double> free, Span<double> values)
    {
        for (int i = 0; i < free.Length; i++)
        {
            values[i] = Logistic(free[i]);
        }
    }

    private protected override void Chain(ReadOnlySpan<double> free, ReadOnlySpan<double> valueGradient, Span<double> freeGradient)
    {
        for (int i = 0; i < free.Length; i++)
        {
            double p = Logistic(free[i]);
            freeGradient[i] = p * (1 - p) * valueGradient[i];
        }
    }
}
