using System;
using System.Collections.Generic;
using System.Numerics;
using AutoHypergrad.Engines;

namespace AutoHypergrad.Optimizers;

/// <summary>
/// The layout of an optimizer's <c>Step</c>, for the engines: every optimizer in this library has the double and
/// float overloads
/// <code>
/// [Differentiable, OptimizerStep] static void Step(ref T w, ref T state₁, …, T g, [Hyper] T hyper₁, …, [NoDiff] options…)
/// </code>
/// in this order: the weight, the per-element state slots <see cref="State"/>, the gradient, the hyperparameters
/// <see cref="Hyperparameters"/> (a <see cref="HyperparameterDescriptor.PerElement"/> one is <c>[PerElement] [Hyper]</c>),
/// then the passive <see cref="Options"/>.
/// </summary>
/// <param name="Name">The optimizer's name: its class name.</param>
/// <param name="Type">The static class holding <c>Step</c> and its generated derivatives.</param>
/// <param name="State">The names of the per-element state slots (the <c>ref</c> parameters after <c>w</c>), in order.</param>
/// <param name="Hyperparameters">The <c>[Hyper]</c> parameters, in order.</param>
/// <param name="Options">
/// The <c>[NoDiff]</c> parameters after the hyperparameters, in order: <c>t</c>, the 1-based step count as a real,
/// for the bias corrections; <c>epsInsideSqrt</c>, a bool.
/// </param>
/// <param name="DoubleKernel">The double <c>Step</c> over whole vectors (its generated <c>StepKernelDouble</c>).</param>
/// <param name="SingleKernel">The float <c>Step</c> over whole vectors (its generated <c>StepKernelSingle</c>).</param>
public sealed record OptimizerDescriptor(
    string Name,
    Type Type,
    IReadOnlyList<string> State,
    IReadOnlyList<HyperparameterDescriptor> Hyperparameters,
    IReadOnlyList<string> Options,
    IStepKernel<double> DoubleKernel,
    IStepKernel<float> SingleKernel)
{
    /// <summary>Whether <c>Step</c> takes the step count <c>t</c>.</summary>
    public bool UsesStepCount => Contains(Options, "t");

    /// <summary>The hyperparameter named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">This optimizer has no such hyperparameter.</exception>
    public HyperparameterDescriptor Hyperparameter(string name)
    {
        foreach (HyperparameterDescriptor hyperparameter in Hyperparameters)
        {
            if (hyperparameter.Name == name)
            {
                return hyperparameter;
            }
        }

        throw new ArgumentException($"{Name} has no hyperparameter '{name}'.", nameof(name));
    }

    /// <summary>The step kernel over <typeparamref name="T"/>: <see cref="DoubleKernel"/> or <see cref="SingleKernel"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither double nor float.</exception>
    public IStepKernel<T> Kernel<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return (IStepKernel<T>)DoubleKernel;
        }

        if (typeof(T) == typeof(float))
        {
            return (IStepKernel<T>)SingleKernel;
        }

        throw new NotSupportedException($"{Name} has step kernels for double and float, not {typeof(T).Name}.");
    }

    /// <summary>Whether any of <see cref="Hyperparameters"/> is per-element.</summary>
    public bool HasPerElementHyperparameters
    {
        get
        {
            foreach (HyperparameterDescriptor hyperparameter in Hyperparameters)
            {
                if (hyperparameter.PerElement)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The default values of <see cref="Hyperparameters"/>, in order, one per hyperparameter (per-element ones included).</summary>
    public double[] Defaults()
    {
        double[] values = new double[Hyperparameters.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Hyperparameters[i].Default;
        }

        return values;
    }

    /// <summary>
    /// The default values packed for the step kernels over <paramref name="n"/> parameters: in order, a uniform
    /// hyperparameter's default once and a per-element one's n times (layout in <see cref="IStepKernel{T}"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public double[] Defaults(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var values = new List<double>();
        foreach (HyperparameterDescriptor hyperparameter in Hyperparameters)
        {
            for (int i = 0; i < (hyperparameter.PerElement ? n : 1); i++)
            {
                values.Add(hyperparameter.Default);
            }
        }

        return values.ToArray();
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (string candidate in names)
        {
            if (candidate == name)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The optimizers of this library.</summary>
public static class Optimizers
{
    /// <summary>The descriptors of every optimizer, in a fixed order.</summary>
    public static IReadOnlyList<OptimizerDescriptor> All { get; } =
    [
        Sgd.Descriptor,
        Momentum.Descriptor,
        Nesterov.Descriptor,
        Adam.Descriptor,
        AdamW.Descriptor,
        RmsProp.Descriptor,
        Adagrad.Descriptor,
        Adadelta.Descriptor,
        Lion.Descriptor,
        SgdPerParameter.Descriptor,
        MomentumPerParameter.Descriptor,
        AdamPerParameter.Descriptor,
    ];

    /// <summary>The optimizer named <paramref name="name"/> (its class name, compared ignoring case).</summary>
    /// <exception cref="ArgumentException">No optimizer has that name.</exception>
    public static OptimizerDescriptor Find(string name)
    {
        foreach (OptimizerDescriptor descriptor in All)
        {
            if (string.Equals(descriptor.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return descriptor;
            }
        }

        throw new ArgumentException($"No optimizer is named '{name}'.", nameof(name));
    }
}
