using System;
using System.Numerics;

namespace AutoHypergrad.Cuda;

/// <summary>
/// Dense products in AutoHypergrad's row-major storage over a device's column-major GEMM
/// (<see cref="IKernelDevice.Gemm{T}"/>, cuBLAS's convention), and the shape checks both conventions share.
/// A row-major m×n matrix with row stride ld is, read column-major, its n×m transpose with leading dimension ld; so
/// C = op(A)·op(B) row-major is Cᵀ = op(B)ᵀ·op(A)ᵀ column-major: the same call with the operands swapped and m and n
/// exchanged. That swap is made here and nowhere else.
/// </summary>
public static class RowMajorGemm
{
    /// <summary>
    /// C = α·op(A)·op(B) + β·C, row-major: op(A) is m×k, op(B) k×n, C m×n; element (i, j) of a matrix with row
    /// stride ld is at i·ld + j. A is stored m×k (k×m when <paramref name="transposeA"/>) with row stride
    /// <paramref name="lda"/>, B k×n (n×k when <paramref name="transposeB"/>) with <paramref name="ldb"/>, C with
    /// <paramref name="ldc"/>. β = 0 does not read C.
    /// </summary>
    public static void GemmRowMajor<T>(
        this IKernelDevice device, bool transposeA, bool transposeB, int m, int n, int k, T alpha, IntPtr a, int lda, IntPtr b, int ldb, T beta, IntPtr c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(device);
        CheckLeading(lda, transposeA ? m : k, nameof(lda), transposeA ? $"row-major A stored {k}×{m}" : $"row-major A stored {m}×{k}");
        CheckLeading(ldb, transposeB ? k : n, nameof(ldb), transposeB ? $"row-major B stored {n}×{k}" : $"row-major B stored {k}×{n}");
        CheckLeading(ldc, n, nameof(ldc), $"row-major C {m}×{n}");
        device.Gemm(transposeB, transposeA, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
    }

    /// <summary>
    /// Checks a column-major GEMM's shape as cuBLAS does (its CUBLAS_STATUS_INVALID_VALUE cases): m, n, k ≥ 0, each
    /// leading dimension at least the stored matrix's row count (and 1), and a float or double element type.
    /// </summary>
    public static void CheckColumnMajor<T>(bool transposeA, bool transposeB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
        {
            throw new NotSupportedException($"GEMM exists for float and double, not {typeof(T).Name}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLeading(lda, transposeA ? k : m, nameof(lda), transposeA ? $"column-major A stored {k}×{m}" : $"column-major A stored {m}×{k}");
        CheckLeading(ldb, transposeB ? n : k, nameof(ldb), transposeB ? $"column-major B stored {n}×{k}" : $"column-major B stored {k}×{n}");
        CheckLeading(ldc, m, nameof(ldc), $"column-major C {m}×{n}");
    }

    /// <summary>A leading dimension (row stride row-major, column stride column-major) must span the stored matrix's lines: <paramref name="least"/> elements, and at least 1.</summary>
    private static void CheckLeading(int leading, int least, string name, string matrix)
    {
        if (leading < Math.Max(1, least))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} is {leading}; {matrix} needs at least {Math.Max(1, least)}.");
        }
    }
}
