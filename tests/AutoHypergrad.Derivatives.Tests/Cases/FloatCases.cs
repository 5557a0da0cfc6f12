using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// float cases. Each names a double twin with the same mathematics (constants are exact in float, so the two compute
/// the same function); the twin is checked against finite differences and the float case against the twin.
/// </summary>
public static partial class FloatCases
{
    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(ArithmeticTwin))]
    [Domain(0.5, 2)]
    public static float Arithmetic(float x, float y)
    {
        float a = x * y - 0.5f;
        a += y;
        a -= x * 0.25f;
        a *= x;
        a /= y;
        float b = -a + (x - y) * (x + y);
        return b / (1f + x * x);
    }

    [Differentiable]
    [Domain(0.5, 2)]
    public static double ArithmeticTwin(double x, double y)
    {
        double a = x * y - 0.5;
        a += y;
        a -= x * 0.25;
        a *= x;
        a /= y;
        double b = -a + (x - y) * (x + y);
        return b / (1 + x * x);
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(SmoothFunctionsTwin))]
    [Domain(0.5, 2)]
    public static float SmoothFunctions(float x, float y)
    {
        float r = MathF.Sqrt(x * y) + MathF.Exp(x - y) + MathF.Log(x + y);
        r += MathF.Pow(x, y) + MathF.Pow(x, 2.5f) + MathF.Pow(1.5f, y);
        r += MathF.Tanh(x - y) * MathF.Sin(x) - MathF.Cos(y);
        return r;
    }

    [Differentiable]
    [Domain(0.5, 2)]
    public static double SmoothFunctionsTwin(double x, double y)
    {
        double r = Math.Sqrt(x * y) + Math.Exp(x - y) + Math.Log(x + y);
        r += Math.Pow(x, y) + Math.Pow(x, 2.5) + Math.Pow(1.5, y);
        r += Math.Tanh(x - y) * Math.Sin(x) - Math.Cos(y);
        return r;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(PiecewiseFunctionsTwin))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(PiecewiseSmooth))]
    [At(1.0, -0.5)]
    [At(-1.0, 0.5)]
    [At(1.5, 1.0)]
    [At(-1.5, -1.0)]
    public static float PiecewiseFunctions(float x, float y)
    {
        float r = MathF.Abs(x - y) + MathF.Max(x, y) * 2 - MathF.Min(x, y * y);
        r += MathF.Sign(x) * y + MathF.FusedMultiplyAdd(x, y, r);
        r += Math.Clamp(x * y, -1f, 1f) + Math.Clamp(x, y - 1, y + 1);
        return r;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(PiecewiseSmoothTwin))]
    [At(1.0, -0.5)]
    [At(-1.0, 0.5)]
    [At(1.5, 1.0)]
    [At(-1.5, -1.0)]
    public static double PiecewiseFunctionsTwin(double x, double y)
    {
        double r = Math.Abs(x - y) + Math.Max(x, y) * 2 - Math.Min(x, y * y);
        r += Math.Sign(x) * y + Math.FusedMultiplyAdd(x, y, r);
        r += Math.Clamp(x * y, -1, 1) + Math.Clamp(x, y - 1, y + 1);
        return r;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(BranchesTwin))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(BranchesSmooth))]
    [At(1.5, 0.5)]
    [At(0.5, 0.5)]
    [At(-0.5, 0.5)]
    [At(-0.5, -0.5)]
    public static float Branches(float x, float y)
    {
        if (x > 1f)
        {
            return x * y;
        }

        float r = x >= 0 ? x * x : -x;
        if (y < 0 && !(x > 0))
        {
            r = r * y;
        }
        else
        {
            r += y;
        }

        return r;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(BranchesSmoothTwin))]
    [At(1.5, 0.5)]
    [At(0.5, 0.5)]
    [At(-0.5, 0.5)]
    [At(-0.5, -0.5)]
    public static double BranchesTwin(double x, double y)
    {
        if (x > 1)
        {
            return x * y;
        }

        double r = x >= 0 ? x * x : -x;
        if (y < 0 && !(x > 0))
        {
            r = r * y;
        }
        else
        {
            r += y;
        }

        return r;
    }

    /// <summary>Casts float → double and double → float inside a float method, and a call to a double method.</summary>
    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(CastsTwin))]
    [Domain(-1.5, 1.5)]
    public static float Casts(float x, float y)
    {
        double d = (double)x * y;
        d = Math.Exp(d * 0.5) + d;
        float r = (float)d;
        float s = (float)Math.Sqrt((double)(x * x + 1));
        float q = (float)CallCases.Square((double)x * 0.5);
        return r * s + (float)(d * x) - q;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double CastsTwin(double x, double y)
    {
        double d = x * y;
        d = Math.Exp(d * 0.5) + d;
        double r = d;
        double s = Math.Sqrt(x * x + 1);
        double q = CallCases.Square(x * 0.5);
        return r * s + d * x - q;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(PassiveInputsTwin))]
    [Domain(-2, 2)]
    public static float PassiveInputs(float x, [NoDiff] float c, int n)
    {
        return x * n + c * x * x - c;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double PassiveInputsTwin(double x, [NoDiff] double c, int n)
    {
        return x * n + c * x * x - c;
    }

    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(SquareTwin))]
    [Domain(-2, 2)]
    public static float Square(float x)
    {
        return x * x;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double SquareTwin(double x)
    {
        return x * x;
    }

    /// <summary>A float call with ref state to another float method.</summary>
    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(CallsTwin))]
    [Domain(-1.5, 1.5)]
    public static float Calls(ref float s, float x)
    {
        float q = Square(x + s);
        Momentum(ref s, ref q, x, 0.5f, 0.75f);
        return q * s;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double CallsTwin(ref double s, double x)
    {
        double q = SquareTwin(x + s);
        OptimizerCases.Momentum(ref s, ref q, x, 0.5, 0.75);
        return q * s;
    }

    [Differentiable]
    [DoubleTwin(typeof(OptimizerCases), nameof(OptimizerCases.Momentum))]
    [Domain(-2, 2)]
    [Domain(nameof(v), -1, 1)]
    [Domain(nameof(g), -1, 1)]
    [Domain(nameof(lr), 0.001, 0.5)]
    [Domain(nameof(mu), 0.5, 0.99)]
    public static void Momentum(ref float w, ref float v, float g, [Hyper] float lr, [Hyper] float mu)
    {
        v = mu * v + g;
        w = w - lr * v;
    }

    [Differentiable]
    [DoubleTwin(typeof(OptimizerCases), nameof(OptimizerCases.Adam))]
    [Domain(-2, 2)]
    [Domain(nameof(m), -1, 1)]
    [Domain(nameof(u), 0.25, 1)]
    [Domain(nameof(g), -1, 1)]
    [Domain(nameof(lr), 0.001, 0.1)]
    [Domain(nameof(beta1), 0.8, 0.9)]
    [Domain(nameof(beta2), 0.9, 0.95)]
    [Domain(nameof(eps), 1e-8, 1e-3)]
    [Domain(nameof(t), 1, 10)]
    public static void Adam(
        ref float w, ref float m, ref float u, float g,
        [Hyper] float lr, [Hyper] float beta1, [Hyper] float beta2, [Hyper] float eps, [NoDiff] float t)
    {
        m = beta1 * m + (1 - beta1) * g;
        u = beta2 * u + (1 - beta2) * g * g;
        float mHat = m / (1 - MathF.Pow(beta1, t));
        float uHat = u / (1 - MathF.Pow(beta2, t));
        w = w - lr * mHat / (MathF.Sqrt(uHat) + eps);
    }

    /// <summary>MathF.Max with a float literal, Math.Max with an int literal, MathF.Pow with an int exponent.</summary>
    [Differentiable]
    [DoubleTwin(typeof(FloatCases), nameof(ReluTwin))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ReluSmooth))]
    [At(1.0, 1.0)]
    [At(-1.0, -1.0)]
    public static float Relu(float x, float y)
    {
        return MathF.Max(0f, x) * y + MathF.Pow(y, 2) + Math.Max(0, y);
    }

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ReluSmoothTwin))]
    [At(1.0, 1.0)]
    [At(-1.0, -1.0)]
    public static double ReluTwin(double x, double y)
    {
        return Math.Max(0, x) * y + Math.Pow(y, 2) + Math.Max(0, y);
    }

    private static bool ReluSmooth(float x, float y) => Kinks.AwayFromZero(x, y);

    private static bool ReluSmoothTwin(double x, double y) => Kinks.AwayFromZero(x, y);

    private static bool PiecewiseSmooth(float x, float y) => PiecewiseSmoothTwin(x, y);

    private static bool PiecewiseSmoothTwin(double x, double y) =>
        Kinks.Apart(x, y) && Kinks.Apart(x, y * y) && Kinks.AwayFromZero(x)
        && Kinks.Apart(x * y, -1) && Kinks.Apart(x * y, 1) && Kinks.Apart(x, y - 1) && Kinks.Apart(x, y + 1);

    private static bool BranchesSmooth(float x, float y) => BranchesSmoothTwin(x, y);

    private static bool BranchesSmoothTwin(double x, double y) => Kinks.Apart(x, 1) && Kinks.AwayFromZero(x, y);
}
