using System;

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
}
