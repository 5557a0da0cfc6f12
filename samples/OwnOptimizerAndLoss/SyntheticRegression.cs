using System;
using AutoHypergrad.Data;

namespace OwnOptimizerAndLoss;

/// <summary>
/// Deterministic regression data: xᵢⱼ = sin(0.7·(i + first) + 1.3·j), yᵢ = Σⱼ cⱼ·xᵢⱼ + 0.5 + 0.1·cos(3.1·(i + first))
/// with cⱼ = (−1)ʲ·(j + 1)/5, and, with outliers, every tenth target (i ≡ 3 mod 10) moved up by 4:
/// outliers that the Huber loss, unlike the squared error, does not let dominate.
/// </summary>
public static class SyntheticRegression
{
    public static Dataset<double> Make(int rows, int columns, int first, bool outliers)
    {
        var x = new double[rows * columns];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double target = 0.5 + (0.1 * Math.Cos(3.1 * (i + first)));
            for (int j = 0; j < columns; j++)
            {
                x[(i * columns) + j] = Math.Sin((0.7 * (i + first)) + (1.3 * j));
                target += (j % 2 == 0 ? 1 : -1) * (j + 1) / 5.0 * x[(i * columns) + j];
            }

            y[i] = target + (outliers && i % 10 == 3 ? 4.0 : 0.0);
        }

        return new Dataset<double>(x, rows, columns, labels: null, targets: y, classCount: 0, source: $"synthetic regression ({rows} rows)");
    }
}
