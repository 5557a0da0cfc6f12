using System;
using System.Runtime.CompilerServices;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>The GPU of this test run, opened once; or why there is none.</summary>
public static class Gpu
{
    private static readonly Lazy<(CudaDevice? Device, string Reason)> Opened = new(() =>
        CudaDevice.TryOpen(out var device, out var reason) ? (device, "") : (null, reason));

    /// <summary>A CUDA GPU is never required: no CI machine has one (scripts/gpu-check.sh runs these tests on one).</summary>
    internal static readonly NativeRequirement Requirement = new(
        "a CUDA GPU", requireVariable: null, () => Opened.Value.Device is null ? Opened.Value.Reason : null);

    /// <summary>The device; only in a test marked <see cref="GpuFactAttribute"/> or <see cref="GpuTheoryAttribute"/>.</summary>
    public static CudaDevice Device => Opened.Value.Device ?? throw new InvalidOperationException(Opened.Value.Reason);

    /// <summary>Null where a GPU opens; else the skip reason, e.g. "needs a CUDA GPU: CUDA driver libcuda.so.1 not found: …".</summary>
    public static string? SkipReason => Requirement.SkipReason;
}

/// <summary>A fact that runs on a CUDA GPU, skipped with the reason where no driver or device opens.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = Gpu.SkipReason;
    }
}

/// <summary>A theory that runs on a CUDA GPU, skipped with the reason where no driver or device opens.</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = Gpu.SkipReason;
    }
}

/// <summary>A fact that needs NVRTC (not a GPU), skipped with the reason where it does not load and is not required.</summary>
public sealed class NvrtcFactAttribute : FactAttribute
{
    public NvrtcFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = NvrtcLibrary.SkipReason;
    }
}

/// <summary>A theory that needs NVRTC (not a GPU), skipped with the reason where it does not load and is not required.</summary>
public sealed class NvrtcTheoryAttribute : TheoryAttribute
{
    public NvrtcTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = NvrtcLibrary.SkipReason;
    }
}
