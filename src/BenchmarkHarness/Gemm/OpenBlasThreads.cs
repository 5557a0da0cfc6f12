using System.Runtime.InteropServices;

namespace AutoHypergrad.BenchmarkHarness.Gemm;

/// <summary>
/// openblas_set_num_threads, for <c>bench gemm --threads</c>: the library is opened by the same names as
/// AutoHypergrad.LinearAlgebra.Blas tries, which yields the instance already loaded in this process.
/// </summary>
public static class OpenBlasThreads
{
    private static readonly string[] Names = ["libopenblas.so.0", "libopenblas.so", "openblas"];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetNumThreads(int threads);

    /// <summary>Sets OpenBLAS's thread count; false when the library or the export is missing.</summary>
    public static bool TrySet(int threads)
    {
        foreach (string name in Names)
        {
            if (NativeLibrary.TryLoad(name, typeof(OpenBlasThreads).Assembly, null, out nint handle)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint export))
            {
                Marshal.GetDelegateForFunctionPointer<SetNumThreads>(export)(threads);
                return true;
            }
        }

        return false;
    }
}
