using System;
using System.Numerics;
using System.Threading;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// Dense matrix products on row-major spans, as CBLAS's <c>cblas_?gemm</c> and <c>cblas_?gemv</c> with
/// <c>CblasRowMajor</c>, for float and double: OpenBLAS where it loads, else the managed implementation
/// (<see cref="ManagedBlas"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Provider.</b> On first use, OpenBLAS is loaded if one of <c>libopenblas.so.0</c>, <c>libopenblas.so</c>,
/// <c>openblas</c> loads and exports <c>cblas_sgemm</c>, <c>cblas_dgemm</c>, <c>cblas_sgemv</c> and
/// <c>cblas_dgemv</c>; otherwise the managed implementation is used. The environment variable
/// <c>AUTOHYPERGRAD_BLAS</c> forces the choice: <c>managed</c>, or <c>openblas</c> (then a missing library is an
/// <see cref="InvalidOperationException"/>, not a silent fallback). <see cref="Use"/> changes it at run time.
/// </para>
/// <para>
/// <b>Semantics.</b> As in BLAS: beta = 0 overwrites the output without reading it (NaN or infinity there does not
/// propagate); alpha = 0 or an empty inner dimension (k = 0; n = 0 for GEMV, m = 0 transposed) leaves A and B
/// unread and scales the output by beta — for GEMV too, where reference BLAS would leave y unscaled when A is
/// empty. Outputs may not overlap inputs. Results of the two providers agree within rounding: every element is
/// within γ_(k+2)·(|α|·(|A|·|B|) + |β|·|C|) of the exact value, with γ_j = j·u/(1 − j·u) and u the unit roundoff of T.
/// </para>
/// </remarks>
public static class Blas
{
    /// <summary>The environment variable that forces the provider: <c>managed</c> or <c>openblas</c>.</summary>
    internal const string ProviderVariable = "AUTOHYPERGRAD_BLAS";

    private const int Undecided = -1;

    private static int provider = Undecided;

    /// <summary>The implementation the next call will use.</summary>
    /// <exception cref="InvalidOperationException"><c>AUTOHYPERGRAD_BLAS</c> is <c>openblas</c> and OpenBLAS does not
    /// load, or it has a value other than <c>managed</c> or <c>openblas</c>.</exception>
    public static BlasProvider Provider
    {
        get
        {
            int current = Volatile.Read(ref provider);
            if (current != Undecided)
            {
                return (BlasProvider)current;
            }

            BlasProvider chosen = Choose(Environment.GetEnvironmentVariable(ProviderVariable), () => OpenBlasLibrary.Instance is not null);
            Interlocked.CompareExchange(ref provider, (int)chosen, Undecided);
            return (BlasProvider)Volatile.Read(ref provider);
        }
    }

    /// <summary>Makes every later call use <paramref name="provider"/> (for tests and benchmarks).</summary>
    /// <exception cref="InvalidOperationException"><see cref="BlasProvider.OpenBlas"/> and OpenBLAS does not load.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Not a member of <see cref="BlasProvider"/>.</exception>
    public static void Use(BlasProvider provider)
    {
        switch (provider)
        {
            case BlasProvider.Managed:
                break;
            case BlasProvider.OpenBlas:
                if (OpenBlasLibrary.Instance is null)
                {
                    throw new InvalidOperationException(OpenBlasLibrary.NotLoadedMessage("Blas.Use(BlasProvider.OpenBlas)"));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, $"provider: not a BlasProvider, is {(int)provider}");
        }

        Volatile.Write(ref Blas.provider, (int)provider);
    }

    /// <summary>
    /// The provider in one line, e.g. "OpenBLAS 0.3.21 (libopenblas.so.0, Haswell kernel, 2 threads)" or
    /// "managed (Vector512, 12×16 (double) / 12×32 (float) tiles, up to 2 threads)".
    /// </summary>
    public static string Describe() => Provider == BlasProvider.OpenBlas ? OpenBlasLibrary.Instance!.Describe() : ManagedBlas.Describe();

    /// <summary>
    /// General matrix product, row-major: C ← α·op(A)·op(B) + β·C with op(A) m × k, op(B) k × n and C m × n
    /// (cblas_?gemm with CblasRowMajor).
    /// </summary>
    /// <param name="transposeA">op(A) = Aᵀ: A is stored k × m.</param>
    /// <param name="transposeB">op(B) = Bᵀ: B is stored n × k.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scales the product.</param>
    /// <param name="a">A, row-major: row i starts at i·lda.</param>
    /// <param name="lda">Leading dimension of A: at least max(1, k), or max(1, m) transposed.</param>
    /// <param name="b">B, row-major: row p starts at p·ldb.</param>
    /// <param name="ldb">Leading dimension of B: at least max(1, n), or max(1, k) transposed.</param>
    /// <param name="beta">Scales C; 0 overwrites it without reading it.</param>
    /// <param name="c">C, row-major: row i starts at i·ldc. Must not overlap A or B.</param>
    /// <param name="ldc">Leading dimension of C: at least max(1, n).</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension, or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span shorter than the matrix it holds.</exception>
    public static void Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Gemm(ProviderForGemm(n), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>The most columns of C for which the managed kernel computes every product, whatever the provider.</summary>
    internal const int SkinnyColumns = 16;

    /// <summary>
    /// The provider of a product with <paramref name="n"/> columns: <see cref="Provider"/>, except that products
    /// with at most <see cref="SkinnyColumns"/> columns (a linear model's x·W and xᵀ·δ with one column per class)
    /// take the managed kernel. In a training loop (`bench engines`, docs/benchmarks.md) softmax regression over 5000
    /// MNIST images then trains 1.66× faster (3.3 ms a step against 5.5 ms in float), although `bench gemm`, which
    /// repeats one product in a tight loop, finds the two within 20% on these shapes: the difference shows between
    /// calls, where the products alternate with other work. The choice depends on the shape alone, so a product rounds
    /// the same every time.
    /// </summary>
    internal static BlasProvider ProviderForGemm(int n) => n <= SkinnyColumns ? BlasProvider.Managed : Provider;

    /// <summary>
    /// <see cref="Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>
    /// with the given provider (tests; <see cref="BlasProvider.OpenBlas"/> requires OpenBLAS loaded).
    /// </summary>
    internal static unsafe void Gemm<T>(
        BlasProvider provider, bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        BlasArguments.CheckType<T>("Blas.Gemm");
        BlasArguments.Gemm(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        OpenBlasLibrary? openBlas = provider == BlasProvider.OpenBlas ? RequireOpenBlas() : null;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if (openBlas is null)
            {
                ManagedGemm.Gemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ManagedBlas.MaxDegreeOfParallelism);
            }
            else if (m > 0 && n > 0)
            {
                if (alpha == T.Zero || k == 0)
                {
                    TileWriter.Scale(m, n, beta, pc, ldc, 1);
                }
                else
                {
                    openBlas.Gemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                }
            }
        }
    }

    /// <summary>
    /// Matrix-vector product, row-major: y ← α·op(A)·x + β·y with A m × n (cblas_?gemv with CblasRowMajor and unit
    /// increments).
    /// </summary>
    /// <param name="transposeA">op(A) = Aᵀ: x has m elements and y n; otherwise x has n and y m.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="alpha">Scales the product.</param>
    /// <param name="a">A, row-major: row i starts at i·lda.</param>
    /// <param name="lda">Leading dimension of A: at least max(1, n).</param>
    /// <param name="x">The vector multiplied (at least n elements, m transposed; the rest are ignored).</param>
    /// <param name="beta">Scales y; 0 overwrites it without reading it.</param>
    /// <param name="y">The result (at least m elements, n transposed; the rest are left alone). Must not overlap A or x.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension, or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span shorter than the matrix or vector it holds.</exception>
    public static void Gemv<T>(
        bool transposeA, int m, int n, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Gemv(Provider, transposeA, m, n, alpha, a, lda, x, beta, y);

    /// <summary>
    /// <see cref="Gemv{T}(bool, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, T, Span{T})"/> with the given
    /// provider (tests; <see cref="BlasProvider.OpenBlas"/> requires OpenBLAS loaded).
    /// </summary>
    internal static unsafe void Gemv<T>(
        BlasProvider provider, bool transposeA, int m, int n, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        BlasArguments.CheckType<T>("Blas.Gemv");
        BlasArguments.Gemv(transposeA, m, n, a.Length, lda, x.Length, y.Length);
        OpenBlasLibrary? openBlas = provider == BlasProvider.OpenBlas ? RequireOpenBlas() : null;
        fixed (T* pa = a, px = x, py = y)
        {
            if (openBlas is null)
            {
                ManagedGemv.Gemv(transposeA, m, n, alpha, pa, lda, px, beta, py, ManagedBlas.MaxDegreeOfParallelism);
                return;
            }

            int lengthY = transposeA ? n : m;
            int inner = transposeA ? m : n;
            if (lengthY == 0)
            {
                return;
            }

            if (alpha == T.Zero || inner == 0 || beta == T.Zero)
            {
                // The first two: OpenBLAS is not called (A and x unread, y scaled even when A is empty). beta = 0:
                // y is cleared here, so that NaN there cannot survive whatever OpenBLAS's scal does with 0.
                TileWriter.Scale(1, lengthY, beta, py, 0, 1);
                if (alpha == T.Zero || inner == 0)
                {
                    return;
                }
            }

            openBlas.Gemv(transposeA, m, n, alpha, pa, lda, px, beta, py);
        }
    }

    private static OpenBlasLibrary RequireOpenBlas() =>
        OpenBlasLibrary.Instance ?? throw new InvalidOperationException(OpenBlasLibrary.NotLoadedMessage("BlasProvider.OpenBlas was chosen"));

    /// <summary>The provider for a value of <c>AUTOHYPERGRAD_BLAS</c> (null or empty: automatic).</summary>
    internal static BlasProvider Choose(string? setting, Func<bool> openBlasLoads)
    {
        string value = setting?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return openBlasLoads() ? BlasProvider.OpenBlas : BlasProvider.Managed;
        }

        if (value.Equals("managed", StringComparison.OrdinalIgnoreCase))
        {
            return BlasProvider.Managed;
        }

        if (value.Equals("openblas", StringComparison.OrdinalIgnoreCase))
        {
            return openBlasLoads()
                ? BlasProvider.OpenBlas
                : throw new InvalidOperationException(OpenBlasLibrary.NotLoadedMessage($"{ProviderVariable}={setting}"));
        }

        throw new InvalidOperationException($"{ProviderVariable}={setting}: expected 'managed' or 'openblas' (or unset for automatic).");
    }
}
