using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>The GPU of this test run, opened once; or why there is none.</summary>
public static class Gpu
{
    private static readonly Lazy<(CudaDevice? Device, string Reason)> Opened = new(() =>
        CudaDevice.TryOpen(out var device, out var reason) ? (device, "") : (null, reason));

    /// <summary>The device; only in a test marked <see cref="GpuFactAttribute"/> or <see cref="GpuTheoryAttribute"/>.</summary>
    public static CudaDevice Device => Opened.Value.Device ?? throw new InvalidOperationException(Opened.Value.Reason);

    /// <summary>Null where a GPU opens; else the skip reason, e.g. "no CUDA driver: CUDA driver libcuda.so.1 not found: …".</summary>
    public static string? SkipReason => Opened.Value.Device is null ? "no CUDA GPU: " + Opened.Value.Reason : null;
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
