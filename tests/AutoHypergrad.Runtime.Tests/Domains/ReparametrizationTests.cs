using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Domains;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Domains;

/// <summary>
/// λ = exp u and λ = log(1 + e^u): the round trip λ → u → λ, the chain rule against central differences, softplus
/// at the ends of the double range, and what the positive domains reject.
/// </summary>
public class ReparametrizationTests
{
    private const double Ulp = 2.220446049250313e-16;

    public static IEnumerable<object[]> Methods() => new[] { PositiveMethod.Log, PositiveMethod.Softplus }.Select(m => new object[] { m });

    [Theory]
    [MemberData(nameof(Methods))]
    public void RoundTripIsExactTo1e14(PositiveMethod method)
    {
        Domain domain = Domain.Positive(method);
        var random = new Random(3);
        double[] values = Enumerable.Range(0, 2000).Select(_ => Math.Pow(10, (12 * random.NextDouble()) - 6)).Concat([1e-6, 1, Math.Log(2), 1e6]).ToArray();
        double[] back = RoundTrip(domain, values, out _);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(back[i] - values[i]) <= 1e-14 * values[i], $"{method}: λ = {values[i]} came back as {back[i]}.");
        }
    }

    /// <summary>Over the whole double range the round trip is as good as the conditioning of r allows: an error of
    /// half an ulp in u moves λ by |u·r'(u)/r(u)|·ulp relative, ≈ |u| ulps where r(u) ≈ e^u.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void RoundTripOverTheDoubleRangeIsWithinConditioning(PositiveMethod method)
    {
        Domain domain = Domain.Positive(method);
        double[] values = Enumerable.Range(-300, 601).Select(e => 1.2345 * Math.Pow(10, e)).Where(double.IsFinite).ToArray();
        double[] back = RoundTrip(domain, values, out double[] free);
        for (int i = 0; i < values.Length; i++)
        {
            double tolerance = 4 * Ulp * (1 + Math.Abs(free[i])) * values[i];
            Assert.True(Math.Abs(back[i] - values[i]) <= tolerance, $"{method}: λ = {values[i]} came back as {back[i]}.");
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ChainGradientMatchesCentralDifferences(PositiveMethod method)
    {
        Domain domain = Domain.Positive(method);
        var random = new Random(5);
        int n = 50;
        double[] u = Enumerable.Range(0, n).Select(_ => (20 * random.NextDouble()) - 10).Concat([-30, 0, 30]).ToArray();
        n = u.Length;
        double[] weights = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();

        // f(λ) = Σ wᵢλᵢ + ½Σ λᵢ²/(1 + λᵢ), ∂f/∂λᵢ = wᵢ + λᵢ(2 + λᵢ)/(2(1 + λᵢ)²). f is a sum of terms in one λᵢ each,
        // so the difference quotient in uᵢ is that of the i-th term (the sum would drown it when λ reaches e³⁰).
        double Term(int i, double free)
        {
            double[] lambda = new double[1];
            domain.FromFree([free], lambda);
            return (weights[i] * lambda[0]) + (0.5 * lambda[0] * lambda[0] / (1 + lambda[0]));
        }

        double[] values = new double[n], valueGradient = new double[n], freeGradient = new double[n];
        domain.FromFree(u, values);
        for (int i = 0; i < n; i++)
        {
            valueGradient[i] = weights[i] + (values[i] * (2 + values[i]) / (2 * (1 + values[i]) * (1 + values[i])));
        }

        domain.ChainGradient(u, valueGradient, freeGradient);
        for (int i = 0; i < n; i++)
        {
            double h = 1e-5 * (1 + Math.Abs(u[i]));
            double difference = (Term(i, u[i] + h) - Term(i, u[i] - h)) / (2 * h);
            Assert.True(
                Math.Abs(difference - freeGradient[i]) <= 1e-6 * (1 + Math.Abs(difference)),
                $"{method}, u = {u[i]}: chain rule {freeGradient[i]}, central difference {difference}.");
        }
    }

    [Fact]
    public void SoftplusIsFiniteAndAccurateAtTheEndsOfTheRange()
    {
        Domain softplus = Domain.Positive(PositiveMethod.Softplus);
        double[] u = [700, -700, 1e300, -700.5], values = new double[4], gradient = new double[4], free = new double[4];
        softplus.FromFree(u, values);
        softplus.ChainGradient(u, [1, 1, 1, 1], gradient);
        Assert.Equal(700, values[0]);
        Assert.Equal(1e300, values[2]);
        Assert.True(Math.Abs(values[1] - Math.Exp(-700)) <= 1e-14 * Math.Exp(-700));
        Assert.All(values, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.Equal(1, gradient[0]);
        Assert.True(Math.Abs(gradient[1] - Math.Exp(-700)) <= 1e-14 * Math.Exp(-700));

        softplus.ToFree(values, free);
        Assert.Equal(700, free[0]);
        Assert.Equal(1e300, free[2]);
        Assert.True(Math.Abs(free[1] + 700) <= 1e-13 * 700);
    }

    [Fact]
    public void SoftplusKnownValues()
    {
        Domain softplus = Domain.Positive(PositiveMethod.Softplus);
        double[] values = new double[3], gradient = new double[3];
        softplus.FromFree([0, 1, -1], values);
        softplus.ChainGradient([0, 1, -1], [2, 2, 2], gradient);
        Assert.Equal(Math.Log(2), values[0], 15);
        Assert.Equal(Math.Log(1 + Math.E), values[1], 15);
        Assert.Equal(Math.Log(1 + (1 / Math.E)), values[2], 15);
        Assert.Equal([1, 2 / (1 + Math.Exp(-1)), 2 / (1 + Math.E)], gradient);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NonPositiveValuesAreRejectedByIndex(PositiveMethod method)
    {
        Domain domain = Domain.Positive(method);
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.False(domain.Contains([1, 2, bad], out int violation));
            Assert.Equal(2, violation);
            var e = Assert.Throws<ArgumentException>(() => domain.ToFree([1, 2, bad], new double[3]));
            Assert.Contains($"values[2] = {Domain.Format(bad)}", e.Message, StringComparison.Ordinal);
            Assert.Contains(domain.Describe(), e.Message, StringComparison.Ordinal);
        }

        Assert.True(domain.Contains([1e-300, 1e300], out int none));
        Assert.Equal(-1, none);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ProjectionIsANoOpAndLengthsAreChecked(PositiveMethod method)
    {
        Domain domain = Domain.Positive(method);
        double[] u = [-1e300, 0, 1e300, double.NaN];
        domain.Project(u);
        Assert.Equal([-1e300, 0, 1e300, double.NaN], u);

        var e = Assert.Throws<ArgumentException>(() => domain.FromFree(new double[3], new double[2]));
        Assert.Contains("length 2, expected 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => domain.ChainGradient(new double[3], new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => domain.ToFree([1, 2], new double[1]));
    }

    private static double[] RoundTrip(Domain domain, double[] values, out double[] free)
    {
        free = new double[values.Length];
        double[] back = new double[values.Length];
        domain.ToFree(values, free);
        domain.FromFree(free, back);
        return back;
    }
}
