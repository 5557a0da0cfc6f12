using System;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// samples/OwnOptimizerAndLoss's run written out by hand, apart from the library and the sample's code: the same
/// synthetic data (its formula, not its code), 50 full-batch steps of AMSGrad from w = 0 on the mean Huber loss
/// (δ = 1) plus l2·Σⱼ wⱼ², its gradient derived by hand, then the validation mean squared error; and central
/// differences of that in lr and l2, Richardson-extrapolated.
/// </summary>
internal static class UnrolledAmsGradHuberRidge
{
    public const double Lr = 0.05;
    public const double L2 = 1e-3;
    private const double Beta1 = 0.9, Beta2 = 0.99, Eps = 1e-8;
    private const int Columns = 5, Steps = 50;

    /// <summary>xᵢⱼ and yᵢ of row i of the set whose first row is numbered <paramref name="first"/>.</summary>
    private static double X(int i, int j, int first) => Math.Sin((0.7 * (i + first)) + (1.3 * j));

    private static double Y(int i, int first, bool outliers)
    {
        double y = 0.5 + (0.1 * Math.Cos(3.1 * (i + first)));
        for (int j = 0; j < Columns; j++)
        {
            double c = (j + 1) / 5.0 * (j % 2 == 0 ? 1 : -1);
            y += c * X(i, j, first);
        }

        return outliers && i % 10 == 3 ? y + 4.0 : y;
    }

    private static double Residual(double[] w, int i, int first, bool outliers)
    {
        double prediction = w[Columns];
        for (int j = 0; j < Columns; j++)
        {
            prediction += X(i, j, first) * w[j];
        }

        return prediction - Y(i, first, outliers);
    }

    /// <summary>The validation MSE (20 clean rows from row 1000) after training on 40 rows with outliers.</summary>
    public static double ValidationError(double lr, double l2)
    {
        const int TrainRows = 40, ValidationRows = 20;
        var w = new double[Columns + 1];
        var m = new double[Columns + 1];
        var v = new double[Columns + 1];
        var vMax = new double[Columns + 1];
        var g = new double[Columns + 1];
        for (int t = 0; t < Steps; t++)
        {
            Array.Clear(g);
            for (int i = 0; i < TrainRows; i++)
            {
                // Huber: ½r² for |r| ≤ 1, |r| − ½ beyond: its derivative is r, then sign(r).
                double r = Residual(w, i, 0, outliers: true);
                double psi = Math.Abs(r) <= 1 ? r : Math.Sign(r);
                for (int j = 0; j < Columns; j++)
                {
                    g[j] += psi * X(i, j, 0) / TrainRows;
                }

                g[Columns] += psi / TrainRows;
            }

            for (int j = 0; j < Columns; j++)
            {
                g[j] += 2 * l2 * w[j];
            }

            for (int k = 0; k <= Columns; k++)
            {
                m[k] = (Beta1 * m[k]) + ((1 - Beta1) * g[k]);
                v[k] = (Beta2 * v[k]) + ((1 - Beta2) * g[k] * g[k]);
                vMax[k] = Math.Max(vMax[k], v[k]);
                w[k] -= lr * m[k] / (Math.Sqrt(vMax[k]) + Eps);
            }
        }

        double sum = 0;
        for (int i = 0; i < ValidationRows; i++)
        {
            double r = Residual(w, i, 1000, outliers: false);
            sum += r * r;
        }

        return sum / ValidationRows;
    }

    /// <summary>∂E/∂lr and ∂E/∂l2 at (<see cref="Lr"/>, <see cref="L2"/>): (4·D(h/2) − D(h))/3, D the central difference, h = 10⁻³ of the value.</summary>
    public static double[] CentralDifferences()
    {
        static double D(Func<double, double> f, double x, double h) => (f(x + h) - f(x - h)) / (2 * h);
        static double Extrapolated(Func<double, double> f, double x) => ((4 * D(f, x, 5e-4 * x)) - D(f, x, 1e-3 * x)) / 3;
        return [Extrapolated(lr => ValidationError(lr, L2), Lr), Extrapolated(l2 => ValidationError(Lr, l2), L2)];
    }
}
