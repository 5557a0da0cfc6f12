using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace AutoHypergrad.Steps;

/// <summary>One <c>[Hyper]</c> parameter of an optimizer's step, as its attribute declares it.</summary>
/// <param name="Name">The parameter's name in the step (lr, mu, beta1, beta2, eps, rho, alpha, wd).</param>
/// <param name="Default">The usual default (<see cref="HyperAttribute.Default"/>); NaN where the step declares none.</param>
/// <param name="Domain">Where the value (each element's, for a per-element one) may lie.</param>
/// <param name="PerElement">
/// Whether it is <c>[PerElement]</c>: one value per parameter (a per-parameter learning rate), n values in the
/// vectorized step's packed hyperparameters, as <see cref="IVectorizedStep{T}.PerElement"/> says; otherwise one value for all.
/// </param>
public sealed record HyperparameterDescriptor(string Name, double Default, HyperparameterDomain Domain, bool PerElement = false);

/// <summary>
/// An <c>[OptimizerStep]</c> method ready for the engines: its vectorized steps, what its attributes declare (state,
/// hyperparameters with defaults and domains, options) and the value of each hyperparameter and option in a run. The
/// generator writes a factory for each step, <c>{Method}Optimizer(lr: …, beta1: …)</c>, whose named arguments are the
/// step's hyperparameters and options: a misspelled name does not compile. Nobody writes one by hand.
/// </summary>
public sealed class Optimizer
{
    private readonly IVectorizedStep<double>? _double;
    private readonly IVectorizedStep<float>? _single;

    /// <param name="name">The optimizer's name: the class that declares the step.</param>
    /// <param name="type">That class, which holds the step's generated code (its CUDA modules, say).</param>
    /// <param name="doubleStep">The step over double vectors; null where the step has no double form.</param>
    /// <param name="singleStep">The step over float vectors; null where it has no float form.</param>
    /// <param name="hyperparameters">The <c>[Hyper]</c> parameters, in the step's order.</param>
    /// <param name="values">The value of each, in the same order.</param>
    /// <param name="optionValues">The value of each <c>[NoDiff]</c> option other than the step number <c>t</c> (a bool as 0 or 1).</param>
    /// <exception cref="ArgumentException">No step, or the lists do not match the vectorized steps' hyperparameters and options.</exception>
    public Optimizer(
        string name,
        Type type,
        IVectorizedStep<double>? doubleStep,
        IVectorizedStep<float>? singleStep,
        IReadOnlyList<HyperparameterDescriptor> hyperparameters,
        IReadOnlyList<HyperparameterValue> values,
        IReadOnlyDictionary<string, double> optionValues)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(optionValues);
        _double = doubleStep;
        _single = singleStep;
        var names = doubleStep?.HyperparameterNames ?? singleStep?.HyperparameterNames
            ?? throw new ArgumentException($"{name} has neither a double nor a float vectorized step.", nameof(doubleStep));
        if (!names.SequenceEqual(hyperparameters.Select(h => h.Name)) || values.Count != hyperparameters.Count)
        {
            throw new ArgumentException(
                $"{name}: {hyperparameters.Count} hyperparameter descriptions and {values.Count} values for the step's {string.Join(", ", names)}.", nameof(hyperparameters));
        }

        Name = name;
        Type = type ?? throw new ArgumentNullException(nameof(type));
        State = (doubleStep?.StateNames ?? singleStep!.StateNames).Skip(1).ToArray();
        Options = doubleStep?.OptionNames ?? singleStep!.OptionNames;
        Hyperparameters = hyperparameters;
        Values = values;
        OptionValues = optionValues;
        for (int i = 0; i < values.Count; i++)
        {
            var (descriptor, value) = (hyperparameters[i], values[i]);
            if (value.PerStep && descriptor.PerElement)
            {
                throw new ArgumentException($"{name}: '{descriptor.Name}' has one value per weight already; it cannot also have one per step.", descriptor.Name);
            }

            descriptor.Domain.CheckContains(value.Value, name, descriptor.Name);
        }
    }

    /// <summary>The optimizer's name: the class that declares the step (Adam, Momentum, …).</summary>
    public string Name { get; }

    /// <summary>The class that declares the step and holds its generated code.</summary>
    public Type Type { get; }

    /// <summary>The names of the optimizer's state slots after the weight w, in order (m, v; none for SGD).</summary>
    public IReadOnlyList<string> State { get; }

    /// <summary>The <c>[Hyper]</c> parameters, in order.</summary>
    public IReadOnlyList<HyperparameterDescriptor> Hyperparameters { get; }

    /// <summary>The names of the <c>[NoDiff]</c> options, in order (<c>t</c>, <c>epsInsideSqrt</c>, …).</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>The value of each hyperparameter in this run, in the order of <see cref="Hyperparameters"/>.</summary>
    public IReadOnlyList<HyperparameterValue> Values { get; }

    /// <summary>The options' values by name (the step number <c>t</c> is not among them).</summary>
    public IReadOnlyDictionary<string, double> OptionValues { get; }

    /// <summary>The step options of step 1 with <see cref="OptionValues"/>; the engines move the step number on.</summary>
    public StepOptions StepOptions => new(1, OptionValues);

    /// <summary>Whether the step takes the step count <c>t</c>.</summary>
    public bool UsesStepCount => Options.Contains("t");

    /// <summary>Whether any of <see cref="Hyperparameters"/> is per-element.</summary>
    public bool HasPerElementHyperparameters => Hyperparameters.Any(h => h.PerElement);

    /// <summary>The hyperparameter named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">This optimizer has no such hyperparameter.</exception>
    public HyperparameterDescriptor Hyperparameter(string name)
        => Hyperparameters.FirstOrDefault(h => h.Name == name)
           ?? throw new ArgumentException($"{Name} has no hyperparameter '{name}'; it has {string.Join(", ", Hyperparameters.Select(h => h.Name))}.", nameof(name));

    /// <summary>The vectorized step over <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">The step has no <typeparamref name="T"/> form.</exception>
    public IVectorizedStep<T> Step<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && _double is not null)
        {
            return (IVectorizedStep<T>)_double;
        }

        if (typeof(T) == typeof(float) && _single is not null)
        {
            return (IVectorizedStep<T>)_single;
        }

        var forms = string.Join(" and ", new[] { _double is null ? null : "double", _single is null ? null : "float" }.Where(f => f is not null));
        throw new NotSupportedException($"{Name} has a vectorized step for {forms}, not {typeof(T).Name}.");
    }

    /// <summary>The values of <see cref="Hyperparameters"/>, in order, one per hyperparameter (per-element ones included).</summary>
    public double[] ValuesArray() => Values.Select(v => v.Value).ToArray();

    /// <summary>
    /// The values packed for the vectorized steps over <paramref name="n"/> parameters: in order, a uniform
    /// hyperparameter's value once and a per-element one's n times (layout in <see cref="IVectorizedStep{T}"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public double[] Packed(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return Hyperparameters.SelectMany((h, i) => Enumerable.Repeat(Values[i].Value, h.PerElement ? n : 1)).ToArray();
    }

    /// <summary>
    /// The same optimizer with the hyperparameters and options that <paramref name="values"/> names set to its values
    /// (a bool option as 0 or 1), for names read at run time (a command line, a file); in code, the generated factory's
    /// named arguments say the same and the compiler checks them. The tuned ones stay tuned, from their new value.
    /// </summary>
    /// <exception cref="ArgumentException">A name is neither a hyperparameter nor an option of the step, or a value lies outside its domain.</exception>
    public Optimizer With(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var hyperparameters = Values.ToArray();
        var options = new Dictionary<string, double>(OptionValues);
        foreach (var (name, value) in values)
        {
            int index = Hyperparameters.ToList().FindIndex(h => h.Name == name);
            if (index >= 0)
            {
                hyperparameters[index] = hyperparameters[index] with { Value = value };
            }
            else if (name != "t" && Options.Contains(name))
            {
                options[name] = value;
            }
            else
            {
                throw new ArgumentException(
                    $"{Name} has no hyperparameter or option '{name}'; it has {string.Join(", ", Hyperparameters.Select(h => h.Name).Concat(Options.Where(o => o != "t")))}.", nameof(values));
            }
        }

        return new Optimizer(Name, Type, _double, _single, Hyperparameters, hyperparameters, options);
    }

    /// <summary>"Adam(lr=0.001, beta1=0.9 (tuned), …)".</summary>
    public override string ToString()
        => $"{Name}({string.Join(", ", Hyperparameters.Select((h, i) => $"{h.Name}={Values[i]}"))})";
}
