using System;
using System.Collections.Generic;
using System.Numerics;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// OpenBLAS through the provider interface, against the same reference and bound as the managed code (so the two
/// agree within twice the bound), and the provider's selection.
/// </summary>
/// <remarks>
/// These tests call OpenBLAS directly (<c>Blas.Gemm(BlasProvider.OpenBlas, …)</c>), whatever <see cref="Blas.Provider"/>
/// is. Where OpenBLAS does not load they are skipped with a reason that says how to install it
/// (<see cref="OpenBlasFactAttribute"/>), never passed without testing anything or by comparing the managed code with
/// itself. With AUTOHYPERGRAD_REQUIRE_OPENBLAS=1 (set by .ci/run, which installs OpenBLAS) they run and fail where it
/// does not load, so a binding that silently stopped loading is caught.
/// </remarks>
public class OpenBlasTests
{
    public static IEnumerable<object[]> Transposes() => GemmTests.Transposes();

    internal static void RequireOpenBlas()
    {
        if (OpenBlasLibrary.Instance is null)
        {
            Assert.Fail(
                $"OpenBLAS did not load ({OpenBlasLibrary.LoadReport}), so its binding cannot be tested. Install Debian's " +
                "libopenblas0 (apt-get install libopenblas0; .ci/run does this when it runs as root).");
        }
    }

    private static void OpenBlasGemm<T>(bool ta, bool tb, int m, int n, int k, T alpha, T[] a, int lda, T[] b, int ldb, T beta, T[] c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Gemm(BlasProvider.OpenBlas, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static void OpenBlasGemv<T>(bool ta, int m, int n, T alpha, T[] a, int lda, T[] x, T beta, T[] y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Gemv(BlasProvider.OpenBlas, ta, m, n, alpha, a, lda, x, beta, y);

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(256)]
    public void SkinnyProductsTakeTheManagedKernelAndTheRestTheProvider(int columns)
        => Assert.Equal(columns <= Blas.SkinnyColumns ? BlasProvider.Managed : Blas.Provider, Blas.ProviderForGemm(columns));

    [Fact]
    public void ProviderIsOpenBlasWhenRequired()
    {
        if (Environment.GetEnvironmentVariable("AUTOHYPERGRAD_REQUIRE_OPENBLAS") == "1")
        {
            RequireOpenBlas();
            Assert.True(
                Blas.Provider == BlasProvider.OpenBlas,
                $"AUTOHYPERGRAD_REQUIRE_OPENBLAS=1 but Blas.Provider is {Blas.Provider} ({Blas.ProviderVariable}=" +
                $"'{Environment.GetEnvironmentVariable(Blas.ProviderVariable)}').");
            Assert.StartsWith("OpenBLAS ", Blas.Describe());
        }
        else
        {
            // Without the requirement: the automatic choice follows what loads, unless the variable forces it.
            string? forced = Environment.GetEnvironmentVariable(Blas.ProviderVariable);
            if (string.IsNullOrWhiteSpace(forced))
            {
                BlasProvider expected = OpenBlasLibrary.Instance is null ? BlasProvider.Managed : BlasProvider.OpenBlas;
                Assert.Equal(expected, Blas.Choose(forced, () => OpenBlasLibrary.Instance is not null));
            }

            Assert.False(string.IsNullOrWhiteSpace(Blas.Describe()));
        }
    }

    [OpenBlasFact]
    public void DescribesTheLibrary()
    {
        string description = OpenBlasLibrary.Instance!.Describe();

        // "OpenBLAS 0.3.21 (libopenblas.so.0, Haswell kernel, 2 threads)"
        Assert.Matches(@"^OpenBLAS \S+ \(\S+(, \S+ kernel)?(, \d+ threads?)?\)$", description);
        Assert.Contains(OpenBlasLibrary.Instance.LibraryName, description);
    }

    [OpenBlasTheory]
    [MemberData(nameof(Transposes))]
    public void GemmWithinBound(bool ta, bool tb)
    {
        int[] sizes = [0, 1, 2, 3, 7, 17, 33, 65, 129];
        int seed = 0;
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                foreach (int k in new[] { 0, 1, 7, 31, 100 })
                {
                    double alpha = GemmTests.Scalars[seed % 4], beta = GemmTests.Scalars[(seed / 4) % 4];
                    GemmTests.Check<double>(ta, tb, m, n, k, alpha, beta, pad: seed % 3, seed, OpenBlasGemm);
                    GemmTests.Check<float>(ta, tb, m, n, k, alpha, beta, pad: (seed + 1) % 3, seed, OpenBlasGemm);
                    seed++;
                }
            }
        }
    }

    [OpenBlasTheory]
    [MemberData(nameof(Transposes))]
    public void GemmMnistShapeAndNaN(bool ta, bool tb)
    {
        foreach (double alpha in GemmTests.Scalars)
        {
            foreach (double beta in GemmTests.Scalars)
            {
                GemmTests.Check<double>(ta, tb, 257, 10, 784, alpha, beta, pad: 1, seed: 7, OpenBlasGemm);
                GemmTests.Check<float>(ta, tb, 257, 10, 784, alpha, beta, pad: 0, seed: 8, OpenBlasGemm);
            }
        }

        GemmTests.Check<double>(ta, tb, 33, 65, 17, 1, 0, pad: 1, seed: 9, OpenBlasGemm, nanInC: true);
        GemmTests.Check<float>(ta, tb, 33, 65, 17, 2, 0, pad: 0, seed: 9, OpenBlasGemm, nanInC: true);
        GemmTests.Check<double>(ta, tb, 33, 65, 17, 0, 0.5, pad: 1, seed: 9, OpenBlasGemm, nanInAB: true);
        GemmTests.Check<double>(ta, tb, 33, 65, 0, 1, 0, pad: 1, seed: 9, OpenBlasGemm, nanInC: true);
    }

    /// <summary>OpenBLAS and the managed code on the same operands: within twice the bound of each other.</summary>
    [OpenBlasTheory]
    [MemberData(nameof(Transposes))]
    public void GemmAgreesWithManaged(bool ta, bool tb)
    {
        foreach ((int m, int n, int k) in new[] { (257, 10, 784), (784, 10, 257), (200, 300, 150), (65, 129, 33) })
        {
            var random = new Random(m + n + k);
            int lda = ta ? m : k, ldb = tb ? k : n;
            float[] a = MatrixData.Matrix<float>(random, ta ? k : m, ta ? m : k, lda, 0);
            float[] b = MatrixData.Matrix<float>(random, tb ? n : k, tb ? k : n, ldb, 0);
            float[] c0 = MatrixData.Matrix<float>(random, m, n, n, 0);
            float[] open = (float[])c0.Clone(), managed = (float[])c0.Clone();
            Blas.Gemm(BlasProvider.OpenBlas, ta, tb, m, n, k, 1.5f, a, lda, b, ldb, -0.5f, open, n);
            ManagedBlas.Gemm(ta, tb, m, n, k, 1.5f, a, lda, b, ldb, -0.5f, managed, n);
            var (_, magnitude) = Reference.Gemm(ta, tb, m, n, k, 1.5, a, lda, b, ldb, -0.5, c0, n);
            for (int i = 0; i < open.Length; i++)
            {
                double tolerance = 2 * Reference.Tolerance<float>(k, magnitude[i]);
                Assert.True(
                    Math.Abs(open[i] - (double)managed[i]) <= tolerance,
                    $"m={m} n={n} k={k} ta={ta} tb={tb}: element {i}: OpenBLAS {open[i]:R}, managed {managed[i]:R}, tolerance {tolerance:G3}");
            }
        }
    }

    [OpenBlasTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void GemvWithinBound(bool ta)
    {
        int seed = 0;
        foreach (int m in GemvTests.Sizes)
        {
            foreach (int n in GemvTests.Sizes)
            {
                double alpha = GemmTests.Scalars[seed % 4], beta = GemmTests.Scalars[(seed / 4) % 4];
                GemvTests.Check<double>(ta, m, n, alpha, beta, pad: seed % 3, seed, OpenBlasGemv);
                GemvTests.Check<float>(ta, m, n, alpha, beta, pad: (seed + 1) % 3, seed, OpenBlasGemv);
                seed++;
            }
        }

        GemvTests.Check<double>(ta, 17, 784, 1, 0, pad: 1, seed: 1, OpenBlasGemv, nanInY: true);
        GemvTests.Check<float>(ta, 784, 17, 2, 0, pad: 0, seed: 2, OpenBlasGemv, nanInY: true);
        GemvTests.Check<double>(ta, 17, 33, 0, -0.5, pad: 1, seed: 5, OpenBlasGemv, nanInAX: true);
        GemvTests.Check<double>(ta, 17, 0, 1, 2, pad: 0, seed: 6, OpenBlasGemv);
        GemvTests.Check<double>(ta, 0, 17, 1, 2, pad: 0, seed: 6, OpenBlasGemv);
    }
}

/// <summary>The provider switch and its environment variable. Not run in parallel with anything: it changes <see cref="Blas.Provider"/>.</summary>
[Collection(ProviderSwitchCollection.Name)]
public class ProviderTests
{
    [Fact]
    public void ChoiceFollowsTheEnvironmentVariable()
    {
        Assert.Equal(BlasProvider.OpenBlas, Blas.Choose(null, () => true));
        Assert.Equal(BlasProvider.Managed, Blas.Choose(null, () => false));
        Assert.Equal(BlasProvider.Managed, Blas.Choose("  ", () => false));
        Assert.Equal(BlasProvider.Managed, Blas.Choose("managed", () => true));
        Assert.Equal(BlasProvider.Managed, Blas.Choose("Managed", () => false));
        Assert.Equal(BlasProvider.OpenBlas, Blas.Choose("OpenBLAS", () => true));
        Assert.Equal(BlasProvider.OpenBlas, Blas.Choose("openblas", () => true));
    }

    [Fact]
    public void ForcedOpenBlasThatDoesNotLoadIsAnError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Blas.Choose("openblas", () => false));
        Assert.Contains("AUTOHYPERGRAD_BLAS=openblas", e.Message);
        Assert.Contains("libopenblas.so.0, libopenblas.so, openblas", e.Message);
        Assert.Contains("apt-get install libopenblas0", e.Message);

        var unknown = Assert.Throws<InvalidOperationException>(() => Blas.Choose("mkl", () => true));
        Assert.Contains("AUTOHYPERGRAD_BLAS=mkl", unknown.Message);
        Assert.Contains("'managed' or 'openblas'", unknown.Message);
    }

    [Fact]
    public void UseSwitchesTheProvider()
    {
        BlasProvider original = Blas.Provider;
        try
        {
            Blas.Use(BlasProvider.Managed);
            Assert.Equal(BlasProvider.Managed, Blas.Provider);
            Assert.StartsWith("managed (", Blas.Describe());

            // Blas now runs the managed code: identical results, bit for bit.
            var random = new Random(3);
            double[] a = MatrixData.Matrix<double>(random, 70, 40, 40, 0), b = MatrixData.Matrix<double>(random, 40, 30, 30, 0);
            double[] viaBlas = new double[70 * 30], viaManaged = new double[70 * 30];
            Blas.Gemm(false, false, 70, 30, 40, 1.0, a, 40, b, 30, 0.0, viaBlas, 30);
            ManagedBlas.Gemm(false, false, 70, 30, 40, 1.0, a, 40, b, 30, 0.0, viaManaged, 30);
            Assert.Equal(viaManaged, viaBlas);

            if (OpenBlasLibrary.Instance is null)
            {
                var e = Assert.Throws<InvalidOperationException>(() => Blas.Use(BlasProvider.OpenBlas));
                Assert.Contains("apt-get install libopenblas0", e.Message);
                Assert.Equal(BlasProvider.Managed, Blas.Provider);
            }
            else
            {
                Blas.Use(BlasProvider.OpenBlas);
                Assert.Equal(BlasProvider.OpenBlas, Blas.Provider);
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => Blas.Use((BlasProvider)7));
        }
        finally
        {
            Blas.Use(original);
        }
    }

    [Fact]
    public void MaxDegreeOfParallelismIsAtLeastOne()
    {
        Assert.True(ManagedBlas.MaxDegreeOfParallelism >= 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ManagedBlas.MaxDegreeOfParallelism = 0);
    }
}

/// <summary>Tests that change process-wide BLAS settings run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProviderSwitchCollection
{
    public const string Name = "Blas provider switch";
}
