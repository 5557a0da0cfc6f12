using System;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// Argument checks: each names the parameter and the values involved. Blas and ManagedBlas check the same way, and
/// before choosing a provider's code, so these hold for OpenBLAS too.
/// </summary>
public class ValidationTests
{
    private delegate void GemmCall(bool ta, bool tb, int m, int n, int k, double[] a, int lda, double[] b, int ldb, double[] c, int ldc);

    public static TheoryData<string> Implementations => new() { "Blas", "ManagedBlas" };

    private static GemmCall Gemm(string implementation) => implementation == "Blas"
        ? (ta, tb, m, n, k, a, lda, b, ldb, c, ldc) => Blas.Gemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc)
        : (ta, tb, m, n, k, a, lda, b, ldb, c, ldc) => ManagedBlas.Gemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);

    private static Action<bool, int, int, double[], int, double[], double[]> Gemv(string implementation) => implementation == "Blas"
        ? (ta, m, n, a, lda, x, y) => Blas.Gemv(ta, m, n, 1.0, a, lda, x, 0.0, y)
        : (ta, m, n, a, lda, x, y) => ManagedBlas.Gemv(ta, m, n, 1.0, a, lda, x, 0.0, y);

    [Theory]
    [MemberData(nameof(Implementations))]
    public void ShortAIsNamedWithItsShape(string implementation)
    {
        var e = Assert.Throws<ArgumentException>(
            () => Gemm(implementation)(false, false, 10, 10, 784, new double[7000], 784, new double[7840], 10, new double[100], 10));
        Assert.Equal("a", e.ParamName);
        Assert.StartsWith("a: needs at least 7840 elements for m=10, k=784, lda=784 (not transposed), has 7000", e.Message);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void ShortTransposedAAndBAndC(string implementation)
    {
        GemmCall gemm = Gemm(implementation);

        // A transposed is stored k × m = 784 × 10: (784 − 1)·12 + 10 elements.
        var a = Assert.Throws<ArgumentException>(() => gemm(true, false, 10, 5, 784, new double[9405], 12, new double[3920], 5, new double[50], 5));
        Assert.Equal("a", a.ParamName);
        Assert.StartsWith("a: needs at least 9406 elements for m=10, k=784, lda=12 (transposed), has 9405", a.Message);

        // B transposed is stored n × k = 5 × 784.
        var b = Assert.Throws<ArgumentException>(() => gemm(false, true, 10, 5, 784, new double[7840], 784, new double[100], 784, new double[50], 5));
        Assert.Equal("b", b.ParamName);
        Assert.StartsWith("b: needs at least 3920 elements for k=784, n=5, ldb=784 (transposed), has 100", b.Message);

        var c = Assert.Throws<ArgumentException>(() => gemm(false, false, 10, 5, 784, new double[7840], 784, new double[3920], 5, new double[49], 6));
        Assert.Equal("c", c.ParamName);
        Assert.StartsWith("c: needs at least 59 elements for m=10, n=5, ldc=6 (not transposed), has 49", c.Message);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void LeadingDimensionsTooSmall(string implementation)
    {
        GemmCall gemm = Gemm(implementation);
        var lda = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(false, false, 4, 3, 5, new double[20], 4, new double[15], 3, new double[12], 3));
        Assert.Equal("lda", lda.ParamName);
        Assert.StartsWith("lda: must be at least max(1, k) = 5 (a not transposed, m=4, k=5), is 4", lda.Message);

        var ldaT = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(true, false, 4, 3, 5, new double[20], 3, new double[15], 3, new double[12], 3));
        Assert.StartsWith("lda: must be at least max(1, m) = 4 (a transposed, m=4, k=5), is 3", ldaT.Message);

        var ldb = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(false, true, 4, 3, 5, new double[20], 5, new double[15], 4, new double[12], 3));
        Assert.Equal("ldb", ldb.ParamName);
        Assert.StartsWith("ldb: must be at least max(1, k) = 5 (b transposed, k=5, n=3), is 4", ldb.Message);

        var ldc = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(false, false, 4, 3, 5, new double[20], 5, new double[15], 3, new double[12], 2));
        Assert.Equal("ldc", ldc.ParamName);
        Assert.StartsWith("ldc: must be at least max(1, n) = 3 (c not transposed, m=4, n=3), is 2", ldc.Message);

        // Even an empty matrix needs a leading dimension of at least 1, as in BLAS.
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(false, false, 0, 3, 0, [], 0, [], 3, [], 3));
        Assert.Equal("lda", zero.ParamName);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void NegativeDimensions(string implementation)
    {
        GemmCall gemm = Gemm(implementation);
        foreach ((string name, int m, int n, int k) in new[] { ("m", -1, 2, 2), ("n", 2, -3, 2), ("k", 2, 2, -7) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => gemm(false, false, m, n, k, new double[4], 2, new double[4], 2, new double[4], 2));
            Assert.Equal(name, e.ParamName);
            Assert.StartsWith($"{name}: must not be negative, is {Math.Min(m, Math.Min(n, k))}", e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void EmptyProductsNeedNoData(string implementation)
    {
        GemmCall gemm = Gemm(implementation);
        gemm(false, false, 0, 3, 5, [], 5, new double[15], 3, [], 3);
        gemm(false, false, 4, 0, 5, new double[20], 5, [], 1, [], 1);

        // k = 0: C ← β·C (β = 0 here), A and B are empty.
        double[] c = [1, 2, 3, double.NaN];
        gemm(false, false, 2, 2, 0, [], 1, [], 2, c, 2);
        Assert.Equal(new double[4], c);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void GemvChecks(string implementation)
    {
        var gemv = Gemv(implementation);
        var a = Assert.Throws<ArgumentException>(() => gemv(false, 10, 784, new double[7000], 784, new double[784], new double[10]));
        Assert.Equal("a", a.ParamName);
        Assert.StartsWith("a: needs at least 7840 elements for m=10, n=784, lda=784 (not transposed), has 7000", a.Message);

        var x = Assert.Throws<ArgumentException>(() => gemv(false, 10, 784, new double[7840], 784, new double[783], new double[10]));
        Assert.Equal("x", x.ParamName);
        Assert.StartsWith("x: needs at least 784 elements for n=784 (a not transposed), has 783", x.Message);

        var y = Assert.Throws<ArgumentException>(() => gemv(true, 10, 784, new double[7840], 784, new double[10], new double[10]));
        Assert.Equal("y", y.ParamName);
        Assert.StartsWith("y: needs at least 784 elements for n=784 (a transposed), has 10", y.Message);

        var lda = Assert.Throws<ArgumentOutOfRangeException>(() => gemv(false, 10, 784, new double[7840], 700, new double[784], new double[10]));
        Assert.Equal("lda", lda.ParamName);
        Assert.StartsWith("lda: must be at least max(1, n) = 784 (a not transposed, m=10, n=784), is 700", lda.Message);

        var m = Assert.Throws<ArgumentOutOfRangeException>(() => gemv(false, -2, 3, new double[3], 3, new double[3], new double[3]));
        Assert.Equal("m", m.ParamName);
    }

    [Fact]
    public void OtherElementTypesAreNotSupported()
    {
        Half[] h = new Half[4];
        var gemm = Assert.Throws<NotSupportedException>(() => Blas.Gemm(false, false, 2, 2, 2, Half.One, h, 2, h, 2, Half.Zero, h, 2));
        Assert.Contains("System.Half", gemm.Message);
        Assert.Contains("float and double", gemm.Message);
        var managed = Assert.Throws<NotSupportedException>(() => ManagedBlas.Gemm(false, false, 2, 2, 2, Half.One, h, 2, h, 2, Half.Zero, h, 2));
        Assert.Contains("System.Half", managed.Message);
        var gemv = Assert.Throws<NotSupportedException>(() => Blas.Gemv(false, 2, 2, Half.One, h, 2, h, Half.Zero, h));
        Assert.Contains("System.Half", gemv.Message);
        Assert.Throws<NotSupportedException>(() => ManagedBlas.Gemv(false, 2, 2, Half.One, h, 2, h, Half.Zero, h));
    }
}
