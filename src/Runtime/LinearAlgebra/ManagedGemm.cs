using System.Numerics;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// The managed GEMM after validation: the cases that need no product, and the choice of vector width.
/// </summary>
internal static unsafe class ManagedGemm
{
    public static void Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc,
        int maxThreads, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (alpha == T.Zero || k == 0)
        {
            // As in BLAS, A and B are not read: C ← beta·C.
            TileWriter.Scale(m, n, beta, c, ldc, 1);
            return;
        }

        var operands = new Operands<T>(
            m, n, k, alpha, a, transposeA ? 1 : lda, transposeA ? lda : 1, b, transposeB ? 1 : ldb, transposeB ? ldb : 1, beta, c, ldc, 1);
        switch (width == VectorWidth.Auto ? VectorWidths.Best : width)
        {
            case VectorWidth.Vector512:
                GemmDriver<T, Vector512<T>, Ops512<T>>.Run(operands, maxThreads);
                break;
            case VectorWidth.Vector256:
                GemmDriver<T, Vector256<T>, Ops256<T>>.Run(operands, maxThreads);
                break;
            case VectorWidth.Vector128:
                GemmDriver<T, Vector128<T>, Ops128<T>>.Run(operands, maxThreads);
                break;
            default:
                GemmDriver<T, T, OpsScalar<T>>.Run(operands, maxThreads);
                break;
        }
    }

    /// <summary>"Vector512, 12×16 (double) / 12×32 (float) tiles": what <see cref="Gemm{T}"/> runs on this machine.</summary>
    public static string Describe() => VectorWidths.Best switch
    {
        VectorWidth.Vector512 => Describe<Vector512<double>, Ops512<double>, Vector512<float>, Ops512<float>>(),
        VectorWidth.Vector256 => Describe<Vector256<double>, Ops256<double>, Vector256<float>, Ops256<float>>(),
        VectorWidth.Vector128 => Describe<Vector128<double>, Ops128<double>, Vector128<float>, Ops128<float>>(),
        _ => Describe<double, OpsScalar<double>, float, OpsScalar<float>>(),
    };

    private static string Describe<TVecD, TOpsD, TVecF, TOpsF>()
        where TVecD : struct
        where TOpsD : struct, IVectorOps<double, TVecD, TOpsD>
        where TVecF : struct
        where TOpsF : struct, IVectorOps<float, TVecF, TOpsF>
        => $"{TOpsD.Name}, {GemmDriver<double, TVecD, TOpsD>.MR}×{GemmDriver<double, TVecD, TOpsD>.NR} (double) / " +
           $"{GemmDriver<float, TVecF, TOpsF>.MR}×{GemmDriver<float, TVecF, TOpsF>.NR} (float) tiles";
}

/// <summary>The vector width of the managed kernels: the widest accelerated one, or (tests) a given one.</summary>
internal enum VectorWidth
{
    Auto,
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

internal static class VectorWidths
{
    /// <summary>Vector512 when hardware accelerated, else Vector256, else Vector128, else scalar.</summary>
    public static VectorWidth Best =>
        Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
        : VectorWidth.Scalar;
}
