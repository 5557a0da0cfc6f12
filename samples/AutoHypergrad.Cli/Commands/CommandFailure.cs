using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Engines;

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
            return Fail(e.Message, CommandLine.UsageErrorExitCode);
        }
        catch (NonFiniteValueException e)
        {
            return Fail(MessageOf(e) + SquareRootHint(parse, e), CommandLine.CheckFailed);
        }
        catch (Exception e)
        {
            // Data, I/O, non-finite values, a refused checkpoint, a model that does not fit the data: one line, no trace.
            return Fail(MessageOf(e), CommandLine.CheckFailed);
        }
    }

    /// <summary>
    /// For a derivative that is not finite under an optimizer that divides by √v̂: where v̂ = 0 (a weight whose gradient
    /// has been 0 all along) √ has an infinite derivative, and the option that moves ε under the root avoids it.
    /// </summary>
    private static string SquareRootHint(ParseResult parse, NonFiniteValueException e)
    {
        string? name = parse.GetValue(RunOptionSet.Optimizer);
        bool derivative = e.Quantity.Contains("adjoint", StringComparison.Ordinal) || e.Quantity.Contains("tangent", StringComparison.Ordinal);
        return name is not null && derivative && Optimizers.Optimizers.Find(name).Options.Contains("epsInsideSqrt")
            ? " The step divides by √v̂, whose derivative is infinite where v̂ = 0 (a weight whose gradient has always been 0, such as an MNIST border pixel's); --set epsInsideSqrt=1 differentiates √(v̂ + eps) instead."
            : string.Empty;
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"autohypergrad: error: {message}");
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
