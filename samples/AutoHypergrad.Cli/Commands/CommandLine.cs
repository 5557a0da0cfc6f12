namespace AutoHypergrad.Cli.Commands;

/// <summary>The exit codes every command shares.</summary>
internal static class CommandLine
{
    public const int Success = 0;

    /// <summary>A check the command performs did not hold.</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int UsageErrorExitCode = 2;
}
