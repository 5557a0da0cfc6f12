using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// Takes one optimizer step at a fixed state and differentiates the new weight with respect to each
/// hyperparameter three ways: the generated tangent (one call per direction), the generated adjoint
/// (one call for all of them) and central finite differences of the primal step.
/// </summary>
internal static class StepDerivativesCommand
{
    /// <summary>Tangent and adjoint compute the same sums in different orders: they agree to rounding.</summary>
    private const double AdjointTolerance = 1e-10;

    /// <summary>Central differences with <see cref="FiniteDifferenceStep"/> are good to about 1e-7 here.</summary>
    private const double FiniteDifferenceTolerance = 1e-6;

    /// <summary>Relative to max(|λ|, 1); small enough for beta2 near 1, large enough to keep rounding away.</summary>
    private const double FiniteDifferenceStep = 1e-6;

    private const string Summary = "∂w′/∂λ of an Adam and a momentum step: tangent, adjoint, finite differences";

    private const string Details =
        "Takes one Adam step and one heavy-ball momentum step at a fixed state and prints the new state and the derivative " +
        "of the new weight w′ with respect to each hyperparameter λ, computed three ways: the generated StepTangent (one call " +
        "per hyperparameter), the generated StepAdjoint (one call with w̄′ = 1 giving every ∂w′/∂λ at once) and central " +
        "finite differences of the primal Step, with their relative differences. Exit code 0 if they agree, 1 if they do " +
        "not, 2 on a usage error.";

    public static Command Create()
    {
        var command = new Command("step-derivatives", $"{Summary}. {Details}");
        command.SetAction(_ => Run());
        return command;
    }

    /// <summary>Makes step-derivatives the action of <paramref name="root"/>: what runs with no command.</summary>
    public static void AttachTo(RootCommand root) => root.SetAction(_ => Run());

    private static int Run()
    {
        bool allAgree = true;
        foreach (OptimizerStepCase stepCase in new[] { OptimizerStepCases.Adam(), OptimizerStepCases.HeavyBallMomentum() })
        {
            allAgree &= Report(stepCase);
        }

        AnsiConsole.WriteLine();
        string tolerances = $"Δ adjoint ≤ {Format.Scientific(AdjointTolerance)}, Δ finite ≤ {Format.Scientific(FiniteDifferenceTolerance)}";
        AnsiConsole.MarkupLine(allAgree
            ? $"[green]All derivatives agree[/]: {Markup.Escape(tolerances)}."
            : $"[red]Some derivatives disagree[/]: wanted {Markup.Escape(tolerances)}.");
        return allAgree ? CommandLine.Success : CommandLine.CheckFailed;
    }

    /// <summary>Prints the step and its derivatives; returns whether the three ways agree.</summary>
    private static bool Report(OptimizerStepCase stepCase)
    {
        double[] hyper = stepCase.HyperparameterValues();
        NamedValue[] newState = stepCase.Step(hyper);

        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(stepCase.Title)}[/]").LeftJustified());
        AnsiConsole.Write(StateTable(stepCase, newState));

        double[] adjoint = stepCase.WeightAdjoint(hyper);
        var derivatives = new Table()
            .Title("∂w′/∂λ")
            .AddColumn("λ")
            .AddColumn(new TableColumn("tangent").RightAligned())
            .AddColumn(new TableColumn("adjoint").RightAligned())
            .AddColumn(new TableColumn("finite diff.").RightAligned())
            .AddColumn(new TableColumn("Δ adjoint").RightAligned())
            .AddColumn(new TableColumn("Δ finite").RightAligned())
            .Caption("Δ x = |x − tangent| / max(|x|, |tangent|)");

        bool agree = true;
        for (int i = 0; i < hyper.Length; i++)
        {
            double tangent = stepCase.WeightTangent(hyper, UnitVector(hyper.Length, i));
            double finite = CentralDifference(stepCase, hyper, i);
            double adjointError = RelativeDifference(adjoint[i], tangent);
            double finiteError = RelativeDifference(finite, tangent);
            agree &= adjointError <= AdjointTolerance && finiteError <= FiniteDifferenceTolerance;

            derivatives.AddRow(
                new Text(stepCase.Hyperparameters[i].Name),
                new Text(Format.Value(tangent)),
                new Text(Format.Value(adjoint[i])),
                new Text(Format.Value(finite)),
                Verdict(adjointError, AdjointTolerance),
                Verdict(finiteError, FiniteDifferenceTolerance));
        }

        AnsiConsole.Write(derivatives);
        return agree;
    }

    private static Table StateTable(OptimizerStepCase stepCase, NamedValue[] newState)
    {
        var table = new Table()
            .AddColumn("input")
            .AddColumn(new TableColumn("value").RightAligned())
            .AddColumn(new TableColumn("after the step").RightAligned());
        var updated = new Dictionary<string, double>();
        foreach (NamedValue state in newState)
        {
            updated[state.Name] = state.Value;
        }

        foreach (NamedValue input in stepCase.Inputs)
        {
            string after = updated.TryGetValue(input.Name, out double value) ? Format.Value(value) : string.Empty;
            table.AddRow(new Text(input.Name), new Text(Format.Value(input.Value)), new Text(after));
        }

        foreach (NamedValue hyperparameter in stepCase.Hyperparameters)
        {
            table.AddRow(new Text($"{hyperparameter.Name} (λ)"), new Text(Format.Value(hyperparameter.Value)), new Text(string.Empty));
        }

        return table;
    }

    private static double CentralDifference(OptimizerStepCase stepCase, double[] hyper, int index)
    {
        double step = FiniteDifferenceStep * Math.Max(Math.Abs(hyper[index]), 1.0);
        double[] plus = (double[])hyper.Clone();
        double[] minus = (double[])hyper.Clone();
        plus[index] += step;
        minus[index] -= step;
        double weightPlus = stepCase.Step(plus)[0].Value;
        double weightMinus = stepCase.Step(minus)[0].Value;
        return (weightPlus - weightMinus) / (2 * step);
    }

    private static double[] UnitVector(int length, int index)
    {
        double[] direction = new double[length];
        direction[index] = 1.0;
        return direction;
    }

    private static double RelativeDifference(double a, double b)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale == 0 ? 0 : Math.Abs(a - b) / scale;
    }

    private static Markup Verdict(double relativeDifference, double tolerance)
    {
        string color = relativeDifference <= tolerance ? "green" : "red";
        return new Markup($"[{color}]{Format.Scientific(relativeDifference)}[/]");
    }

    private static class Format
    {
        public static string Value(double value) => value.ToString("G8", CultureInfo.InvariantCulture);

        public static string Scientific(double value) => value.ToString("0.0E+0", CultureInfo.InvariantCulture);
    }
}
