using System.CommandLine;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Options every experiment command declares alike.</summary>
internal static class ExperimentOptions
{
    /// <summary><c>--precision float|double</c>, float by default: the experiments run in float for speed.</summary>
    public static Option<string> Precision() => new Option<string>("--precision")
    {
        Description = "Element type: float (default, for speed) or double.",
        DefaultValueFactory = _ => "float",
    }.AcceptOnlyFromAmong("float", "double");
}
