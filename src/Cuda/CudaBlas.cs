using System;
using AutoHypergrad.Cuda.Native;

namespace AutoHypergrad.Cuda;

/// <summary>
/// Dense products on the GPU through cuBLAS, when it is installed: C = α·op(A)·op(B) + β·C on device buffers, in
/// row-major storage like the rest of AutoHypergrad (cuBLAS is column-major: a row-major product is the column-major
/// product of the transposes, so the operands are passed swapped). <see cref="Open"/> throws
/// <see cref="CudaUnavailableException"/> without libcublas. The engines do not call it yet: their objectives run on
/// the host (docs/cuda.md).
/// </summary>
public sealed unsafe class CudaBlas : IDisposable
{
    private readonly Cublas _cublas;
    private IntPtr _handle;

    private CudaBlas(Cublas cublas)
    {
        _cublas = cublas;
        IntPtr handle;
        Cublas.Check(cublas.Create(&handle), "cublasCreate");
        _handle = handle;
    }

    /// <summary>A cuBLAS handle on the current context (open a <see cref="CudaDevice"/> first).</summary>
    public static CudaBlas Open() => new(Cublas.Instance);

    /// <summary>C (m×n) = α·op(A)·op(B) + β·C, row-major; op(A) is m×k, op(B) k×n.</summary>
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k, double alpha, DeviceBuffer<double> a, DeviceBuffer<double> b, double beta, DeviceBuffer<double> c)
    {
        Check(m, n, k, transposeA, transposeB, a.Length, b.Length, c.Length);
        Cublas.Check(
            _cublas.Dgemm(Handle, Op(transposeB), Op(transposeA), n, m, k, &alpha, b.Pointer, transposeB ? k : n, a.Pointer, transposeA ? m : k, &beta, c.Pointer, n),
            "cublasDgemm");
    }

    /// <summary>C (m×n) = α·op(A)·op(B) + β·C, row-major, in float.</summary>
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer<float> a, DeviceBuffer<float> b, float beta, DeviceBuffer<float> c)
    {
        Check(m, n, k, transposeA, transposeB, a.Length, b.Length, c.Length);
        Cublas.Check(
            _cublas.Sgemm(Handle, Op(transposeB), Op(transposeA), n, m, k, &alpha, b.Pointer, transposeB ? k : n, a.Pointer, transposeA ? m : k, &beta, c.Pointer, n),
            "cublasSgemm");
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            _cublas.Destroy(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(CudaBlas));

    /// <summary>CUBLAS_OP_N = 0, CUBLAS_OP_T = 1.</summary>
    private static int Op(bool transpose) => transpose ? 1 : 0;

    private static void Check(int m, int n, int k, bool transposeA, bool transposeB, long a, long b, long c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a < (long)m * k || b < (long)k * n || c < (long)m * n)
        {
            throw new ArgumentException($"Buffers of {a}, {b} and {c} elements are too small for A {(transposeA ? $"{k}×{m}" : $"{m}×{k}")}, B {(transposeB ? $"{n}×{k}" : $"{k}×{n}")} and C {m}×{n}.");
        }
    }
}
