using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// OpenBLAS's CBLAS entry points, bound at run time with <see cref="NativeLibrary"/> and unmanaged function
/// pointers: nothing fails to load when the library is missing, <see cref="Instance"/> is then null.
/// </summary>
internal sealed unsafe class OpenBlasLibrary
{
    /// <summary>The names tried in order: Debian's libopenblas0 provides the first.</summary>
    public static readonly IReadOnlyList<string> CandidateNames = ["libopenblas.so.0", "libopenblas.so", "openblas"];

    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly Lazy<(OpenBlasLibrary? Library, string Report)> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemm;
    private readonly delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemv;
    private readonly delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemv;
    private readonly delegate* unmanaged<byte*> getConfig;
    private readonly delegate* unmanaged<byte*> getCorename;
    private readonly delegate* unmanaged<int> getNumThreads;

    private OpenBlasLibrary(string name, nint handle)
    {
        LibraryName = name;
        sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemm");
        dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(handle, "cblas_dgemm");
        sgemv = (delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemv");
        dgemv = (delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(handle, "cblas_dgemv");
        getConfig = (delegate* unmanaged<byte*>)Optional(handle, "openblas_get_config");
        getCorename = (delegate* unmanaged<byte*>)Optional(handle, "openblas_get_corename");
        getNumThreads = (delegate* unmanaged<int>)Optional(handle, "openblas_get_num_threads");
    }

    /// <summary>The loaded library, or null when none of <see cref="CandidateNames"/> loads with the four CBLAS exports.</summary>
    public static OpenBlasLibrary? Instance => Loaded.Value.Library;

    /// <summary>What each name gave, e.g. "libopenblas.so.0: not found; libopenblas.so: not found; openblas: not found".</summary>
    public static string LoadReport => Loaded.Value.Report;

    /// <summary>The name that loaded, e.g. "libopenblas.so.0".</summary>
    public string LibraryName { get; }

    /// <summary>The message of the exception thrown where OpenBLAS is required but did not load.</summary>
    public static string NotLoadedMessage(string what) =>
        $"{what}, but OpenBLAS could not be loaded (tried {string.Join(", ", CandidateNames)}: {LoadReport}; the library must " +
        "export cblas_sgemm, cblas_dgemm, cblas_sgemv and cblas_dgemv). Install it (Debian/Ubuntu: apt-get install " +
        "libopenblas0) or use the managed implementation (AUTOHYPERGRAD_BLAS=managed).";

    /// <summary>"OpenBLAS 0.3.21 (libopenblas.so.0, Haswell kernel, 2 threads)", with what the library reports.</summary>
    public string Describe()
    {
        string version = "OpenBLAS";
        if (getConfig != null && Utf8(getConfig()) is { } config)
        {
            // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
            string[] words = config.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            version = words.Length >= 2 ? $"{words[0]} {words[1]}" : config;
        }

        var details = new List<string> { LibraryName };
        if (getCorename != null && Utf8(getCorename()) is { } core)
        {
            details.Add($"{core} kernel");
        }

        if (getNumThreads != null)
        {
            int threads = getNumThreads();
            details.Add(threads == 1 ? "1 thread" : $"{threads} threads");
        }

        return $"{version} ({string.Join(", ", details)})";
    }

    /// <summary>cblas_?gemm, row-major; the arguments have been checked and m, n, k are positive.</summary>
    public void Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int ta = transposeA ? Trans : NoTrans, tb = transposeB ? Trans : NoTrans;
        if (typeof(T) == typeof(double))
        {
            dgemm(RowMajor, ta, tb, m, n, k, Unsafe.BitCast<T, double>(alpha), (double*)a, lda, (double*)b, ldb,
                Unsafe.BitCast<T, double>(beta), (double*)c, ldc);
        }
        else
        {
            sgemm(RowMajor, ta, tb, m, n, k, Unsafe.BitCast<T, float>(alpha), (float*)a, lda, (float*)b, ldb,
                Unsafe.BitCast<T, float>(beta), (float*)c, ldc);
        }
    }

    /// <summary>cblas_?gemv, row-major, unit increments; the arguments have been checked and m, n are positive.</summary>
    public void Gemv<T>(bool transposeA, int m, int n, T alpha, T* a, int lda, T* x, T beta, T* y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int ta = transposeA ? Trans : NoTrans;
        if (typeof(T) == typeof(double))
        {
            dgemv(RowMajor, ta, m, n, Unsafe.BitCast<T, double>(alpha), (double*)a, lda, (double*)x, 1,
                Unsafe.BitCast<T, double>(beta), (double*)y, 1);
        }
        else
        {
            sgemv(RowMajor, ta, m, n, Unsafe.BitCast<T, float>(alpha), (float*)a, lda, (float*)x, 1,
                Unsafe.BitCast<T, float>(beta), (float*)y, 1);
        }
    }

    private static (OpenBlasLibrary? Library, string Report) Load()
    {
        var report = new List<string>();
        foreach (string name in CandidateNames)
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenBlasLibrary).Assembly, null, out nint handle))
            {
                report.Add($"{name}: not found");
                continue;
            }

            var missing = new List<string>();
            foreach (string export in (string[])["cblas_sgemm", "cblas_dgemm", "cblas_sgemv", "cblas_dgemv"])
            {
                if (!NativeLibrary.TryGetExport(handle, export, out _))
                {
                    missing.Add(export);
                }
            }

            if (missing.Count == 0)
            {
                report.Add($"{name}: loaded");
                return (new OpenBlasLibrary(name, handle), string.Join("; ", report));
            }

            report.Add($"{name}: loaded but lacks {string.Join(", ", missing)}");
            NativeLibrary.Free(handle);
        }

        return (null, string.Join("; ", report));
    }

    private static nint Optional(nint handle, string name) => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;

    private static string? Utf8(byte* text) => text == null ? null : Marshal.PtrToStringUTF8((nint)text)?.Trim();
}
