using System.CommandLine;

namespace AutoHypergrad.Cli.Commands;

/// <summary><c>autohypergrad bench</c>: a group of benchmarks.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: optimizer kernels, dense linear algebra, objective products, the CUDA backend.");
        bench.Subcommands.Add(BenchStepsCommand.Create());
        bench.Subcommands.Add(BenchGemmCommand.Create());
        bench.Subcommands.Add(BenchObjectivesCommand.Create());
        bench.Subcommands.Add(BenchEnginesCommand.Create());
        bench.Subcommands.Add(BenchHypercleanCommand.Create());
        bench.Subcommands.Add(BenchCudaCommand.Create());
        return bench;
    }
}
