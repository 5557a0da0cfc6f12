using System;

namespace AutoHypergrad.Domains;

/// <summary>A domain with r = identity: λ = u, and the constraint is kept by <see cref="Domain.Project"/>.</summary>
internal abstract class ProjectionDomain : Domain
{
    private protected override void Inverse(ReadOnlySpan<double> values, Span<double> free) => values.CopyTo(free);

    private protected override void Map(ReadOnlySpan<double> free, Span<double> values) => free.CopyTo(values);

    private protected override void Chain(ReadOnlySpan<double> free, ReadOnlySpan<double> valueGradient, Span<double> freeGradient) =>
        valueGradient.CopyTo(freeGradient);

    /// <summary>The projection needs finite values: a NaN or infinity in u means the outer optimizer diverged.</summary>
    private protected static void CheckFinite(ReadOnlySpan<double> free)
    {
        for (int i = 0; i < free.Length; i++)
        {
            if (!double.IsFinite(free[i]))
            {
                throw new ArgumentException($"free[{i}] = {Format(free[i])} cannot be projected: the free variable must be finite.", nameof(free));
            }
        }
    }
}
