using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>How a parameter holds its values: one scalar, or a sequence of elements.</summary>
internal enum ParameterShape
{
    Scalar,
    ReadOnlySpan,
    Span,
    Array,
}

/// <summary>One parameter of a case, classified the way the contract classifies it.</summary>
internal sealed class CaseParameter
{
    public CaseParameter(ParameterInfo info, int position, int length, int offset)
    {
        Info = info;
        Position = position;
        Name = info.Name ?? throw new InvalidOperationException("Unnamed parameter.");
        IsRef = info.ParameterType.IsByRef;
        IsOut = info.IsOut;
        Type = IsRef ? info.ParameterType.GetElementType()! : info.ParameterType;
        Shape = ShapeOf(Type);
        ElementType = Shape switch
        {
            ParameterShape.Array => Type.GetElementType()!,
            ParameterShape.Scalar => Type,
            _ => Type.GetGenericArguments()[0],
        };
        IsReal = ElementType == typeof(double) || ElementType == typeof(float);
        IsNoDiff = info.GetCustomAttribute<NoDiffAttribute>() is not null;
        IsHyper = info.GetCustomAttribute<HyperAttribute>() is not null;
        IsActive = IsReal && !IsNoDiff;
        Length = length;
        Offset = offset;
    }

    public ParameterInfo Info { get; }

    /// <summary>Index in the primal's parameter list.</summary>
    public int Position { get; }

    public string Name { get; }

    /// <summary>The parameter's type without the by-ref: double, float, int, bool, a span or an array.</summary>
    public Type Type { get; }

    public ParameterShape Shape { get; }

    public bool IsSequence => Shape != ParameterShape.Scalar;

    /// <summary>The scalar type, or the element type of a span or array.</summary>
    public Type ElementType { get; }

    /// <summary>ref, in or out.</summary>
    public bool IsRef { get; }

    public bool IsOut { get; }

    /// <summary>float/double, or a span/array of them.</summary>
    public bool IsReal { get; }

    public bool IsNoDiff { get; }

    public bool IsHyper { get; }

    /// <summary>Real and without [NoDiff] ([Hyper] ones included): gets a tangent and an adjoint.</summary>
    public bool IsActive { get; }

    /// <summary>1 for a scalar, the number of elements of a span or array.</summary>
    public int Length { get; }

    /// <summary>Where the parameter's input values start in a <see cref="TestPoint"/>'s values.</summary>
    public int Offset { get; }

    /// <summary>How many input values the parameter has: none for an out parameter.</summary>
    public int InputLength => IsOut ? 0 : Length;

    /// <summary>Its values before the call are inputs of the function (active and not out).</summary>
    public bool IsInput => IsActive && !IsOut;

    /// <summary>Its values after the call are outputs of the function: active ref/out scalars, Span&lt;T&gt;, T[].</summary>
    public bool IsOutput => IsActive && (IsRef || Shape is ParameterShape.Span or ParameterShape.Array);

    /// <summary>
    /// An input whose Bar holds the output adjoint on entry and the input adjoint on exit (ref scalars, Span&lt;T&gt;,
    /// T[]), rather than accumulating the input adjoint (value scalars, ReadOnlySpan&lt;T&gt;).
    /// </summary>
    public bool HasOutputBar => IsInput && IsOutput;

    public string Describe() =>
        (IsOut ? "out " : IsRef ? "ref " : string.Empty) + CaseMethod.Describe(Type) + " " + Name;

    public override string ToString() => Describe();

    public static ParameterShape ShapeOf(Type type) =>
        type.IsArray ? ParameterShape.Array
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) ? ParameterShape.ReadOnlySpan
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Span<>) ? ParameterShape.Span
        : ParameterShape.Scalar;
}

/// <summary>
/// One real coordinate of a case seen as a function of real vectors: an element of a parameter (element 0 of a
/// scalar), or the return value (<see cref="Parameter"/> null).
/// </summary>
internal sealed record Coordinate(CaseParameter? Parameter, int Element)
{
    /// <summary>"x", "w[2]", "ref s", "out y", "return".</summary>
    public string Name => Parameter is null ? "return"
        : Parameter.IsSequence ? $"{Parameter.Name}[{Element}]"
        : Parameter.Name;

    /// <summary>As an output: "return", "ref s", "out y", "w[2]".</summary>
    public string OutputName => Parameter is null ? "return"
        : Parameter.IsSequence ? Name
        : (Parameter.IsOut ? "out " : "ref ") + Parameter.Name;

    /// <summary>The name of its adjoint in the Adjoint: "xBar", "wBar[2]".</summary>
    public string BarName => Parameter is null ? "resultBar"
        : Parameter.IsSequence ? $"{Parameter.Name}Bar[{Element}]"
        : Parameter.Name + "Bar";

    /// <summary>Index in a <see cref="TestPoint"/>'s values (inputs only).</summary>
    public int Offset => Parameter!.Offset + Element;
}

/// <summary>
/// A [Differentiable] method seen as a function of real vectors. Its inputs are the elements of its active
/// parameters that are not <c>out</c> (value and ref scalars, every element of a span or array), in declaration order;
/// its outputs are the return value, then the elements of the active parameters whose values after the call are
/// outputs (ref and out scalars, every element of a <c>Span&lt;T&gt;</c> or <c>T[]</c>). It finds the generated
/// <c>{Name}Tangent</c> and <c>{Name}Adjoint</c> by the exact signatures of the README's contract and calls all three
/// through <see cref="Invoker"/> (spans cannot go through reflection), always in double on the outside (float methods
/// get their arguments rounded to float, which the sampler has already done).
/// </summary>
/// <remarks>
/// A test point's values are flat: each parameter's input values from its <see cref="CaseParameter.Offset"/> on
/// (one for a scalar, integer ones included; its elements for a span or array; none for an out parameter). In the
/// argument arrays the invoker takes, a span or array parameter is a <c>T[]</c> and a scalar is boxed.
/// </remarks>
internal sealed partial class CaseMethod
{
    private const BindingFlags AnyStatic = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public CaseMethod(MethodInfo primal)
    {
        Primal = primal;
        Id = primal.DeclaringType!.Name + "." + primal.Name;
        LengthsAttribute[] lengths = primal.GetCustomAttributes<LengthsAttribute>().ToArray();
        IntsAttribute[] ints = primal.GetCustomAttributes<IntsAttribute>().ToArray();
        ParameterInfo[] infos = primal.GetParameters();
        foreach (string? name in lengths.Select(l => l.Parameter).Concat(ints.Select(i => i.Parameter)))
        {
            if (name is not null && infos.All(p => p.Name != name))
            {
                throw new InvalidOperationException($"{Id}: [Lengths] or [Ints] names '{name}', which is not a parameter.");
            }
        }

        var parameters = new List<CaseParameter>();
        int offset = 0;
        foreach (ParameterInfo info in infos)
        {
            var parameter = new CaseParameter(info, parameters.Count, LengthOf(info, lengths, ints), offset);
            parameters.Add(parameter);
            offset += parameter.InputLength;
        }

        Parameters = parameters;
        ValueCount = offset;
        IntValues = ints.ToDictionary(i => i.Parameter, i => i.Values, StringComparer.Ordinal);
        Inputs = Parameters.Where(p => p.IsInput)
            .SelectMany(p => Enumerable.Range(0, p.Length).Select(e => new Coordinate(p, e))).ToArray();
        ReturnsValue = primal.ReturnType != typeof(void);
        Outputs = (ReturnsValue ? [new Coordinate(null, 0)] : Array.Empty<Coordinate>())
            .Concat(Parameters.Where(p => p.IsOutput).SelectMany(p => Enumerable.Range(0, p.Length).Select(e => new Coordinate(p, e))))
            .ToArray();
        var realTypes = Parameters.Where(p => p.IsReal).Select(p => p.ElementType)
            .Concat(ReturnsValue ? [primal.ReturnType] : Array.Empty<Type>())
            .Distinct().ToArray();
        RealType = realTypes.Length == 1 ? realTypes[0] : typeof(void);
        Tangent = FindExact(primal.Name + "Tangent", ExpectedTangentParameterTypes());
        Adjoint = FindExact(primal.Name + "Adjoint", ExpectedAdjointParameterTypes());
        Order = primal.GetCustomAttribute<DifferentiableAttribute>()?.Order ?? 1;
        HessianVector = FindExact(primal.Name + "HessianVector", ExpectedHessianVectorParameterTypes());
    }

    /// <summary>"Type.Method", the test case's name.</summary>
    public string Id { get; }

    public MethodInfo Primal { get; }

    public MethodInfo? Tangent { get; }

    public MethodInfo? Adjoint { get; }

    public IReadOnlyList<CaseParameter> Parameters { get; }

    /// <summary>The number of values of a test point (see the remarks).</summary>
    public int ValueCount { get; }

    /// <summary>The active input coordinates, in the order of directions and Bars.</summary>
    public IReadOnlyList<Coordinate> Inputs { get; }

    /// <summary>The output coordinates: the return value first, then the output parameters' elements.</summary>
    public IReadOnlyList<Coordinate> Outputs { get; }

    /// <summary>The [Ints] values, by parameter.</summary>
    public IReadOnlyDictionary<string, int[]> IntValues { get; }

    public bool ReturnsValue { get; }

    /// <summary>float or double; void when the case mixes the two (the checker refuses such cases).</summary>
    public Type RealType { get; }

    public bool IsFloat => RealType == typeof(float);

    public int OutputCount => Outputs.Count;

    /// <summary>Some active span or array parameter has derivative spans/arrays whose lengths the generated code checks.</summary>
    public bool HasActiveSequences => Parameters.Any(p => p.IsActive && p.IsSequence);

    public string OutputName(int output) => Outputs[output].OutputName;

    /// <summary>The parameter types the contract prescribes for <c>{Name}Tangent</c>.</summary>
    public Type[] ExpectedTangentParameterTypes() =>
        Parameters.SelectMany(p => p.IsActive
            ? new[] { p.Info.ParameterType, p.Info.ParameterType }
            : new[] { p.Info.ParameterType }).ToArray();

    public string[] ExpectedTangentParameterNames() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Name, p.Name + "Dot" } : new[] { p.Name }).ToArray();

    public Type ExpectedTangentReturnType() =>
        ReturnsValue ? typeof(ValueTuple<,>).MakeGenericType(Primal.ReturnType, Primal.ReturnType) : typeof(void);

    /// <summary>
    /// The parameter types the contract prescribes for <c>{Name}Adjoint</c>: ref scalars by value, spans as a
    /// ReadOnlySpan of input values and a Span of Bars, arrays as two arrays, an out scalar as its Bar by value.
    /// </summary>
    public Type[] ExpectedAdjointParameterTypes() =>
        Parameters.SelectMany(AdjointParameterTypes)
            .Concat(ReturnsValue ? [Primal.ReturnType] : Array.Empty<Type>())
            .ToArray();

    public string[] ExpectedAdjointParameterNames() =>
        Parameters.SelectMany(p => !p.IsActive ? new[] { p.Name } : p.IsOut ? new[] { p.Name + "Bar" } : new[] { p.Name, p.Name + "Bar" })
            .Concat(ReturnsValue ? ["resultBar"] : Array.Empty<string>())
            .ToArray();

    /// <summary>Every method of the declaring type with the given name, for error messages.</summary>
    public IEnumerable<MethodInfo> MethodsNamed(string name) =>
        Primal.DeclaringType!.GetMethods(AnyStatic | BindingFlags.Instance).Where(m => m.Name == name);

    /// <summary>Runs the primal. Returns the outputs.</summary>
    public double[] Evaluate(IReadOnlyList<double> values)
    {
        object?[] args = Parameters.Select(p => PrimalArgument(p, values)).ToArray();
        object? result = Invoker.Invoke(Primal, args);
        var outputs = new double[OutputCount];
        int output = 0;
        if (ReturnsValue)
        {
            outputs[output++] = Unbox(result);
        }

        foreach (CaseParameter p in Parameters.Where(p => p.IsOutput))
        {
            output = Read(args[p.Position], p, outputs, output);
        }

        return outputs;
    }

    /// <summary>
    /// The Tangent's arguments: for each parameter its value (as for the primal), then for an active one its tangent
    /// (the input tangents' elements; zero for an out parameter). Returns the arguments and, per parameter, the
    /// index of its value and of its tangent in them.
    /// </summary>
    public (object?[] Arguments, int[] ValueSlot, int[] DotSlot) TangentArguments(IReadOnlyList<double> values, IReadOnlyList<double> inputTangents)
    {
        var args = new List<object?>();
        var valueSlot = new int[Parameters.Count];
        var dotSlot = new int[Parameters.Count];
        int input = 0;
        foreach (CaseParameter p in Parameters)
        {
            valueSlot[p.Position] = args.Count;
            args.Add(PrimalArgument(p, values));
            dotSlot[p.Position] = -1;
            if (p.IsActive)
            {
                dotSlot[p.Position] = args.Count;
                if (p.IsOut)
                {
                    args.Add(Box(p.ElementType, 0));
                }
                else
                {
                    args.Add(Slot(p, inputTangents, input));
                    input += p.Length;
                }
            }
        }

        return (args.ToArray(), valueSlot, dotSlot);
    }

    /// <summary>
    /// Runs the Tangent with the given tangents of the active inputs. Returns the outputs (Value and the output
    /// parameters' values) and their tangents.
    /// </summary>
    public (double[] Outputs, double[] Tangents) EvaluateTangent(IReadOnlyList<double> values, IReadOnlyList<double> inputTangents)
    {
        MethodInfo tangent = Tangent ?? throw new InvalidOperationException($"{Id}: no generated Tangent.");
        (object?[] args, int[] valueSlot, int[] dotSlot) = TangentArguments(values, inputTangents);
        object? result = Invoker.Invoke(tangent, args);
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

        foreach (CaseParameter p in Parameters.Where(p => p.IsOutput))
        {
            Read(args[valueSlot[p.Position]], p, outputs, output);
            output = Read(args[dotSlot[p.Position]], p, tangents, output);
        }

        return (outputs, tangents);
    }

    /// <summary>
    /// The Adjoint's arguments. <paramref name="outputAdjoints"/> are the adjoints of the outputs (resultBar, then the
    /// output parameters' Bars on entry); <paramref name="initialBars"/> are the values the Bars of the active inputs
    /// hold on entry (entries of inputs with <see cref="CaseParameter.HasOutputBar"/> are ignored: their Bar holds the
    /// output adjoint on entry). Returns the arguments and, per parameter, the index of its value (-1 for an active
    /// out parameter, which has none) and of its Bar in them.
    /// </summary>
    public (object?[] Arguments, int[] ValueSlot, int[] BarSlot) AdjointArguments(
        IReadOnlyList<double> values, IReadOnlyList<double> outputAdjoints, IReadOnlyList<double> initialBars)
    {
        var args = new List<object?>();
        var valueSlot = new int[Parameters.Count];
        var barSlot = new int[Parameters.Count];
        int input = 0;
        int output = ReturnsValue ? 1 : 0;
        foreach (CaseParameter p in Parameters)
        {
            valueSlot[p.Position] = -1;
            barSlot[p.Position] = -1;
            if (!p.IsActive)
            {
                valueSlot[p.Position] = args.Count;
                args.Add(PrimalArgument(p, values));
                continue;
            }

            if (!p.IsOut)
            {
                valueSlot[p.Position] = args.Count;
                args.Add(PrimalArgument(p, values));
            }

            barSlot[p.Position] = args.Count;
            if (p.IsOutput)
            {
                args.Add(Slot(p, outputAdjoints, output));
                output += p.Length;
            }
            else
            {
                args.Add(Slot(p, initialBars, input));
            }

            if (p.IsInput)
            {
                input += p.Length;
            }
        }

        if (ReturnsValue)
        {
            args.Add(Box(RealType, outputAdjoints[0]));
        }

        return (args.ToArray(), valueSlot, barSlot);
    }

    /// <summary>
    /// Runs the Adjoint (see <see cref="AdjointArguments"/>). Returns the Bars of the active inputs on exit and the
    /// values after the call (to check the inputs were left untouched; out parameters have none).
    /// </summary>
    public (double[] Bars, double[] ValuesAfter) EvaluateAdjoint(
        IReadOnlyList<double> values, IReadOnlyList<double> outputAdjoints, IReadOnlyList<double> initialBars)
    {
        MethodInfo adjoint = Adjoint ?? throw new InvalidOperationException($"{Id}: no generated Adjoint.");
        (object?[] args, int[] valueSlot, int[] barSlot) = AdjointArguments(values, outputAdjoints, initialBars);
        Invoker.Invoke(adjoint, args);
        var bars = new double[Inputs.Count];
        int input = 0;
        foreach (CaseParameter p in Parameters.Where(p => p.IsInput))
        {
            input = Read(args[barSlot[p.Position]], p, bars, input);
        }

        double[] after = values.ToArray();
        foreach (CaseParameter p in Parameters.Where(p => valueSlot[p.Position] >= 0 && p.IsReal))
        {
            Read(args[valueSlot[p.Position]], p, after, p.Offset);
        }

        return (bars, after);
    }

    /// <summary>
    /// Arguments for a predicate taking the case's parameters other than out ones, by value (spans and arrays as
    /// spans or arrays of the same elements).
    /// </summary>
    public object?[] PredicateArguments(IReadOnlyList<double> values) =>
        Parameters.Where(p => !p.IsOut).Select(p => PrimalArgument(p, values)).ToArray();

    /// <summary>Rounds a value to what a parameter of type <paramref name="type"/> can hold.</summary>
    public static double Representable(Type type, double value) =>
        type == typeof(float) ? (float)value : value;

    /// <summary>A type as C# writes it: "ref double", "ReadOnlySpan&lt;double&gt;", "Double[]".</summary>
    public static string Describe(Type type) =>
        type.IsByRef ? "ref " + Describe(type.GetElementType()!)
        : type.IsArray ? Describe(type.GetElementType()!) + "[]"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
        : type.Name;

    /// <summary>A value or element of type <paramref name="type"/>, boxed, from a double.</summary>
    public static object Box(Type type, double value)
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

        throw new NotSupportedException($"The checker cannot pass a value of type {type}.");
    }

    private static Type[] AdjointParameterTypes(CaseParameter p)
    {
        if (!p.IsActive)
        {
            return [p.Info.ParameterType];
        }

        Type element = p.ElementType;
        return p.Shape switch
        {
            ParameterShape.Scalar when p.IsOut => [element],
            // An in parameter stays in (readonly by reference), as in the Tangent.
            ParameterShape.Scalar when p.Info.IsIn => [p.Info.ParameterType, element.MakeByRefType()],
            ParameterShape.Scalar => [element, element.MakeByRefType()],
            ParameterShape.Array => [element.MakeArrayType(), element.MakeArrayType()],
            _ => [typeof(ReadOnlySpan<>).MakeGenericType(element), typeof(Span<>).MakeGenericType(element)],
        };
    }

    private static int LengthOf(ParameterInfo info, LengthsAttribute[] lengths, IntsAttribute[] ints)
    {
        Type type = info.ParameterType.IsByRef ? info.ParameterType.GetElementType()! : info.ParameterType;
        if (CaseParameter.ShapeOf(type) == ParameterShape.Scalar)
        {
            return 1;
        }

        IntsAttribute? values = ints.FirstOrDefault(i => i.Parameter == info.Name);
        if (values is not null)
        {
            return values.Values.Length;
        }

        LengthsAttribute? length = lengths.FirstOrDefault(l => l.Parameter == info.Name) ?? lengths.FirstOrDefault(l => l.Parameter is null);
        return length?.Length ?? throw new InvalidOperationException(
            $"{info.Member.DeclaringType!.Name}.{info.Member.Name}: no [Lengths] (or [Ints]) for the span/array parameter '{info.Name}'.");
    }

    private static double Unbox(object? value) => value switch
    {
        double d => d,
        float f => f,
        _ => throw new InvalidOperationException($"Expected a float or double, got {value?.GetType().Name ?? "null"}."),
    };

    /// <summary>Copies a scalar slot or an array slot's elements into <paramref name="target"/> from <paramref name="at"/>; returns the next index.</summary>
    private static int Read(object? slot, CaseParameter p, double[] target, int at)
    {
        if (!p.IsSequence)
        {
            target[at] = Unbox(slot);
            return at + 1;
        }

        var array = (Array)slot!;
        for (int e = 0; e < p.Length; e++)
        {
            target[at + e] = Convert.ToDouble(array.GetValue(e), System.Globalization.CultureInfo.InvariantCulture);
        }

        return at + p.Length;
    }

    /// <summary>A slot for <paramref name="p"/> holding <c>source[from..from + p.Length]</c>: a boxed scalar or a fresh array.</summary>
    private static object Slot(CaseParameter p, IReadOnlyList<double> source, int from)
    {
        if (!p.IsSequence)
        {
            return Box(p.ElementType, source[from]);
        }

        var array = Array.CreateInstance(p.ElementType, p.Length);
        for (int e = 0; e < p.Length; e++)
        {
            array.SetValue(Box(p.ElementType, source[from + e]), e);
        }

        return array;
    }

    /// <summary>The primal's argument for <paramref name="p"/>: its input values (a fresh array for a sequence), or zero for an out one.</summary>
    private static object PrimalArgument(CaseParameter p, IReadOnlyList<double> values) =>
        p.IsOut ? Box(p.ElementType, 0) : Slot(p, values, p.Offset);

    private MethodInfo? FindExact(string name, Type[] parameterTypes) =>
        Primal.DeclaringType!.GetMethod(name, AnyStatic, binder: null, parameterTypes, modifiers: null);
}
