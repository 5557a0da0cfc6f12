using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Cli.Objectives;
using AutoHypergrad.Experiments;
using AutoHypergrad.Objectives.Checking;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad gradcheck</c>: checks every built-in objective (model × loss × loss hyperparameter) and a
/// user-written one against central finite differences in double.
/// </summary>
internal static class GradCheckCommand
{
    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Also write the results to FILE as JSON (atomically).", HelpName = "FILE" };
        var filter = new Option<string?>("--filter") { Description = "Only the objectives whose name contains TEXT.", HelpName = "TEXT" };
        var command = new Command(
            "gradcheck",
            "Checks the gradient, the Hessian-vector product, both cross products with the loss hyperparameters and ∂J/∂λ " +
            "of every built-in model × loss × loss hyperparameter, and of a user-written [Differentiable(Order = 2)] loss, " +
            "against central finite differences in double, and the Hessian's symmetry. Exit code 1 if any check fails.");
        command.Options.Add(json);
        command.Options.Add(filter);
        command.SetAction(result => Run(result.GetValue(filter), result.GetValue(json)));
        return command;
    }

    /// <summary>The built-in objectives, then the sample's user-written one.</summary>
    public static IEnumerable<ObjectiveCheckCase> Cases()
        => BuiltInObjectiveChecks.All().Append(BuiltInObjectiveChecks.At(
            "user: CauchyRegression [featureL2]",
            CauchyRegression.Objective(BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 21)),
            seed: 77,
            BuiltInObjectiveChecks.FirstSixteenShuffled(77)));

    private static int Run(string? filter, string? jsonPath)
    {
        var cases = Cases().Where(c => filter is null || c.Name.Contains(filter, System.StringComparison.OrdinalIgnoreCase)).ToList();
        if (cases.Count == 0)
        {
            AnsiConsole.MarkupLine($"[red]No objective matches[/] '{Markup.Escape(filter ?? string.Empty)}'.");
            return CommandLine.UsageErrorExitCode;
        }

        var results = new List<CheckResult>();
        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("Checking objectives", maxValue: cases.Count);
            foreach (var check in cases)
            {
                results.AddRange(check.Run());
                task.Increment(1);
            }
        });

        var table = new Table().Title("Objective derivatives against finite differences (double)")
            .AddColumns("objective", "check", "relative error", "tolerance", "");
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Objective),
                Markup.Escape(r.Check),
                r.RelativeError.ToString("0.0E+0", CultureInfo.InvariantCulture),
                r.Tolerance.ToString("0E+0", CultureInfo.InvariantCulture),
                r.Passed ? "[green]ok[/]" : "[red]FAIL[/]");
        }

        AnsiConsole.Write(table);
        int failed = results.Count(r => !r.Passed);
        AnsiConsole.MarkupLine(failed == 0
            ? $"[green]All {results.Count} checks of {cases.Count} objectives pass.[/]"
            : $"[red]{failed} of {results.Count} checks fail.[/]");
        if (jsonPath is not null)
        {
            JsonFile.Write(jsonPath, new
            {
                rows = results.Select(r => new { name = r.Objective, check = r.Check, relativeError = r.RelativeError, tolerance = r.Tolerance, passed = r.Passed }),
                passed = failed == 0,
            });
        }

        return failed == 0 ? CommandLine.Success : CommandLine.CheckFailed;
    }
}
