using System.Collections.Generic;

namespace AutoHypergrad.Cli.Commands;

/// <summary>A subcommand of the <c>autohypergrad</c> tool.</summary>
internal interface ICommand
{
    /// <summary>The word that selects the command on the command line.</summary>
    string Name { get; }

    /// <summary>One line for the tool's help.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the arguments that follow its name; returns the process exit code.</summary>
    int Run(IReadOnlyList<string> arguments);
}
