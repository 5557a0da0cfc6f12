using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The second-order part of a case: <c>[Differentiable(Order = 2)]</c> on a scalar-valued method also generates
/// <c>static void {Name}HessianVector(...)</c>, in which every active input <c>x</c> is followed by its direction
/// <c>xV</c> (the same type; a <c>ReadOnlySpan&lt;T&gt;</c> for a span input) and its accumulator (<c>ref T xHv</c> for a
/// scalar, <c>Span&lt;T&gt; xHv</c> for a span; <c>T[]</c> ones for an array; a <c>Span&lt;T&gt;</c> input itself passed read-only, as
/// in the Adjoint), the other parameters staying in place. It adds H·v to the accumulators,
/// H being the Hessian of the return value with respect to all the active inputs and v all the directions stacked in
/// the order of <see cref="Inputs"/>.
/// </summary>
internal sealed partial class CaseMethod
{
    /// <summary>The [Differentiable] attribute's Order (1 for a method without one, like the checker's self-tests).</summary>
    public int Order { get; }

    /// <summary>The generated <c>{Name}HessianVector</c> with the exact signature the contract prescribes, if any.</summary>
    public MethodInfo? HessianVector { get; }

    /// <summary>The parameter types the contract prescribes for <c>{Name}HessianVector</c>.</summary>
    public Type[] ExpectedHessianVectorParameterTypes() =>
        Parameters.SelectMany(HessianVectorParameterTypes).ToArray();

    public string[] ExpectedHessianVectorParameterNames() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Name, p.Name + "V", p.Name + "Hv" } : new[] { p.Name }).ToArray();

    /// <summary>
    /// ∇f at a point, f the return value: the Adjoint with resultBar = 1, the adjoints of any other outputs (the
    /// elements of a Span&lt;T&gt; or T[] input, which the contract counts as outputs too) zero, and Bars starting at zero.
    /// </summary>
    public double[] Gradient(IReadOnlyList<double> values)
    {
        if (!ReturnsValue)
        {
            throw new InvalidOperationException($"{Id} returns nothing: it has no gradient.");
        }

        double[] outputAdjoints = new double[OutputCount];
        outputAdjoints[0] = 1;
        return EvaluateAdjoint(values, outputAdjoints, new double[Inputs.Count]).Bars;
    }

    /// <summary>
    /// The HessianVector's arguments: each parameter's value (as for the primal), then for an active one its
    /// direction (<paramref name="directions"/>' elements) and its accumulator (<paramref name="accumulators"/>'
    /// elements). Returns the arguments and, per parameter, the index of its direction and of its accumulator in them
    /// (-1 for a parameter that is not active).
    /// </summary>
    public (object?[] Arguments, int[] DirectionSlot, int[] AccumulatorSlot) HessianVectorArguments(
        IReadOnlyList<double> values, IReadOnlyList<double> directions, IReadOnlyList<double> accumulators)
    {
        var args = new List<object?>();
        var directionSlot = new int[Parameters.Count];
        var accumulatorSlot = new int[Parameters.Count];
        int input = 0;
        foreach (CaseParameter p in Parameters)
        {
            args.Add(PrimalArgument(p, values));
            directionSlot[p.Position] = -1;
            accumulatorSlot[p.Position] = -1;
            if (p.IsActive)
            {
                directionSlot[p.Position] = args.Count;
                args.Add(Slot(p, directions, input));
                accumulatorSlot[p.Position] = args.Count;
                args.Add(Slot(p, accumulators, input));
                input += p.Length;
            }
        }

        return (args.ToArray(), directionSlot, accumulatorSlot);
    }

    /// <summary>
    /// Runs the HessianVector with the given directions and accumulators on entry (both over <see cref="Inputs"/>).
    /// Returns the accumulators on exit: <paramref name="accumulators"/> + H·v.
    /// </summary>
    public double[] EvaluateHessianVector(IReadOnlyList<double> values, IReadOnlyList<double> directions, IReadOnlyList<double> accumulators)
    {
        MethodInfo hessianVector = HessianVector ?? throw new InvalidOperationException($"{Id}: no generated HessianVector.");
        (object?[] args, _, int[] accumulatorSlot) = HessianVectorArguments(values, directions, accumulators);
        Invoker.Invoke(hessianVector, args);
        var result = new double[Inputs.Count];
        int input = 0;
        foreach (CaseParameter p in Parameters.Where(p => p.IsActive))
        {
            input = Read(args[accumulatorSlot[p.Position]], p, result, input);
        }

        return result;
    }

    /// <summary>
    /// The generated <c>{Name}TangentAdjoint</c> with the contract's signature, if any: the adjoint of the tangent's
    /// Tangent as a function of the inputs and their tangents, each active input <c>x</c> followed by <c>xBar</c>,
    /// <c>xDot</c> and <c>xDotBar</c> (passed as in the Adjoint), then <c>resultBar</c>. It adds resultBar·H·xDot to
    /// the xBars and resultBar·∇f to the xDotBars.
    /// </summary>
    public MethodInfo? TangentAdjoint { get; }

    public Type[] ExpectedTangentAdjointParameterTypes() =>
        Parameters.SelectMany(TangentAdjointParameterTypes).Append(Primal.ReturnType).ToArray();

    public string[] ExpectedTangentAdjointParameterNames() =>
        Parameters.SelectMany(p => p.IsActive ? new[] { p.Name, p.Name + "Bar", p.Name + "Dot", p.Name + "DotBar" } : new[] { p.Name })
            .Append("resultBar").ToArray();

    /// <summary>
    /// Runs the TangentAdjoint at <paramref name="values"/> with the tangents, the Bars and DotBars on entry (all
    /// over <see cref="Inputs"/>) and the adjoint of the Tangent; returns the Bars and the DotBars on exit.
    /// </summary>
    public (double[] Bars, double[] DotBars) EvaluateTangentAdjoint(
        IReadOnlyList<double> values, IReadOnlyList<double> tangents, IReadOnlyList<double> bars, IReadOnlyList<double> dotBars, double resultBar)
    {
        MethodInfo tangentAdjoint = TangentAdjoint ?? throw new InvalidOperationException($"{Id}: no generated TangentAdjoint.");
        var args = new List<object?>();
        var barSlot = new int[Parameters.Count];
        var dotBarSlot = new int[Parameters.Count];
        int input = 0;
        foreach (CaseParameter p in Parameters)
        {
            args.Add(PrimalArgument(p, values));
            if (p.IsActive)
            {
                barSlot[p.Position] = args.Count;
                args.Add(Slot(p, bars, input));
                args.Add(Slot(p, tangents, input));
                dotBarSlot[p.Position] = args.Count;
                args.Add(Slot(p, dotBars, input));
                input += p.Length;
            }
        }

        args.Add(Box(Primal.ReturnType, resultBar));
        object?[] arguments = args.ToArray();
        Invoker.Invoke(tangentAdjoint, arguments);
        var barsOut = new double[Inputs.Count];
        var dotBarsOut = new double[Inputs.Count];
        int at = 0;
        foreach (CaseParameter p in Parameters.Where(p => p.IsActive))
        {
            Read(arguments[barSlot[p.Position]], p, barsOut, at);
            at = Read(arguments[dotBarSlot[p.Position]], p, dotBarsOut, at);
        }

        return (barsOut, dotBarsOut);
    }

    private static Type[] TangentAdjointParameterTypes(CaseParameter p)
    {
        if (!p.IsActive)
        {
            return [p.Info.ParameterType];
        }

        Type element = p.ElementType;
        return p.Shape switch
        {
            ParameterShape.Scalar => [p.Info.ParameterType, element.MakeByRefType(), p.Info.ParameterType, element.MakeByRefType()],
            ParameterShape.Array => [element.MakeArrayType(), element.MakeArrayType(), element.MakeArrayType(), element.MakeArrayType()],
            _ => [typeof(ReadOnlySpan<>).MakeGenericType(element), typeof(Span<>).MakeGenericType(element), typeof(ReadOnlySpan<>).MakeGenericType(element), typeof(Span<>).MakeGenericType(element)],
        };
    }

    private static Type[] HessianVectorParameterTypes(CaseParameter p)
    {
        if (!p.IsActive)
        {
            return [p.Info.ParameterType];
        }

        Type element = p.ElementType;
        return p.Shape switch
        {
            ParameterShape.Scalar => [p.Info.ParameterType, p.Info.ParameterType, element.MakeByRefType()],
            ParameterShape.Array => [element.MakeArrayType(), element.MakeArrayType(), element.MakeArrayType()],
            // As in the Adjoint, a Span<T> input is passed read-only (its input values).
            _ => [typeof(ReadOnlySpan<>).MakeGenericType(element), typeof(ReadOnlySpan<>).MakeGenericType(element), typeof(Span<>).MakeGenericType(element)],
        };
    }
}
