using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// One <c>[Differentiable] Step</c> overload (double or float) and its generated <c>StepTangent</c> and
/// <c>StepAdjoint</c>, found by the exact parameter types the contract (README, "The contract") prescribes, and
/// called through reflection with every value carried as a double.
/// <para>
/// The active inputs x are the float/double parameters not marked [NoDiff], in signature order; the outputs y are
/// the <c>ref</c> parameters' new values (the weight first, then the state), in signature order; the passive values
/// are the [NoDiff] and bool parameters, in signature order.
/// </para>
/// </summary>
internal sealed class StepMethod
{
    private readonly ParameterInfo[] parameters;

    public StepMethod(Type optimizer, Type scalar)
    {
        Optimizer = optimizer;
        Scalar = scalar;
        Step = optimizer.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "Step"
                && m.GetCustomAttribute<DifferentiableAttribute>() is not null
                && m.GetParameters()[0].ParameterType == scalar.MakeByRefType());
        parameters = Step.GetParameters();

        var tangentTypes = new List<Type>();
        var adjointTypes = new List<Type>();
        foreach (ParameterInfo p in parameters)
        {
            if (IsActive(p))
            {
                tangentTypes.Add(p.ParameterType);
                tangentTypes.Add(p.ParameterType);
                adjointTypes.Add(scalar);
                adjointTypes.Add(scalar.MakeByRefType());
            }
            else
            {
                tangentTypes.Add(p.ParameterType);
                adjointTypes.Add(p.ParameterType);
            }
        }

        Tangent = optimizer.GetMethod("StepTangent", [.. tangentTypes])
            ?? throw new InvalidOperationException($"{optimizer.Name}: no StepTangent({string.Join(", ", tangentTypes.Select(t => t.Name))}).");
        Adjoint = optimizer.GetMethod("StepAdjoint", [.. adjointTypes])
            ?? throw new InvalidOperationException($"{optimizer.Name}: no StepAdjoint({string.Join(", ", adjointTypes.Select(t => t.Name))}).");
        if (Tangent.ReturnType != typeof(void) || Adjoint.ReturnType != typeof(void))
        {
            throw new InvalidOperationException($"{optimizer.Name}: the derivatives of a void Step return void.");
        }

        Active = parameters.Where(IsActive).ToArray();
        Passive = parameters.Where(p => !IsActive(p)).ToArray();
        OutputIndices = Active.Select((p, i) => (p, i)).Where(pi => pi.p.ParameterType.IsByRef).Select(pi => pi.i).ToArray();
    }

    public Type Optimizer { get; }

    public Type Scalar { get; }

    public MethodInfo Step { get; }

    public MethodInfo Tangent { get; }

    public MethodInfo Adjoint { get; }

    /// <summary>The active parameters, in signature order: the coordinates of x.</summary>
    public ParameterInfo[] Active { get; }

    /// <summary>The passive parameters, in signature order.</summary>
    public ParameterInfo[] Passive { get; }

    /// <summary>For each output (a ref parameter), its index in x.</summary>
    public int[] OutputIndices { get; }

    public string[] ActiveNames => Active.Select(p => p.Name!).ToArray();

    public string[] OutputNames => OutputIndices.Select(i => Active[i].Name!).ToArray();

    public static bool IsActive(ParameterInfo p)
    {
        Type type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        return (type == typeof(double) || type == typeof(float)) && p.GetCustomAttribute<NoDiffAttribute>() is null;
    }

    /// <summary>y = Step(x).</summary>
    public double[] Primal(double[] x, object[] passive)
    {
        object[] args = new object[parameters.Length];
        int[] valueSlots = new int[Active.Length];
        int a = 0, q = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (IsActive(parameters[i]))
            {
                valueSlots[a] = i;
                args[i] = Box(x[a++]);
            }
            else
            {
                args[i] = PassiveValue(passive[q++]);
            }
        }

        Step.Invoke(null, args);
        return OutputIndices.Select(k => Unbox(args[valueSlots[k]])).ToArray();
    }

    /// <summary>(y, ẏ) = StepTangent(x, ẋ).</summary>
    public (double[] Value, double[] Tangent) Forward(double[] x, double[] xDot, object[] passive)
    {
        var args = new List<object>();
        var valueSlots = new int[Active.Length];
        int a = 0, q = 0;
        foreach (ParameterInfo p in parameters)
        {
            if (IsActive(p))
            {
                valueSlots[a] = args.Count;
                args.Add(Box(x[a]));
                args.Add(Box(xDot[a]));
                a++;
            }
            else
            {
                args.Add(PassiveValue(passive[q++]));
            }
        }

        object[] array = [.. args];
        Tangent.Invoke(null, array);
        return (
            OutputIndices.Select(i => Unbox(array[valueSlots[i]])).ToArray(),
            OutputIndices.Select(i => Unbox(array[valueSlots[i] + 1])).ToArray());
    }

    /// <summary>
    /// StepAdjoint at x with ȳ the adjoint of the outputs and <paramref name="xBarOnEntry"/> the values the
    /// inputs' bars hold on entry (ref parameters' entries are replaced by ȳ); returns every bar on exit.
    /// </summary>
    public double[] Reverse(double[] x, double[] yBar, double[] xBarOnEntry, object[] passive)
    {
        double[] bars = (double[])xBarOnEntry.Clone();
        for (int k = 0; k < OutputIndices.Length; k++)
        {
            bars[OutputIndices[k]] = yBar[k];
        }

        var args = new List<object>();
        var barSlots = new int[Active.Length];
        int a = 0, q = 0;
        foreach (ParameterInfo p in parameters)
        {
            if (IsActive(p))
            {
                args.Add(Box(x[a]));
                barSlots[a] = args.Count;
                args.Add(Box(bars[a]));
                a++;
            }
            else
            {
                args.Add(PassiveValue(passive[q++]));
            }
        }

        object[] array = [.. args];
        Adjoint.Invoke(null, array);
        return barSlots.Select(slot => Unbox(array[slot])).ToArray();
    }

    private object Box(double value) => Scalar == typeof(float) ? (object)(float)value : value;

    private object PassiveValue(object value) =>
        value is double d && Scalar == typeof(float) ? (float)d : value;

    private static double Unbox(object value) => value is float f ? f : (double)value;
}
