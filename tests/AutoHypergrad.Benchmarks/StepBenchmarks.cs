using AutoHypergrad.BenchmarkHarness.Steps;
using AutoHypergrad.Optimizers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using H = AutoHypergrad.BenchmarkHarness.Steps.BenchHyper;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// Adam's step over 10⁷ doubles: the generated span drivers (primal, tangent, adjoint) against the same step written
/// by hand with Vector512, and the primal against a chain of TensorPrimitives calls (the reference kernels of the
/// CLI's <c>bench steps</c>, compiled here from the same sources). The primal is the baseline of its category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StepBenchmarks
{
    private StepBuffers buffers = null!;
    private double lrBar;
    private double beta1Bar;
    private double beta2Bar;
    private double epsBar;
    private double wdBar;

    [Params(100_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => buffers = new StepBuffers(N, stateCount: 2, temporaries: 3, seed: 20261122);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AdamPrimal")]
    public void GeneratedPrimal()
        => Adam.Step(buffers.W, buffers.State[0], buffers.State[1], buffers.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt);

    [Benchmark]
    [BenchmarkCategory("AdamPrimal")]
    public void HandWrittenPrimal()
        => HandWrittenAdam.Step(buffers.W, buffers.State[0], buffers.State[1], buffers.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt);

    [Benchmark]
    [BenchmarkCategory("AdamPrimal")]
    public void TensorPrimitivesChainPrimal() => TensorPrimitivesChains.Adam(buffers);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AdamTangent")]
    public void GeneratedTangent()
        => Adam.StepTangent(
            buffers.W, buffers.WD, buffers.State[0], buffers.StateD[0], buffers.State[1], buffers.StateD[1], buffers.G, buffers.GD,
            H.Lr, H.LrDot, H.Beta1, H.Beta1Dot, H.Beta2, H.Beta2Dot, H.Eps, H.EpsDot, H.Wd, H.WdDot, H.T, H.EpsInsideSqrt);

    [Benchmark]
    [BenchmarkCategory("AdamTangent")]
    public void HandWrittenTangent()
        => HandWrittenAdam.StepTangent(
            buffers.W, buffers.WD, buffers.State[0], buffers.StateD[0], buffers.State[1], buffers.StateD[1], buffers.G, buffers.GD,
            H.Lr, H.LrDot, H.Beta1, H.Beta1Dot, H.Beta2, H.Beta2Dot, H.Eps, H.EpsDot, H.Wd, H.WdDot, H.T, H.EpsInsideSqrt);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AdamAdjoint")]
    public void GeneratedAdjoint()
        => Adam.StepAdjoint(
            buffers.W, buffers.WD, buffers.State[0], buffers.StateD[0], buffers.State[1], buffers.StateD[1], buffers.G, buffers.GD,
            H.Lr, ref lrBar, H.Beta1, ref beta1Bar, H.Beta2, ref beta2Bar, H.Eps, ref epsBar, H.Wd, ref wdBar, H.T, H.EpsInsideSqrt);

    [Benchmark]
    [BenchmarkCategory("AdamAdjoint")]
    public void HandWrittenAdjoint()
        => HandWrittenAdam.StepAdjoint(
            buffers.W, buffers.WD, buffers.State[0], buffers.StateD[0], buffers.State[1], buffers.StateD[1], buffers.G, buffers.GD,
            H.Lr, ref lrBar, H.Beta1, ref beta1Bar, H.Beta2, ref beta2Bar, H.Eps, ref epsBar, H.Wd, ref wdBar, H.T, H.EpsInsideSqrt);
}
