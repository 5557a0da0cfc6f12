using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Dynamics;

/// <summary>What a tuned block of λ sets in a training run.</summary>
public enum HyperparameterKind
{
    /// <summary>A <c>[Hyper]</c> parameter of the optimizer's step (lr, mu, beta1, …): one value, or one per step.</summary>
    Optimizer,

    /// <summary>A block of the loss hyperparameters λ_J (weights, l2, featureL2, taskMatrix, …).</summary>
    Loss,

    /// <summary>The initial weights w_0.</summary>
    InitialWeights,
}

/// <summary>One tuned block of the flat hyperparameter vector λ: λ[Offset .. Offset + Length).</summary>
/// <param name="Name">The name on the command line: <c>lr</c>, <c>weights</c>, <c>w0</c>.</param>
/// <param name="Kind">What it sets.</param>
/// <param name="Offset">Where the block starts in λ.</param>
/// <param name="Length">Its length: 1, the number of steps (a per-step schedule), the number of weights (a per-parameter optimizer hyperparameter or w_0) or a loss block's length.</param>
/// <param name="Source">The index of the optimizer's hyperparameter, or the offset of the loss block in λ_J; 0 for w_0.</param>
/// <param name="PerStep">Whether an optimizer hyperparameter has one value per step (λ[Offset + t − 1] at step t).</param>
public sealed record TunedHyperparameter(string Name, HyperparameterKind Kind, int Offset, int Length, int Source, bool PerStep);

/// <summary>
/// The hyperparameters of a training run: which ones are tuned (the flat vector λ the engines differentiate with
/// respect to) and the values of all of them. Tuned names are an optimizer hyperparameter (<c>lr</c>), the same with
/// one value per step (<c>lr:per-step</c>), a loss block (<c>l2</c>, <c>weights</c>) or the initial weights (<c>w0</c>).
/// An optimizer hyperparameter that is per element (the learning rates of <c>SgdPerParameter</c>) is tuned as one value
/// per weight.
/// </summary>
public sealed class HyperparameterSpace
{
    /// <summary>The suffix that makes an optimizer hyperparameter a per-step schedule.</summary>
    public const string PerStepSuffix = ":per-step";

    /// <summary>The name that tunes the initial weights.</summary>
    public const string InitialWeightsName = "w0";

    private HyperparameterSpace(
        IReadOnlyList<TunedHyperparameter> tuned,
        IReadOnlyList<string> optimizerNames,
        IReadOnlyList<bool> optimizerPerElement,
        double[] optimizerValues,
        HyperparameterLayout lossLayout,
        double[] lossValues,
        double[] initialWeights,
        int steps)
    {
        Tuned = tuned;
        OptimizerNames = optimizerNames;
        OptimizerPerElement = optimizerPerElement;
        OptimizerValues = optimizerValues;
        LossLayout = lossLayout;
        LossValues = lossValues;
        InitialWeights = initialWeights;
        Steps = steps;
        Count = tuned.Sum(b => b.Length);
    }

    /// <summary>The tuned blocks, in the order of λ.</summary>
    public IReadOnlyList<TunedHyperparameter> Tuned { get; }

    /// <summary>The length of λ.</summary>
    public int Count { get; }

    /// <summary>The number of steps of the run (the length of a per-step schedule).</summary>
    public int Steps { get; }

    /// <summary>The names of the optimizer's hyperparameters, in the order of its step.</summary>
    public IReadOnlyList<string> OptimizerNames { get; }

    /// <summary>Whether each optimizer hyperparameter has one value per weight.</summary>
    public IReadOnlyList<bool> OptimizerPerElement { get; }

    /// <summary>The value of every optimizer hyperparameter (the start of a tuned one; every weight's, for a per-element one).</summary>
    public IReadOnlyList<double> OptimizerValues { get; }

    /// <summary>The loss hyperparameters' layout.</summary>
    public HyperparameterLayout LossLayout { get; }

    /// <summary>λ_J: the value of every loss hyperparameter (the start of a tuned block).</summary>
    public IReadOnlyList<double> LossValues { get; }

    /// <summary>w_0 (the start when it is tuned).</summary>
    public IReadOnlyList<double> InitialWeights { get; }

    /// <summary>
    /// The space of a run with the optimizer hyperparameters <paramref name="optimizerNames"/> at
    /// <paramref name="optimizerValues"/>, the loss hyperparameters <paramref name="lossLayout"/> at
    /// <paramref name="lossValues"/> and initial weights <paramref name="initialWeights"/>, tuning
    /// <paramref name="tuned"/>. <paramref name="optimizerPerElement"/> says which optimizer hyperparameters have one
    /// value per weight (null: none).
    /// </summary>
    /// <exception cref="ArgumentException">A tuned name is unknown or repeated, or a length does not match.</exception>
    public static HyperparameterSpace Create(
        IReadOnlyList<string> optimizerNames,
        IReadOnlyList<double> optimizerValues,
        HyperparameterLayout lossLayout,
        IReadOnlyList<double> lossValues,
        IReadOnlyList<double> initialWeights,
        int steps,
        IEnumerable<string> tuned,
        IReadOnlyList<bool>? optimizerPerElement = null)
    {
        var perElement = optimizerPerElement?.ToArray() ?? new bool[optimizerNames.Count];
        if (perElement.Length != optimizerNames.Count)
        {
            throw new ArgumentException($"{perElement.Length} per-element flags for {optimizerNames.Count} optimizer hyperparameters.", nameof(optimizerPerElement));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (optimizerValues.Count != optimizerNames.Count)
        {
            throw new ArgumentException($"{optimizerValues.Count} optimizer values for {optimizerNames.Count} hyperparameters.", nameof(optimizerValues));
        }

        if (lossValues.Count != lossLayout.Count)
        {
            throw new ArgumentException($"{lossValues.Count} loss hyperparameter values for a layout of {lossLayout.Count}.", nameof(lossValues));
        }

        var blocks = new List<TunedHyperparameter>();
        int offset = 0;
        foreach (string spec in tuned)
        {
            string name = spec.EndsWith(PerStepSuffix, StringComparison.Ordinal) ? spec[..^PerStepSuffix.Length] : spec;
            bool perStep = name.Length != spec.Length;
            if (blocks.Any(b => b.Name == name))
            {
                throw new ArgumentException($"The hyperparameter '{name}' is tuned twice.", nameof(tuned));
            }

            int optimizerIndex = IndexOf(optimizerNames, name);
            TunedHyperparameter block;
            if (optimizerIndex >= 0 && perElement[optimizerIndex] && perStep)
            {
                throw new ArgumentException($"'{spec}': '{name}' has one value per weight already; it cannot also have one per step.", nameof(tuned));
            }
            else if (optimizerIndex >= 0)
            {
                int length = perElement[optimizerIndex] ? initialWeights.Count : perStep ? steps : 1;
                block = new(name, HyperparameterKind.Optimizer, offset, length, optimizerIndex, perStep);
            }
            else if (perStep)
            {
                throw new ArgumentException(
                    $"'{spec}': only an optimizer hyperparameter ({string.Join(", ", optimizerNames)}) can have one value per step.", nameof(tuned));
            }
            else if (lossLayout.Find(name) is { } lossBlock)
            {
                block = new(name, HyperparameterKind.Loss, offset, lossBlock.Length, lossBlock.Offset, false);
            }
            else if (name == InitialWeightsName)
            {
                block = new(name, HyperparameterKind.InitialWeights, offset, initialWeights.Count, 0, false);
            }
            else
            {
                var known = optimizerNames.Concat(lossLayout.Blocks.Select(b => b.Name)).Append(InitialWeightsName);
                throw new ArgumentException($"Unknown hyperparameter '{name}'; this run has {string.Join(", ", known)}.", nameof(tuned));
            }

            blocks.Add(block);
            offset += block.Length;
        }

        return new HyperparameterSpace(
            blocks, optimizerNames.ToArray(), perElement, optimizerValues.ToArray(), lossLayout, lossValues.ToArray(), initialWeights.ToArray(), steps);
    }

    /// <summary>The tuned block named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No tuned block has that name.</exception>
    public TunedHyperparameter this[string name]
        => Tuned.FirstOrDefault(b => b.Name == name)
           ?? throw new ArgumentException($"'{name}' is not tuned; the tuned hyperparameters are {string.Join(", ", Tuned.Select(b => b.Name))}.", nameof(name));

    /// <summary>The starting λ: every tuned block at its value in this space.</summary>
    public double[] InitialValues()
    {
        var lambda = new double[Count];
        foreach (var block in Tuned)
        {
            var destination = lambda.AsSpan(block.Offset, block.Length);
            switch (block.Kind)
            {
                case HyperparameterKind.Optimizer:
                    destination.Fill(OptimizerValues[block.Source]);
                    break;
                case HyperparameterKind.Loss:
                    for (int i = 0; i < block.Length; i++)
                    {
                        destination[i] = LossValues[block.Source + i];
                    }

                    break;
                default:
                    for (int i = 0; i < block.Length; i++)
                    {
                        destination[i] = InitialWeights[i];
                    }

                    break;
            }
        }

        return lambda;
    }

    /// <summary>The name of λ[<paramref name="index"/>]: <c>lr</c>, <c>lr[17]</c>, <c>weights[3]</c>.</summary>
    public string NameOf(int index)
    {
        var block = Tuned.First(b => index >= b.Offset && index < b.Offset + b.Length);
        return block.Length == 1 && !block.PerStep
            ? block.Name
            : string.Create(CultureInfo.InvariantCulture, $"{block.Name}[{index - block.Offset + (block.PerStep ? 1 : 0)}]");
    }

    /// <summary>
    /// Every hyperparameter's value, for messages: the tuned ones from λ, then the fixed ones (the optimizer's and
    /// the loss's that are not tuned), so that a run that diverges because of a fixed value names it too:
    /// <c>tuned lr=0.5, weights=[5000 values, min 0, max 1]; fixed beta1=0.9, beta2=1.5, eps=1E-08, l2=0.001</c>.
    /// </summary>
    public string Describe(ReadOnlySpan<double> lambda)
    {
        var tuned = new List<string>();
        foreach (var block in Tuned)
        {
            tuned.Add(Value(block.Name, lambda.Slice(block.Offset, block.Length)));
        }

        var fixedValues = new List<string>();
        for (int i = 0; i < OptimizerNames.Count; i++)
        {
            if (!IsTuned(OptimizerNames[i]))
            {
                fixedValues.Add(Value(OptimizerNames[i], [OptimizerValues[i]]));
            }
        }

        var lossValues = LossValues.ToArray();
        foreach (var block in LossLayout.Blocks.Where(b => !IsTuned(b.Name)))
        {
            fixedValues.Add(Value(block.Name, lossValues.AsSpan(block.Offset, block.Length)));
        }

        return (tuned.Count > 0 ? "tuned " + string.Join(", ", tuned) : "none tuned")
            + (fixedValues.Count > 0 ? "; fixed " + string.Join(", ", fixedValues) : string.Empty);
    }

    private bool IsTuned(string name) => Tuned.Any(b => b.Name == name);

    private static string Value(string name, ReadOnlySpan<double> values) => values.Length == 0 ? name + "=[]"
        : values.Length == 1
        ? string.Create(CultureInfo.InvariantCulture, $"{name}={values[0]:G6}")
        : string.Create(CultureInfo.InvariantCulture, $"{name}=[{values.Length} values, min {TensorPrimitives.Min(values):G6}, max {TensorPrimitives.Max(values):G6}]");

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
