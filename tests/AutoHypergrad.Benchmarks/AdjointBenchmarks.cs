using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// Each category times one function of <see cref="Functions"/> (the baseline, so Ratio is time over the primal's), its
/// generated adjoint and tangent, and its adjoint written by hand. Every adjoint accumulates into the same
/// gradient buffers on every call; the buffers are never cleared, which changes their values but not the work.
/// Min and Median are shown beside the mean because on a shared machine the fastest iterations are the least
/// disturbed ones.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class AdjointBenchmarks
{
    private const string DotCategory = "Dot";
    private const string LogSumExpCategory = "LogSumExp";
    private const string SinCosSquareCategory = "SinCosSquare";

    private double[] _x = [];
    private double[] _y = [];
    private double[] _xDot = [];
    private double[] _yDot = [];
    private double[] _xBar = [];
    private double[] _yBar = [];

    /// <summary>The number of elements of every input.</summary>
    [Params(1_000_000)]
    public int N { get; set; }

    /// <summary>Fills the inputs from a seeded generator and checks every generated derivative before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240521);
        _x = Uniform(random, N, -3, 3);
        _y = Uniform(random, N, -3, 3);
        _xDot = Uniform(random, N, -1, 1);
        _yDot = Uniform(random, N, -1, 1);
        _xBar = new double[N];
        _yBar = new double[N];
        Validation.CheckAll(_x, _y, _xDot, _yDot);
    }

    // ---- Dot: Σ x[i]·y[i] -------------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory(DotCategory)]
    public double DotPrimal() => Functions.Dot(_x, _y);

    [Benchmark, BenchmarkCategory(DotCategory)]
    public void DotGeneratedAdjoint() => Functions.DotAdjoint(_x, _xBar, _y, _yBar, 1.0);

    [Benchmark, BenchmarkCategory(DotCategory)]
    public void DotHandWrittenAdjoint() => HandWritten.DotAdjoint(_x, _xBar, _y, _yBar, 1.0);

    [Benchmark, BenchmarkCategory(DotCategory)]
    public (double Value, double Tangent) DotGeneratedTangent() => Functions.DotTangent(_x, _xDot, _y, _yDot);

    // ---- LogSumExp: log Σ exp(x[i]), two passes ----------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory(LogSumExpCategory)]
    public double LogSumExpPrimal() => Functions.LogSumExp(_x);

    [Benchmark, BenchmarkCategory(LogSumExpCategory)]
    public void LogSumExpGeneratedAdjoint() => Functions.LogSumExpAdjoint(_x, _xBar, 1.0);

    [Benchmark, BenchmarkCategory(LogSumExpCategory)]
    public void LogSumExpHandWrittenAdjoint() => HandWritten.LogSumExpAdjoint(_x, _xBar, 1.0);

    [Benchmark, BenchmarkCategory(LogSumExpCategory)]
    public (double Value, double Tangent) LogSumExpGeneratedTangent() => Functions.LogSumExpTangent(_x, _xDot);

    // ---- SinCosSquare: Σ sin x[i]·cos x[i] + x[i]², independent iterations ------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory(SinCosSquareCategory)]
    public double SinCosSquarePrimal() => Functions.SinCosSquare(_x);

    [Benchmark, BenchmarkCategory(SinCosSquareCategory)]
    public void SinCosSquareGeneratedAdjoint() => Functions.SinCosSquareAdjoint(_x, _xBar, 1.0);

    [Benchmark, BenchmarkCategory(SinCosSquareCategory)]
    public void SinCosSquareHandWrittenAdjoint() => HandWritten.SinCosSquareAdjoint(_x, _xBar, 1.0);

    [Benchmark, BenchmarkCategory(SinCosSquareCategory)]
    public (double Value, double Tangent) SinCosSquareGeneratedTangent() => Functions.SinCosSquareTangent(_x, _xDot);

    private static double[] Uniform(Random random, int n, double low, double high)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return values;
    }
}
