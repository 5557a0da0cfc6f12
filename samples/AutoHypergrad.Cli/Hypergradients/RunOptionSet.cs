using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// The command-line options every training command shares (<c>hypergrad</c>, <c>train</c>): the data, the model, the
/// optimizer and its <c>--set</c> values, the steps, the batches, the precision and <c>--json</c>; defined and read
/// once here.
/// </summary>
internal static class RunOptionSet
{
    public static readonly Option<string> Train = new("--train") { Required = true, HelpName = "DATA", Description = $"The training set: {TrainingData.Forms}." };
    public static readonly Option<string> Val = new("--val") { Required = true, HelpName = "DATA", Description = "The validation set, in the same forms; E is its mean loss, unregularized." };
    public static readonly Option<string> Model = new Option<string>("--model") { Required = true, Description = "The model: softmax, logistic or mlp (classification), linear (regression)." }
        .AcceptOnlyFromAmong("softmax", "logistic", "linear", "mlp");
    public static readonly Option<string?> Hidden = new("--hidden") { HelpName = "W,W", Description = "The MLP's hidden widths [default: 100]." };
    public static readonly Option<string> ActivationOption = new Option<string>("--activation") { DefaultValueFactory = _ => "tanh", Description = "The MLP's nonlinearity." }
        .AcceptOnlyFromAmong("tanh", "relu", "sigmoid");
    /// <summary>Not required by the parser: a command reads it with <see cref="Read"/>, which says whether and why it needs one.</summary>
    public static readonly Option<string?> Optimizer = new Option<string?>("--optimizer") { Description = "The training optimizer (required, but for hypergrad --mode implicit)." }
        .AcceptOnlyFromAmong(Optimizers.Optimizers.All.Select(d => d.Name.ToLowerInvariant()).ToArray());
    public static readonly Option<string[]> Set = new("--set")
    {
        HelpName = "NAME=VALUE,…",
        Description = "Values of the optimizer's hyperparameters (defaults from the optimizer), loss blocks (l2, featureL2, logFeatureL2, weights, taskMatrix, rho: a value fills the block and adds it to the loss) and step options (epsInsideSqrt=1).",
    };
    public static readonly Option<int> Steps = new("--steps") { DefaultValueFactory = _ => 30, Description = "Training steps T." };
    public static readonly Option<int?> Batch = new("--batch") { HelpName = "N", Description = "Examples per step, shuffled per epoch with --seed [default: full batch]." };
    public static readonly Option<ulong> Seed = new("--seed") { DefaultValueFactory = _ => 1UL, Description = "Seed of the batches and of random initial weights." };
    public static readonly Option<string?> Init = new Option<string?>("--init") { Description = "Initial weights [default: zeros for linear models, random for mlp]." }
        .AcceptOnlyFromAmong("zeros", "random");
    public static readonly Option<string> Precision = new Option<string>("--precision") { DefaultValueFactory = _ => "double", Description = "The arithmetic of the run." }
        .AcceptOnlyFromAmong("float", "double");
    public static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results to FILE as JSON (atomically, at the end)." };

    /// <summary>
    /// The shared options, checked beyond what the parser checks; <paramref name="hyper"/> and <paramref name="domains"/>
    /// are the command's tuned blocks and their domains. <paramref name="optimizerRequired"/> is the usage error when
    /// <c>--optimizer</c> is missing, or null for a run without one (its <see cref="RunOptions.Optimizer"/> is then null).
    /// </summary>
    public static RunOptions Read(ParseResult parse, IEnumerable<string> hyper, IEnumerable<string> domains, string? optimizerRequired)
    {
        string? name = parse.GetValue(Optimizer);
        var optimizer = name is not null
            ? Optimizers.Optimizers.Find(name)
            : optimizerRequired is null ? null : throw new UsageException(optimizerRequired);
        var model = Enum.Parse<ModelKind>(parse.GetValue(Model)!, ignoreCase: true);
        string? hidden = parse.GetValue(Hidden);
        int[] widths = model != ModelKind.Mlp
            ? (hidden is null ? [] : throw new UsageException($"--hidden is for --model mlp, not {model.ToString().ToLowerInvariant()}."))
            : RunSettings.List([hidden ?? "100"]).Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw new UsageException($"--hidden {hidden}: '{w}' is not a positive width.")).ToArray();
        string? init = parse.GetValue(Init);
        return new RunOptions
        {
            Train = parse.GetValue(Train)!,
            Validation = parse.GetValue(Val)!,
            Model = model,
            Hidden = widths,
            Activation = Enum.Parse<Activation>(parse.GetValue(ActivationOption)!, ignoreCase: true),
            Optimizer = optimizer,
            Settings = RunSettings.Parse(optimizer, parse.GetValue(Set) ?? [], hyper, domains),
            Steps = Positive(parse.GetValue(Steps), "--steps"),
            Batch = parse.GetValue(Batch) is { } batch ? Positive(batch, "--batch") : null,
            Seed = parse.GetValue(Seed),
            RandomInit = init is null ? model == ModelKind.Mlp : init == "random",
            SinglePrecision = parse.GetValue(Precision) == "float",
            Json = parse.GetValue(Json),
        };
    }

    /// <summary>A count that must be at least 1.</summary>
    public static int Positive(int value, string option)
        => value > 0 ? value : throw new UsageException($"{option} {value}: must be at least 1.");
}
