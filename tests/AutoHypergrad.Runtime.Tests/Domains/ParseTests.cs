using System;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Domains;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Domains;

/// <summary>Domain.Parse and ToString: round trips, aliases, the invariant culture, and errors that name the text.</summary>
public class ParseTests
{
    private static readonly Domain[] Domains =
    [
        Domain.Unconstrained,
        Domain.Positive(),
        Domain.Positive(PositiveMethod.Projection, 1e-6),
        Domain.Positive(PositiveMethod.Log),
        Domain.Positive(PositiveMethod.Softplus),
        Domain.NonNegative,
        Domain.Box(-1.5, 2.25),
        Domain.Box(double.NegativeInfinity, 0),
        Domain.Box(0.1, double.PositiveInfinity),
        Domain.CappedSimplex(1000),
        Domain.CappedSimplex(0.1 + 0.2),
        Domain.Simplex(),
        Domain.Simplex(2.5),
    ];

    [Fact]
    public void ToStringRoundTripsInAnyCulture()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            foreach (Domain domain in Domains)
            {
                Domain parsed = Domain.Parse(domain.ToString());
                Assert.Equal(domain.ToString(), parsed.ToString());
                Assert.Equal(domain.Describe(), parsed.Describe());
                Assert.DoesNotContain(",", domain.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("free", "free")]
    [InlineData(" Unconstrained ", "free")]
    [InlineData("POSITIVE", "positive")]
    [InlineData("positive:projection", "positive")]
    [InlineData("positive:projection:1e-3", "positive:projection:0.001")]
    [InlineData("positive:log", "positive:log")]
    [InlineData("positive:softplus", "positive:softplus")]
    [InlineData("nonnegative", "nonnegative")]
    [InlineData("box:-1e-3:2.5", "box:-0.001:2.5")]
    [InlineData("box:-infinity:0", "box:-Infinity:0")]
    [InlineData("capped-simplex:1000", "capped-simplex:1000")]
    [InlineData("capped-simplex:2.5", "capped-simplex:2.5")]
    [InlineData("simplex", "simplex:1")]
    [InlineData("simplex:3", "simplex:3")]
    public void AcceptedForms(string text, string canonical) => Assert.Equal(canonical, Domain.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("positiv")]
    [InlineData("positive:exp")]
    [InlineData("positive:log:3")]
    [InlineData("positive:projection:0")]
    [InlineData("box:1")]
    [InlineData("box:a:2")]
    [InlineData("box:2:1")]
    [InlineData("box:0,5:1")]
    [InlineData("capped-simplex")]
    [InlineData("capped-simplex:0")]
    [InlineData("simplex:-1")]
    [InlineData("simplex:1:2")]
    public void MalformedTextIsAFormatExceptionNamingIt(string text)
    {
        var e = Assert.Throws<FormatException>(() => Domain.Parse(text));
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("capped-simplex:R", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescriptionsSayTheSetAndTheMap()
    {
        Assert.Equal("unconstrained", Domain.Unconstrained.Describe());
        Assert.Equal("positive (projection onto [1E-12, ∞))", Domain.Positive().Describe());
        Assert.Equal("positive (log reparametrization)", Domain.Positive(PositiveMethod.Log).Describe());
        Assert.Equal("positive (softplus reparametrization)", Domain.Positive(PositiveMethod.Softplus).Describe());
        Assert.Equal("nonnegative (projection onto [0, ∞))", Domain.NonNegative.Describe());
        Assert.Equal("box [-1, 2.5] (projection)", Domain.Box(-1, 2.5).Describe());
        Assert.Equal("capped simplex {0 ≤ λ ≤ 1, Σλ ≤ 1000}", Domain.CappedSimplex(1000).Describe());
        Assert.Equal("simplex {λ ≥ 0, Σλ = 1}", Domain.Simplex().Describe());
        Assert.Equal(Domains.Length, Domains.Select(d => d.ToString()).Distinct().Count());
    }
}
