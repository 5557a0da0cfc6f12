using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The <c>autohypergrad</c> command tree, parsed by System.CommandLine.</summary>
internal static class CliRoot
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "autohypergrad: optimizer steps differentiated at compile time. With no command, runs step-derivatives.");
        StepDerivativesCommand.AttachTo(root);
        root.Subcommands.Add(StepDerivativesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(GradCheckCommand.Create());
        root.Subcommands.Add(HypergradCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(HypercleanCommand.Create());
        root.Subcommands.Add(HdBenchCommand.Create());
        root.Subcommands.Add(RthoCommand.Create());
        root.Subcommands.Add(HoagCommand.Create());
        root.Subcommands.Add(MtlCommand.Create());
        root.Subcommands.Add(StnCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs. A command-line mistake (an unknown command or argument, a bad option value) prints one
    /// error line and the usage hint on standard error and exits with <see cref="CommandLine.UsageErrorExitCode"/>.
    /// </summary>
    public static int Run(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns when it cannot ask the terminal: too narrow for the result tables.
            AnsiConsole.Profile.Width = 160;
        }

        RootCommand root = Build();
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0 && MpiLaunch.Rank > 0)
        {
            // Every rank parses the same command line: rank 0 reports it.
            return CommandLine.UsageErrorExitCode;
        }

        if (result.Errors.Count > 0)
        {
            foreach (ParseError error in result.Errors)
            {
                Console.Error.WriteLine($"autohypergrad: error: {Describe(error)}");
            }

            string command = result.CommandResult.Command == root ? string.Empty : $" {CommandPath(result.CommandResult)}";
            Console.Error.WriteLine($"Run 'autohypergrad{command} --help' for usage.");
            return CommandLine.UsageErrorExitCode;
        }

        return result.Invoke();
    }

    /// <summary>
    /// A parse error on one line, naming the option it is about when its message does not ("--device: Argument 'tpu'
    /// not recognized. Must be one of: 'cpu' 'cuda'").
    /// </summary>
    private static string Describe(ParseError error)
    {
        string message = System.Text.RegularExpressions.Regex.Replace(error.Message, @"\s+", " ").Trim();
        var option = error.SymbolResult switch
        {
            OptionResult result => result.Option,
            ArgumentResult { Parent: OptionResult result } => result.Option,
            _ => null,
        };
        return option is null || message.Contains(option.Name, StringComparison.Ordinal) ? message : $"{option.Name}: {message}";
    }

    private static string CommandPath(CommandResult result)
    {
        string path = result.Command.Name;
        for (SymbolResult? parent = result.Parent; parent is CommandResult command && parent.Parent is not null; parent = parent.Parent)
        {
            path = $"{command.Command.Name} {path}";
        }

        return path;
    }
}
