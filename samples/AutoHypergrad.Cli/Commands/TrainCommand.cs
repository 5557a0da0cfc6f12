using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Cli.Hypergradients;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Experiments;
using AutoHypergrad.Objectives.Models;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// <c>autohypergrad train</c>: T training steps with the optimizer's learning rate adapted online by hypergradient
/// descent (Baydin et al. 2018), or fixed (<c>--lr-optimizer none</c>); the loss and α of every step.
/// </summary>
internal static class TrainCommand
{
    private static readonly Option<string> LearningRateOptimizerOption = new Option<string>("--lr-optimizer")
    {
        DefaultValueFactory = _ => "hd",
        Description = "How α moves along its hypergradient h: none (fixed), hd (α ← α − βh), hd-momentum (μ = 0.9), hd-adam (β1 = 0.9, β2 = 0.999, ε = 1e-8).",
    }.AcceptOnlyFromAmong("none", "hd", "hd-momentum", "hd-adam");
    private static readonly Option<double> Beta = new("--beta") { HelpName = "β", DefaultValueFactory = _ => 1e-7, Description = "The learning rate of α." };
    private static readonly Option<double?> LrMin = new("--lr-min") { HelpName = "X", Description = $"The lowest α [default: {Domain.DefaultFloor.ToString(CultureInfo.InvariantCulture)}]." };
    private static readonly Option<double?> LrMax = new("--lr-max") { HelpName = "X", Description = "The highest α [default: none]." };
    private static readonly Option<int> ValidateEvery = new("--validate-every") { HelpName = "K", Description = "Also evaluate the validation loss every K steps [default: 0, at the end only]." };

    public static Command Create()
    {
        var command = new Command(
            "train",
            "Trains for T steps with the optimizer's learning rate α adapted online by hypergradient descent: h_t = ∇f(θ_{t−1})·∂u_{t−1}/∂α, " +
            "with ∂u/∂α the generated tangent of the step along lr, for any optimizer. Exit code 0 on success, 1 if the run fails, 2 on a usage error.");
        Option[] options =
        [
            RunOptionSet.Train, RunOptionSet.Val, RunOptionSet.Model, RunOptionSet.Hidden, RunOptionSet.ActivationOption, RunOptionSet.Optimizer,
            RunOptionSet.Set, RunOptionSet.Steps, RunOptionSet.Batch, RunOptionSet.Seed, RunOptionSet.Init, RunOptionSet.Precision,
            LearningRateOptimizerOption, Beta, LrMin, LrMax, ValidateEvery, RunOptionSet.Json,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
        => CommandFailure.Guard(parse, (commandLine, clock) =>
        {
            var run = RunOptionSet.Read(parse, [], [], "train needs --optimizer: the optimizer whose learning rate it adapts.");
            var (rule, beta, settings) = Read(parse);
            var data = TrainingData.Load(run.Train, run.Validation, regression: run.Model == ModelKind.Linear);
            return run.SinglePrecision
                ? Execute<float>(run, rule, beta, settings, data, commandLine, clock)
                : Execute<double>(run, rule, beta, settings, data, commandLine, clock);
        });

    private static (ILearningRateOptimizer Rule, double Beta, HypergradientDescentOptions Options) Read(ParseResult parse)
    {
        double beta = parse.GetValue(Beta);
        if (!(beta > 0) || !double.IsFinite(beta))
        {
            throw new UsageException(FormattableString.Invariant($"--beta {beta}: the learning rate of α must be positive and finite."));
        }

        double floor = parse.GetValue(LrMin) ?? Domain.DefaultFloor;
        double ceiling = parse.GetValue(LrMax) ?? double.PositiveInfinity;
        if (!(floor > 0) || !double.IsFinite(floor) || !(ceiling >= floor))
        {
            throw new UsageException(FormattableString.Invariant($"--lr-min {floor}, --lr-max {ceiling}: α's bounds must satisfy 0 < min ≤ max."));
        }

        int validateEvery = parse.GetValue(ValidateEvery);
        if (validateEvery < 0)
        {
            throw new UsageException($"--validate-every {validateEvery}: must be 0 or more.");
        }

        var rule = LearningRateOptimizer.Parse(parse.GetValue(LearningRateOptimizerOption)!, beta);
        return (rule, beta, new HypergradientDescentOptions { Floor = floor, Ceiling = ceiling, ValidationInterval = validateEvery });
    }

    private static int Execute<T>(RunOptions run, ILearningRateOptimizer rule, double beta, HypergradientDescentOptions settings, TrainingData data, string commandLine, Stopwatch clock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // RunOptionSet.Read required --optimizer, so the run has one; hypergradient descent moves lr itself.
        var optimizer = run.Optimizer!;
        using var ranks = MpiLaunch.Join();
        var training = new TrainingProblem<T>(run, data, [], ranks);
        var problem = training.Problem;
        double start = problem.Space.OptimizerValues[optimizer.Hyperparameters.ToList().FindIndex(h => h.Name == HypergradientDescent<T>.LearningRateName)];
        if (start < settings.Floor || start > settings.Ceiling)
        {
            throw new UsageException(FormattableString.Invariant($"lr = {start} lies outside [--lr-min {settings.Floor}, --lr-max {settings.Ceiling}]; choose another with --set lr=X."));
        }

        var result = EngineProgressBar.Run(0, bar => problem.HypergradientDescent(rule, settings, bar));
        var (validationLoss, validationAccuracy) = training.Validation.Evaluate(result.State.AsSpan(0, problem.Training.ParameterCount), training.ValidationData);

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{optimizer.Name} with --lr-optimizer {rule.Name} ({run.Precision}, T = {run.Steps}):")));
        var table = new Table().AddColumns("quantity", "value");
        table.Columns[1].RightAligned();
        table.AddRow("initial α", Number(start));
        table.AddRow(optimizer.HasPerElementHyperparameters ? "final α (mean over the parameters)" : "final α", Number(result.FinalLearningRate));
        table.AddRow("final training loss", Number(result.Losses[^1]));
        table.AddRow("validation loss", Number(validationLoss));
        if (!double.IsNaN(validationAccuracy))
        {
            table.AddRow("validation accuracy", Number(validationAccuracy));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:F2} s.")));
        if (RankTraffic.Of(ranks) is { } traffic)
        {
            AnsiConsole.MarkupLine(Markup.Escape(traffic.ToString()));
        }

        if (run.Json is not null && (ranks?.IsRoot ?? true))
        {
            JsonFile.Write(run.Json, new Dictionary<string, object?>
            {
                ["optimizer"] = optimizer.Name,
                ["lrOptimizer"] = rule.Name,
                ["beta"] = rule.Adapts ? beta : null,
                ["precision"] = run.Precision,
                ["steps"] = run.Steps,
                ["loss"] = result.Losses,
                ["lr"] = result.LearningRates,
                ["hypergradient"] = result.Hypergradients,
                ["validation"] = result.Validation.Select(v => new { step = v.Step, loss = v.Loss }).ToArray(),
                ["validationLoss"] = validationLoss,
                ["validationAccuracy"] = double.IsNaN(validationAccuracy) ? null : validationAccuracy,
                ["finalLr"] = result.FinalLearningRate,
                ["processes"] = ranks?.Size ?? 1,
                ["traffic"] = RankTraffic.Of(ranks),
                ["seconds"] = clock.Elapsed.TotalSeconds,
                ["command"] = commandLine,
            });
        }

        return CommandLine.Success;
    }

    private static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);
}
