using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using D = AutoHypergrad.Derivatives.TensorPrimitivesDerivatives;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>Runs the primal: returns its value (zero for a void operation) and writes destination.</summary>
public delegate T PrimalFn<T>(T[][] spans, T[] scalars, T[] destination);

/// <summary>Runs the tangent: each span and scalar input has its tangent at the same index.</summary>
public delegate (T Value, T Tangent) TangentFn<T>(T[][] spans, T[][] spanDots, T[] scalars, T[] scalarDots, T[] destination, T[] destinationDot);

/// <summary>Runs the adjoint: each span and scalar input has its adjoint at the same index.</summary>
public delegate void AdjointFn<T>(T[][] spans, T[][] spanBars, T[] scalars, T[] scalarBars, T[] destination, T[] destinationBar, T resultBar);

/// <summary>One TensorPrimitives overload and its derivative pair, seen through arrays.</summary>
public sealed class OpCase<T>
    where T : IFloatingPointIeee754<T>
{
    public required string Name { get; init; }

    /// <summary>Names of the span inputs, in the order of <see cref="PrimalFn{T}"/>'s spans.</summary>
    public required string[] Spans { get; init; }

    /// <summary>Names of the scalar inputs.</summary>
    public string[] Scalars { get; init; } = [];

    /// <summary>True for an operation that writes destination; false for one that returns a value.</summary>
    public bool Writes { get; init; } = true;

    /// <summary>True where the derivatives accept only a destination as long as the inputs (SoftMax).</summary>
    public bool ExactDestination { get; init; }

    public double Low { get; init; } = -2;

    public double High { get; init; } = 2;

    /// <summary>Moves a sampled point away from kinks (ties of Max), so that finite differences are meaningful.</summary>
    public Action<T[][], T[]>? Separate { get; init; }

    public required PrimalFn<T> Primal { get; init; }

    public required TangentFn<T> Tangent { get; init; }

    public required AdjointFn<T> Adjoint { get; init; }

    public override string ToString() => Name;
}

/// <summary>Every derivative pair of TensorPrimitivesDerivatives, as <see cref="OpCase{T}"/>s.</summary>
public static class OpCatalog
{
    public static OpCase<T> Get<T>(string name)
        where T : IFloatingPointIeee754<T>
        => Cases<T>().Single(c => c.Name == name);

    public static IEnumerable<string> Names => Cases<double>().Select(c => c.Name);

    public static IReadOnlyList<OpCase<T>> Cases<T>()
        where T : IFloatingPointIeee754<T>
    {
        T Scalar(double value) => T.CreateChecked(value);
        return
        [
            new OpCase<T>
            {
                Name = "Dot", Spans = ["x", "y"], Writes = false,
                Primal = (s, c, d) => TensorPrimitives.Dot<T>(s[0], s[1]),
                Tangent = (s, sd, c, cd, d, dd) => D.DotTangent<T>(s[0], sd[0], s[1], sd[1]),
                Adjoint = (s, sb, c, cb, d, db, rb) => D.DotAdjoint<T>(s[0], sb[0], s[1], sb[1], rb),
            },
            new OpCase<T>
            {
                Name = "Sum", Spans = ["x"], Writes = false,
                Primal = (s, c, d) => TensorPrimitives.Sum<T>(s[0]),
                Tangent = (s, sd, c, cd, d, dd) => D.SumTangent<T>(s[0], sd[0]),
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SumAdjoint<T>(s[0], sb[0], rb),
            },
            new OpCase<T>
            {
                Name = "SumOfSquares", Spans = ["x"], Writes = false,
                Primal = (s, c, d) => TensorPrimitives.SumOfSquares<T>(s[0]),
                Tangent = (s, sd, c, cd, d, dd) => D.SumOfSquaresTangent<T>(s[0], sd[0]),
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SumOfSquaresAdjoint<T>(s[0], sb[0], rb),
            },
            new OpCase<T>
            {
                Name = "MaxReduce", Spans = ["x"], Writes = false,
                Separate = (s, c) =>
                {
                    // The largest element clear of the second largest by far more than the finite-difference step.
                    int top = TensorPrimitives.IndexOfMax<T>(s[0]);
                    s[0][top] += Scalar(0.05);
                },
                Primal = (s, c, d) => TensorPrimitives.Max<T>(s[0]),
                Tangent = (s, sd, c, cd, d, dd) => D.MaxTangent<T>(s[0], sd[0]),
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MaxAdjoint<T>(s[0], sb[0], rb),
            },
            new OpCase<T>
            {
                Name = "Add", Spans = ["x", "y"],
                Primal = (s, c, d) => { TensorPrimitives.Add<T>(s[0], s[1], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.AddTangent<T>(s[0], sd[0], s[1], sd[1], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.AddAdjoint<T>(s[0], sb[0], s[1], sb[1], d, db),
            },
            new OpCase<T>
            {
                Name = "AddScalar", Spans = ["x"], Scalars = ["y"],
                Primal = (s, c, d) => { TensorPrimitives.Add<T>(s[0], c[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.AddTangent<T>(s[0], sd[0], c[0], cd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.AddAdjoint<T>(s[0], sb[0], c[0], ref cb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "Subtract", Spans = ["x", "y"],
                Primal = (s, c, d) => { TensorPrimitives.Subtract<T>(s[0], s[1], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.SubtractTangent<T>(s[0], sd[0], s[1], sd[1], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SubtractAdjoint<T>(s[0], sb[0], s[1], sb[1], d, db),
            },
            new OpCase<T>
            {
                Name = "SubtractScalar", Spans = ["x"], Scalars = ["y"],
                Primal = (s, c, d) => { TensorPrimitives.Subtract<T>(s[0], c[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.SubtractTangent<T>(s[0], sd[0], c[0], cd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SubtractAdjoint<T>(s[0], sb[0], c[0], ref cb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "ScalarSubtract", Spans = ["y"], Scalars = ["x"],
                Primal = (s, c, d) => { TensorPrimitives.Subtract<T>(c[0], s[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.SubtractTangent<T>(c[0], cd[0], s[0], sd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SubtractAdjoint<T>(c[0], ref cb[0], s[0], sb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "Multiply", Spans = ["x", "y"],
                Primal = (s, c, d) => { TensorPrimitives.Multiply<T>(s[0], s[1], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MultiplyTangent<T>(s[0], sd[0], s[1], sd[1], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MultiplyAdjoint<T>(s[0], sb[0], s[1], sb[1], d, db),
            },
            new OpCase<T>
            {
                Name = "MultiplyScalar", Spans = ["x"], Scalars = ["y"],
                Primal = (s, c, d) => { TensorPrimitives.Multiply<T>(s[0], c[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MultiplyTangent<T>(s[0], sd[0], c[0], cd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MultiplyAdjoint<T>(s[0], sb[0], c[0], ref cb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "MultiplyAdd", Spans = ["x", "y", "addend"],
                Primal = (s, c, d) => { TensorPrimitives.MultiplyAdd<T>(s[0], s[1], s[2], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MultiplyAddTangent<T>(s[0], sd[0], s[1], sd[1], s[2], sd[2], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MultiplyAddAdjoint<T>(s[0], sb[0], s[1], sb[1], s[2], sb[2], d, db),
            },
            new OpCase<T>
            {
                Name = "MultiplyAddScalarY", Spans = ["x", "addend"], Scalars = ["y"],
                Primal = (s, c, d) => { TensorPrimitives.MultiplyAdd<T>(s[0], c[0], s[1], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MultiplyAddTangent<T>(s[0], sd[0], c[0], cd[0], s[1], sd[1], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MultiplyAddAdjoint<T>(s[0], sb[0], c[0], ref cb[0], s[1], sb[1], d, db),
            },
            new OpCase<T>
            {
                Name = "MultiplyAddScalarAddend", Spans = ["x", "y"], Scalars = ["addend"],
                Primal = (s, c, d) => { TensorPrimitives.MultiplyAdd<T>(s[0], s[1], c[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MultiplyAddTangent<T>(s[0], sd[0], s[1], sd[1], c[0], cd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MultiplyAddAdjoint<T>(s[0], sb[0], s[1], sb[1], c[0], ref cb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "Exp", Spans = ["x"],
                Primal = (s, c, d) => { TensorPrimitives.Exp<T>(s[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.ExpTangent<T>(s[0], sd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.ExpAdjoint<T>(s[0], sb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "Log", Spans = ["x"], Low = 0.5, High = 3,
                Primal = (s, c, d) => { TensorPrimitives.Log<T>(s[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.LogTangent<T>(s[0], sd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.LogAdjoint<T>(s[0], sb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "Max", Spans = ["x", "y"],
                Separate = (s, c) =>
                {
                    for (int i = 0; i < s[0].Length; i++)
                    {
                        if (T.Abs(s[0][i] - s[1][i]) < Scalar(0.01))
                        {
                            s[1][i] += Scalar(0.1);
                        }
                    }
                },
                Primal = (s, c, d) => { TensorPrimitives.Max<T>(s[0], s[1], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MaxTangent<T>(s[0], sd[0], s[1], sd[1], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MaxAdjoint<T>(s[0], sb[0], s[1], sb[1], d, db),
            },
            new OpCase<T>
            {
                Name = "MaxScalar", Spans = ["x"], Scalars = ["y"],
                Separate = (s, c) =>
                {
                    for (int i = 0; i < s[0].Length; i++)
                    {
                        if (T.Abs(s[0][i] - c[0]) < Scalar(0.01))
                        {
                            s[0][i] += Scalar(0.1);
                        }
                    }
                },
                Primal = (s, c, d) => { TensorPrimitives.Max<T>(s[0], c[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.MaxTangent<T>(s[0], sd[0], c[0], cd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.MaxAdjoint<T>(s[0], sb[0], c[0], ref cb[0], d, db),
            },
            new OpCase<T>
            {
                Name = "SoftMax", Spans = ["x"], ExactDestination = true,
                Primal = (s, c, d) => { TensorPrimitives.SoftMax<T>(s[0], d); return T.Zero; },
                Tangent = (s, sd, c, cd, d, dd) => { D.SoftMaxTangent<T>(s[0], sd[0], d, dd); return default; },
                Adjoint = (s, sb, c, cb, d, db, rb) => D.SoftMaxAdjoint<T>(s[0], sb[0], d, db),
            },
        ];
    }
}
