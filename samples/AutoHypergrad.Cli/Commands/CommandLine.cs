using System;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The conventions every command shares: help flags, exit codes, usage errors.</summary>
internal static class CommandLine
{
    public const int Success = 0;

    /// <summary>A check the command performs did not hold.</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int UsageErrorExitCode = 2;

    public static bool IsHelp(string argument) => argument is "--help" or "-h" or "-?";

    /// <summary>Reports a command-line mistake on standard error and returns the usage-error exit code.</summary>
    public static int UsageError(string message, string usage)
    {
        Console.Error.WriteLine($"autohypergrad: error: {message}");
        Console.Error.WriteLine(usage);
        return UsageErrorExitCode;
    }
}
