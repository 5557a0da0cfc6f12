using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>One parameter of a case, classified the way the contract classifies it.</summary>
internal sealed class CaseParameter
{
    public CaseParameter(ParameterInfo info, int position)
    {
        Info = info;
        Position = position;
        Name = info.Name ?? throw new InvalidOperationException("Unnamed parameter.");
        IsRef = info.ParameterType.IsByRef;
        Type = IsRef ? info.ParameterType.GetElementType()! : info.ParameterType;
        IsReal = Type == typeof(double) || Type == typeof(float);
        IsNoDiff = info.GetCustomAttribute<NoDiffAttribute>() is not null;
        IsHyper = info.GetCustomAttribute<HyperAttribute>() is not null;
        IsActive = IsReal && !IsNoDiff;
    }

    public ParameterInfo Info { get; }

    /// <summary>Index in the primal's parameter list.</summary>
    public int Position { get; }

    public string Name { get; }

    /// <summary>The parameter's type without the by-ref: double, float, int or bool.</summary>
    public Type Type { get; }

    public bool IsRef { get; }

    public bool IsReal { get; }

    public bool IsNoDiff { get; }

    public bool IsHyper { get; }

    /// <summary>float/double without [NoDiff] ([Hyper] ones included): gets a tangent and an adjoint.</summary>
    public bool IsActive { get; }

    public override string ToString() => (IsRef ? "ref " : string.Empty) + Type.Name + " " + Name;
}

/// <summary>
/// A [Differentiable] method seen as a function of real vectors: its active inputs (active value parameters and the
/// input values of active ref parameters, in declaration order) map to its outputs (the return value, then the output
/// values of the active ref parameters). It finds the generated <c>{Name}Tangent</c> and <c>{Name}Adjoint</c> by the
/// exact signatures of docs/contract.md and calls all three through reflection, always in double on the outside
/// (float methods get their arguments rounded to float, which the sampler has already done).
/// </summary>
internal sealed class CaseMethod
{
    private const BindingFlags AnyStatic = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public CaseMethod(MethodInfo primal)
    {
        Primal = primal;
        Id = primal.DeclaringType!.Name + "." + primal.Name;
        Parameters = primal.GetParameters().Select((p, i) => new CaseParameter(p, i)).ToArray();
        ActiveInputs = Parameters.Where(p => p.IsActive).ToArray();
        ActiveRefs = Parameters.Where(p => p.IsActive && p.IsRef).ToArray();
        ReturnsValue = primal.ReturnType != typeof(void);
        var realTypes = Parameters.Where(p => p.IsReal).Select(p => p.Type)
            .Concat(ReturnsValue ? [primal.ReturnType] : Array.Empty<Type>())
            .Distinct().ToArray();
        RealType = realTypes.Length == 1 ? realTypes[0] : typeof(void);
        Tangent = FindExact(primal.Name + "Tangent", ExpectedTangentParameterTypes());
        Adjoint = FindExact(primal.Name + "Adjoint", ExpectedAdjointParameterTypes());
    }

    /// <summary>"Type.Method", the test case's name.</summary>
    public string Id { get; }

    public MethodInfo Primal { get; }

    public MethodInfo? Tangent { get; }

    public MethodInfo? Adjoint { get; }

    public IReadOnlyList<CaseParameter> Parameters { get; }

    public IReadOnlyList<CaseParameter> ActiveInputs { get; }

    public IReadOnlyList<CaseParameter> ActiveRefs { get; }

    public bool ReturnsValue { get; }

    /// <summary>float or double; void when the case mixes the two (the checker refuses such cases).</summary>
    public Type RealType { get; }

    public bool IsFloat => RealType == typeof(float);

    public int OutputCount => (ReturnsValue ? 1 : 0) + ActiveRefs.Count;

    public string OutputName(int output) =>
        ReturnsValue && output == 0 ? "return" : "ref " + ActiveRefs[output - (ReturnsValue ? 1 : 0)].Name;

    /// <summary>The parameter types the contract prescribes for <c>{Name}Tangent</c>.</summary>
    public Type[] ExpectedTangentParameterTypes() =>
        Parameters.SelectMany(p => p.IsActive
            ? new[] { p.Info.ParameterType, p.Info.ParameterType }
            : new[] { p.Info.ParameterType }).ToArray();

    public string[] ExpectedTangentParameterNames() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Name, p.Name + "Dot" } : new[] { p.Name }).ToArray();

    public Type ExpectedTangentReturnType() =>
        ReturnsValue ? typeof(ValueTuple<,>).MakeGenericType(Primal.ReturnType, Primal.ReturnType) : typeof(void);

    /// <summary>The parameter types the contract prescribes for <c>{Name}Adjoint</c>: ref inputs by value.</summary>
    public Type[] ExpectedAdjointParameterTypes() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Type, p.Type.MakeByRefType() } : new[] { p.Info.ParameterType })
            .Concat(ReturnsValue ? [Primal.ReturnType] : Array.Empty<Type>())
            .ToArray();

    public string[] ExpectedAdjointParameterNames() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Name, p.Name + "Bar" } : new[] { p.Name })
            .Concat(ReturnsValue ? ["resultBar"] : Array.Empty<string>())
            .ToArray();

    /// <summary>Every method of the declaring type with the given name, for error messages.</summary>
    public IEnumerable<MethodInfo> MethodsNamed(string name) =>
        Primal.DeclaringType!.GetMethods(AnyStatic | BindingFlags.Instance).Where(m => m.Name == name);

    /// <summary>Runs the primal. Returns the outputs.</summary>
    public double[] Evaluate(IReadOnlyList<double> values)
    {
        object?[] args = Parameters.Select(p => Box(p.Type, values[p.Position])).ToArray();
        object? result = Primal.Invoke(null, args);
        return CollectOutputs(result, p => args[p.Position]);
    }

    /// <summary>
    /// Runs the Tangent with the given tangents of the active inputs. Returns the outputs (Value and the ref outputs)
    /// and their tangents.
    /// </summary>
    public (double[] Outputs, double[] Tangents) EvaluateTangent(IReadOnlyList<double> values, IReadOnlyList<double> inputTangents)
    {
        MethodInfo tangent = Tangent ?? throw new InvalidOperationException($"{Id}: no generated Tangent.");
        var args = new List<object?>();
        var valueSlot = new int[Parameters.Count];
        var dotSlot = new int[Parameters.Count];
        int active = 0;
        foreach (CaseParameter p in Parameters)
        {
            valueSlot[p.Position] = args.Count;
            args.Add(Box(p.Type, values[p.Position]));
            if (p.IsActive)
            {
                dotSlot[p.Position] = args.Count;
                args.Add(Box(p.Type, inputTangents[active++]));
            }
        }

        object?[] array = args.ToArray();
        object? result = tangent.Invoke(null, array);
        var outputs = new double[OutputCount];
        var tangents = new double[OutputCount];
        int output = 0;
        if (ReturnsValue)
        {
            var tuple = (ITuple)result!;
            outputs[0] = Unbox(tuple[0]);
            tangents[0] = Unbox(tuple[1]);
            output = 1;
        }

        foreach (CaseParameter p in ActiveRefs)
        {
            outputs[output] = Unbox(array[valueSlot[p.Position]]);
            tangents[output] = Unbox(array[dotSlot[p.Position]]);
            output++;
        }

        return (outputs, tangents);
    }

    /// <summary>
    /// Runs the Adjoint. <paramref name="outputAdjoints"/> are the adjoints of the outputs (resultBar, then the ref
    /// parameters' Bars on entry); <paramref name="initialBars"/> are the values the Bars of the active inputs hold on
    /// entry (entries of ref parameters are ignored: their Bar holds the output adjoint on entry). Returns the Bars of
    /// the active inputs on exit and the arguments after the call (to check the ref inputs were left untouched).
    /// </summary>
    public (double[] Bars, double[] ValuesAfter) EvaluateAdjoint(
        IReadOnlyList<double> values, IReadOnlyList<double> outputAdjoints, IReadOnlyList<double> initialBars)
    {
        MethodInfo adjoint = Adjoint ?? throw new InvalidOperationException($"{Id}: no generated Adjoint.");
        var args = new List<object?>();
        var valueSlot = new int[Parameters.Count];
        var barSlot = new int[Parameters.Count];
        int active = 0;
        int refOutput = ReturnsValue ? 1 : 0;
        foreach (CaseParameter p in Parameters)
        {
            valueSlot[p.Position] = args.Count;
            args.Add(Box(p.Type, values[p.Position]));
            if (p.IsActive)
            {
                barSlot[p.Position] = args.Count;
                double bar = p.IsRef ? outputAdjoints[refOutput++] : initialBars[active];
                args.Add(Box(p.Type, bar));
                active++;
            }
        }

        if (ReturnsValue)
        {
            args.Add(Box(RealType, outputAdjoints[0]));
        }

        object?[] array = args.ToArray();
        adjoint.Invoke(null, array);
        double[] bars = ActiveInputs.Select(p => Unbox(array[barSlot[p.Position]])).ToArray();
        double[] after = Parameters.Select(p => p.IsReal ? Unbox(array[valueSlot[p.Position]]) : values[p.Position]).ToArray();
        return (bars, after);
    }

    /// <summary>Arguments for a predicate taking the case's parameters by value.</summary>
    public object?[] BoxArguments(IReadOnlyList<double> values) =>
        Parameters.Select(p => Box(p.Type, values[p.Position])).ToArray();

    /// <summary>Rounds a value to what a parameter of type <paramref name="type"/> can hold.</summary>
    public static double Representable(Type type, double value) =>
        type == typeof(float) ? (float)value : value;

    private static object Box(Type type, double value)
    {
        if (type == typeof(double))
        {
            return value;
        }

        if (type == typeof(float))
        {
            return (float)value;
        }

        if (type == typeof(int))
        {
            return checked((int)value);
        }

        if (type == typeof(bool))
        {
            return value != 0;
        }

        throw new NotSupportedException($"The checker cannot pass a parameter of type {type}.");
    }

    private static double Unbox(object? value) => value switch
    {
        double d => d,
        float f => f,
        _ => throw new InvalidOperationException($"Expected a float or double, got {value?.GetType().Name ?? "null"}."),
    };

    private double[] CollectOutputs(object? result, Func<CaseParameter, object?> refValue)
    {
        var outputs = new double[OutputCount];
        int output = 0;
        if (ReturnsValue)
        {
            outputs[output++] = Unbox(result);
        }

        foreach (CaseParameter p in ActiveRefs)
        {
            outputs[output++] = Unbox(refValue(p));
        }

        return outputs;
    }

    private MethodInfo? FindExact(string name, Type[] parameterTypes) =>
        Primal.DeclaringType!.GetMethod(name, AnyStatic, binder: null, parameterTypes, modifiers: null);
}
