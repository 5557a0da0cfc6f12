using System;
using System.Numerics;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// Finds the first NaN or infinity in a vector, with one vectorized pass; a state-shaped vector is searched where it
/// lives (<see cref="IDynamics{T}.Memory"/>), and only the offending value is read from it.
/// </summary>
internal static class FiniteGuard
{
    /// <summary><c>Step t of T</c>; step 0 is the initial state or, for a hypergradient, the whole run.</summary>
    public static string Where<T>(int step, IDynamics<T> dynamics)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => step == 0 ? $"The run of {dynamics.Steps} steps" : $"Step {step} of {dynamics.Steps}";

    /// <summary>The index of the first value that is not finite, or −1.</summary>
    public static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            // x − x is 0 for every finite x and NaN for NaN and ±∞.
            var zero = Vector<T>.Zero;
            for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var x = new Vector<T>(values[i..]);
                if (!Vector.EqualsAll(x - x, zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws a <see cref="NonFiniteValueException"/> naming the first non-finite entry of a state-shaped vector.</summary>
    public static void CheckState<T>(ReadOnlySpan<T> values, IDynamics<T> dynamics, int step, string what, ReadOnlySpan<double> lambda)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = dynamics.Memory.FirstNonFinite(values);
        if (index >= 0)
        {
            throw new NonFiniteValueException(
                Where(step, dynamics), $"{what} {dynamics.NameOfState(index)} = {values[index]}", dynamics.DescribeHyperparameters(lambda));
        }
    }

    /// <summary>
    /// Throws a <see cref="NonFiniteValueException"/> naming the first non-finite entry of k state tangents in the
    /// block layout of <see cref="IDynamics{T}.StateBlockLength"/>.
    /// </summary>
    public static void CheckTangents<T>(ReadOnlySpan<T> values, IDynamics<T> dynamics, int k, int step, ReadOnlySpan<double> lambda)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = dynamics.Memory.FirstNonFinite(values);
        if (index >= 0)
        {
            int length = dynamics.StateBlockLength;
            int block = index / (k * length);
            int direction = index / length % k;
            int entry = block * length + index % length;
            throw new NonFiniteValueException(
                Where(step, dynamics),
                $"the tangent of {dynamics.NameOfState(entry)} along direction {direction} = {values[index]}",
                dynamics.DescribeHyperparameters(lambda));
        }
    }

    /// <summary>Throws a <see cref="NonFiniteValueException"/> naming the first non-finite entry of a λ-shaped vector.</summary>
    public static void CheckHyperparameters<T>(ReadOnlySpan<double> values, IDynamics<T> dynamics, int step, string what, ReadOnlySpan<double> lambda)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int index = FirstNonFinite(values);
        if (index >= 0)
        {
            throw new NonFiniteValueException(
                Where(step, dynamics), $"{what} {dynamics.NameOfHyperparameter(index)} = {values[index]}", dynamics.DescribeHyperparameters(lambda));
        }
    }
}
