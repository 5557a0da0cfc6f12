using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// The fixed-seed run of the random-program tester (CI). EXPECTED TO FAIL on a generator with known bugs: it lists
/// each distinct failure with its shrunk minimal source; it goes green when the generator is fixed.
/// </summary>
public sealed class RandomProgramTests(ITestOutputHelper output)
{
    /// <summary>Measured on a 2-core machine: about 100 s for the 500 programs (batches pipelined over the two cores,
    /// the CUDA C host-built by g++) and at most 40 s of shrinking: under 3 minutes with margin.</summary>
    public const int CiCount = 500;
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
