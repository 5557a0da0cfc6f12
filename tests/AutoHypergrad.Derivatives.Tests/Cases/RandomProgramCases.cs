using System;
using System.Numerics.Tensors;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Methods the random-program tester (tests/AutoHypergrad.RandomPrograms.Tests) shrank out of failures, kept as
/// conformance cases once fixed: each is checked like every case (finite differences, dot-product test, contract;
/// Order = 2 also its Hessian-vector product).
/// </summary>
public static partial class RandomProgramCases
{
    /// <summary>
    /// x⁸ then u²/(u² + 1): the derivative cancels two terms of size u² ≈ 650, so the tangent and the adjoint differ by
    /// about u²·ε relative; the dot-product test allows the roundoff it measures (RoundingNoise), not a wider tolerance.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Ints("n0", 3)]
    public static double RepeatedSquareThenRatio(double x, int n0)
    {
        for (int i1 = 0; i1 < n0; i1++)
        {
            x *= x;
        }

        return (x * x) / (x * x + 1.0);
    }

    /// <summary>
    /// A loop never entered (its condition is false for every x), a Min with an int, nested ternaries: a Hessian of
    /// size 5e-7 whose terms are of size 1, so wᵀHv and vᵀHw differ by more than 1e-12 of the result.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(0.2, 1.9)]
    [Lengths(1)]
    [Ints("n2", 0)]
    [SmoothWhere(nameof(AwayFromTies))]
    public static double NeverEnteredLoopThenTernaries(double x0, ReadOnlySpan<double> a1, int n2)
    {
        int k0 = 0;
        while (k0 < 1 && Math.Max(2.0, x0) < (x0 - x0))
        {
            k0++;
            int k1 = 0;
            do
            {
                k1++;
                double t2 = x0;
                double t3 = (Math.Pow(t2 * t2 + 1.0, 3.0) / (t2 * t2 + 1.0)) + ((x0 + t2) * (x0 / (t2 * t2 + 1.0)));
            }
            while (k1 < 1);
        }

        x0 -= Math.Min(x0, k0);
        return ((0.5 >= (0.75 * x0) ? x0 : (x0 - x0)) >= x0 ? a1[0] : (x0 / (x0 * x0 + 1.0)));
    }

    /// <summary>The branches of <see cref="NeverEnteredLoopThenTernaries"/> switch at x0 = 0 and x0 = 2/3.</summary>
    public static bool AwayFromTies(double x0, ReadOnlySpan<double> a1, int n2) => Math.Abs(x0) > 0.05 && Math.Abs(x0 - (2.0 / 3.0)) > 0.05;

    /// <summary>An early return before an array local that the rest of the method writes and reads.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromOne))]
    public static double EarlyReturnBeforeArrayLocal(double h0, double q1, double x2)
    {
        if (1.0 >= q1)
        {
            return h0;
        }

        double[] b0 = new double[4];
        b0[0] = x2;
        return b0[0];
    }

    /// <summary>The branch of <see cref="EarlyReturnBeforeArrayLocal"/> switches at q1 = 1.</summary>
    public static bool AwayFromOne(double h0, double q1, double x2) => Math.Abs(q1 - 1.0) > 0.05;

    /// <summary>
    /// A call whose result is dead but which writes an array, then a second call writing the same array: the first
    /// must still run in the adjoint's forward sweep, since the second's tape push records what it wrote (was a wrong
    /// adjoint: ∂a3[0]/∂x2 0.2475 against the tangent's 0.0930).
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static void DeadResultOfCallThatWritesAnArray(out double o1, double x2, double[] a3)
    {
        o1 = x2;
        double t2 = x2;
        x2 = DivideHeadBySquarePlusOne(a3, in t2, 0.1);
        DivideHeadBySquarePlusOne(a3, in o1, 0.1);
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double DivideHeadBySquarePlusOne(double[] a0, in double q1, double c2)
    {
        a0[0] /= (q1 * q1) + 1.0;
        return q1;
    }

    /// <summary>
    /// A switch section left early: <c>if (…) break;</c> inside a section, and a section that breaks in both branches
    /// of an if (was a false AHG0003 "a break before the end of a switch section"; the parser now guards the rest of
    /// the section with a flag).
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromHalf))]
    public static double SwitchSectionLeftEarly(double x, ref double r)
    {
        double s = 0.0;
        for (int i = 0; i < 4; i++)
        {
            switch (i % 3)
            {
                case 0:
                    s += x * r;
                    if (x > 0.5)
                    {
                        break;
                    }

                    s *= x;
                    break;
                case 1:
                    if (r < 0.5)
                    {
                        s += Math.Sin(x);
                        break;
                    }
                    else
                    {
                        s -= r * r;
                        break;
                    }

                default:
                    r = r * 0.5 + s * 0.1;
                    break;
            }
        }

        return s * x;
    }

    /// <summary>The branches of <see cref="SwitchSectionLeftEarly"/> switch at x = 0.5 and r = 0.5 (r changes in the loop).</summary>
    public static bool AwayFromHalf(double x, double r) => Math.Abs(x - 0.5) > 0.05 && Math.Abs(r - 0.5) > 0.3;

    /// <summary>
    /// TensorPrimitives reductions on an array parameter that the method writes and on a stackalloc span, with the
    /// type argument written out (generated calls to the generic reductions and their generic derivatives did not name
    /// T, which C# 13 cannot infer from a double[] or a Span&lt;double&gt;: CS0411, CS1503).
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double ReductionsOfArraysAndSpans(double[] a, ReadOnlySpan<double> b, double x)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = a[i] * x + b[i];
        }

        return TensorPrimitives.Dot<double>(a, t) + TensorPrimitives.SumOfSquares<double>(t) * TensorPrimitives.Sum<double>(a)
            + TensorPrimitives.Dot(b, b) * x;
    }

    /// <summary>The same reductions in a method that writes the array (Order = 1: the second order takes no written spans).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void ReductionsOfAWrittenArray(double[] a, double x)
    {
        double d = TensorPrimitives.Dot<double>(a, a);
        a[0] = d * x;
        a[1] += TensorPrimitives.Sum<double>(a) * 0.5;
    }

    /// <summary>
    /// A stackalloc local that stays passive (zeros), passed inside a loop to an Order = 2 callee's active span
    /// parameter: the Hessian-vector product's zero tangent for it, <c>new double[b.Length]</c>, was moved above b's
    /// declaration (CS0841 in generated code); it now goes just before the loop.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double PassiveStackallocPassedInALoop(double x, ReadOnlySpan<double> a)
    {
        Span<double> b = stackalloc double[4];
        double s = 0.0;
        foreach (double e in a)
        {
            s += WeightedSquare(b, a, x * e);
        }

        return s;
    }

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double WeightedSquare(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double x)
        => (TensorPrimitives.Dot(p, q) + x) * x * q[0];
}
