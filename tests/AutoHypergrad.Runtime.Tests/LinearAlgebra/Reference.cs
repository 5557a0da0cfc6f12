using System;
using System.Numerics;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// Naive products computed in double, with the forward error bound every BLAS implementation must meet.
/// </summary>
/// <remarks>
/// <para>
/// <b>The bound.</b> An inner product of k terms computed in floating point, in any order and with or without fused
/// multiply-adds, is ŝ = Σ a_p·b_p·(1 + θ_p) with |θ_p| ≤ γ_k, γ_j = j·u / (1 − j·u), u the unit roundoff
/// (2⁻²⁴ float, 2⁻⁵³ double; Higham, Accuracy and Stability of Numerical Algorithms, §3.1 and Lemma 3.1). GEMM then
/// rounds α·ŝ, β·c and their sum: at most two more roundings on each product term and two on β·c (an implementation
/// that scales C first, or accumulates over k-slices into C, spends its extra roundings within the same budget,
/// since every slice shortens the chains inside it). Hence, element by element,
/// </para>
/// <para>
/// |Ĉ − C| ≤ γ_(k+2)·(|α|·(|A|·|B|) + |β|·|C₀|),
/// </para>
/// <para>
/// the γ_k of the textbook inner product widened by the two roundings of the α·… + β·… update. The reference itself
/// is computed in double from the same (exactly representable) inputs, so it carries the same bound with u = 2⁻⁵³;
/// the tolerance is the sum of both. With β = 0 C₀ is not read (its NaN must not matter); with α = 0 neither A nor B is.
/// </para>
/// </remarks>
public static class Reference
{
    /// <summary>The unit roundoff of <typeparamref name="T"/>: 2⁻²⁴ for float, 2⁻⁵³ for double.</summary>
    public static double UnitRoundoff<T>()
        where T : IBinaryFloatingPointIeee754<T>
        => double.CreateChecked(Epsilon<T>()) / 2;

    /// <summary>γ_j = j·u / (1 − j·u) (Higham's γ_n), the bound on |θ| for a product of j factors (1 + δ), |δ| ≤ u.</summary>
    public static double Gamma(int j, double u)
    {
        double ju = j * u;
        Assert.True(ju < 1, $"γ_{j} undefined for u = {u}");
        return ju / (1 - ju);
    }

    /// <summary>
    /// The tolerance for one element of GEMM/GEMV with inner dimension <paramref name="k"/>: (γ_(k+2)(u_T) +
    /// γ_(k+2)(u_double))·<paramref name="magnitude"/>, where magnitude = |α|·(|A|·|B|) + |β|·|C₀| for that element.
    /// </summary>
    public static double Tolerance<T>(int k, double magnitude)
        where T : IBinaryFloatingPointIeee754<T>
        => (Gamma(k + 2, UnitRoundoff<T>()) + Gamma(k + 2, UnitRoundoff<double>())) * magnitude;

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C in double (row-major, like cblas), and the magnitude |α|·(|A|·|B|) + |β|·|C₀| of each
    /// element. Padding elements (past a row's length within its leading dimension) are never read.
    /// </summary>
    public static (double[] Value, double[] Magnitude) Gemm<T>(
        bool transposeA, bool transposeB, int m, int n, int k, double alpha, T[] a, int lda, T[] b, int ldb, double beta, T[] c, int ldc)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var value = new double[c.Length];
        var magnitude = new double[c.Length];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                if (alpha != 0)
                {
                    for (int p = 0; p < k; p++)
                    {
                        double x = double.CreateChecked(transposeA ? a[(p * lda) + i] : a[(i * lda) + p]);
                        double y = double.CreateChecked(transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                        sum += x * y;
                        abs += Math.Abs(x * y);
                    }
                }

                double c0 = beta == 0 ? 0 : double.CreateChecked(c[(i * ldc) + j]);
                value[(i * ldc) + j] = (alpha == 0 ? 0 : alpha * sum) + (beta == 0 ? 0 : beta * c0);
                magnitude[(i * ldc) + j] = (Math.Abs(alpha) * abs) + (Math.Abs(beta) * Math.Abs(c0));
            }
        }

        return (value, magnitude);
    }

    /// <summary>y ← α·op(A)·x + β·y in double, A m × n row-major, and the magnitude of each element.</summary>
    public static (double[] Value, double[] Magnitude) Gemv<T>(
        bool transposeA, int m, int n, double alpha, T[] a, int lda, T[] x, double beta, T[] y)
        where T : IBinaryFloatingPointIeee754<T>
    {
        int lengthY = transposeA ? n : m, inner = transposeA ? m : n;
        var value = new double[y.Length];
        var magnitude = new double[y.Length];
        for (int i = 0; i < lengthY; i++)
        {
            double sum = 0, abs = 0;
            if (alpha != 0)
            {
                for (int p = 0; p < inner; p++)
                {
                    double aij = double.CreateChecked(transposeA ? a[(p * lda) + i] : a[(i * lda) + p]);
                    double term = aij * double.CreateChecked(x[p]);
                    sum += term;
                    abs += Math.Abs(term);
                }
            }

            double y0 = beta == 0 ? 0 : double.CreateChecked(y[i]);
            value[i] = (alpha == 0 ? 0 : alpha * sum) + (beta == 0 ? 0 : beta * y0);
            magnitude[i] = (Math.Abs(alpha) * abs) + (Math.Abs(beta) * Math.Abs(y0));
        }

        return (value, magnitude);
    }

    /// <summary>
    /// Asserts that the m × n block of <paramref name="actual"/> (leading dimension <paramref name="ld"/>) is within
    /// the bound of the reference, and that every element outside it (padding, or past the end) is unchanged.
    /// </summary>
    public static void AssertWithinBound<T>(
        T[] actual, T[] before, (double[] Value, double[] Magnitude) expected, int rows, int cols, int ld, int k, string context)
        where T : IBinaryFloatingPointIeee754<T>
    {
        for (int index = 0; index < actual.Length; index++)
        {
            int i = index / ld, j = index % ld;
            if (i < rows && j < cols)
            {
                double got = double.CreateChecked(actual[index]);
                double want = expected.Value[index];
                double tolerance = Tolerance<T>(k, expected.Magnitude[index]);
                if (!(Math.Abs(got - want) <= tolerance))
                {
                    Assert.Fail(
                        $"{context}: element ({i}, {j}) is {got:R}, expected {want:R} ± {tolerance:G3} " +
                        $"(γ_(k+2)·(|α||A||B| + |β||C|), k = {k}); off by {Math.Abs(got - want):G3}");
                }
            }
            else if (!actual[index].Equals(before[index]))
            {
                Assert.Fail($"{context}: element {index} (row {i}, column {j}) is outside the result but changed from {before[index]} to {actual[index]}");
            }
        }
    }

    private static T Epsilon<T>()
        where T : IBinaryFloatingPointIeee754<T>
    {
        // The distance from 1 to the next representable number: 2⁻²³ float, 2⁻⁵² double.
        T one = T.One;
        return T.BitIncrement(one) - one;
    }
}
