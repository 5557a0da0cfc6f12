using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Locals, assignments, the four operations, unary minus, parentheses, reassignment, passive inputs.</summary>
public static partial class ArithmeticCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(y), 0.5, 2)]
    public static double Locals(double x, double y)
    {
        double a = x * y;
        double b = a + x;
        double c = b / y;
        double d = 2 * c - 3;
        return d - a * c;
    }

    [Differentiable]
    [Domain(0.5, 2)]
    public static double CompoundAssignments(double x, double y)
    {
        double s = x;
        s += y * y;
        s -= 0.5 * x;
        s *= y;
        s /= x;
        s += 1;
        s *= s;
        s /= y + x;
        return s;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double UnaryMinus(double x, double y)
    {
        double n = -x;
        return -n * -(y - x) + -(-y) * n - -1.5;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double Parentheses(double x, double y, double z)
    {
        return ((x + y) * (z - x)) / (1.0 + (y * y)) - (x - (y - (z - 1))) * ((x));
    }

    [Differentiable]
    [Domain(0.5, 3)]
    public static double Divisions(double x, double y)
    {
        double q = x / y;
        double r = 1 / (x * x + y);
        return q / (r + x) - y / q / x;
    }

    /// <summary>((x³ + x)·x − x)·x, through one variable overwritten again and again.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double RepeatedReassignment(double x)
    {
        double t = x;
        t = t * x;
        t = t * x;
        t = t + x;
        t = t * x;
        t = t - x;
        t = t * x;
        return t;
    }

    /// <summary>Value parameters overwritten inside the body (their tangents and adjoints must follow).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ReassignedParameters(double x, double y)
    {
        x = x * y;
        x = x + y;
        y = x * x;
        x -= y * 0.25;
        return x + y;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double PassiveInteger(double x, int n)
    {
        double scaled = x * n;
        return scaled + n * n * x * x - x / n + (n - 1) * Math.Sin(x);
    }

    /// <summary>c gets no tangent nor adjoint; derivatives treat it as a constant.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double NoDiffInput(double x, [NoDiff] double c)
    {
        double y = c * x * x + Math.Exp(c) * x;
        return y - c;
    }

    /// <summary>Hyperparameters are active inputs like any other.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.01, 0.5)]
    [Domain(nameof(decay), 0, 0.1)]
    public static double Hyperparameters(double w, [Hyper] double lr, [Hyper] double decay)
    {
        return w - lr * (w * decay + Math.Sin(w));
    }

    /// <summary>Everything at once: active, hyper, NoDiff, int.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.01, 0.5)]
    public static double MixedRoles(double x, [Hyper] double lr, [NoDiff] double c, int n)
    {
        double y = x;
        y -= lr * (x * c + n);
        return y * y * n;
    }
}
