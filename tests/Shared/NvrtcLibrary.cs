using AutoHypergrad.Cuda;

namespace AutoHypergrad.Testing;

/// <summary>NVRTC, which compiles CUDA C without a GPU: loaded, or why not and how to install it.</summary>
internal static class NvrtcLibrary
{
    /// <summary>With AUTOHYPERGRAD_REQUIRE_NVRTC=1 (.ci/run installs libnvrtc11.2) the NVRTC checks run and fail without it.</summary>
    internal static readonly NativeRequirement Requirement = new(
        "NVRTC", "AUTOHYPERGRAD_REQUIRE_NVRTC", () => CudaCompiler.IsAvailable(out var reason) ? null : reason);

    /// <summary>Null where NVRTC loads or is required; else the skip reason, which names libnvrtc11.2 and how to install it.</summary>
    public static string? SkipReason => Requirement.SkipReason;
}
