using System.CommandLine;

namespace AutoHypergrad.Cli.Commands;

/// <summary><c>autohypergrad bench</c>: a group of benchmarks.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks of the generated code.");
        bench.Subcommands.Add(BenchKernelsCommand.Create());
        bench.Subcommands.Add(BenchGemmCommand.Create());
        return bench;
    }
}
