using System;
using System.Buffers;

namespace AutoHypergrad.Domains;

/// <summary>
/// The simplex {λ ≥ 0, Σλ = R} or the capped simplex {0 ≤ λ ≤ 1, Σλ ≤ R}: both are 0 ≤ λᵢ ≤ cap (cap = ∞ or 1)
/// with a constraint on the sum, and both project to clip(u − τ, 0, cap) for a threshold τ (<see cref="Threshold"/>).
/// </summary>
internal sealed class SimplexDomain(double radius, bool capped) : ProjectionDomain
{
    private const double Ulp = 1.0 / (1L << 52);

    private readonly double cap = capped ? 1 : double.PositiveInfinity;

    public override string Describe() =>
        capped ? $"capped simplex {{0 ≤ λ ≤ 1, Σλ ≤ {Format(radius)}}}" : $"simplex {{λ ≥ 0, Σλ = {Format(radius)}}}";

    public override string ToString() => capped ? $"capped-simplex:{Format(radius)}" : $"simplex:{Format(radius)}";

    public override void Project(Span<double> free)
    {
        CheckFinite(free);
        if (FirstViolation(free) < 0)
        {
            return;
        }

        if (capped)
        {
            // Without the sum constraint the projection onto the box is the clip; it stands if it satisfies the sum.
            double clippedSum = 0;
            foreach (double u in free)
            {
                clippedSum += Math.Clamp(u, 0, 1);
            }

            if (clippedSum <= radius)
            {
                Clip(free, (0, 0));
                return;
            }
        }
        else if (free.IsEmpty)
        {
            throw new ArgumentException($"The {Describe()} has no point of dimension 0.", nameof(free));
        }

        Clip(free, Threshold(free, cap, radius));
    }

    /// <summary>
    /// τ with g(τ) = Σ clip(uᵢ − τ, 0, cap) = R, given a solution exists (cap·n &gt; R). g is continuous, piecewise
    /// linear and nonincreasing, with breakpoints uᵢ and uᵢ − cap. A binary search over the sorted breakpoints finds two
    /// neighbours with g(left) &gt; R ≥ g(right); on that piece each component is at cap (U), free (F) or at 0, so
    /// g(τ) = cap·|U| + Σ_F uᵢ − |F|·τ and τ = (cap·|U| + Σ_F uᵢ − R) / |F|. τ comes as shift + offset, with the
    /// shift a breakpoint next to the free uᵢ, so that uᵢ − τ = (uᵢ − shift) − offset keeps full precision in the
    /// small free values when the uᵢ are large (10⁶ + 0.3 − τ has ulps of 10⁻¹⁰; 0.3 − offset, of 10⁻¹⁷).
    /// </summary>
    internal static (double Shift, double Offset) Threshold(ReadOnlySpan<double> free, double cap, double radius)
    {
        int n = free.Length, count = double.IsFinite(cap) ? 2 * n : n;
        double[] rented = ArrayPool<double>.Shared.Rent(count);
        try
        {
            Span<double> breakpoints = rented.AsSpan(0, count);
            free.CopyTo(breakpoints);
            for (int i = n; i < count; i++)
            {
                breakpoints[i] = free[i - n] - cap;
            }

            breakpoints.Sort();

            // g(max u) = 0 ≤ R. Without a cap, g → ∞ as τ → −∞ and the solution may lie left of every breakpoint.
            int left = -1, right = 0;
            if (G(free, breakpoints[0], cap) > radius)
            {
                (left, right) = (0, count - 1);
                while (right - left > 1)
                {
                    int middle = left + ((right - left) / 2);
                    if (G(free, breakpoints[middle], cap) > radius)
                    {
                        left = middle;
                    }
                    else
                    {
                        right = middle;
                    }
                }
            }

            // No breakpoint lies strictly between the two, so each uᵢ − cap is ≤ lo or ≥ hi, and each uᵢ too.
            double lo = left < 0 ? double.NegativeInfinity : breakpoints[left], hi = breakpoints[right];
            double atCap = 0, freeSum = 0;
            int freeCount = 0;
            foreach (double u in free)
            {
                if (u - cap >= hi)
                {
                    atCap += cap;
                }
                else if (u > lo)
                {
                    freeSum += u - hi;
                    freeCount++;
                }
            }

            // g(lo) > R ≥ g(hi) means a free component; rounding in the breakpoints could only hide one where g is flat.
            return (hi, freeCount > 0 ? (atCap + freeSum - radius) / freeCount : 0);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private protected override int FirstViolation(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(double.IsFinite(values[i]) && values[i] >= 0 && values[i] <= cap))
            {
                return i;
            }
        }

        double excess = Sum(values) - radius, slack = radius * (1e-12 + (values.Length * Ulp));
        return (capped ? excess <= slack : Math.Abs(excess) <= slack) ? -1 : values.Length;
    }

    private static double G(ReadOnlySpan<double> free, double tau, double cap)
    {
        double sum = 0;
        foreach (double u in free)
        {
            sum += Math.Clamp(u - tau, 0, cap);
        }

        return sum;
    }

    /// <summary>uᵢ ← clip(uᵢ − τ, 0, cap) with τ = shift + offset.</summary>
    private void Clip(Span<double> free, (double Shift, double Offset) tau)
    {
        for (int i = 0; i < free.Length; i++)
        {
            free[i] = Math.Clamp(free[i] - tau.Shift - tau.Offset, 0, cap);
        }
    }
}
