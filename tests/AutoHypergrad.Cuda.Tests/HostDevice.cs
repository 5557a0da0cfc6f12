using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The generated CUDA C compiled as host C++ (g++, with <see cref="Shim"/> defining the CUDA qualifiers and built-ins
/// away) and run on the CPU as one block of one thread: the grid-stride loops visit every element in order, and the
/// block reduction adds nothing to the thread's own sum (the shuffles have no partner lane). The kernels are called
/// through the <c>{kernel}_host(void** args)</c> entries the generator writes under AUTOHYPERGRAD_HOST, with
/// cuLaunchKernel's argument convention, so that <see cref="CudaVectorizedStep{T}"/> runs here unchanged.
/// -ffp-contract=off keeps g++ from fusing a·b + c, which neither the C# JIT nor the C# code does.
/// </summary>
public sealed unsafe class HostDevice : IKernelDevice
{
    public const string Shim = """
        // Host build of generated CUDA C: one block of one thread.
        #include <math.h>
        #include <stdlib.h>
        #include <string.h>
        #define __device__
        #define __global__
        #define __forceinline__ inline
        #define __shared__ static
        struct ahg_dim3 { unsigned int x, y, z; };
        static const ahg_dim3 threadIdx = { 0u, 0u, 0u };
        static const ahg_dim3 blockIdx = { 0u, 0u, 0u };
        static const ahg_dim3 blockDim = { 1u, 1u, 1u };
        static const ahg_dim3 gridDim = { 1u, 1u, 1u };
        static inline void __syncthreads() {}
        // No other lane: the shuffle contributes nothing to the sum.
        template <typename T> static inline T __shfl_down_sync(unsigned int, T, int) { return (T)0; }
        static inline double atomicAdd(double* target, double value) { double old = *target; *target = old + value; return old; }
        static inline float atomicAdd(float* target, float value) { float old = *target; *target = old + value; return old; }
        static inline int atomicMin(int* target, int value) { int old = *target; if (value < old) { *target = value; } return old; }
        static inline double __longlong_as_double(long long bits) { double value; memcpy(&value, &bits, sizeof value); return value; }
        static inline float __int_as_float(int bits) { float value; memcpy(&value, &bits, sizeof value); return value; }
        """;

    // -fno-builtin: g++ would fold exp(tanh(log(5.0))) at compile time, correctly rounded (MPFR), where .NET calls the
    // C library at run time (tanh is not correctly rounded there): the host build must call the same library.
    private static readonly string[] Flags = ["-O2", "-std=c++17", "-shared", "-fPIC", "-ffp-contract=off", "-fno-fast-math", "-fno-builtin", "-DAUTOHYPERGRAD_HOST", "-Wall", "-Werror"];

    /// <summary>
    /// Whether g++'s warnings fail the build (-Werror, the default). The random-program tester reports a module's
    /// warnings from a strict build, then still runs it from a lenient one, to compare its numbers.
    /// </summary>
    public bool WarningsAreErrors { get; init; } = true;

    private readonly Dictionary<CudaProgram, Module> _modules = new();
    private readonly List<IntPtr> _libraries = new();
    private readonly Dictionary<IntPtr, long> _managed = new();

    public string Description => "host C++ (g++), one block of one thread";

    public IntPtr Allocate(long bytes) => (IntPtr)NativeMemory.Alloc((nuint)Math.Max(1, bytes));

    /// <summary>Host memory, remembered so that <see cref="IsManaged"/> knows it, as the driver knows its managed allocations.</summary>
    /// <summary>How many managed allocations were made so far.</summary>
    public int ManagedAllocations { get; private set; }

    public IntPtr AllocateManaged(long bytes)
    {
        ManagedAllocations++;
        var pointer = Allocate(bytes);
        lock (_managed)
        {
            _managed[pointer] = Math.Max(1, bytes);
        }

        return pointer;
    }

    public bool IsManaged(IntPtr pointer, long bytes)
    {
        lock (_managed)
        {
            foreach (var (start, length) in _managed)
            {
                if ((long)pointer >= (long)start && (long)pointer + bytes <= (long)start + length)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public void Free(IntPtr pointer)
    {
        lock (_managed)
        {
            _managed.Remove(pointer);
        }

        NativeMemory.Free((void*)pointer);
    }

    /// <summary>The bytes copied from the host to the device so far: what a GPU would move over PCIe.</summary>
    public long BytesToDevice { get; private set; }

    /// <summary>The bytes copied from the device to the host so far.</summary>
    public long BytesToHost { get; private set; }

    public void CopyToDevice(IntPtr destination, ReadOnlySpan<byte> source)
    {
        BytesToDevice += source.Length;
        source.CopyTo(new Span<byte>((void*)destination, source.Length));
    }

    public void CopyToHost(IntPtr source, Span<byte> destination)
    {
        BytesToHost += destination.Length;
        new ReadOnlySpan<byte>((void*)source, destination.Length).CopyTo(destination);
    }

    public void CopyOnDevice(IntPtr destination, IntPtr source, long bytes) => Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);

    public void Synchronize()
    {
    }

    /// <summary>
    /// The reference GEMM, a test double for cuBLAS in its column-major convention: for each (i, j), the k products
    /// summed in order p = 0, 1, …, then α·sum (+ β·C unless β = 0, which does not read C).
    /// </summary>
    public void Gemm<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, IntPtr a, int lda, IntPtr b, int ldb, T beta, IntPtr c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RowMajorGemm.CheckColumnMajor<T>(transposeA, transposeB, m, n, k, lda, ldb, ldc);
        T* pa = (T*)a, pb = (T*)b, pc = (T*)c;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T left = transposeA ? pa[p + ((long)i * lda)] : pa[i + ((long)p * lda)];
                    T right = transposeB ? pb[j + ((long)p * ldb)] : pb[p + ((long)j * ldb)];
                    sum += left * right;
                }

                ref T target = ref pc[i + ((long)j * ldc)];
                target = beta == T.Zero ? alpha * sum : (alpha * sum) + (beta * target);
            }
        }
    }

    public ILoadedModule Load(CudaProgram program)
    {
        if (!_modules.TryGetValue(program, out var loaded))
        {
            var library = NativeLibrary.Load(Compile(program.Source, WarningsAreErrors));
            _libraries.Add(library);
            var entries = new Dictionary<string, IntPtr>(StringComparer.Ordinal);
            foreach (var kernel in program.Kernels)
            {
                entries[kernel.Name] = NativeLibrary.GetExport(library, kernel.Name + "_host");
            }

            loaded = new Module(program, entries);
            _modules[program] = loaded;
        }

        return loaded;
    }

    public void Dispose()
    {
        // The libraries stay loaded: another HostDevice may hold the same file, and unloading gains nothing in a test run.
        _modules.Clear();
    }

    /// <summary>The shared library of <paramref name="source"/>, compiled once per source text (cached in the temp folder).</summary>
    public static string Compile(string source, bool warningsAreErrors = true)
    {
        var text = Shim + "\n" + source;
        var flags = warningsAreErrors ? Flags : [.. Flags, "-Wno-error", "-w"];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text + string.Join(" ", flags))))[..16];
        // One cache per user: another user's folder in a shared /tmp is not writable.
        var folder = Path.Combine(Path.GetTempPath(), "autohypergrad-cuda-host-" + Environment.UserName);
        Directory.CreateDirectory(folder);
        var library = Path.Combine(folder, hash + ".so");
        if (File.Exists(library))
        {
            return library;
        }

        // Unique names for this build: tests running in parallel (and other processes) may build the same source at
        // once, and must neither read each other's half-written .cpp nor write the same output.
        var unique = Environment.ProcessId + "." + Guid.NewGuid().ToString("N");
        var cpp = Path.Combine(folder, hash + "." + unique + ".cpp");
        File.WriteAllText(cpp, text);
        var partial = library + "." + unique + ".tmp";
        var start = new ProcessStartInfo("g++") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var flag in flags)
        {
            start.ArgumentList.Add(flag);
        }

        start.ArgumentList.Add(cpp);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(partial);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("g++ did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || errors.Result.Length > 0)
        {
            throw new InvalidOperationException($"g++ failed on {cpp} (exit {process.ExitCode}):\n{errors.Result}{output}");
        }

        File.Move(partial, library, overwrite: true);
        File.Delete(cpp);
        return library;
    }

    private sealed class Module(CudaProgram program, Dictionary<string, IntPtr> entries) : ILoadedModule
    {
        public CudaProgram Program => program;

        public void Launch(CudaKernelSignature kernel, long elements, IntPtr* arguments)
            => ((delegate* unmanaged<IntPtr*, void>)entries[kernel.Name])(arguments);
    }
}
