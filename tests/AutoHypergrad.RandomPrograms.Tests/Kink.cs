using System;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// What a probe copy of a generated method records while it runs at a test point: the smallest distance to a kink
/// on the path taken (a real comparison's two sides, the argument of Abs and Sign, Max's and Min's two arguments,
/// Clamp's bounds), and whether any value it computed was not finite or huge. The [SmoothWhere] predicate keeps a
/// point only when that distance is at least <see cref="Margin"/> and nothing blew up: the finite differences then
/// stay on the path the tangent and the adjoint differentiate.
/// </summary>
public static class Kink
{
    /// <summary>Five times Kinks.Margin of the checker: intermediate values move by a few times the input step.</summary>
    public const double Margin = 5e-3;

    public const double Huge = 1e6;

    [ThreadStatic]
    private static double s_min;

    [ThreadStatic]
    private static bool s_bad;

    [ThreadStatic]
    private static ulong s_path;

    public static void Begin()
    {
        s_min = double.PositiveInfinity;
        s_bad = false;
        s_path = 14695981039346656037;
    }

    public static bool End() => !s_bad && s_min >= Margin;

    /// <summary>The path taken since <see cref="Begin"/>: every branch decision and side of a kink, hashed (FNV-1a).</summary>
    public static long Path => unchecked((long)s_path);

    private static void Took(int side) => s_path = unchecked((s_path ^ (ulong)side) * 1099511628211);

    private static void Note(double distance)
    {
        if (!(distance >= 0) || double.IsNaN(distance))
        {
            s_bad = true;
            return;
        }

        s_min = Math.Min(s_min, distance);
    }

    public static double Value(double v)
    {
        if (!double.IsFinite(v) || Math.Abs(v) > Huge)
        {
            s_bad = true;
        }

        return v;
    }

    public static bool Compare(double a, string op, double b)
    {
        Note(Math.Abs(a - b));
        bool taken = op switch
        {
            "<" => a < b,
            "<=" => a <= b,
            ">" => a > b,
            ">=" => a >= b,
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        Took(taken ? 1 : 0);
        return taken;
    }

    public static double At(double x)
    {
        Note(Math.Abs(x));
        Took(Math.Sign(double.IsNaN(x) ? 0 : x) + 2);
        return x;
    }

    /// <summary>Math.Sign, which throws on NaN: a NaN argument makes the point unusable (the probe returns 0 and goes on).</summary>
    public static int Sign(double x)
    {
        Note(Math.Abs(x));
        int sign = double.IsNaN(x) ? 0 : Math.Sign(x);
        Took(sign + 2);
        return sign;
    }

    public static double Max(double a, double b)
    {
        Note(Math.Abs(a - b));
        Took(a >= b ? 1 : 0);
        return Math.Max(a, b);
    }

    public static double Min(double a, double b)
    {
        Note(Math.Abs(a - b));
        Took(a <= b ? 1 : 0);
        return Math.Min(a, b);
    }

    /// <summary>TensorPrimitives.Max, and the gap between its two largest elements (where the maximum switches).</summary>
    public static double MaxOf(ReadOnlySpan<double> x)
    {
        double max = System.Numerics.Tensors.TensorPrimitives.Max(x);
        int at = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(x);
        for (int i = 0; i < x.Length; i++)
        {
            if (i != at)
            {
                Note(max - x[i]);
            }
        }

        Took(at);
        return max;
    }

    public static double Clamp(double x, double lo, double hi)
    {
        Note(Math.Min(Math.Abs(x - lo), Math.Abs(x - hi)));
        Took(x < lo ? 0 : x > hi ? 2 : 1);
        return Math.Clamp(x, lo, hi);
    }
}
