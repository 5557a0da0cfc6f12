using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text;
using AutoHypergrad.Cuda.Native;

namespace AutoHypergrad.Cuda;

/// <summary>
/// A CUDA GPU through the driver API: a context on one device, memory, modules compiled by NVRTC for the device's
/// own architecture (sm_XY from its compute capability) and loaded as CUBIN, launches in grid-stride grids of 256
/// threads, and event timing. <see cref="Open"/> loads libcuda only when called; without a driver it throws
/// <see cref="CudaUnavailableException"/> with one line that says what is missing.
/// </summary>
public sealed unsafe class CudaDevice : IKernelDevice
{
    /// <summary>Threads per block: a multiple of the warp (the adjoint's block reduction needs one).</summary>
    public const int BlockSize = 256;

    private readonly CudaDriver _driver;
    private readonly Dictionary<CudaProgram, Module> _modules = new();
    private IntPtr _context;
    private IntPtr _blas;

    private CudaDevice(CudaDriver driver, int ordinal)
    {
        _driver = driver;
        int handle;
        driver.Check(driver.DeviceGet(&handle, ordinal), "cuDeviceGet");
        int device = handle;
        var name = stackalloc byte[256];
        driver.Check(driver.DeviceGetName(name, 256, device), "cuDeviceGetName");
        Name = Encoding.UTF8.GetString(name, new ReadOnlySpan<byte>(name, 256).IndexOf((byte)0));
        int Attribute(int attribute)
        {
            int value;
            driver.Check(driver.DeviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
            return value;
        }

        Architecture = $"sm_{Attribute(CudaDriver.AttributeComputeCapabilityMajor)}{Attribute(CudaDriver.AttributeComputeCapabilityMinor)}";
        Multiprocessors = Attribute(CudaDriver.AttributeMultiprocessorCount);
        MemoryClockKilohertz = Attribute(CudaDriver.AttributeMemoryClockRate);
        MemoryBusWidthBits = Attribute(CudaDriver.AttributeGlobalMemoryBusWidth);
        nuint total;
        driver.Check(driver.DeviceTotalMem(&total, device), "cuDeviceTotalMem");
        TotalMemoryBytes = (long)total;
        IntPtr context;
        driver.Check(driver.CtxCreate(&context, 0, device), "cuCtxCreate");
        _context = context;
    }

    /// <summary>
    /// Opens device <paramref name="ordinal"/>: loads libcuda.so.1, cuInit, a context. Throws
    /// <see cref="CudaUnavailableException"/> when there is no driver or no device.
    /// </summary>
    public static CudaDevice Open(int ordinal = 0)
    {
        var driver = CudaDriver.Instance;
        driver.Check(driver.Init(0), "cuInit");
        int count;
        driver.Check(driver.DeviceGetCount(&count), "cuDeviceGetCount");
        if (count == 0)
        {
            throw new CudaUnavailableException("CUDA driver loaded, but it reports no CUDA device.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, count);
        return new CudaDevice(driver, ordinal);
    }

    /// <summary>Whether a device opens here; <paramref name="reason"/> is the one-line message when not.</summary>
    public static bool TryOpen(out CudaDevice? device, out string reason)
    {
        try
        {
            device = Open();
            reason = "";
            return true;
        }
        catch (CudaUnavailableException e)
        {
            device = null;
            reason = e.Message;
            return false;
        }
        catch (CudaException e)
        {
            device = null;
            reason = e.Message;
            return false;
        }
    }

    /// <summary>The device's name.</summary>
    public string Name { get; }

    /// <summary>Its architecture, sm_XY.</summary>
    public string Architecture { get; }

    public int Multiprocessors { get; }

    /// <summary>CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, in kHz.</summary>
    public int MemoryClockKilohertz { get; }

    /// <summary>CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, in bits.</summary>
    public int MemoryBusWidthBits { get; }

    public long TotalMemoryBytes { get; }

    /// <summary>The theoretical memory bandwidth, 2 transfers per clock (double data rate) × clock × bus width, in bytes/s.</summary>
    public double PeakBandwidthBytesPerSecond => 2.0 * MemoryClockKilohertz * 1000.0 * (MemoryBusWidthBits / 8.0);

    public string Description => $"{Name}, {Architecture}, {Multiprocessors} SMs, {TotalMemoryBytes / 1e9:F0} GB, {PeakBandwidthBytesPerSecond / 1e9:F0} GB/s peak";

    public IntPtr Allocate(long bytes)
    {
        IntPtr pointer;
        _driver.Check(_driver.MemAlloc(&pointer, (nuint)Math.Max(1, bytes)), $"cuMemAlloc ({bytes} bytes)");
        return pointer;
    }

    /// <summary>
    /// Managed memory, only within the device's free memory: oversubscribed managed memory pages between host and
    /// device and can stall the GPU for every process on it, so a request larger than what cuMemGetInfo reports free
    /// fails at once with a <see cref="CudaException"/> that says how much was asked and how much is free.
    /// </summary>
    public IntPtr AllocateManaged(long bytes)
    {
        nuint free, total;
        _driver.Check(_driver.MemGetInfo(&free, &total), "cuMemGetInfo");
        if ((ulong)Math.Max(1, bytes) > free)
        {
            throw new CudaException(
                "cuMemAllocManaged", 2, $"CUDA_ERROR_OUT_OF_MEMORY: {bytes} bytes of managed memory asked for, {free} of {total} bytes free on {Name}; managed memory is kept within the free device memory");
        }

        IntPtr pointer;
        _driver.Check(_driver.MemAllocManaged(&pointer, (nuint)Math.Max(1, bytes), CudaDriver.MemAttachGlobal), $"cuMemAllocManaged ({bytes} bytes)");
        return pointer;
    }

    public bool IsManaged(IntPtr pointer, long bytes)
    {
        // A host address CUDA does not know answers CUDA_ERROR_INVALID_VALUE: not managed.
        uint managed = 0;
        if (_driver.PointerGetAttribute(&managed, CudaDriver.PointerAttributeIsManaged, pointer) != 0 || managed == 0)
        {
            return false;
        }

        IntPtr start;
        nuint size;
        _driver.Check(_driver.PointerGetAttribute(&start, CudaDriver.PointerAttributeRangeStart, pointer), "cuPointerGetAttribute (RANGE_START_ADDR)");
        _driver.Check(_driver.PointerGetAttribute(&size, CudaDriver.PointerAttributeRangeSize, pointer), "cuPointerGetAttribute (RANGE_SIZE)");
        return (long)pointer + bytes <= (long)start + (long)size;
    }

    public void Free(IntPtr pointer) => _driver.Check(_driver.MemFree(pointer), "cuMemFree");

    public void CopyToDevice(IntPtr destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* s = source)
        {
            _driver.Check(_driver.MemcpyHtoD(destination, s, (nuint)source.Length), "cuMemcpyHtoD");
        }
    }

    public void CopyToHost(IntPtr source, Span<byte> destination)
    {
        fixed (byte* d = destination)
        {
            _driver.Check(_driver.MemcpyDtoH(d, source, (nuint)destination.Length), "cuMemcpyDtoH");
        }
    }

    public void CopyOnDevice(IntPtr destination, IntPtr source, long bytes)
        => _driver.Check(_driver.MemcpyDtoD(destination, source, (nuint)bytes), "cuMemcpyDtoD");

    public ILoadedModule Load(CudaProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!_modules.TryGetValue(program, out var loaded))
        {
            var compiled = CudaCompiler.Compile(program, Architecture);
            IntPtr handle;
            fixed (byte* image = compiled.Cubin)
            {
                _driver.Check(_driver.ModuleLoadData(&handle, image), $"cuModuleLoadData ({program.Name})");
            }

            var functions = new Dictionary<string, IntPtr>(StringComparer.Ordinal);
            foreach (var kernel in program.Kernels)
            {
                IntPtr function;
                var name = Encoding.UTF8.GetBytes(kernel.Name + "\0");
                fixed (byte* n = name)
                {
                    _driver.Check(_driver.ModuleGetFunction(&function, handle, n), $"cuModuleGetFunction ({kernel.Name})");
                }

                functions[kernel.Name] = function;
            }

            loaded = new Module(this, program, handle, functions);
            _modules[program] = loaded;
        }

        return loaded;
    }

    /// <summary>cublasDgemm or cublasSgemm, on a cuBLAS handle created on first use (default stream, host scalars).</summary>
    /// <exception cref="CudaUnavailableException">libcublas is not installed.</exception>
    public void Gemm<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, IntPtr a, int lda, IntPtr b, int ldb, T beta, IntPtr c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RowMajorGemm.CheckColumnMajor<T>(transposeA, transposeB, m, n, k, lda, ldb, ldc);
        var cublas = Cublas.Instance;
        if (_blas == IntPtr.Zero)
        {
            IntPtr handle;
            Cublas.Check(cublas.Create(&handle), "cublasCreate");
            _blas = handle;
        }

        // CUBLAS_OP_N = 0, CUBLAS_OP_T = 1.
        int opA = transposeA ? 1 : 0, opB = transposeB ? 1 : 0;
        if (typeof(T) == typeof(double))
        {
            Cublas.Check(cublas.Dgemm(_blas, opA, opB, m, n, k, (double*)&alpha, a, lda, b, ldb, (double*)&beta, c, ldc), "cublasDgemm");
        }
        else
        {
            Cublas.Check(cublas.Sgemm(_blas, opA, opB, m, n, k, (float*)&alpha, a, lda, b, ldb, (float*)&beta, c, ldc), "cublasSgemm");
        }
    }

    public void Synchronize() => _driver.Check(_driver.CtxSynchronize(), "cuCtxSynchronize");

    /// <summary>Milliseconds of device time that <paramref name="work"/> takes, between two events on the default stream.</summary>
    public float Time(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        IntPtr start, stop;
        _driver.Check(_driver.EventCreate(&start, 0), "cuEventCreate");
        _driver.Check(_driver.EventCreate(&stop, 0), "cuEventCreate");
        try
        {
            _driver.Check(_driver.EventRecord(start, IntPtr.Zero), "cuEventRecord");
            work();
            _driver.Check(_driver.EventRecord(stop, IntPtr.Zero), "cuEventRecord");
            _driver.Check(_driver.EventSynchronize(stop), "cuEventSynchronize");
            float milliseconds;
            _driver.Check(_driver.EventElapsedTime(&milliseconds, start, stop), "cuEventElapsedTime");
            return milliseconds;
        }
        finally
        {
            _driver.EventDestroy(start);
            _driver.EventDestroy(stop);
        }
    }

    public void Dispose()
    {
        if (_context == IntPtr.Zero)
        {
            return;
        }

        foreach (var module in _modules.Values)
        {
            _driver.ModuleUnload(module.Handle);
        }

        _modules.Clear();
        if (_blas != IntPtr.Zero)
        {
            Cublas.Instance.Destroy(_blas);
            _blas = IntPtr.Zero;
        }

        _driver.CtxDestroy(_context);
        _context = IntPtr.Zero;
    }

    private sealed class Module(CudaDevice device, CudaProgram program, IntPtr handle, Dictionary<string, IntPtr> functions) : ILoadedModule
    {
        public IntPtr Handle => handle;

        public CudaProgram Program => program;

        public void Launch(CudaKernelSignature kernel, long elements, IntPtr* arguments)
        {
            // A grid-stride grid: enough blocks to fill every SM several times, fewer where there are few elements.
            long blocks = Math.Clamp((elements + BlockSize - 1) / BlockSize, 1, device.Multiprocessors * 32L);
            device._driver.Check(
                device._driver.LaunchKernel(functions[kernel.Name], (uint)blocks, 1, 1, BlockSize, 1, 1, 0, IntPtr.Zero, arguments, null),
                $"cuLaunchKernel ({kernel.Name})");
        }
    }
}
