using System;
using System.Collections.Generic;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>The largest relative difference between a generated kernel and another kernel of the same step.</summary>
public sealed record AgreementResult(string Optimizer, string Part, string Against, double MaxRelativeDifference);

/// <summary>
/// Runs a generated kernel and a hand-written (or TensorPrimitives) kernel of the same step on copies of the same
/// inputs and compares every array either may write, element by element, and the hyperparameter adjoints; and the
/// vector-mode tangent against the single-direction tangent once per direction, from the same values (equal to the bit).
/// </summary>
public static class Agreement
{
    /// <summary>Not a multiple of any vector width: the scalar tails run too.</summary>
    public const int Length = 1031;

    /// <summary>The most a double-precision kernel may differ from the generated one, relatively.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>What the vector-mode tangent is compared with: the single-direction tangent once per direction.</summary>
    public static readonly string SeparateTangents = $"{BenchHyper.Directions} × tangent";

    /// <summary>What the C reference is called in tables and JSON (<see cref="CompiledC.Contracted"/>).</summary>
    public const string C = "C (gcc)";

    /// <summary>What the C reference without fused multiply-adds is called (<see cref="CompiledC.Exact"/>).</summary>
    public const string CExact = "C (gcc, no fma)";

    /// <summary>
    /// Every kernel of <paramref name="optimizer"/> against its other implementations (the C ones where
    /// <paramref name="c"/> and <paramref name="cExact"/> were compiled).
    /// </summary>
    public static IEnumerable<AgreementResult> Check(StepImplementations optimizer, CompiledC? c = null, CompiledC? cExact = null)
    {
        var inputs = new StepBuffers(Length, optimizer.StateCount, TensorPrimitivesChains.Temporaries, seed: 12345, BenchHyper.Directions);
        foreach (StepPart kind in Enum.GetValues<StepPart>())
        {
            if (kind == StepPart.Tangents)
            {
                yield return new(optimizer.Name, StepParts.Name(kind), SeparateTangents, Compare(optimizer.Tangents, optimizer.TangentInEachDirectionFromOneState, inputs));
            }

            Action<StepBuffers>? hand = optimizer.HandWritten(kind);
            if (hand is not null)
            {
                yield return new(optimizer.Name, StepParts.Name(kind), "hand-written", Compare(optimizer.Generated(kind), hand, inputs));
            }

            if (kind == StepPart.Primal && optimizer.Chain is not null)
            {
                yield return new(optimizer.Name, StepParts.Name(kind), "TensorPrimitives", Compare(optimizer.Primal, optimizer.Chain, inputs));
            }

            if (optimizer.InC(kind, c) is { } inC)
            {
                yield return new(optimizer.Name, StepParts.Name(kind), C, Compare(optimizer.Generated(kind), inC, inputs));
            }

            if (optimizer.InC(kind, cExact) is { } inCExact)
            {
                yield return new(optimizer.Name, StepParts.Name(kind), CExact, Compare(optimizer.Generated(kind), inCExact, inputs));
            }
        }
    }

    private static double Compare(Action<StepBuffers> generated, Action<StepBuffers> other, StepBuffers inputs)
    {
        StepBuffers a = inputs.Clone(), b = inputs.Clone();
        generated(a);
        other(b);
        double[][] x = a.Outputs(), y = b.Outputs();
        double worst = 0;
        for (int k = 0; k < x.Length; k++)
        {
            for (int i = 0; i < x[k].Length; i++)
            {
                worst = Math.Max(worst, RelativeDifference(x[k][i], y[k][i]));
            }
        }

        return worst;
    }

    private static double RelativeDifference(double a, double b)
    {
        if (a == b)
        {
            return 0;
        }

        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return double.IsFinite(scale) ? Math.Abs(a - b) / scale : double.PositiveInfinity;
    }
}

/// <summary>Names of <see cref="StepPart"/> for tables and JSON.</summary>
public static class StepParts
{
    public static string Name(StepPart kind) => kind switch
    {
        StepPart.Primal => "primal",
        StepPart.Tangent => "tangent",
        StepPart.Tangents => $"tangents (k={BenchHyper.Directions})",
        _ => "adjoint",
    };
}
