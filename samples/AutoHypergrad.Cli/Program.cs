using AutoHypergrad.Cli.Commands;

namespace AutoHypergrad.Cli;

internal static class Program
{
    private static int Main(string[] args) => CliRoot.Run(args);
}
