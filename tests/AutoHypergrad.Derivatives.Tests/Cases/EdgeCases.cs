using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Constructs where reverse mode classically goes wrong: self-referencing updates, a value read and overwritten in one
/// statement, the same variable passed as ref and as value, sibling scopes reusing a name, calls in conditions.
/// </summary>
public static partial class EdgeCases
{
    /// <summary>Compound assignments whose right side reads the variable being assigned.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double SelfReferencingUpdates(double x)
    {
        double t = x;
        t *= t;
        t += t;
        t -= t * 0.5;
        t /= t + 1;
        x *= t;
        x = x * x + x;
        return x;
    }

    /// <summary>ref state updated from itself: s ← s², s ← −s, s ← s + s.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void SelfReferencingState(ref double s, double x)
    {
        s *= s;
        s = -s;
        s += s * x;
        s = s + s;
    }

    /// <summary>A ternary assigning ref state, reading it on both arms.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZero))]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static void TernaryOnState(ref double s, double x)
    {
        s = x > 0 ? s * x : s - x * s;
    }

    /// <summary>The same variable as the ref argument and inside the value argument of one call.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double StateAsBothArguments(ref double s, double x)
    {
        CallHelpers.Accumulate(ref s, s);
        CallHelpers.Accumulate(ref s, s * x + s);
        return s;
    }

    /// <summary>Sibling blocks declaring locals of the same name.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZeroX))]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static double SiblingScopesReuseNames(double x, double y)
    {
        double r;
        if (x > 0)
        {
            double t = x * y;
            r = t * t;
        }
        else
        {
            double t = x + y;
            r = t * Math.Exp(t);
        }

        double u = r;
        {
            double t = u * 0.5;
            u = t + y;
        }

        return u;
    }

    /// <summary>Conditions on the results of calls, and a call inside a ternary.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(CallInConditionSmooth))]
    [At(1.5)]
    [At(0.5)]
    [At(-0.5)]
    public static double CallInCondition(double x)
    {
        if (CallCases.Square(x) > 1)
        {
            return CallHelpers.Softplus(x) * x;
        }

        return x > 0 ? CallCases.Square(x) : -CallHelpers.Softplus(-x);
    }

    /// <summary>Pow(x, x) and other single-variable multi-use expressions.</summary>
    [Differentiable]
    [Domain(0.5, 2)]
    public static double SameVariableEverywhere(double x)
    {
        return Math.Pow(x, x) + x / x * x - Math.FusedMultiplyAdd(x, x, x) + Math.Clamp(x, x - 1, x + 1);
    }

    /// <summary>Clamp whose bounds are expressions of the inputs.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ClampWithComputedBoundsSmooth))]
    [At(1.8, 0.5)]
    [At(-1.5, 0.5)]
    [At(0.2, 0.5)]
    public static double ClampWithComputedBounds(double x, double y)
    {
        return Math.Clamp(x * y, y - 1, y * y + 0.5) + Math.Max(Math.Min(x, y), -1);
    }

    /// <summary>A ref parameter updated then read back through several branches and returns in a non-void method.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(StateThroughBranchesSmooth))]
    [At(1.5, 0.5, 1.0)]
    [At(1.5, 0.5, -1.0)]
    [At(0.5, 0.5, 0.5)]
    public static double StateThroughBranches(ref double a, ref double b, double x)
    {
        a = a * x;
        if (a > 1)
        {
            b = b + a;
            return a * b;
        }
        else if (a < -1)
        {
            b = b * a;
        }
        else
        {
            double old = b;
            b = a;
            a = old * x;
        }

        return a - b;
    }

    /// <summary>An expression-bodied method.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ExpressionBodied(double x, double y) => x * Math.Sin(y) - y;

    /// <summary>An int local used passively.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double IntegerLocal(double x, int n)
    {
        int k = n * 2 - 1;
        double y = x * k;
        return y * y / k + n;
    }

    /// <summary>A ternary nested in a ternary, and ReLU-style Max/Min with an int literal 0.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(AwayFromZeroXY))]
    [At(1.0, 1.0)]
    [At(1.0, -1.0)]
    [At(-1.0, 1.0)]
    [At(-1.0, -1.0)]
    public static double NestedTernaryAndRelu(double x, double y)
    {
        double r = x > 0 ? (y > 0 ? x * y : x - y) : Math.Max(0, y) * x;
        return r + Math.Max(0, x) - Math.Min(x, 0) * 2;
    }

    /// <summary>Locals named like the generator's own (result, resultDot, t1, sSaved).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NamesLikeGeneratedOnes(ref double s, double g)
    {
        double result = s * g;
        double t1 = result + s;
        double sSaved = t1 * s;
        s = sSaved + g;
        double resultDot = s * t1;
        return resultDot + result;
    }

    /// <summary>One declaration, several declarators.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double MultipleDeclarators(double x, double y)
    {
        double a = x * y, b = a + y;
        return a * b;
    }

    /// <summary>No active input at all: the tangent is 0, the Adjoint only has resultBar.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double OnlyPassiveInputs([NoDiff] double c, int n)
    {
        return c * c * n;
    }

    /// <summary>Unary minus assigned back to a parameter and to state.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void NegateParameterAndState(ref double s, double x)
    {
        x = -x;
        s = -s * x;
    }

    /// <summary>An early return nested two ifs deep in a void method; the other paths fall through.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(VoidNestedEarlyReturnSmooth))]
    [At(1.0, 1.0)]
    [At(-0.5, 1.0)]
    [At(1.0, -1.0)]
    public static void VoidNestedEarlyReturn(ref double s, double x)
    {
        s = s * x;
        if (x > 0)
        {
            if (s > 0)
            {
                return;
            }

            s = s + 1;
        }

        s = s * s;
    }

    private static bool AwayFromZero(double s, double x) => Kinks.AwayFromZero(x);

    private static bool AwayFromZeroX(double x, double y) => Kinks.AwayFromZero(x);

    private static bool AwayFromZeroXY(double x, double y) => Kinks.AwayFromZero(x, y);

    private static bool VoidNestedEarlyReturnSmooth(double s, double x) => Kinks.AwayFromZero(x, s * x);

    private static bool CallInConditionSmooth(double x) =>
        Kinks.Apart(x * x, 1) && Kinks.AwayFromZero(x);

    private static bool ClampWithComputedBoundsSmooth(double x, double y) =>
        Kinks.Apart(x * y, y - 1) && Kinks.Apart(x * y, y * y + 0.5) && Kinks.Apart(x, y) && Kinks.Apart(Math.Min(x, y), -1);

    private static bool StateThroughBranchesSmooth(double a, double b, double x) =>
        Kinks.Apart(a * x, 1) && Kinks.Apart(a * x, -1);
    /// <summary>A call whose value is discarded: only its effect on the ref state counts (its resultBar is zero).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void DiscardedCallResult(ref double s, double g)
    {
        CallHelpers.StepAndReport(ref s, g);
        s = s * g;
    }

    /// <summary>A constant result: the adjoint's forward sweep has nothing to keep, and compiles without warnings.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ConstantResult(double x)
    {
        double unused = x * x;
        return 3;
    }

    /// <summary>A ternary whose arm is the variable itself (y = c ? y : −y).</summary>
    [Differentiable]
    [Domain(0.5, 2)]
    public static double TernaryKeepingItself(double x, int n)
    {
        double y = x * n;
        y = n > 2 ? y : -y;
        return y;
    }
}
