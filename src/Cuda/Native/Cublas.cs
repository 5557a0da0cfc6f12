using System;

namespace AutoHypergrad.Cuda.Native;

/// <summary>
/// cuBLAS (libcublas, from the CUDA toolkit), by function pointers: a handle, and the column-major GEMMs that
/// <see cref="CudaDevice.Gemm{T}"/> calls; loaded on the first GEMM. Every cublasStatus_t is checked: a failure throws <see cref="CudaException"/> naming the call and the status.
/// </summary>
internal sealed unsafe class Cublas
{
    private static readonly string[] Candidates = ["libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "cublas64_12.dll", "cublas64_11.dll"];
    private static readonly Lazy<Cublas> Shared = new(() => new Cublas());

    private Cublas()
    {
        var library = NativeLoader.TryLoad(Candidates, out var reasons)
            ?? throw new CudaUnavailableException($"cuBLAS (libcublas.so) not found: {reasons}. It comes with the CUDA toolkit.");
        IntPtr Export(string name) => NativeLoader.Export(library, "libcublas", name);
        Create = (delegate* unmanaged<IntPtr*, int>)Export("cublasCreate_v2");
        Destroy = (delegate* unmanaged<IntPtr, int>)Export("cublasDestroy_v2");
        Dgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int>)Export("cublasDgemm_v2");
        Sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)Export("cublasSgemm_v2");
    }

    public static Cublas Instance => Shared.Value;

    public delegate* unmanaged<IntPtr*, int> Create { get; }
    public delegate* unmanaged<IntPtr, int> Destroy { get; }
    public delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int> Dgemm { get; }
    public delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> Sgemm { get; }

    /// <summary>Throws unless <paramref name="status"/> is CUBLAS_STATUS_SUCCESS.</summary>
    public static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new CudaException(call, status, Name(status));
        }
    }

    /// <summary>cublasStatus_t's name (cublasGetStatusString exists only from cuBLAS 11.4).</summary>
    private static string Name(int status) => status switch
    {
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => "unknown cublasStatus_t",
    };
}
