using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Counted loops whose reverse iterations run on the counter itself, from its last value back to its start, and read
/// each element they use several times once: a counter read by the reverse sweep after its loop is reversed (its
/// start), strides and starts other than 0, element reads under a condition or guarded by the index, and tangents
/// whose derivative rules read a function value the statement computes later (sin x · cos x).
/// </summary>
public static partial class ReverseLoopCases
{
    /// <summary>x[start]² before a loop from start: the reverse sweep reads the counter again once the loop is reversed.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(6)]
    [Ints(nameof(start), 2)]
    public static double CounterReadBeforeItsLoop(ReadOnlySpan<double> x, int start)
    {
        int i = start;
        double s = start < x.Length ? x[i] * x[i] : 1;
        for (; i < x.Length; i++)
        {
            s += Math.Sin(x[i]) * x[i] + s * x[i];
        }

        return s;
    }

    /// <summary>A stride of 3 from 1, each element read four times around a store to its own adjoint.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(8)]
    public static double StrideFromOne(ReadOnlySpan<double> x, double a)
    {
        double s = 0;
        for (int i = 1; i < x.Length; i += 3)
        {
            s += Math.Sin(x[i]) * Math.Cos(x[i]) + a * x[i] * x[i];
        }

        return s;
    }

    /// <summary>Down from the end by 2 (the reverse runs upward), elements of two spans read under a condition on one.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(7)]
    public static double DownByTwoWithCondition(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = x.Length - 1; i >= 0; i -= 2)
        {
            s += x[i] > 0 ? x[i] * y[i] * x[i] : Math.Exp(y[i]) * x[i];
        }

        return s;
    }

    /// <summary>A loop past the end of the shorter span, which is read only where the index is guarded.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(nameof(x), 6)]
    [Lengths(nameof(y), 3)]
    public static double GuardedReadOfAShorterSpan(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (i < y.Length)
            {
                s += y[i] * y[i] * x[i];
            }

            s += x[i] * x[i];
        }

        return s;
    }

    /// <summary>An element updated in place between two reads of another span's element at the same index.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static void InPlaceBetweenReads(Span<double> v, ReadOnlySpan<double> g, double mu)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = mu * v[i] + Math.Sin(g[i]) * g[i];
            v[i] = v[i] * g[i] + Math.Cos(g[i]);
        }
    }

    /// <summary>Nested loops over a row-major matrix, the outer element read by the inner loop.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(nameof(m), 6)]
    [Lengths(nameof(x), 3)]
    public static double NestedRows(ReadOnlySpan<double> m, ReadOnlySpan<double> x)
    {
        double s = 0;
        int columns = m.Length / x.Length;
        for (int r = 0; r < x.Length; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                s += m[r * columns + c] * x[r] * Math.Sin(x[r]);
            }
        }

        return s;
    }
}
