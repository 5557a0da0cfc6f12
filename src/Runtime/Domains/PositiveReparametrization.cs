using System;

namespace AutoHypergrad.Domains;

/// <summary>
/// λ = r(u) &gt; 0 for a smooth increasing r from ℝ onto (0, ∞), applied component by component; C = ℝⁿ, so
/// nothing is projected. Values are contained when positive and finite (r(u) can still round to 0 for very negative u).
/// </summary>
internal abstract class PositiveReparametrization : Domain
{
    public override void Project(Span<double> free)
    {
    }

    /// <summary>r(u).</summary>
    protected abstract double Value(double u);

    /// <summary>r'(u).</summary>
    protected abstract double Derivative(double u);

    /// <summary>r⁻¹(λ).</summary>
    protected abstract double FreeOf(double value);

    private protected override int FirstViolation(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] > 0 && double.IsFinite(values[i])))
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
            free[i] = FreeOf(values[i]);
        }
    }

    private protected override void Map(ReadOnlySpan<double> free, Span<double> values)
    {
        for (int i = 0; i < free.Length; i++)
        {
            values[i] = Value(free[i]);
        }
    }

    private protected override void Chain(ReadOnlySpan<double> free, ReadOnlySpan<double> valueGradient, Span<double> freeGradient)
    {
        for (int i = 0; i < free.Length; i++)
        {
            freeGradient[i] = Derivative(free[i]) * valueGradient[i];
        }
    }
}

/// <summary>λ = exp u, u = log λ, r'(u) = λ.</summary>
internal sealed class LogDomain : PositiveReparametrization
{
    public static readonly LogDomain Instance = new();

    public override string Describe() => "positive (log reparametrization)";

    public override string ToString() => "positive:log";

    protected override double Value(double u) => Math.Exp(u);

    protected override double Derivative(double u) => Math.Exp(u);

    protected override double FreeOf(double value) => Math.Log(value);
}

/// <summary>
/// λ = log(1 + e^u) = max(u, 0) + log1p(e^−|u|), finite for every finite u; r'(u) = 1/(1 + e^−u), the logistic
/// function; u = log(e^λ − 1) = λ + log(−expm1(−λ)), accurate from tiny λ (u ≈ log λ) to large (u ≈ λ).
/// </summary>
internal sealed class SoftplusDomain : PositiveReparametrization
{
    public static readonly SoftplusDomain Instance = new();

    public override string Describe() => "positive (softplus reparametrization)";

    public override string ToString() => "positive:softplus";

    protected override double Value(double u) => Math.Max(u, 0) + LogOnePlus(Math.Exp(-Math.Abs(u)));

    protected override double Derivative(double u)
    {
        double e = Math.Exp(-Math.Abs(u));
        return u >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    protected override double FreeOf(double value) => value + Math.Log(-ExpMinusOne(-value));

    /// <summary>log(1 + x) to a few ulps for small x (Goldberg 1991): the rounding of 1 + x cancels in the ratio.</summary>
    private static double LogOnePlus(double x)
    {
        double w = 1 + x;
        return w == 1 ? x : Math.Log(w) * x / (w - 1);
    }

    /// <summary>e^x − 1 to a few ulps for small x (Kahan): the rounding of e^x cancels in the ratio.</summary>
    private static double ExpMinusOne(double x)
    {
        double w = Math.Exp(x);
        if (w == 1)
        {
            return x;
        }

        double wm1 = w - 1;
        return wm1 == -1 ? -1 : wm1 * x / Math.Log(w);
    }
}
