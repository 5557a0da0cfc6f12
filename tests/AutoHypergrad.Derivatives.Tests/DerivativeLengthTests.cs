using System;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The derivative spans and arrays must have their primal's length; otherwise the generated Tangent and Adjoint throw
/// an <see cref="ArgumentException"/> naming the derivative parameter. Checked by direct calls on a read-only span, a
/// written span and an array, and by <see cref="DerivativeChecker.CheckDerivativeLengthsAreChecked"/> on every case
/// with an active span or array parameter (one element short and one too many).
/// </summary>
public sealed class DerivativeLengthTests
{
    [Theory]
    [MemberData(nameof(CaseCatalog.WithActiveSequences), MemberType = typeof(CaseCatalog))]
    public void DerivativeSpansOfAnotherLengthAreRejected(string method) =>
        DerivativeChecker.CheckDerivativeLengthsAreChecked(CaseCatalog.Get(method));

    [Fact]
    public void ReadOnlySpanTangentOfAnotherLengthThrows()
    {
        double[] x = [1, 2, 3, 4], y = [0.5, -1, 2, 1], yDot = [0, 0, 0, 0], shortDot = [1, 0, 0];
        var e = Assert.ThrowsAny<ArgumentException>(() => { SpanCases.DotTangent(x, shortDot, y, yDot); });
        Assert.Equal("xDot", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => { SpanCases.DotTangent(x, yDot, y, [0, 0, 0, 0, 0]); });
        Assert.Equal("yDot", e.ParamName);
    }

    [Fact]
    public void ReadOnlySpanAdjointBarOfAnotherLengthThrows()
    {
        double[] x = [1, 2, 3, 4], y = [0.5, -1, 2, 1], yBar = new double[4], shortBar = new double[3];
        var e = Assert.ThrowsAny<ArgumentException>(() => SpanCases.DotAdjoint(x, shortBar, y, yBar, 1));
        Assert.Equal("xBar", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => SpanCases.DotAdjoint(x, yBar, y, new double[5], 1));
        Assert.Equal("yBar", e.ParamName);
    }

    [Fact]
    public void WrittenSpanDerivativesOfAnotherLengthThrow()
    {
        double[] s = [1, 2, 3, 4];
        var e = Assert.ThrowsAny<ArgumentException>(() => SpanWriteCases.AffineTangent(s, new double[5], 2, 1, 0.5, 0));
        Assert.Equal("sDot", e.ParamName);
        double aBar = 0, bBar = 0;
        e = Assert.ThrowsAny<ArgumentException>(() => SpanWriteCases.AffineAdjoint(s, new double[3], 2, ref aBar, 0.5, ref bBar));
        Assert.Equal("sBar", e.ParamName);
        Assert.Equal([1.0, 2, 3, 4], s);
    }

    [Fact]
    public void ArrayDerivativesOfAnotherLengthThrow()
    {
        double[] a = [1, 2, 3, 4];
        var e = Assert.ThrowsAny<ArgumentException>(() => { ArrayCases.ScaleArrayInPlaceTangent(a, new double[3], 2, 1); });
        Assert.Equal("aDot", e.ParamName);
        double kBar = 0;
        e = Assert.ThrowsAny<ArgumentException>(() => ArrayCases.ScaleArrayInPlaceAdjoint(a, new double[5], 2, ref kBar, 1));
        Assert.Equal("aBar", e.ParamName);
    }

    [Fact]
    public void MatchingLengthsAreAccepted()
    {
        double[] x = [1, 2, 3, 4], y = [0.5, -1, 2, 1], xBar = new double[4], yBar = new double[4];
        (double value, double tangent) = SpanCases.DotTangent(x, [1, 0, 0, 0], y, [0, 0, 0, 0]);
        SpanCases.DotAdjoint(x, xBar, y, yBar, 1);
        Assert.Equal(8.5, value);
        Assert.Equal(0.5, tangent);
        Assert.Equal(y, xBar);
        Assert.Equal(x, yBar);
    }
}
