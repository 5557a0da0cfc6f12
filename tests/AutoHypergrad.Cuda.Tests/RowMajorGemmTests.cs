using System;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// The row-major GEMM (<see cref="RowMajorGemm.GemmRowMajor{T}"/>: the operand swap onto the column-major primitive)
/// through <see cref="HostDevice"/>'s reference column-major GEMM, against the row-major product written out
/// directly. Both sum the k products of each entry in the order p = 0, 1, …, so they agree bit for bit; a swap of
/// m and n, of the operands or of a transpose flag reads other elements and fails (the shapes are not square, and
/// the row strides are padded past the rows, so no mistake lines up by accident).
/// </summary>
public sealed unsafe class RowMajorGemmTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Row_major_product_equals_the_direct_row_major_reference(bool transposeA, bool transposeB)
    {
        Check<double>(transposeA, transposeB, alpha: 1.5, beta: -0.75);
        Check<double>(transposeA, transposeB, alpha: 1, beta: 0);
        Check<float>(transposeA, transposeB, alpha: 0.5, beta: 2);
    }

    [Fact]
    public void A_row_stride_shorter_than_the_row_names_the_argument()
    {
        using var device = new HostDevice();
        using var buffer = new DeviceBuffer<double>(device, 64);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => device.GemmRowMajor(false, false, 3, 4, 5, 1.0, buffer.Pointer, 4, buffer.Pointer, 4, 0.0, buffer.Pointer, 4));
        Assert.Equal("lda", error.ParamName);
        Assert.Contains("row-major A stored 3×5 needs at least 5", error.Message);
    }

    private static void Check<T>(bool transposeA, bool transposeB, double alpha, double beta)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        const int m = 5, n = 7, k = 3;
        var random = new Random(4);

        // Stored shapes (rows × columns) and padded row strides.
        int aRows = transposeA ? k : m, aColumns = transposeA ? m : k, lda = aColumns + 2;
        int bRows = transposeB ? n : k, bColumns = transposeB ? k : n, ldb = bColumns + 1;
        int ldc = n + 3;
        T[] Draw(int length) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var a = Draw(aRows * lda);
        var b = Draw(bRows * ldb);
        var c = Draw(m * ldc);
        T al = T.CreateTruncating(alpha), be = T.CreateTruncating(beta);

        var expected = (T[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += (transposeA ? a[(p * lda) + i] : a[(i * lda) + p]) * (transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                }

                expected[(i * ldc) + j] = be == T.Zero ? al * sum : (al * sum) + (be * c[(i * ldc) + j]);
            }
        }

        using var device = new HostDevice();
        using var da = new DeviceBuffer<T>(device, a);
        using var db = new DeviceBuffer<T>(device, b);
        using var dc = new DeviceBuffer<T>(device, c);
        device.GemmRowMajor(transposeA, transposeB, m, n, k, al, da.Pointer, lda, db.Pointer, ldb, be, dc.Pointer, ldc);
        Assert.Equal(expected, dc.ToArray());
    }
}
