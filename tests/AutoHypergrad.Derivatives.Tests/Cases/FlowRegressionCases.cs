using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Regressions in control flow and dead-store elimination: array locals whose elements are never read but whose
/// length or name is still used (a loop bound, a callee's argument), [NoDiff] parameters assigned an active value
/// (order 1 and 2), loops with break or continue nested in an if/else or a switch section, and a switch nested in a
/// switch section.
/// </summary>
public static partial class FlowRegressionCases
{
    // ---- An array local whose elements are never read, its length a loop bound ----

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadArrayLengthBound(double x)
    {
        double[] t = new double[3];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = x;
        }

        return x * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadArrayLengthBoundWhile(double x)
    {
        double[] t = new double[3];
        int i = 0;
        while (i < t.Length)
        {
            t[i] = x * i;
            i++;
        }

        return x * x;
    }

    /// <summary>The elements are read only by a foreach whose variable is never used.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadArrayForeach(double x)
    {
        double[] t = new double[3];
        double s = 0;
        foreach (var v in t)
        {
            s += 1.0;
        }

        return x * x + s;
    }

    /// <summary>The length read as a value and as another array's length.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 4)]
    public static double UnreadArrayLengthAsValue(double x, int n)
    {
        double[] t = new double[n];
        double[] u = new double[t.Length + 1];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = x;
        }

        u[0] = x;
        return x * u[0] * u.Length;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadStackallocLengthBound(double x)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = x;
        }

        return x * x;
    }

    /// <summary>The elements are written only in a branch, the length the bound of the loop there.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 3)]
    public static double UnreadArrayLengthBoundInBranch(double x, int n)
    {
        double[] t = new double[n];
        double s = 0;
        if (n > 2)
        {
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = x;
                s += 1;
            }
        }

        return s * x;
    }

    [Differentiable]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(UnreadArrayLengthBound))]
    [Domain(-2, 2)]
    public static float UnreadFloatArrayLengthBound(float x)
    {
        float[] t = new float[3];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = x;
        }

        return x * x;
    }

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    public static double UnreadArrayLengthBoundSecondOrder(double x, double y)
    {
        double[] t = new double[3];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = x * y;
        }

        return x * x * y;
    }

    // ---- An array local whose elements are never read, written by a [Differentiable] callee ----

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(2)]
    public static void WriteSquare(double[] q, double a)
    {
        q[0] = a * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(2)]
    public static void WriteSquareSpan(Span<double> q, double a)
    {
        q[0] = a * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(2)]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(WriteSquare))]
    public static void WriteSquareFloat(float[] q, float a)
    {
        q[0] = a * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadArrayWrittenByCallee(double x)
    {
        double[] t = new double[1];
        WriteSquare(t, x);
        return x * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadArrayWrittenByCalleeInLoop(double x)
    {
        double[] t = new double[2];
        double s = x;
        for (int i = 0; i < 3; i++)
        {
            WriteSquare(t, s);
            s = s * x;
        }

        return s;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double UnreadArrayWrittenByCalleeInBranch(double x)
    {
        double[] t = new double[1];
        if (x > 0)
        {
            WriteSquare(t, x);
        }

        return x * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnreadSpanWrittenByCallee(double x)
    {
        Span<double> t = stackalloc double[1];
        WriteSquareSpan(t, x);
        return x * x;
    }

    [Differentiable]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(UnreadArrayWrittenByCallee))]
    [Domain(-2, 2)]
    public static float UnreadFloatArrayWrittenByCallee(float x)
    {
        float[] t = new float[1];
        WriteSquareFloat(t, x);
        return x * x;
    }

    /// <summary>The same with the elements read: the array is active and keeps its adjoint.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ArrayWrittenByCalleeAndRead(double x)
    {
        double[] t = new double[1];
        WriteSquare(t, x);
        return x * t[0];
    }

    /// <summary>A callee writes two arrays; only the second is read.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double OneOfTwoArraysWrittenByCalleeRead(double x)
    {
        double[] t = new double[2];
        double[] u = new double[2];
        WriteBoth(t, u, x);
        return x * u[1];
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(2)]
    public static void WriteBoth(double[] p, double[] q, double a)
    {
        p[0] = a * a;
        q[1] = p[0] * a;
    }

    // ---- A [NoDiff] parameter assigned an active value ----

    [Differentiable]
    [Domain(-2, 2)]
    public static double NoDiffAssignedActive(double x, [NoDiff] double c)
    {
        c = c * x;
        return c + x;
    }

    [Differentiable]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(NoDiffAssignedActive))]
    [Domain(-2, 2)]
    public static float NoDiffFloatAssignedActive(float x, [NoDiff] float c)
    {
        c = c * x;
        return c + x;
    }

    [Differentiable]
    [Domain(-1.2, 1.2)]
    [Ints(nameof(n), 3)]
    public static double NoDiffAssignedActiveInLoop(double x, [NoDiff] double c, int n)
    {
        for (int i = 0; i < n; i++)
        {
            c = c * x + 1.0;
        }

        return c * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static double NoDiffAssignedActiveInBranch(double x, [NoDiff] double c)
    {
        if (x > 0)
        {
            c = Math.Sin(x) * c;
        }

        return c * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double NoDiffAssignedFromCall(double x, [NoDiff] double c)
    {
        c = Cube(c * x);
        return c + x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double Cube(double a) => a * a * a;

    /// <summary>An active value written into a [NoDiff] array, then read back.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(2)]
    public static double NoDiffArrayWrittenActive(double x, [NoDiff] double[] c)
    {
        c[0] = c[0] * x;
        return c[0] * c[1] + x;
    }

    /// <summary>A [NoDiff] parameter made active by a callee that writes it (ref, out).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NoDiffAssignedByRefCall(double x, [NoDiff] double c)
    {
        ScaleAndShift(ref c, x);
        return c * x;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void ScaleAndShift(ref double s, double a)
    {
        s = s * a + a;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NoDiffAssignedByOutCall(double x, [NoDiff] double c)
    {
        SquareOut(x * 0.5, out c);
        return c * x;
    }

    /// <summary>The out argument is also read by the value argument: the adjoint must see c as it was before the call.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NoDiffReadAndAssignedByOutCall(double x, [NoDiff] double c)
    {
        SquareOut(x * c, out c);
        return c * x;
    }

    /// <summary>The same with an active parameter.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double ReadAndAssignedByOutCall(double x, double c)
    {
        SquareOut(x * c, out c);
        return c * x;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void SquareOut(double a, out double b)
    {
        b = a * a;
    }

    /// <summary>Elementwise (span drivers): a [NoDiff] option assigned an active value.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void NoDiffOptionAssignedActive(ref double w, double g, [NoDiff] double c)
    {
        c = c * g;
        w -= c * w;
    }

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    public static double NoDiffAssignedActiveSecondOrder(double x, [NoDiff] double c)
    {
        c = c * x;
        return c * x + x;
    }

    [Differentiable(Order = 2)]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(NoDiffAssignedActiveSecondOrder))]
    [Domain(-2, 2)]
    public static float NoDiffFloatAssignedActiveSecondOrder(float x, [NoDiff] float c)
    {
        c = c * x;
        return c * x + x;
    }

    [Differentiable(Order = 2)]
    [Domain(-1.2, 1.2)]
    [Ints(nameof(n), 3)]
    public static double NoDiffAssignedActiveInLoopSecondOrder(double x, double y, [NoDiff] double c, int n)
    {
        for (int i = 0; i < n; i++)
        {
            c = c * x + y;
        }

        return c * x * y;
    }

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(NoDiffAssignedActiveInBranchSecondOrderSmooth))]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static double NoDiffAssignedActiveInBranchSecondOrder(double x, [NoDiff] double c)
    {
        if (x > 0)
        {
            c = Math.Sin(x) * c;
        }

        return c * x * x;
    }

    /// <summary>Assigned on both paths of a branch on its own input value.</summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(NoDiffAssignedInBothBranchesSecondOrderSmooth))]
    [At(1.0, 0.5)]
    [At(1.0, -0.5)]
    public static double NoDiffAssignedInBothBranchesSecondOrder(double x, [NoDiff] double c)
    {
        if (c > 0)
        {
            c = c * x;
        }
        else
        {
            c = x * x * c;
        }

        return c * x;
    }

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Lengths(2)]
    public static double NoDiffArrayWrittenActiveSecondOrder(double x, [NoDiff] double[] c)
    {
        c[0] = c[0] * x;
        return c[0] * c[1] * x;
    }

    // ---- A loop with break or continue inside an if/else or a switch section ----

    // The repro's loops end in an unconditional break: their incrementors are unreachable.
#pragma warning disable CS0162
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopBreakInsideIf(double x)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 3; i++)
            {
                x = x * 0.5;
                break;
            }
        }

        return x;
    }

    [Differentiable]
    [DoubleTwin(typeof(FlowRegressionCases), nameof(LoopBreakInsideIf))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZeroFloat))]
    [At(1.0)]
    [At(-1.0)]
    public static float LoopBreakInsideIfFloat(float x)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 3; i++)
            {
                x = x * 0.5f;
                break;
            }
        }

        return x;
    }

#pragma warning restore CS0162

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopContinueInsideIf(double x)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 4; i++)
            {
                if (i == 1)
                {
                    continue;
                }

                x = x * x * 0.5 + i;
            }
        }

        return x;
    }

    /// <summary>A while loop with a break (on the counter) inside the else branch.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double WhileBreakInsideElse(double x)
    {
        if (x > 0.0)
        {
            x = x * x;
        }
        else
        {
            int i = 0;
            while (i < 5)
            {
                x = Math.Sin(x) + x;
                i++;
                if (i == 2)
                {
                    break;
                }
            }
        }

        return x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double DoBreakInsideIf(double x)
    {
        if (x > 0.0)
        {
            int i = 0;
            do
            {
                x = x * 0.5 + Math.Sin(x);
                i++;
                if (i > 1)
                {
                    break;
                }
            }
            while (i < 5);
        }

        return x;
    }

    /// <summary>A foreach with a break on a [NoDiff] value, inside an if.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(a), 0, 1)]
    [Lengths(4)]
    [SmoothWhere(nameof(ForeachBreakInsideIfSmooth))]
    [At(1.0, 0.2, 0.3, 0.9, 0.4)]
    [At(-1.0, 0.2, 0.3, 0.9, 0.4)]
    public static double ForeachBreakInsideIf(double x, [NoDiff] double[] a)
    {
        if (x > 0.0)
        {
            foreach (var v in a)
            {
                if (v > 0.75)
                {
                    break;
                }

                x = x * v + Math.Sin(x);
            }
        }

        return x;
    }

    /// <summary>Nested loops, each with its own break, inside an if.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double NestedLoopBreaksInsideIf(double x)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    x = x * 0.9 + 0.1 * x * x;
                    if (j == 1)
                    {
                        break;
                    }
                }

                if (i == 1)
                {
                    break;
                }
            }
        }

        return x;
    }

    /// <summary>A loop with a break and an early return, inside an if.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopBreakAndReturnInsideIfEach(double x)
        => LoopBreakAndReturnInsideIf(x, 0) + LoopBreakAndReturnInsideIf(x, 5);

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [Ints(nameof(n), 0)]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopBreakAndReturnInsideIf(double x, int n)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 3; i++)
            {
                x = x * 0.5 + Math.Sin(x);
                if (i == n)
                {
                    return x * 2;
                }

                if (i == 1)
                {
                    break;
                }
            }
        }

        return x;
    }

    /// <summary>Loops with break and continue in switch sections.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double LoopBreakInsideSwitchSectionEach(double x)
        => LoopBreakInsideSwitchSection(x, 0) + LoopBreakInsideSwitchSection(x, 1);

    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 0)]
    public static double LoopBreakInsideSwitchSection(double x, int n)
    {
        switch (n)
        {
            case 0:
                for (int i = 0; i < 3; i++)
                {
                    x = x * 0.5 + Math.Sin(x);
                    if (i == 1)
                    {
                        break;
                    }
                }

                break;
            default:
                for (int i = 0; i < 3; i++)
                {
                    if (i == 0)
                    {
                        continue;
                    }

                    x = Math.Sin(x) * x;
                }

                break;
        }

        return x;
    }

    /// <summary>The if holding the loop is itself in a loop.</summary>
#pragma warning disable CS0162
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 3)]
    public static double LoopBreakInsideIfInsideLoop(double x, int n)
    {
        for (int k = 0; k < n; k++)
        {
            if (k % 2 == 0)
            {
                for (int i = 0; i < 3; i++)
                {
                    x = x * 0.5 + Math.Sin(x);
                    break;
                }
            }
            else
            {
                for (int i = 0; i < 3; i++)
                {
                    if (i == 1)
                    {
                        continue;
                    }

                    x = Math.Sin(x);
                }
            }
        }

        return x;
    }

#pragma warning restore CS0162

    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopBreakInsideIfSecondOrder(double x)
    {
        if (x > 0.0)
        {
            for (int i = 0; i < 3; i++)
            {
                x = x * 0.5 + Math.Sin(x);
                if (i == 1)
                {
                    break;
                }
            }
        }

        return x * x;
    }

    /// <summary>Loops in an if's two branches, inside a do loop; a continue, a break and a return in them.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0)]
    [At(-1.0)]
    public static double LoopsInBothBranchesOfIf(double x)
    {
        if (x > 0)
        {
            int k = 0;
            do
            {
                if (k > 0)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        if (j == 1)
                        {
                            continue;
                        }

                        x = x * 0.5 + Math.Sin(x);
                    }
                }

                k++;
            }
            while (k < 3);
        }
        else
        {
            for (int i = 0; i < 3; i++)
            {
                if (i == 2)
                {
                    return x * 3.0;
                }

                if (i == 1)
                {
                    break;
                }

                x = x * x;
            }
        }

        return x;
    }

    /// <summary>A switch in a loop in a switch section: its breaks end its sections; the loop's own break.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 0)]
    public static double SwitchInLoopInSwitchSection(double x, int n)
    {
        switch (n)
        {
            case 0:
                for (int i = 0; i < 4; i++)
                {
                    switch (i % 2)
                    {
                        case 0:
                            x = x * 0.5;
                            break;
                        default:
                            if (i == 3)
                            {
                                continue;
                            }

                            x = Math.Sin(x) + x;
                            break;
                    }

                    if (i == 2)
                    {
                        break;
                    }
                }

                break;
            default:
                x = x * x;
                break;
        }

        return x;
    }

    // ---- A switch nested in a switch section ----

    [Differentiable]
    [Domain(-2, 2)]
    public static double NestedSwitchInSectionEach(double x)
        => NestedSwitchInSection(x, 0, 0) + NestedSwitchInSection(x, 0, 1) + NestedSwitchInSection(x, 1, 0);

    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 0)]
    [Ints(nameof(m), 0)]
    public static double NestedSwitchInSection(double x, int n, int m)
    {
        switch (n)
        {
            case 0:
                switch (m)
                {
                    case 0:
                        x = x * 2.0;
                        break;
                    default:
                        x = x + 1.0;
                        break;
                }

                break;
            default:
                x = x * x;
                break;
        }

        return x;
    }

    /// <summary>In a loop (every section taken in one call), an inner section ending in return, another in continue.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double NestedSwitchInLoop(double x, int n)
    {
        double r = x;
        for (int i = 0; i < n; i++)
        {
            switch (i % 2)
            {
                case 0:
                    switch (i % 3)
                    {
                        case 0:
                            r = r * x;
                            break;
                        case 1:
                            continue;
                        default:
                            return r * 2.0;
                    }

                    break;
                default:
                    r = Math.Sin(r) + x;
                    break;
            }
        }

        return r;
    }

    /// <summary>Every section taken in one call: the selectors come from the counter.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double NestedSwitchInSectionSecondOrder(double x, double y)
    {
        for (int k = 0; k < 4; k++)
        {
            switch (k % 2)
            {
                case 0:
                    switch (k / 2)
                    {
                        case 0:
                            x = x * y * 0.5;
                            break;
                        default:
                            x = x + y;
                            break;
                    }

                    break;
                default:
                    x = Math.Sin(x) * x;
                    break;
            }
        }

        return x * y;
    }

    private static bool AwayFromZero(double x) => Kinks.AwayFromZero(x);

    private static bool AwayFromZero(double x, double c) => Kinks.AwayFromZero(x);

    private static bool AwayFromZero(double x, int n) => Kinks.AwayFromZero(x);

    private static bool AwayFromZeroFloat(float x) => Kinks.AwayFromZero(x);

    private static bool NoDiffAssignedActiveInBranchSecondOrderSmooth(double x, double c) => Kinks.AwayFromZero(x);

    private static bool NoDiffAssignedInBothBranchesSecondOrderSmooth(double x, double c) => Kinks.AwayFromZero(c);

    private static bool ForeachBreakInsideIfSmooth(double x, double[] a) => Kinks.AwayFromZero(x) && Array.TrueForAll(a, v => Kinks.Apart(v, 0.75));
}
