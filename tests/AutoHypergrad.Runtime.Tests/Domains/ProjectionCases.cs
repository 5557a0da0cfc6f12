using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Domains;

namespace AutoHypergrad.Runtime.Tests.Domains;

/// <summary>
/// A projection domain with what a test needs to check projections onto it: the maximizer of a linear function over
/// the set (the worst vertex for the variational inequality), random feasible points and random vertices.
/// </summary>
public sealed record ProjectionCase(
    Domain Domain,
    Func<double[], double[], double[]> Maximizer,
    Func<Random, int, double[]> Feasible,
    Func<Random, int, double[]> Vertex)
{
    public static readonly int[] Sizes = [1, 2, 7, 100, 5000];

    public static IReadOnlyDictionary<string, ProjectionCase> All { get; } = new ProjectionCase[]
    {
        Box(Domain.Unconstrained, double.NegativeInfinity, double.PositiveInfinity),
        Box(Domain.Positive(), Domain.DefaultFloor, double.PositiveInfinity),
        Box(Domain.Positive(PositiveMethod.Projection, 0.5), 0.5, double.PositiveInfinity),
        Box(Domain.NonNegative, 0, double.PositiveInfinity),
        Box(Domain.Box(-1, 2.5), -1, 2.5),
        Box(Domain.Box(3, 3), 3, 3),
        Box(Domain.Box(double.NegativeInfinity, 0.25), double.NegativeInfinity, 0.25),
        CappedSimplex(0.5),
        CappedSimplex(1),
        CappedSimplex(2.7),
        CappedSimplex(3.5),
        CappedSimplex(41.3),
        CappedSimplex(1000),
        Simplex(1),
        Simplex(0.3),
        Simplex(2.5),
        Simplex(1000),
    }.ToDictionary(c => c.Domain.ToString());

    public static IEnumerable<object[]> Names() => All.Keys.Select(name => new object[] { name });

    /// <summary>Points to project: spread at several scales, ties, far outside, and on the boundary.</summary>
    public static IEnumerable<double[]> Inputs(Random random, int n)
    {
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[] ties = [-1, 0, 0.25, 0.5, 1, 1.5, 2];
        double[] Make(Func<int, double> value) => Enumerable.Range(0, n).Select(value).ToArray();
        yield return Make(_ => 0.5 + Normal());
        yield return Make(_ => 0.3 + (0.1 * Normal()));
        yield return Make(_ => 10 * Normal());
        yield return Make(_ => 2e6 * (random.NextDouble() - 0.5));
        yield return Make(_ => 1e6 + random.NextDouble());
        yield return Make(_ => ties[random.Next(ties.Length)]);
        yield return Make(_ => 0.75);
        yield return Make(i => i % 3 == 0 ? 1 : 0);
    }

    private static ProjectionCase Box(Domain domain, double lower, double upper)
    {
        // Far points stand in for the missing vertices of an unbounded side.
        double Low() => double.IsFinite(lower) ? lower : double.IsFinite(upper) ? upper - 100 : -100;
        double High() => double.IsFinite(upper) ? upper : Low() + 200;
        return new(
            domain,
            (c, p) => c.Select((ci, i) => ci > 0 ? upper : ci < 0 ? lower : p[i]).ToArray(),
            (random, n) => Enumerable.Range(0, n).Select(_ => Low() + ((High() - Low()) * random.NextDouble())).ToArray(),
            (random, n) => Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? Low() : High()).ToArray());
    }

    /// <summary>{0 ≤ λ ≤ 1, Σλ ≤ R}: the linear maximizer fills the largest positive coefficients up to R (a vertex:
    /// ⌊R⌋ ones and one fraction).</summary>
    private static ProjectionCase CappedSimplex(double radius)
    {
        double[] Fill(IEnumerable<int> order, int n)
        {
            var y = new double[n];
            double left = radius;
            foreach (int i in order)
            {
                y[i] = Math.Min(1, left);
                left -= y[i];
            }

            return y;
        }

        return new(
            Domain.CappedSimplex(radius),
            (c, _) => Fill(Enumerable.Range(0, c.Length).Where(i => c[i] > 0).OrderByDescending(i => c[i]), c.Length),
            (random, n) =>
            {
                double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 0 : random.NextDouble()).ToArray();
                double sum = y.Sum();
                return sum > radius ? y.Select(v => v * (radius / sum)).ToArray() : y;
            },
            (random, n) => Fill(Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(random.Next(n + 1)), n));
    }

    /// <summary>{λ ≥ 0, Σλ = R}: the linear maximizer puts R on a largest coefficient; the vertices are R·eᵢ.</summary>
    private static ProjectionCase Simplex(double radius)
    {
        double[] Corner(int i, int n)
        {
            var y = new double[n];
            y[i] = radius;
            return y;
        }

        return new(
            Domain.Simplex(radius),
            (c, _) => Corner(Array.IndexOf(c, c.Max()), c.Length),
            (random, n) =>
            {
                double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 0 : -Math.Log(1 - random.NextDouble())).ToArray();
                y[random.Next(n)] += 1;
                double sum = y.Sum();
                return y.Select(v => v * (radius / sum)).ToArray();
            },
            (random, n) => Corner(random.Next(n), n));
    }
}
