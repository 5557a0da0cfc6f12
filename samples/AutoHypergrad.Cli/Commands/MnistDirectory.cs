using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Where the MNIST experiments find their data.</summary>
internal static class MnistDirectory
{
    /// <summary>The directory of MNIST's four files (<see cref="MnistLocator"/>).</summary>
    /// <exception cref="UsageException">MNIST is not found: the message names where it looked and the environment variable to set.</exception>
    public static string Require()
    {
        var candidates = MnistLocator.Candidates();
        return MnistLocator.Find()
               ?? throw new UsageException(
                   $"MNIST not found {(candidates.Count == 0 ? "(no AutoHypergrad.sln above the program)" : "in " + string.Join(", ", candidates))}; " +
                   $"set {MnistLocator.EnvironmentVariable} to the directory of its four files.");
    }
}
