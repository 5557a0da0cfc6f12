using System;

namespace AutoHypergrad.Runtime.Tests.SelfTuning;

/// <summary>Analytic gradients of the STN pieces against central differences.</summary>
internal static class CentralDifferences
{
    /// <summary>
    /// The largest |analytic − central difference| / max(1, |difference|) over the components of <paramref name="point"/>,
    /// each moved by ±1e-5 in place (and restored) while <paramref name="loss"/> reads it.
    /// </summary>
    public static double Worst(double[] point, double[] analytic, Func<double> loss)
    {
        const double h = 1e-5;
        double worst = 0;
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = loss();
            point[i] = saved - h;
            double minus = loss();
            point[i] = saved;
            double difference = (plus - minus) / (2 * h);
            worst = Math.Max(worst, Math.Abs(analytic[i] - difference) / Math.Max(1, Math.Abs(difference)));
        }

        return worst;
    }
}
