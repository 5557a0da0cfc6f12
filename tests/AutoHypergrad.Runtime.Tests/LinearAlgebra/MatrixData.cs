using System;
using System.Numerics;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>Random row-major operands with padding that must never be read (A, B: NaN) or written (C: a sentinel).</summary>
public static class MatrixData
{
    /// <summary>Written where C has no element: any change to it is a bug.</summary>
    public const double Sentinel = 7777.25;

    /// <summary>
    /// A stored matrix of <paramref name="rows"/> × <paramref name="cols"/> with leading dimension
    /// <paramref name="ld"/>: values uniform in [−1, 1], the padding of each row (and <paramref name="extra"/>
    /// elements past the end) filled with <paramref name="padding"/>. Length (rows − 1)·ld + cols + extra, as BLAS
    /// requires no padding after the last row.
    /// </summary>
    public static T[] Matrix<T>(Random random, int rows, int cols, int ld, double padding, int extra = 0)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int length = (rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols) + extra;
        var data = new T[length];
        for (int index = 0; index < length; index++)
        {
            int i = index / ld, j = index % ld;
            data[index] = i < rows && j < cols ? T.CreateChecked((random.NextDouble() * 2) - 1) : T.CreateChecked(padding);
        }

        return data;
    }

    public static T[] Vector<T>(Random random, int length, double padding, int extra = 0)
        where T : IBinaryFloatingPointIeee754<T>
        => Matrix<T>(random, 1, length, Math.Max(1, length), padding, extra);
}
