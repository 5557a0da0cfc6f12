using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>Scalar writes of computed products into C, for edge tiles and strided C.</summary>
internal static unsafe class TileWriter
{
    /// <summary>
    /// C[r, j] ← alpha·tile[r·tileStride + j] + beta·C[r, j] for r &lt; rows, j &lt; cols; beta = 0 overwrites C
    /// without reading it.
    /// </summary>
    public static void Write<T>(T* tile, int tileStride, T* c, nint rsc, nint csc, int rows, int cols, T alpha, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            T* t = tile + ((nint)r * tileStride);
            T* cr = c + (r * rsc);
            if (beta == T.Zero)
            {
                for (int j = 0; j < cols; j++)
                {
                    cr[j * csc] = alpha * t[j];
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    T* e = cr + (j * csc);
                    *e = (alpha * t[j]) + (beta * *e);
                }
            }
        }
    }

    /// <summary>C ← beta·C on an m × n block; beta = 0 writes zeros (NaN in C included), beta = 1 leaves C alone.</summary>
    public static void Scale<T>(int m, int n, T beta, T* c, nint rsc, nint csc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (beta == T.One)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            T* row = c + (i * rsc);
            if (csc == 1)
            {
                var span = new Span<T>(row, n);
                if (beta == T.Zero)
                {
                    span.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(span, beta, span);
                }

                continue;
            }

            for (int j = 0; j < n; j++)
            {
                T* e = row + (j * csc);
                *e = beta == T.Zero ? T.Zero : beta * *e;
            }
        }
    }
}
