using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// The fixed-seed run of the random-program tester (CI): every distinct failure fails the test, listed with its
/// shrunk minimal source.
/// </summary>
public sealed class RandomProgramTests(ITestOutputHelper output)
{
    /// <summary>Measured on a 2-core machine (AMD EPYC): about 130 s for the 2,000 programs (about 3,400 [Differentiable]
    /// methods; batches pipelined over the two cores, the CUDA C host-built by g++ with a cold cache) and at most 40 s
    /// of shrinking: under 3 minutes.</summary>
    public const int CiCount = 2000;
    public const ulong CiSeed = 20251;

    [Fact]
    public void Random_programs_compile_clean_and_their_derivatives_check()
    {
        var report = Runner.Run(new RunOptions
        {
            Count = CiCount,
            Seed = CiSeed,
            ExamplesPerFailure = 1,
            ShrinkBudget = TimeSpan.FromSeconds(12),
            TotalShrinkBudget = TimeSpan.FromSeconds(40),
            Log = output.WriteLine,
        });
        output.WriteLine(report.Table());
        var failures = report.FailureIds.ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} distinct failure(s) in {report.Programs} random programs (seed {CiSeed}):\n{report.Table()}\n{report.Failures()}");
    }
}
