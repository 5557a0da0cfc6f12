using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Domains;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Domains;

/// <summary>
/// The capped simplex against a brute-force enumeration of faces (n ≤ 8) and against bisection on τ; the threshold
/// τ &gt; 0 solves Σ clip(x − τ, 0, 1) = R and the sum is tight; the simplex against bisection on τ.
/// </summary>
public class SimplexProjectionTests
{
    public static readonly double[] Radii = [0.5, 1, 1.7, 2, 3.3, 7.5];

    public static IEnumerable<object[]> RadiiData() => Radii.Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(RadiiData))]
    public void CappedSimplexMatchesTheEnumerationOfFaces(double radius)
    {
        var random = new Random(7);
        Domain domain = Domain.CappedSimplex(radius);
        for (int n = 1; n <= 8; n++)
        {
            IEnumerable<double[]> inputs = ProjectionCase.Inputs(random, n).Concat(Enumerable.Range(0, 20).Select(_ => Uniform(random, n, -1, 2)));

            // Squared distances of 10¹² lose the differences between faces; inputs that far out are left to bisection.
            foreach (double[] x in inputs.Where(x => x.Max(Math.Abs) <= 100))
            {
                AssertClose(BruteForceCappedSimplex(x, radius), ProjectionTests.Projected(domain, x), x, $"R = {radius}, n = {n}, x = {string.Join(", ", x)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RadiiData))]
    public void CappedSimplexThresholdSolvesTheSumAndMatchesBisection(double radius)
    {
        var random = new Random(11);
        Domain domain = Domain.CappedSimplex(radius * 13);
        foreach (int n in ProjectionCase.Sizes)
        {
            foreach (double[] x in ProjectionCase.Inputs(random, n))
            {
                double r = radius * 13, clippedSum = x.Sum(v => Math.Clamp(v, 0, 1));
                double[] p = ProjectionTests.Projected(domain, x);
                string context = $"R = {r}, n = {n}, x[0] = {x[0]}";
                if (clippedSum <= r)
                {
                    Assert.Equal(x.Select(v => Math.Clamp(v, 0, 1)), p);
                    continue;
                }

                (double shift, double offset) = SimplexDomain.Threshold(x, 1, r);
                double tau = shift + offset;
                Assert.True(tau > 0, $"{context}: τ = {tau}.");
                double sumAtTau = x.Sum(v => Math.Clamp(v - shift - offset, 0, 1));
                Assert.True(Math.Abs(sumAtTau - r) <= 1e-12 * r, $"{context}: Σ clip(x − τ, 0, 1) = {sumAtTau}.");
                Assert.True(Math.Abs(p.Sum() - r) <= 1e-12 * r, $"{context}: the sum constraint is not tight: Σλ = {p.Sum()}.");
                AssertClose(Clip(x, Bisection(x, 1, r), 1), p, x, context);
            }
        }
    }

    [Fact]
    public void CappedSimplexWithRadiusAtLeastTheDimensionIsTheBox()
    {
        double[] x = [-3, 0.25, 0.5, 7];
        Assert.Equal([0, 0.25, 0.5, 1], ProjectionTests.Projected(Domain.CappedSimplex(4), x));
        Assert.Equal([0, 0.25, 0.5, 1], ProjectionTests.Projected(Domain.CappedSimplex(1000), x));
        Assert.Empty(ProjectionTests.Projected(Domain.CappedSimplex(1), []));
    }

    [Theory]
    [MemberData(nameof(RadiiData))]
    public void SimplexMatchesBisection(double radius)
    {
        var random = new Random(13);
        Domain domain = Domain.Simplex(radius);
        foreach (int n in ProjectionCase.Sizes)
        {
            foreach (double[] x in ProjectionCase.Inputs(random, n))
            {
                double[] p = ProjectionTests.Projected(domain, x);
                string context = $"R = {radius}, n = {n}, x[0] = {x[0]}";
                AssertClose(Clip(x, Bisection(x, double.PositiveInfinity, radius), double.PositiveInfinity), p, x, context);
                Assert.True(Math.Abs(p.Sum() - radius) <= 1e-12 * radius, $"{context}: Σλ = {p.Sum()}.");
            }
        }
    }

    [Fact]
    public void SimplexKnownProjections()
    {
        Assert.Equal([0.5, 0.5], ProjectionTests.Projected(Domain.Simplex(), [0, 0]));
        Assert.Equal([0, 1, 0], ProjectionTests.Projected(Domain.Simplex(), [-5, 3, 1]));
        Assert.Equal([1, 2], ProjectionTests.Projected(Domain.Simplex(3), [1, 2]));
        var e = Assert.Throws<ArgumentException>(() => Domain.Simplex().Project([]));
        Assert.Contains("dimension 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidRadiiAndBoxesAreRejected()
    {
        foreach (double radius in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Domain.CappedSimplex(radius));
            Assert.Throws<ArgumentOutOfRangeException>(() => Domain.Simplex(radius));
        }

        var e = Assert.Throws<ArgumentException>(() => Domain.Box(2, 1));
        Assert.Contains("[2, 1]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Domain.Box(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => Domain.Box(double.PositiveInfinity, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => Domain.Positive(PositiveMethod.Projection, 0));
        Assert.Throws<ArgumentException>(() => Domain.Positive(PositiveMethod.Log, 1e-3));
    }

    [Fact]
    public void ContainsReportsTheFirstViolationAndTheSum()
    {
        Domain capped = Domain.CappedSimplex(1.5);
        Assert.True(capped.Contains([1, 0.5, 0], out int violation));
        Assert.Equal(-1, violation);
        Assert.False(capped.Contains([0.5, 1.25, -1], out violation));
        Assert.Equal(1, violation);
        Assert.False(capped.Contains([1, 0.5, 0.001], out violation));
        Assert.Equal(3, violation);
        Assert.False(capped.Contains([0.5, double.NaN], out violation));
        Assert.Equal(1, violation);
        Assert.False(Domain.Simplex().Contains([0.25, 0.5], out violation));
        Assert.Equal(2, violation);

        var e = Assert.Throws<ArgumentException>(() => capped.ToFree([1, 0.5, 0.001], new double[3]));
        Assert.Contains("sum to 1.501", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => capped.ToFree([0.5, 1.25], new double[2]));
        Assert.Contains("values[1] = 1.25", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The projection as the nearest of all face candidates: each component at 0, at 1 or free, with the sum constraint
    /// active or not; on a face the nearest point is x on the free components, shifted by a common τ when the sum is active.
    /// </summary>
    private static double[] BruteForceCappedSimplex(double[] x, double radius)
    {
        int n = x.Length, faces = (int)Math.Pow(3, n);
        double[] best = [], candidate = new double[n];
        double bestDistance = double.PositiveInfinity;
        for (int face = 0; face < faces; face++)
        {
            int[] state = Enumerable.Range(0, n).Select(i => face / (int)Math.Pow(3, i) % 3).ToArray();
            int free = state.Count(s => s == 2), atOne = state.Count(s => s == 1);
            double freeSum = Enumerable.Range(0, n).Where(i => state[i] == 2).Sum(i => x[i]);
            foreach (bool active in new[] { false, true })
            {
                if (active && free == 0)
                {
                    continue;
                }

                double tau = active ? (atOne + freeSum - radius) / free : 0;
                for (int i = 0; i < n; i++)
                {
                    candidate[i] = state[i] == 2 ? x[i] - tau : state[i];
                }

                double distance = candidate.Select((c, i) => (c - x[i]) * (c - x[i])).Sum();
                bool feasible = candidate.All(c => c >= -1e-13 && c <= 1 + 1e-13) && candidate.Sum() <= radius * (1 + 1e-13);
                if (feasible && distance < bestDistance)
                {
                    (best, bestDistance) = ((double[])candidate.Clone(), distance);
                }
            }
        }

        return best;
    }

    /// <summary>τ with Σ clip(xᵢ − τ, 0, cap) = R by bisection to the last bit, from a bracket where the sum is ≥ R and ≤ R.</summary>
    private static double Bisection(double[] x, double cap, double radius)
    {
        double high = x.Max(), low = double.IsFinite(cap) ? 0 : high - radius;
        while (true)
        {
            double middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                return middle;
            }

            if (x.Sum(v => Math.Clamp(v - middle, 0, cap)) > radius)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
    }

    private static double[] Clip(double[] x, double tau, double cap) => x.Select(v => Math.Clamp(v - tau, 0, cap)).ToArray();

    private static double[] Uniform(Random random, int n, double low, double high) =>
        Enumerable.Range(0, n).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    /// <summary>Component by component within 10⁻¹² relative to the size of the input.</summary>
    private static void AssertClose(double[] expected, double[] actual, double[] x, string context)
    {
        double tolerance = 1e-12 * (1 + x.Max(Math.Abs));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{context}: λ[{i}] = {actual[i]}, expected {expected[i]}.");
        }
    }
}
