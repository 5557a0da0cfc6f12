using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AutoHypergrad.Data;

/// <summary>
/// Finds a directory holding the four MNIST files (see <see cref="MnistReader.Read"/> for the names accepted), for tests and tools.
/// </summary>
/// <remarks>
/// The first source that is given decides where to look; a later one is not consulted when an earlier one is given but wrong:
/// <list type="number">
/// <item>the explicit path, when one is passed;</item>
/// <item>otherwise the environment variable <c>AUTOHYPERGRAD_MNIST</c>, when it is set;</item>
/// <item>otherwise, in the repository found by walking up from <see cref="AppContext.BaseDirectory"/> to the directory holding
/// <c>AutoHypergrad.sln</c>: <c>data/mnist</c> (where <c>scripts/get-mnist.sh</c> puts it), then <c>../shared/data/mnist</c>.</item>
/// </list>
/// </remarks>
public static class MnistLocator
{
    /// <summary>The environment variable naming the MNIST directory.</summary>
    public const string EnvironmentVariable = "AUTOHYPERGRAD_MNIST";

    private const string SolutionFile = "AutoHypergrad.sln";

    /// <summary>The first of <see cref="Candidates"/> that holds the four MNIST files, or null when none does.</summary>
    /// <param name="explicitPath">A directory given by the user; when not null, it is the only one considered.</param>
    public static string? Find(string? explicitPath = null) => Candidates(explicitPath).FirstOrDefault(MnistReader.HasAllFiles);

    /// <summary>The directories <see cref="Find"/> looks in, in order (full paths); for a message when it finds nothing.</summary>
    /// <param name="explicitPath">A directory given by the user; when not null, it is the only one considered.</param>
    public static IReadOnlyList<string> Candidates(string? explicitPath = null)
    {
        if (explicitPath is not null)
        {
            return [Path.GetFullPath(explicitPath)];
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return [Path.GetFullPath(fromEnvironment)];
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return
                [
                    Path.GetFullPath(Path.Combine(directory.FullName, "data", "mnist")),
                    Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "mnist")),
                ];
            }
        }

        return [];
    }
}
