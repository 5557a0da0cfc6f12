using System;
using System.Runtime.InteropServices;

namespace AutoHypergrad.Cuda.Native;

/// <summary>
/// The CUDA driver API (libcuda.so.1, installed with the NVIDIA driver), by function pointers resolved once. Every
/// CUresult is checked: a failure throws <see cref="CudaException"/> naming the call, cuGetErrorName and
/// cuGetErrorString.
/// </summary>
internal sealed unsafe class CudaDriver
{
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeMemoryClockRate = 36;
    public const int AttributeGlobalMemoryBusWidth = 37;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    /// <summary>cuMemAllocManaged's CU_MEM_ATTACH_GLOBAL: the memory is accessible from any stream and the host.</summary>
    public const uint MemAttachGlobal = 1;

    /// <summary>cuPointerGetAttribute's CU_POINTER_ATTRIBUTE_IS_MANAGED (an unsigned int, 1 for managed memory).</summary>
    public const int PointerAttributeIsManaged = 8;

    /// <summary>CU_POINTER_ATTRIBUTE_RANGE_START_ADDR: the start of the allocation holding the pointer.</summary>
    public const int PointerAttributeRangeStart = 11;

    /// <summary>CU_POINTER_ATTRIBUTE_RANGE_SIZE: the size of that allocation.</summary>
    public const int PointerAttributeRangeSize = 12;

    private static readonly string[] Candidates = ["libcuda.so.1", "libcuda.so", "nvcuda.dll"];
    private static readonly Lazy<CudaDriver> Shared = new(() => new CudaDriver());

    private CudaDriver()
    {
        var library = NativeLoader.TryLoad(Candidates, out var reasons)
            ?? throw new CudaUnavailableException($"CUDA driver libcuda.so.1 not found: {reasons}. It comes with the NVIDIA driver; this machine has none.");
        IntPtr Export(string name) => NativeLoader.Export(library, "libcuda.so.1", name);
        GetErrorName = (delegate* unmanaged<int, byte**, int>)Export("cuGetErrorName");
        GetErrorString = (delegate* unmanaged<int, byte**, int>)Export("cuGetErrorString");
        Init = (delegate* unmanaged<uint, int>)Export("cuInit");
        DeviceGetCount = (delegate* unmanaged<int*, int>)Export("cuDeviceGetCount");
        DeviceGet = (delegate* unmanaged<int*, int, int>)Export("cuDeviceGet");
        DeviceGetName = (delegate* unmanaged<byte*, int, int, int>)Export("cuDeviceGetName");
        DeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)Export("cuDeviceGetAttribute");
        DeviceTotalMem = (delegate* unmanaged<nuint*, int, int>)Export("cuDeviceTotalMem_v2");
        CtxCreate = (delegate* unmanaged<IntPtr*, uint, int, int>)Export("cuCtxCreate_v2");
        CtxDestroy = (delegate* unmanaged<IntPtr, int>)Export("cuCtxDestroy_v2");
        CtxSetCurrent = (delegate* unmanaged<IntPtr, int>)Export("cuCtxSetCurrent");
        CtxSynchronize = (delegate* unmanaged<int>)Export("cuCtxSynchronize");
        ModuleLoadData = (delegate* unmanaged<IntPtr*, byte*, int>)Export("cuModuleLoadData");
        ModuleUnload = (delegate* unmanaged<IntPtr, int>)Export("cuModuleUnload");
        ModuleGetFunction = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)Export("cuModuleGetFunction");
        MemAlloc = (delegate* unmanaged<IntPtr*, nuint, int>)Export("cuMemAlloc_v2");
        MemAllocManaged = (delegate* unmanaged<IntPtr*, nuint, uint, int>)Export("cuMemAllocManaged");
        MemGetInfo = (delegate* unmanaged<nuint*, nuint*, int>)Export("cuMemGetInfo_v2");
        PointerGetAttribute = (delegate* unmanaged<void*, int, IntPtr, int>)Export("cuPointerGetAttribute");
        MemFree = (delegate* unmanaged<IntPtr, int>)Export("cuMemFree_v2");
        MemcpyHtoD = (delegate* unmanaged<IntPtr, void*, nuint, int>)Export("cuMemcpyHtoD_v2");
        MemcpyDtoH = (delegate* unmanaged<void*, IntPtr, nuint, int>)Export("cuMemcpyDtoH_v2");
        MemcpyDtoD = (delegate* unmanaged<IntPtr, IntPtr, nuint, int>)Export("cuMemcpyDtoD_v2");
        LaunchKernel = (delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, IntPtr*, IntPtr*, int>)Export("cuLaunchKernel");
        EventCreate = (delegate* unmanaged<IntPtr*, uint, int>)Export("cuEventCreate");
        EventDestroy = (delegate* unmanaged<IntPtr, int>)Export("cuEventDestroy_v2");
        EventRecord = (delegate* unmanaged<IntPtr, IntPtr, int>)Export("cuEventRecord");
        EventSynchronize = (delegate* unmanaged<IntPtr, int>)Export("cuEventSynchronize");
        EventElapsedTime = (delegate* unmanaged<float*, IntPtr, IntPtr, int>)Export("cuEventElapsedTime");
    }

    /// <summary>The loaded driver; throws <see cref="CudaUnavailableException"/> when libcuda does not load.</summary>
    public static CudaDriver Instance => Shared.Value;

    public delegate* unmanaged<int, byte**, int> GetErrorName { get; }
    public delegate* unmanaged<int, byte**, int> GetErrorString { get; }
    public delegate* unmanaged<uint, int> Init { get; }
    public delegate* unmanaged<int*, int> DeviceGetCount { get; }
    public delegate* unmanaged<int*, int, int> DeviceGet { get; }
    public delegate* unmanaged<byte*, int, int, int> DeviceGetName { get; }
    public delegate* unmanaged<int*, int, int, int> DeviceGetAttribute { get; }
    public delegate* unmanaged<nuint*, int, int> DeviceTotalMem { get; }
    public delegate* unmanaged<IntPtr*, uint, int, int> CtxCreate { get; }
    public delegate* unmanaged<IntPtr, int> CtxDestroy { get; }
    public delegate* unmanaged<IntPtr, int> CtxSetCurrent { get; }
    public delegate* unmanaged<int> CtxSynchronize { get; }
    public delegate* unmanaged<IntPtr*, byte*, int> ModuleLoadData { get; }
    public delegate* unmanaged<IntPtr, int> ModuleUnload { get; }
    public delegate* unmanaged<IntPtr*, IntPtr, byte*, int> ModuleGetFunction { get; }
    public delegate* unmanaged<IntPtr*, nuint, int> MemAlloc { get; }
    public delegate* unmanaged<IntPtr*, nuint, uint, int> MemAllocManaged { get; }
    public delegate* unmanaged<nuint*, nuint*, int> MemGetInfo { get; }
    public delegate* unmanaged<void*, int, IntPtr, int> PointerGetAttribute { get; }
    public delegate* unmanaged<IntPtr, int> MemFree { get; }
    public delegate* unmanaged<IntPtr, void*, nuint, int> MemcpyHtoD { get; }
    public delegate* unmanaged<void*, IntPtr, nuint, int> MemcpyDtoH { get; }
    public delegate* unmanaged<IntPtr, IntPtr, nuint, int> MemcpyDtoD { get; }
    public delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, IntPtr*, IntPtr*, int> LaunchKernel { get; }
    public delegate* unmanaged<IntPtr*, uint, int> EventCreate { get; }
    public delegate* unmanaged<IntPtr, int> EventDestroy { get; }
    public delegate* unmanaged<IntPtr, IntPtr, int> EventRecord { get; }
    public delegate* unmanaged<IntPtr, int> EventSynchronize { get; }
    public delegate* unmanaged<float*, IntPtr, IntPtr, int> EventElapsedTime { get; }

    /// <summary>Throws <see cref="CudaException"/> unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    public void Check(int result, string call)
    {
        if (result == 0)
        {
            return;
        }

        byte* name = null;
        byte* text = null;
        var known = GetErrorName(result, &name) == 0 & GetErrorString(result, &text) == 0;
        var description = known ? $"{Marshal.PtrToStringUTF8((IntPtr)name)}: {Marshal.PtrToStringUTF8((IntPtr)text)}" : "unknown CUresult";
        throw new CudaException(call, result, description);
    }
}
