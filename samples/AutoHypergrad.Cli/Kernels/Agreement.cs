using System;
using System.Collections.Generic;

namespace AutoHypergrad.Cli.Kernels;

/// <summary>The largest relative difference between a generated kernel and another kernel of the same step.</summary>
internal sealed record AgreementResult(string Optimizer, string Kernel, string Against, double MaxRelativeDifference);

/// <summary>
/// Runs a generated kernel and a hand-written (or TensorPrimitives) kernel of the same step on copies of the same
/// inputs and compares every array either may write, element by element, and the hyperparameter adjoints; and the
/// vector-mode tangent against the single-direction tangent once per direction, from the same values (equal to the bit).
/// </summary>
internal static class Agreement
{
    /// <summary>Not a multiple of any vector width: the scalar tails run too.</summary>
    public const int Length = 1031;

    /// <summary>The most a double-precision kernel may differ from the generated one, relatively.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>What the vector-mode tangent is compared with: the single-direction tangent once per direction.</summary>
    public static readonly string SeparateTangents = $"{BenchHyper.Directions} × tangent";

    public static IEnumerable<AgreementResult> Check(OptimizerKernels optimizer)
    {
        var inputs = new KernelBuffers(Length, optimizer.StateCount, TensorPrimitivesChains.Temporaries, seed: 12345, BenchHyper.Directions);
        foreach (KernelKind kind in Enum.GetValues<KernelKind>())
        {
            if (kind == KernelKind.Tangents)
            {
                yield return new(optimizer.Name, Kinds.Name(kind), SeparateTangents, Compare(optimizer.Tangents, optimizer.TangentInEachDirectionFromOneState, inputs));
            }

            Action<KernelBuffers>? hand = optimizer.HandWritten(kind);
            if (hand is not null)
            {
                yield return new(optimizer.Name, Kinds.Name(kind), "hand-written", Compare(optimizer.Generated(kind), hand, inputs));
            }

            if (kind == KernelKind.Primal && optimizer.Chain is not null)
            {
                yield return new(optimizer.Name, Kinds.Name(kind), "TensorPrimitives", Compare(optimizer.Primal, optimizer.Chain, inputs));
            }
        }
    }

    private static double Compare(Action<KernelBuffers> generated, Action<KernelBuffers> other, KernelBuffers inputs)
    {
        KernelBuffers a = inputs.Clone(), b = inputs.Clone();
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

/// <summary>Names of <see cref="KernelKind"/> for tables and JSON.</summary>
internal static class Kinds
{
    public static string Name(KernelKind kind) => kind switch
    {
        KernelKind.Primal => "primal",
        KernelKind.Tangent => "tangent",
        KernelKind.Tangents => $"tangents (k={BenchHyper.Directions})",
        _ => "adjoint",
    };
}
