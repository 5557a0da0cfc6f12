using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Where the experiments read MNIST from.</summary>
internal static class MnistDirectory
{
    /// <summary>The directory of MNIST's four files.</summary>
    /// <exception cref="UsageException">MNIST is not found: the message lists where it was looked for and how to say where it is.</exception>
    public static string Find()
    {
        var candidates = MnistLocator.Candidates();
        return MnistLocator.Find()
               ?? throw new UsageException(
                   $"MNIST not found {(candidates.Count == 0 ? "(no AutoHypergrad.sln above the program)" : "in " + string.Join(", ", candidates))}; " +
                   $"set {MnistLocator.EnvironmentVariable} to the directory of its four files.");
    }
}
