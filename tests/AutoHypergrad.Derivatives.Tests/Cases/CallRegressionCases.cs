using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Regressions of calls between [Differentiable] methods: a callee's adjoint reads every argument as it was before
/// the call (a variable both read and written by the call, a variable read and then overwritten by an out argument),
/// in arguments that are not active variables, arrays passed to a callee inside a condition, and passive arrays
/// passed to an active read-only span parameter.
/// </summary>
public static partial class CallRegressionCases
{
    // ---- Callees ----

    [Differentiable]
    [Domain(-2, 2)]
    public static void Square(double a, out double o)
    {
        o = a * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void Decay(double a, ref double s)
    {
        s = s * a + Math.Sin(a);
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void CubeFirst(out double o, double a)
    {
        o = a * a * a + 0.5 * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double ByIn(in double a, double b)
    {
        return a * b + a * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double ArrayHead(double[] q, double b)
    {
        return q[0] * b + q[1];
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double SpanHead(ReadOnlySpan<double> p, double y)
    {
        return p[0] * y + p[1] * p[2];
    }

    // ---- 1: a variable read, then overwritten as an out (or ref) argument ----

    /// <summary>v reads x, then x is overwritten by an out argument: v's adjoint goes to the old x, not the new one.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(r), -3.5, 3.5)]
    [At(0.5, 3.0)]
    public static void ReadThenOverwrittenByOut(double x, ref double r)
    {
        double v = x * r;
        Square(2.0, out x);
        r = v;
    }

    /// <summary>The same, with the new value read too and an active argument.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double ReadThenOverwrittenByOutActive(double x, double y)
    {
        double v = x * y;
        Square(y, out x);
        return v + x * y;
    }

    /// <summary>The same, by ref: the old value is both read before and updated by the call.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void ReadThenOverwrittenByRef(double x, ref double r)
    {
        double v = x * r;
        Decay(r, ref x);
        r = v + x;
    }

    /// <summary>Inside a loop: each iteration reads x, then overwrites it through an out argument.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 3)]
    public static double ReadThenOverwrittenByOutInLoop(double x, double y, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double v = x * y;
            Square(v * 0.5, out x);
            total += v + x;
        }

        return total;
    }

    // ---- 2: the same variable as value argument and out or ref argument ----

    /// <summary>H(x, out x): the callee reads the old x and writes the new one.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [At(0.5)]
    public static double SameVariableInAndOut(double x)
    {
        Square(x, out x);
        return x;
    }

    /// <summary>The out argument first: H(out x, x).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double SameVariableOutThenIn(double x)
    {
        CubeFirst(out x, x);
        return x * x;
    }

    /// <summary>H(x, ref x): x is the value argument and the ref state.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double SameVariableInAndRef(double x, double y)
    {
        x = x * y;
        Decay(x, ref x);
        return x + y;
    }

    /// <summary>A local read by value and written by out, in a loop.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 3)]
    public static double SameVariableInAndOutInLoop(double x, int n)
    {
        double s = x * 0.5;
        for (int i = 0; i < n; i++)
        {
            Square(s, out s);
            s = s + x;
        }

        return s;
    }

    /// <summary>Through a call to a caller of the aliasing call.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double NestedSameVariable(double x)
    {
        double a = SameVariableInAndOut(x * 0.5);
        double b = SameVariableOutThenIn(a);
        return a + b;
    }

    /// <summary>A ref parameter of the caller passed as value and ref argument.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static void SameRefParameterInAndRef(ref double s, double y)
    {
        Decay(s, ref s);
        s = s * y;
    }

    /// <summary>A float variant: value and out argument.</summary>
    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(FloatSameVariableTwin))]
    [Domain(-1.5, 1.5)]
    public static float FloatSameVariable(float x, ref float r)
    {
        float v = x * r;
        FloatSquare(x, out x);
        r = v + x;
        return x * r;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double FloatSameVariableTwin(double x, ref double r)
    {
        double v = x * r;
        Square(x, out x);
        r = v + x;
        return x * r;
    }

    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(Square))]
    [Domain(-2, 2)]
    public static void FloatSquare(float a, out float o)
    {
        o = a * a;
    }

    // ---- 5: in arguments that are not active variables ----

    /// <summary>A passive local passed by in: its zero tangent is no variable.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double PassiveLocalByIn(double x)
    {
        double v = 0.5;
        return ByIn(in v, x);
    }

    /// <summary>A [NoDiff] parameter passed by in, a constant and an active variable to the in parameter.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static double NoDiffAndConstantByIn(double x, [NoDiff] double c)
    {
        return ByIn(in c, x) + ByIn(0.25, x) + ByIn(in x, c);
    }

    /// <summary>float: a passive local and an active one passed by in.</summary>
    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(FloatByInTwin))]
    [Domain(-2, 2)]
    public static float FloatByIn(float x)
    {
        float v = 0.5f;
        return FloatByInCallee(in v, x) + FloatByInCallee(in x, v);
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static double FloatByInTwin(double x)
    {
        double v = 0.5;
        return ByIn(in v, x) + ByIn(in x, v);
    }

    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(ByIn))]
    [Domain(-2, 2)]
    public static float FloatByInCallee(in float a, float b)
    {
        return a * b + a * a;
    }

    // ---- 9: a written array parameter passed to an array parameter inside a condition ----

    /// <summary>The adjoint's copy of a must be an array where a call in a condition takes an array.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    [SmoothWhere(nameof(HeadAwayFromZero))]
    public static double ArrayInConditionThenWritten(double[] a, double x)
    {
        double s = ArrayHead(a, 0.5) > 0.0 ? x : 0.0;
        a[1] *= x;
        return s;
    }

    /// <summary>The same in an if and in a loop condition.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    [SmoothWhere(nameof(HeadAwayFromZero))]
    public static double ArrayInIfAndLoopConditions(double[] a, double x)
    {
        double s = x;
        if (ArrayHead(a, 0.5) > 0.0)
        {
            s = s * a[2];
        }

        int i = 0;
        while (i < 2 && ArrayHead(a, 0.0) < 100.0)
        {
            a[0] = a[0] * 0.5 + s;
            i++;
        }

        a[2] *= x;
        return s + a[0];
    }

    // ---- 10: a passive array passed to an active read-only span parameter ----

    /// <summary>A zero tangent for d, and a discarded adjoint.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double NoDiffArrayToReadOnlySpan(double x, [NoDiff] double[] d)
    {
        return SpanHead(d, x);
    }

    /// <summary>A [NoDiff] read-only span passed alike, beside an active array.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double NoDiffSpanToReadOnlySpan(double x, [NoDiff] ReadOnlySpan<double> r, double[] a)
    {
        return SpanHead(r, x * x) + SpanHead(a, x) * r[1];
    }

    /// <summary>An active array passed to a read-only span and written afterwards: the call does not write it.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double ActiveArrayToReadOnlySpanThenWritten(double[] a, double x)
    {
        double s = SpanHead(a, x);
        a[0] = s * x;
        return s + SpanHead(a, 1.0);
    }

    /// <summary>A float [NoDiff] array passed to a float read-only span.</summary>
    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(NoDiffArrayToReadOnlySpan))]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static float FloatNoDiffArrayToReadOnlySpan(float x, [NoDiff] float[] d)
    {
        return FloatSpanHead(d, x);
    }

    [Differentiable]
    [DoubleTwin(typeof(CallRegressionCases), nameof(SpanHead))]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static float FloatSpanHead(ReadOnlySpan<float> p, float y)
    {
        return p[0] * y + p[1] * p[2];
    }

    // ---- The same span as input and destination of a call (see CallAliasingTests) ----

    /// <summary>Reads x and writes y: called with x and y the same span, its derivatives throw ArgumentException.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void Step(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = y[i] * 0.5 + x[x.Length - 1 - i] * x[i];
        }
    }

    /// <summary>Step's arrays: an array it writes, another it only reads.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double ArrayStep(double[] x, double[] y, double c)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += x[i] * c;
        }

        return x[0] * y[0];
    }

    /// <summary>Step called on two distinct spans from a [Differentiable] caller.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static double StepDistinct(ReadOnlySpan<double> a, Span<double> b)
    {
        Step(a, b);
        return b[0] * b[2];
    }

    private static bool HeadAwayFromZero(double[] a, double x) => Kinks.AwayFromZero(ArrayHead(a, 0.5));
}
