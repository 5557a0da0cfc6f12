using System;
using AutoHypergrad.Cuda.Native;

namespace AutoHypergrad.Cuda;

/// <summary>The result of compiling CUDA C with NVRTC: PTX, CUBIN for a real architecture, and the compiler's log.</summary>
/// <param name="Architecture">The target, <c>sm_80</c> or <c>sm_90</c>.</param>
/// <param name="Log">NVRTC's log: empty when there is nothing to warn about.</param>
/// <param name="Ptx">The PTX (NUL-terminated text), loadable by any driver that supports the architecture.</param>
/// <param name="Cubin">The machine code for <paramref name="Architecture"/>.</param>
public sealed record CompiledModule(string Architecture, string Log, byte[] Ptx, byte[] Cubin);

/// <summary>Compiles the generated CUDA C with NVRTC, at run time; needs libnvrtc, not a GPU or a driver.</summary>
public static class CudaCompiler
{
    /// <summary>The NVRTC options: the architecture, C++17, and no contraction of a·b + c into an FMA (--fmad=false), which the C# never does unless written: the kernels then round as the C# does except in the transcendental functions. NVRTC reports its warnings by default.</summary>
    public static string[] Options(string architecture) => [$"--gpu-architecture={architecture}", "--std=c++17", "--fmad=false"];

    /// <summary>NVRTC's version ("11.8"); throws <see cref="CudaUnavailableException"/> without NVRTC.</summary>
    public static string Version => Nvrtc.Instance.Version;

    /// <summary>Whether NVRTC loads here; <paramref name="reason"/> says why not.</summary>
    public static bool IsAvailable(out string reason)
    {
        try
        {
            _ = Nvrtc.Instance;
            reason = "";
            return true;
        }
        catch (CudaUnavailableException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Compiles <paramref name="program"/>'s source for <paramref name="architecture"/> (<c>sm_80</c>, <c>sm_90</c>, …).
    /// A compilation error throws <see cref="CudaException"/> with NVRTC's log.
    /// </summary>
    public static CompiledModule Compile(CudaProgram program, string architecture)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        var (compiled, log, ptx, cubin) = Nvrtc.Instance.Compile(program.Source, FileName(program), Options(architecture));
        if (!compiled)
        {
            throw new CudaException("nvrtcCompileProgram", 6, $"{program.Name} does not compile for {architecture}:\n{log}");
        }

        return new CompiledModule(architecture, log, ptx, cubin);
    }

    /// <summary>The file name NVRTC's log gives the program: its name up to the first space, with .cu.</summary>
    private static string FileName(CudaProgram program) => program.Name.Split(' ')[0] + ".cu";
}
