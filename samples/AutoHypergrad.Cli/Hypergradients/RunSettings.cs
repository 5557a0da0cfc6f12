using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Domains;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// What <c>--set</c>, <c>--hyper</c> and <c>--domain</c> say, checked against the optimizer: the values of its
/// hyperparameters, of the loss blocks and of the step options; the tuned names; the loss blocks the objective needs;
/// and the domains chosen on the command line.
/// </summary>
/// <param name="OptimizerValues">Every optimizer hyperparameter's value, in the descriptor's order.</param>
/// <param name="LossValues">The loss blocks set (a scalar fills its block).</param>
/// <param name="StepOptions">The step's options by name (<c>epsInsideSqrt</c>).</param>
/// <param name="Tuned">The names of λ's blocks, in order (<c>lr</c>, <c>lr:per-step</c>, <c>weights</c>, <c>w0</c>).</param>
/// <param name="LossFlags">The loss blocks named in <c>--set</c> or <c>--hyper</c>.</param>
/// <param name="Domains">The domains given with <c>--domain</c>, by block name.</param>
internal sealed record RunSettings(
    double[] OptimizerValues,
    IReadOnlyDictionary<string, double> LossValues,
    IReadOnlyDictionary<string, double> StepOptions,
    IReadOnlyList<string> Tuned,
    LossHyperparameters LossFlags,
    IReadOnlyDictionary<string, Domain> Domains)
{
    /// <summary>
    /// Reads the three options for a run of <paramref name="optimizer"/> (null: an implicit run, loss blocks only);
    /// every mistake is a <see cref="UsageException"/> naming the text and the valid names.
    /// </summary>
    public static RunSettings Parse(Optimizer? optimizer, IEnumerable<string> set, IEnumerable<string> hyper, IEnumerable<string> domains)
    {
        var optimizerNames = optimizer?.Hyperparameters.Select(h => h.Name).ToArray() ?? [];
        var stepOptionNames = optimizer?.Options.Where(o => o != "t").ToArray() ?? [];
        var values = optimizer?.ValuesArray() ?? [];
        string runs = optimizer is null ? "implicit" : optimizer.Name;
        var loss = new Dictionary<string, double>();
        var stepOptions = new Dictionary<string, double>();
        var flags = LossHyperparameters.None;
        foreach (var (name, text) in Pairs(set, "--set", "NAME=VALUE"))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new UsageException($"--set {name}={text}: '{text}' is not a finite number.");
            }

            int index = Array.IndexOf(optimizerNames, name);
            if (index >= 0)
            {
                values[index] = value;
            }
            else if (LossBlocks.Flags.TryGetValue(name, out var flag))
            {
                loss[name] = value;
                flags |= flag;
            }
            else if (stepOptionNames.Contains(name))
            {
                stepOptions[name] = value;
            }
            else
            {
                var valid = optimizerNames.Concat(LossBlocks.Flags.Keys).Concat(stepOptionNames);
                throw new UsageException($"--set: unknown name '{name}'; {runs} runs accept {string.Join(", ", valid)}.");
            }
        }

        var tuned = new List<string>();
        foreach (string spec in List(hyper))
        {
            string name = spec.EndsWith(HyperparameterSpace.PerStepSuffix, StringComparison.Ordinal) ? spec[..^HyperparameterSpace.PerStepSuffix.Length] : spec;
            bool perStep = name.Length != spec.Length;
            if (optimizerNames.Contains(name))
            {
                // An optimizer hyperparameter is tuned as one value or one per step.
            }
            else if (!perStep && LossBlocks.Flags.TryGetValue(name, out var flag))
            {
                flags |= flag;
            }
            else if (perStep || name != HyperparameterSpace.InitialWeightsName || optimizer is null)
            {
                var valid = optimizerNames.SelectMany(n => new[] { n, n + HyperparameterSpace.PerStepSuffix })
                    .Concat(LossBlocks.Flags.Keys).Concat(optimizer is null ? [] : [HyperparameterSpace.InitialWeightsName]);
                throw new UsageException($"--hyper: unknown hyperparameter '{spec}'; {runs} runs can tune {string.Join(", ", valid)}.");
            }

            if (tuned.Any(t => t == name || t.StartsWith(name + ":", StringComparison.Ordinal)))
            {
                throw new UsageException($"--hyper: '{name}' is tuned twice.");
            }

            tuned.Add(spec);
        }

        var chosen = new Dictionary<string, Domain>();
        var blockNames = tuned.Select(t => t.Split(':')[0]).ToArray();
        foreach (var (name, text) in Pairs(domains, "--domain", "NAME=SPEC"))
        {
            if (!blockNames.Contains(name))
            {
                throw new UsageException($"--domain {name}={text}: '{name}' is not tuned; the tuned hyperparameters are {string.Join(", ", blockNames)}.");
            }

            try
            {
                chosen[name] = Domain.Parse(text);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--domain {name}={text}: {e.Message}");
            }
        }

        return new RunSettings(values, loss, stepOptions, tuned, flags, chosen);
    }

    /// <summary>Comma-separated items of every occurrence of an option.</summary>
    public static IEnumerable<string> List(IEnumerable<string> occurrences)
        => occurrences.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<(string Name, string Value)> Pairs(IEnumerable<string> occurrences, string option, string form)
    {
        foreach (string item in List(occurrences))
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"{option}: '{item}' is not {form}.");
            }

            yield return (item[..equals].Trim(), item[(equals + 1)..].Trim());
        }
    }
}
