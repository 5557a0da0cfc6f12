using System;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// The CUDA C the generator writes beside an optimizer's C# (<c>{Type}.{Method}.Cuda.g.cs</c>), against an approved
/// file in Snapshots/; regenerate with AUTOHYPERGRAD_ACCEPT=1 and review the diff. That it compiles with NVRTC and
/// computes what the C# computes is tested in AutoHypergrad.Cuda.Tests, for every optimizer of src/Optimizers.
/// </summary>
public sealed class CudaSnapshotTests
{
    [Fact]
    public void Adam_step_CUDA_kernels()
    {
        var run = GeneratorHarness.RunValid(SnapshotTests.AdamSource);

        var cuda = run.Source("Adam.Step.Cuda.g.cs");
        Snapshot.Verify(cuda, "Adam.Step.Cuda");
        Assert.Contains("extern \"\"C\"\" __global__ void ahg_Adam_Step_double_adjoint(", cuda, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_without_span_drivers_gets_no_CUDA_file()
    {
        var run = GeneratorHarness.RunValid(SnapshotTests.ScalarSource);

        Assert.DoesNotContain(run.GeneratedSources, s => GeneratorRun.IsCuda(s.HintName));
    }
}
