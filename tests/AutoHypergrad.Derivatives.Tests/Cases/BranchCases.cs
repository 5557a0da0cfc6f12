using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Ternaries, if/else, else-if chains, nesting, &amp;&amp; || ! in conditions, early returns. The [At] points take every
/// branch; the [SmoothWhere] predicates keep every point 1e-3 away from each condition's boundary.
/// </summary>
public static partial class BranchCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(TernarySmooth))]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static double Ternary(double x, double y)
    {
        double r = x > y ? x * x * y : y * Math.Sin(x);
        return r + (y <= 0 ? -y : y * y);
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(TernaryWithLogicSmooth))]
    [At(1.0, 0.5)]
    [At(1.0, 1.5)]
    [At(-1.0, -1.5)]
    [At(-1.0, 0.5)]
    public static double TernaryWithLogic(double x, double y)
    {
        return (x > 0 && !(y > 1)) || y < -1 ? x * y : x - y * y;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(IfElseSmooth))]
    [At(1.5)]
    [At(-1.0)]
    public static double IfElse(double x)
    {
        double r;
        if (x > 0.5)
        {
            r = x * x;
        }
        else
        {
            r = Math.Exp(x) - x;
        }

        return r * x;
    }

    /// <summary>An if without else that overwrites a local on one path only.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(IfElseSmooth))]
    [At(1.5)]
    [At(-1.0)]
    public static double IfWithoutElse(double x)
    {
        double r = x * 3;
        if (x > 0.5)
        {
            r = r * x - 1;
        }

        return r + x;
    }

    [Differentiable]
    [Domain(-3, 3)]
    [SmoothWhere(nameof(ElseIfChainSmooth))]
    [At(-2.0)]
    [At(-0.5)]
    [At(0.5)]
    [At(2.0)]
    public static double ElseIfChain(double x)
    {
        double r = 0;
        if (x < -1)
        {
            r = -x * x;
        }
        else if (x <= 0)
        {
            r = Math.Sin(x);
        }
        else if (x < 1)
        {
            r = x * x * x;
        }
        else
        {
            r = Math.Log(x) + 1;
        }

        return r * 2 + x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(NestedIfSmooth))]
    [At(1.0, 0.5)]
    [At(1.0, -1.0)]
    [At(-1.0, 1.0)]
    [At(-1.0, -1.5)]
    public static double NestedIf(double x, double y)
    {
        double r = x + y;
        if (x > 0)
        {
            if (y > 0)
            {
                r = r * x;
            }
            else
            {
                r = r * y - x;
            }
        }
        else
        {
            if (y >= x)
            {
                r = r * r;
            }
            else
            {
                r = -r;
            }

            r = r + x * y;
        }

        return r;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(LogicalConditionsSmooth))]
    [At(1.0, 0.5)]
    [At(-1.5, 0.5)]
    [At(0.5, -1.5)]
    [At(-0.5, 0.5)]
    [At(0.5, -0.5)]
    public static double LogicalConditions(double x, double y)
    {
        double r;
        if (x > 0 && y > 0)
        {
            r = x * y;
        }
        else if (x < -1 || y < -1)
        {
            r = x + y * y;
        }
        else if (!(x > y))
        {
            r = Math.Exp(x - y);
        }
        else
        {
            r = x - y;
        }

        return r * 2;
    }

    /// <summary>
    /// An early return at the top, and one nested in an if whose other path (x ≥ 0) falls through to the end after
    /// overwriting the parameter y.
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(EarlyReturnsSmooth))]
    [At(1.5, 0.3)]
    [At(-1.0, -1.0)]
    [At(0.5, -1.0)]
    [At(0.5, 0.5)]
    public static double EarlyReturns(double x, double y)
    {
        if (x > 1)
        {
            return x * y;
        }

        if (y < 0)
        {
            if (x < 0)
            {
                return x - y * y;
            }

            y = y * y;
        }

        double z = x + y;
        return z * z;
    }

    /// <summary>Every path returns inside the chain; nothing after it.</summary>
    [Differentiable]
    [Domain(-2, 3)]
    [SmoothWhere(nameof(ReturnsInEveryBranchSmooth))]
    [At(-1.0)]
    [At(0.5)]
    [At(2.0)]
    public static double ReturnsInEveryBranch(double x)
    {
        double s = x * x;
        if (x < 0)
        {
            return s + x;
        }
        else if (x < 1)
        {
            s = s * x;
            return s - x;
        }
        else
        {
            return Math.Sqrt(s + 1);
        }
    }

    /// <summary>A condition on an intermediate value rather than on an input.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ConditionOnIntermediateSmooth))]
    [At(1.5, 1.5)]
    [At(0.5, 0.5)]
    public static double ConditionOnIntermediate(double x, double y)
    {
        double p = x * y;
        if (p >= 1)
        {
            p = Math.Sqrt(p);
        }

        return p + x;
    }

    private static bool TernarySmooth(double x, double y) => Kinks.Apart(x, y) && Kinks.AwayFromZero(y);

    private static bool TernaryWithLogicSmooth(double x, double y) =>
        Kinks.AwayFromZero(x) && Kinks.Apart(y, 1) && Kinks.Apart(y, -1);

    private static bool IfElseSmooth(double x) => Kinks.Apart(x, 0.5);

    private static bool ElseIfChainSmooth(double x) => Kinks.Apart(x, -1) && Kinks.AwayFromZero(x) && Kinks.Apart(x, 1);

    private static bool NestedIfSmooth(double x, double y) => Kinks.AwayFromZero(x, y) && Kinks.Apart(x, y);

    private static bool LogicalConditionsSmooth(double x, double y) =>
        Kinks.AwayFromZero(x, y) && Kinks.Apart(x, -1) && Kinks.Apart(y, -1) && Kinks.Apart(x, y);

    private static bool EarlyReturnsSmooth(double x, double y) => Kinks.Apart(x, 1) && Kinks.AwayFromZero(x, y);

    private static bool ReturnsInEveryBranchSmooth(double x) => Kinks.AwayFromZero(x) && Kinks.Apart(x, 1);

    private static bool ConditionOnIntermediateSmooth(double x, double y) => Kinks.Apart(x * y, 1);
}
