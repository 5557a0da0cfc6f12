using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// double[] parameters (every element of an active array is an input and an output: in the adjoint the array keeps
/// its input values and its Bar array goes from output adjoint to input adjoint), local arrays (new double[n]),
/// foreach over arrays, passive int arrays.
/// </summary>
public static partial class ArrayCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double ArraySumOfCubes(double[] a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i] * a[i];
        }

        return s;
    }

    /// <summary>foreach over an array.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double ForeachOverArray(double[] a, double x)
    {
        double s = 0;
        foreach (double v in a)
        {
            s = s * x + Math.Sin(v);
        }

        return s;
    }

    /// <summary>An array scaled in place, with a return value read from the written elements.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double ScaleArrayInPlace(double[] a, double k)
    {
        double last = 0;
        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= k;
            last = a[i] + last * 0.5;
        }

        return last;
    }

    /// <summary>A local array (new double[n]) of powers, filled by a recurrence and read back in reverse.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double LocalArrayOfPowers(double x, double y, int n)
    {
        double[] powers = new double[n];
        powers[0] = 1;
        for (int i = 1; i < n; i++)
        {
            powers[i] = powers[i - 1] * x;
        }

        double s = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            s = s * y + powers[i];
        }

        return s;
    }

    /// <summary>A local array sized by a span's length: a three-point smoothing, then a weighted sum.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double LocalArraySmoothing(ReadOnlySpan<double> x, double w)
    {
        double[] smooth = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double left = i > 0 ? x[i - 1] : x[i];
            double right = i < x.Length - 1 ? x[i + 1] : x[i];
            smooth[i] = w * x[i] + (1 - w) * 0.5 * (left + right);
        }

        double s = 0;
        foreach (double v in smooth)
        {
            s += v * v;
        }

        return s;
    }

    /// <summary>A passive int array of indices scattering into an output array (+= to repeated indices).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(nameof(values), 5)]
    [Lengths(nameof(target), 3)]
    [Ints(nameof(index), 2, 0, 2, 1, 0)]
    public static void ScatterAdd(double[] values, int[] index, double[] target)
    {
        for (int i = 0; i < values.Length; i++)
        {
            target[index[i]] += values[i] * values[i];
        }
    }

    /// <summary>Two arrays swapped elementwise through a temporary, with a rotation angle.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(3)]
    public static void RotatePairs(double[] a, double[] b, double theta)
    {
        double c = Math.Cos(theta);
        double s = Math.Sin(theta);
        for (int i = 0; i < a.Length; i++)
        {
            double t = a[i];
            a[i] = c * t - s * b[i];
            b[i] = s * t + c * b[i];
        }
    }
}
