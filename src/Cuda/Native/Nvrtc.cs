using System;
using System.Runtime.InteropServices;
using System.Text;

namespace AutoHypergrad.Cuda.Native;

/// <summary>
/// NVRTC, the CUDA runtime compiler (libnvrtc; Debian's libnvrtc11.2 in non-free), by function pointers resolved
/// once from the first library that loads. Every nvrtcResult is checked: a failure throws <see cref="CudaException"/>
/// with the call and nvrtcGetErrorString's text.
/// </summary>
internal sealed unsafe class Nvrtc
{
    private static readonly string[] Candidates = ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"];
    private static readonly Lazy<Nvrtc> Shared = new(() => new Nvrtc());

    private readonly delegate* unmanaged<int, byte*> _getErrorString;
    private readonly delegate* unmanaged<int*, int*, int> _version;
    private readonly delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int> _createProgram;
    private readonly delegate* unmanaged<IntPtr*, int> _destroyProgram;
    private readonly delegate* unmanaged<IntPtr, int, byte**, int> _compileProgram;
    private readonly delegate* unmanaged<IntPtr, nuint*, int> _getProgramLogSize;
    private readonly delegate* unmanaged<IntPtr, byte*, int> _getProgramLog;
    private readonly delegate* unmanaged<IntPtr, nuint*, int> _getPtxSize;
    private readonly delegate* unmanaged<IntPtr, byte*, int> _getPtx;
    private readonly delegate* unmanaged<IntPtr, nuint*, int> _getCubinSize;
    private readonly delegate* unmanaged<IntPtr, byte*, int> _getCubin;

    private Nvrtc()
    {
        var library = NativeLoader.TryLoad(Candidates, out var reasons)
            ?? throw new CudaUnavailableException($"NVRTC (libnvrtc.so) not found: {reasons}. On Debian: add non-free to the apt sources and install libnvrtc11.2.");
        LibraryName = "libnvrtc";
        IntPtr Export(string name) => NativeLoader.Export(library, LibraryName, name);
        _getErrorString = (delegate* unmanaged<int, byte*>)Export("nvrtcGetErrorString");
        _version = (delegate* unmanaged<int*, int*, int>)Export("nvrtcVersion");
        _createProgram = (delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int>)Export("nvrtcCreateProgram");
        _destroyProgram = (delegate* unmanaged<IntPtr*, int>)Export("nvrtcDestroyProgram");
        _compileProgram = (delegate* unmanaged<IntPtr, int, byte**, int>)Export("nvrtcCompileProgram");
        _getProgramLogSize = (delegate* unmanaged<IntPtr, nuint*, int>)Export("nvrtcGetProgramLogSize");
        _getProgramLog = (delegate* unmanaged<IntPtr, byte*, int>)Export("nvrtcGetProgramLog");
        _getPtxSize = (delegate* unmanaged<IntPtr, nuint*, int>)Export("nvrtcGetPTXSize");
        _getPtx = (delegate* unmanaged<IntPtr, byte*, int>)Export("nvrtcGetPTX");
        _getCubinSize = (delegate* unmanaged<IntPtr, nuint*, int>)Export("nvrtcGetCUBINSize");
        _getCubin = (delegate* unmanaged<IntPtr, byte*, int>)Export("nvrtcGetCUBIN");
    }

    public string LibraryName { get; }

    /// <summary>The loaded NVRTC; throws <see cref="CudaUnavailableException"/> when none loads.</summary>
    public static Nvrtc Instance => Shared.Value;

    /// <summary>NVRTC's version, "major.minor".</summary>
    public string Version
    {
        get
        {
            int major, minor;
            Check(_version(&major, &minor), "nvrtcVersion");
            return $"{major}.{minor}";
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/> with <paramref name="options"/>; returns whether it compiled, the log, and
    /// the PTX and (for a real architecture, <c>sm_XX</c>) the CUBIN.
    /// </summary>
    public (bool Compiled, string Log, byte[] Ptx, byte[] Cubin) Compile(string source, string name, string[] options)
    {
        IntPtr program;
        var sourceBytes = Utf8(source);
        var nameBytes = Utf8(name);
        fixed (byte* s = sourceBytes, n = nameBytes)
        {
            Check(_createProgram(&program, s, n, 0, null, null), "nvrtcCreateProgram");
        }

        try
        {
            var optionBytes = Array.ConvertAll(options, Utf8);
            var handles = new GCHandle[optionBytes.Length];
            var pointers = new byte*[optionBytes.Length];
            int result;
            try
            {
                for (int i = 0; i < optionBytes.Length; i++)
                {
                    handles[i] = GCHandle.Alloc(optionBytes[i], GCHandleType.Pinned);
                    pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                }

                fixed (byte** p = pointers)
                {
                    result = _compileProgram(program, options.Length, p);
                }
            }
            finally
            {
                foreach (var handle in handles)
                {
                    if (handle.IsAllocated)
                    {
                        handle.Free();
                    }
                }
            }

            var log = Text(Read(program, _getProgramLogSize, _getProgramLog, "nvrtcGetProgramLog"));
            const int compilationError = 6;
            if (result == compilationError)
            {
                return (false, log, [], []);
            }

            Check(result, "nvrtcCompileProgram");
            var ptx = Read(program, _getPtxSize, _getPtx, "nvrtcGetPTX");
            var real = Array.Exists(options, o => o.Contains("=sm_", StringComparison.Ordinal));
            var cubin = real ? Read(program, _getCubinSize, _getCubin, "nvrtcGetCUBIN") : [];
            return (true, log, ptx, cubin);
        }
        finally
        {
            _destroyProgram(&program);
        }
    }

    private byte[] Read(IntPtr program, delegate* unmanaged<IntPtr, nuint*, int> size, delegate* unmanaged<IntPtr, byte*, int> read, string call)
    {
        nuint length;
        Check(size(program, &length), call + "Size");
        var bytes = new byte[(int)length];
        fixed (byte* b = bytes)
        {
            Check(read(program, b), call);
        }

        return bytes;
    }

    private void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new CudaException(call, result, Marshal.PtrToStringUTF8((IntPtr)_getErrorString(result)) ?? "unknown NVRTC error");
        }
    }

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>A NUL-terminated log as text, without the terminator.</summary>
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\0');
}
