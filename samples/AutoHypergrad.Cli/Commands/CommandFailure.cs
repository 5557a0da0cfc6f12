using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AutoHypergrad.Cli.Hypergradients;

namespace AutoHypergrad.Cli.Commands;

/// <summary>How the training commands end on an error: one <c>autohypergrad: error:</c> line on standard error, no trace, a non-zero exit.</summary>
internal static class CommandFailure
{
    /// <summary>
    /// Runs <paramref name="body"/> with the command line as typed and a clock started now: a <see cref="UsageException"/>
    /// exits with <see cref="CommandLine.UsageErrorExitCode"/>, any other exception with <see cref="CommandLine.CheckFailed"/>.
    /// </summary>
    public static int Guard(ParseResult parse, Func<string, Stopwatch, int> body)
    {
        var clock = Stopwatch.StartNew();
        string commandLine = "autohypergrad " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
        try
        {
            return body(commandLine, clock);
        }
        catch (UsageException e)
        {
            return Fail(e.Message, CommandLine.UsageErrorExitCode, everyRank: true);
        }
        catch (Exception e)
        {
            // Data, I/O, non-finite values, a refused checkpoint, a model that does not fit the data: one line, no trace.
            return Fail(MessageOf(e), CommandLine.CheckFailed, everyRank: e is ArgumentException or InvalidDataException or IOException);
        }
    }

    /// <summary>
    /// Prints the error line. Under <c>mpiexec</c>, an error that <paramref name="everyRank"/> meets the same way (the
    /// command line, the input files, the data's split) is printed by rank 0 alone, so a bad input gives one line
    /// however many ranks there are; any other error is a rank's own, and that rank prints it with its number.
    /// </summary>
    private static int Fail(string message, int exitCode, bool everyRank)
    {
        int rank = MpiLaunch.Rank;
        if (rank == 0)
        {
            Console.Error.WriteLine($"autohypergrad: error: {message}");
        }
        else if (!everyRank)
        {
            Console.Error.WriteLine($"autohypergrad: error on rank {rank}: {message}");
        }

        return exitCode;
    }

    /// <summary>One line: the exception's message without the parameter-name suffix or line breaks.</summary>
    private static string MessageOf(Exception e)
    {
        string message = e is ArgumentException argument && argument.ParamName is not null
            ? argument.Message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal)
            : e.Message;
        if (e is DirectoryNotFoundException or FileNotFoundException && e.Message.StartsWith("Could not find", StringComparison.Ordinal))
        {
            message = $"{e.Message} (no such file or directory)";
        }

        return message.ReplaceLineEndings(" ");
    }
}
