using System;

namespace AutoHypergrad.Domains;

/// <summary>[lower, upper]ⁿ, bounds possibly infinite; the projection clamps each component.</summary>
internal sealed class BoxDomain(double lower, double upper, string text, string description) : ProjectionDomain
{
    public override string Describe() => description;

    public override string ToString() => text;

    public override void Project(Span<double> free)
    {
        CheckFinite(free);
        for (int i = 0; i < free.Length; i++)
        {
            free[i] = Math.Clamp(free[i], lower, upper);
        }
    }

    private protected override int FirstViolation(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(double.IsFinite(values[i]) && lower <= values[i] && values[i] <= upper))
            {
                return i;
            }
        }

        return -1;
    }
}
