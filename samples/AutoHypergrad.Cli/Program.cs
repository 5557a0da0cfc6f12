using System;
using System.Linq;
using AutoHypergrad.Cli.Commands;

namespace AutoHypergrad.Cli;

internal static class Program
{
    private const string Usage = "usage: autohypergrad [<command>] [--help]";

    private static readonly ICommand[] Commands = [new StepDerivativesCommand()];

    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Commands[0].Run([]);
        }

        if (CommandLine.IsHelp(args[0]))
        {
            PrintHelp();
            return CommandLine.Success;
        }

        ICommand? command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            string what = args[0].StartsWith('-') ? "argument" : "command";
            return CommandLine.UsageError($"unknown {what} '{args[0]}'", Usage);
        }

        return command.Run(args[1..]);
    }

    private static void PrintHelp()
    {
        Console.WriteLine("autohypergrad: optimizer steps differentiated at compile time.");
        Console.WriteLine();
        Console.WriteLine(Usage);
        Console.WriteLine();
        Console.WriteLine("commands:");
        foreach (ICommand command in Commands)
        {
            Console.WriteLine($"  {command.Name,-20}{command.Summary}");
        }

        Console.WriteLine();
        Console.WriteLine($"With no command, runs {Commands[0].Name}. 'autohypergrad <command> --help' describes a command.");
    }
}
