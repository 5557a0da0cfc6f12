using System;
using System.Globalization;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// Argument checks shared by <see cref="Blas"/> and <see cref="ManagedBlas"/>, with BLAS's rules: dimensions are
/// non-negative, a leading dimension is at least max(1, the stored row length), and a span holds at least the
/// elements the call reads or writes ((rows − 1)·ld + columns of the stored matrix; the last row need not be padded).
/// </summary>
internal static class BlasArguments
{
    public static void CheckType<T>(string method)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"{method} supports float and double, not {typeof(T)}.");
        }
    }

    public static void Gemm(
        bool transposeA, bool transposeB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        NonNegative(m, nameof(m));
        NonNegative(n, nameof(n));
        NonNegative(k, nameof(k));

        // Stored shapes: A is m×k (k×m transposed), B is k×n (n×k transposed), C is m×n, all row-major.
        Matrix("a", "lda", transposeA, "m", m, "k", k, aLength, lda);
        Matrix("b", "ldb", transposeB, "k", k, "n", n, bLength, ldb);
        Matrix("c", "ldc", transposed: false, "m", m, "n", n, cLength, ldc);
    }

    public static void Gemv(bool transposeA, int m, int n, int aLength, int lda, int xLength, int yLength)
    {
        NonNegative(m, nameof(m));
        NonNegative(n, nameof(n));

        // A is m×n whether or not it is transposed: transposing changes which of x and y is m long.
        Matrix("a", "lda", transposed: false, "m", m, "n", n, aLength, lda);
        string how = transposeA ? "transposed" : "not transposed";
        (string xDim, int xNeeded) = transposeA ? ("m", m) : ("n", n);
        (string yDim, int yNeeded) = transposeA ? ("n", n) : ("m", m);
        if (xLength < xNeeded)
        {
            throw new ArgumentException(
                Invariant($"x: needs at least {xNeeded} elements for {xDim}={xNeeded} (a {how}), has {xLength}"), "x");
        }

        if (yLength < yNeeded)
        {
            throw new ArgumentException(
                Invariant($"y: needs at least {yNeeded} elements for {yDim}={yNeeded} (a {how}), has {yLength}"), "y");
        }
    }

    private static void NonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, Invariant($"{name}: must not be negative, is {value}"));
        }
    }

    /// <summary>
    /// The op() of a matrix is <paramref name="rowsName"/> × <paramref name="colsName"/>; it is stored transposed
    /// (cols × rows) when <paramref name="transposed"/>.
    /// </summary>
    private static void Matrix(
        string name, string ldName, bool transposed, string rowsName, int rows, string colsName, int cols, int length, int ld)
    {
        (int storedRows, int storedCols, string storedColsName) = transposed ? (cols, rows, rowsName) : (rows, cols, colsName);
        string how = transposed ? "transposed" : "not transposed";
        int minimumLd = Math.Max(1, storedCols);
        if (ld < minimumLd)
        {
            throw new ArgumentOutOfRangeException(
                ldName,
                ld,
                Invariant($"{ldName}: must be at least max(1, {storedColsName}) = {minimumLd} ({name} {how}, {rowsName}={rows}, {colsName}={cols}), is {ld}"));
        }

        long needed = storedRows == 0 || storedCols == 0 ? 0 : ((long)(storedRows - 1) * ld) + storedCols;
        if (length < needed)
        {
            throw new ArgumentException(
                Invariant($"{name}: needs at least {needed} elements for {rowsName}={rows}, {colsName}={cols}, {ldName}={ld} ({how}), has {length}"),
                name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
