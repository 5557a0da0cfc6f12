using System;
using System.Linq;
using AutoHypergrad.Domains;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Domains;

/// <summary>
/// Every projection domain, on inputs of sizes 1 to 5000: P(x) lies in the set, P(P(x)) = P(x) bit for bit, points
/// of the set are left unchanged, and P(x) is the exact projection by the variational inequality
/// ⟨x − P(x), y − P(x)⟩ ≤ 0 for every y in the set — checked at the linear maximizer of ⟨x − P(x), ·⟩ over the set
/// (so at the worst vertex), at random vertices and at random feasible points.
/// </summary>
public class ProjectionTests
{
    [Theory]
    [MemberData(nameof(ProjectionCase.Names), MemberType = typeof(ProjectionCase))]
    public void ProjectionLandsInTheSetIsIdempotentAndSatisfiesTheVariationalInequality(string name)
    {
        ProjectionCase test = ProjectionCase.All[name];
        var random = new Random(name.Length);
        foreach (int n in ProjectionCase.Sizes)
        {
            foreach (double[] x in ProjectionCase.Inputs(random, n))
            {
                double[] p = Projected(test.Domain, x);
                string context = $"{name}, n = {n}, x[0] = {x[0]}";
                Assert.True(test.Domain.Contains(p, out int violation), $"{context}: P(x) is outside at {violation}.");
                Assert.Equal(p, Projected(test.Domain, p));

                double[] c = x.Zip(p, (xi, pi) => xi - pi).ToArray();
                AssertVariationalInequality(x, p, test.Maximizer(c, p), context + ", linear maximizer");
                for (int k = 0; k < 5; k++)
                {
                    AssertVariationalInequality(x, p, test.Vertex(random, n), context + ", vertex");
                    AssertVariationalInequality(x, p, test.Feasible(random, n), context + ", feasible point");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProjectionCase.Names), MemberType = typeof(ProjectionCase))]
    public void PointsOfTheSetAreLeftUnchanged(string name)
    {
        ProjectionCase test = ProjectionCase.All[name];
        var random = new Random(name.Length);
        foreach (int n in ProjectionCase.Sizes)
        {
            for (int k = 0; k < 10; k++)
            {
                foreach (double[] y in new[] { test.Feasible(random, n), test.Vertex(random, n) })
                {
                    Assert.True(test.Domain.Contains(y, out int violation), $"{name}, n = {n}: the test's point is outside at {violation}.");
                    Assert.Equal(y, Projected(test.Domain, y));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProjectionCase.Names), MemberType = typeof(ProjectionCase))]
    public void ProjectingNaNOrInfinityNamesTheIndex(string name)
    {
        Domain domain = ProjectionCase.All[name].Domain;
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => domain.Project(new[] { 0.5, 0.25, bad }));
            Assert.Contains("free[2]", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ProjectionCase.Names), MemberType = typeof(ProjectionCase))]
    public void TheMapIsTheIdentity(string name)
    {
        ProjectionCase test = ProjectionCase.All[name];
        Domain domain = test.Domain;
        double[] u = test.Feasible(new Random(1), 3), values = new double[3], free = new double[3], gradient = new double[3];
        domain.FromFree(u, values);
        domain.ToFree(values, free);
        domain.ChainGradient(u, [1, -2, 3], gradient);
        Assert.Equal(u, values);
        Assert.Equal(u, free);
        Assert.Equal([1, -2, 3], gradient);
    }

    internal static double[] Projected(Domain domain, double[] x)
    {
        double[] p = (double[])x.Clone();
        domain.Project(p);
        return p;
    }

    /// <summary>
    /// ⟨x − p, y − p⟩ ≤ 10⁻¹⁰·scale. The rounding of p is relative to |x|, so the scale is
    /// (1 + ‖x‖∞)·(1 + ‖x − p‖₁ + ‖y − p‖₁); a wrong projection misses by a fraction of ‖x − p‖·‖y − p‖.
    /// </summary>
    internal static void AssertVariationalInequality(double[] x, double[] p, double[] y, string context)
    {
        double inner = 0, normC = 0, normD = 0, maxX = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double c = x[i] - p[i], d = y[i] - p[i];
            inner += c * d;
            normC += Math.Abs(c);
            normD += Math.Abs(d);
            maxX = Math.Max(maxX, Math.Abs(x[i]));
        }

        double tolerance = 1e-10 * (1 + maxX) * (1 + normC + normD);
        Assert.True(inner <= tolerance, $"{context}: ⟨x − P(x), y − P(x)⟩ = {inner} > {tolerance}.");
    }
}
