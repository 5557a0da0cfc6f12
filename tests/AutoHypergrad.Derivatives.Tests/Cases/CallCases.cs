using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Calls to other [Differentiable] methods, in this type and in <see cref="CallHelpers"/>.</summary>
public static partial class CallCases
{
    [Differentiable]
    [Domain(-2, 2)]
    public static double Square(double x)
    {
        return x * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void Decay(ref double s, double rate)
    {
        s = s * (1 - rate * rate);
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double SumOfSquares(double x, double y)
    {
        return Square(x) + Square(y) * 2;
    }

    /// <summary>A call in the argument of a call.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NestedCalls(double x)
    {
        return Square(Square(x) + 1) - Square(x - 1);
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double CallAnotherType(double x, double y)
    {
        double s = CallHelpers.Softplus(x * y);
        return s * y + CallHelpers.Scaled(x, 3, 0.5);
    }

    /// <summary>Passive arguments: int expressions and a NoDiff value.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double CallWithPassiveArguments(double x, int n, [NoDiff] double c)
    {
        return CallHelpers.Scaled(x * x, n, c) + CallHelpers.Scaled(x, n + 1, 2 * c);
    }

    /// <summary>
    /// ref state threaded through calls to this type and to another. The result is a degree-10 polynomial; the box is
    /// kept to [-1, 1] so that its third derivative stays moderate (see DerivativeChecker's tolerance).
    /// </summary>
    [Differentiable]
    [Domain(-1, 1)]
    public static void CallWithRefState(ref double s, double x)
    {
        CallHelpers.Accumulate(ref s, x);
        Decay(ref s, x);
        CallHelpers.Accumulate(ref s, s * x);
    }

    /// <summary>Calls that update ref state and return a value, the value feeding the next call.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double CallWithRefAndReturn(ref double s, double g)
    {
        double r = CallHelpers.StepAndReport(ref s, g);
        r += CallHelpers.StepAndReport(ref s, g * r);
        return r;
    }

    /// <summary>A local passed by ref.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double CallWithLocalAsRef(double x)
    {
        double s = x;
        CallHelpers.Accumulate(ref s, x);
        return s * x;
    }

    /// <summary>Two momentum steps through calls with several ref arguments, hyperparameters passed on.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(v), -1, 1)]
    [Domain(nameof(g), -1, 1)]
    [Domain(nameof(lr), 0.001, 0.5)]
    [Domain(nameof(mu), 0.5, 0.99)]
    public static void MomentumTwice(ref double w, ref double v, double g, [Hyper] double lr, [Hyper] double mu)
    {
        OptimizerCases.Momentum(ref w, ref v, g, lr, mu);
        OptimizerCases.Momentum(ref w, ref v, g * w, lr, mu);
    }

    /// <summary>A call on one branch only.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(CallInBranchSmooth))]
    [At(1.0)]
    [At(-1.0)]
    public static double CallInBranch(double x)
    {
        double r = x;
        if (x > 0)
        {
            r = CallHelpers.Softplus(x) * Square(x);
        }

        return r;
    }

    private static bool CallInBranchSmooth(double x) => Kinks.AwayFromZero(x);
}

/// <summary>Callees in another type.</summary>
public static partial class CallHelpers
{
    [Differentiable]
    [Domain(-3, 3)]
    public static double Softplus(double x)
    {
        return Math.Log(1 + Math.Exp(x));
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void Accumulate(ref double s, double x)
    {
        s = s + x * x;
        s *= 0.9;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double Scaled(double x, int n, [NoDiff] double c)
    {
        return x * n * c;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double StepAndReport(ref double s, double g)
    {
        s = s - 0.1 * g * s;
        return s * s;
    }
}
