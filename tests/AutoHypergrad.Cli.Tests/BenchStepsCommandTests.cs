using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary><c>autohypergrad bench steps</c> end to end on two optimizers at one small size.</summary>
public sealed class BenchStepsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-bench-steps-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Every_part_of_each_step_agrees_with_its_references_and_is_timed()
    {
        var report = Cli.RunJson(_directory, "steps.json", "bench", "steps", "--quick", "--optimizers", "sgd,adam", "--sizes", "1000");

        // The generated span drivers against the hand-written code and the TensorPrimitives chains, before any timing:
        // the same operations in another order, within the command's own tolerance (1e-12 relative).
        var agreement = report.GetProperty("agreement").EnumerateArray().ToArray();
        Assert.NotEmpty(agreement);
        Assert.All(agreement, a => Assert.InRange(a.GetProperty("maxRelativeDifference").GetDouble(), 0, 1e-12));

        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["Adam", "Sgd"], rows.Select(r => r.GetProperty("optimizer").GetString()!).Distinct().Order());
        Assert.Equal(["adjoint", "primal", "tangent", "tangents (k=4)"], rows.Select(r => r.GetProperty("part").GetString()!).Distinct().Order());
        Assert.All(rows, r => Assert.Equal(1000, r.GetProperty("n").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("generatedNsPerElement").GetDouble() > 0, r.ToString()));

        // Adam's primal against the same step in C, where gcc is found (as in CI); else one line says why not.
        string cReference = report.GetProperty("cReference").GetString()!;
        var cRows = rows.Where(r => r.GetProperty("cNsPerElement").ValueKind == System.Text.Json.JsonValueKind.Number).ToArray();
        if (GccIsFound())
        {
            Assert.StartsWith("C reference: gcc", cReference, StringComparison.Ordinal);
            var adamPrimal = Assert.Single(cRows);
            Assert.Equal(("Adam", "primal"), (adamPrimal.GetProperty("optimizer").GetString(), adamPrimal.GetProperty("part").GetString()));
            Assert.True(adamPrimal.GetProperty("cNsPerElement").GetDouble() > 0);
            Assert.True(adamPrimal.GetProperty("cExactNsPerElement").GetDouble() > 0);
            Assert.Contains(agreement, a => a.GetProperty("against").GetString() == "C (gcc)" && a.GetProperty("optimizer").GetString() == "Adam");

            // Compiled without fma, the C step rounds every operation as the C# source does: the generated step's bits.
            var exact = Assert.Single(agreement, a => a.GetProperty("against").GetString() == "C (gcc, no fma)");
            Assert.Equal(0.0, exact.GetProperty("maxRelativeDifference").GetDouble());
        }
        else
        {
            Assert.Equal("C reference skipped: gcc not found (install it: sudo apt-get install gcc).", cReference);
            Assert.Empty(cRows);
        }
    }

    private static bool GccIsFound() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "gcc")));
}
