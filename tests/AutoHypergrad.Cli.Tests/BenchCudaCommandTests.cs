using System;
using System.IO;
using System.Linq;
using AutoHypergrad.Cuda;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary>
/// <c>autohypergrad bench cuda</c>: without a CUDA driver, exit code 1 and one line saying what is missing; with one,
/// a --quick run's rows (Adam's three kernels in double and float, at a positive fraction of the bandwidth).
/// </summary>
public sealed class BenchCudaCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-bench-cuda-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Without_a_driver_it_exits_1_with_one_line_that_says_what_is_missing_and_with_one_it_runs()
    {
        if (!CudaDevice.TryOpen(out var device, out string reason))
        {
            var result = Cli.Run(_directory, "bench", "cuda", "--quick");
            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"autohypergrad: error: {reason}", result.Error.TrimEnd('\n', '\r'));
            Assert.StartsWith("CUDA driver libcuda.so.1 not found", reason, StringComparison.Ordinal);
            return;
        }

        device!.Dispose();
        var report = Cli.RunJson(_directory, "cuda.json", "bench", "cuda", "--quick");
        var kernels = report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("name").GetString()!.StartsWith("Adam", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, kernels.Length);
        Assert.All(kernels, r => Assert.InRange(r.GetProperty("peakBandwidthFraction").GetDouble(), 1e-6, 1.0));
        Assert.Equal("bench-cuda", report.GetProperty("experiment").GetString());
    }
}
