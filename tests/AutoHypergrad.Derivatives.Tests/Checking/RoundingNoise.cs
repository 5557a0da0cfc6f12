using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// How much roundoff a computed derivative carries at a point, measured rather than assumed: the largest change of the
/// computed quantity when every input moves by a few units in the last place.
/// </summary>
/// <remarks>
/// The tolerances of <see cref="DerivativeChecker"/> assume a derivative computed without heavy cancellation. Some
/// programs cancel by construction: the derivative of u²/(u² + 1) at u = x⁸ subtracts two terms of size u² to get one
/// of size 1, so any two orders of evaluation (the tangent's and the adjoint's) differ by about u²·ε relative. Moving
/// the inputs by a few ulps changes the exact derivative by a second-order amount (≈ |F''|·4ε·|x|, far below every
/// tolerance), but the computed one by its rounding error, which jumps from one input to the next. So the spread of
/// the computed quantity over <see cref="Samples"/> such moves estimates its rounding error at that point. A check
/// that compares two computations of the same number allows <see cref="Factor"/> times the sum of their spreads on
/// top of its fixed tolerance: where nothing cancels the spread is a few ulps and changes nothing; a wrong derivative
/// is off by far more than the roundoff of a correct one, so it still fails.
/// </remarks>
internal static class RoundingNoise
{
    /// <summary>How many ulps each input moves.</summary>
    public const int Ulps = 4;

    /// <summary>How many perturbed points are evaluated.</summary>
    public const int Samples = 4;

    /// <summary>The allowance is this many times the sum of the measured spreads.</summary>
    public const double Factor = 4;

    /// <summary>
    /// The largest |q(x') − q(x)| over <see cref="Samples"/> points x' whose every input is <see cref="Ulps"/> ulps up
    /// or down from x (signs from a fixed sequence), for each of the quantities <paramref name="quantities"/> returns.
    /// </summary>
    public static double[] Spread(double[] values, Func<double[], double[]> quantities)
    {
        double[] center = quantities(values);
        double[] spread = new double[center.Length];
        var random = new Random(20261206);
        for (int s = 0; s < Samples; s++)
        {
            double[] moved = (double[])values.Clone();
            for (int i = 0; i < moved.Length; i++)
            {
                bool up = random.Next(2) == 0;
                for (int k = 0; k < Ulps; k++)
                {
                    moved[i] = up ? Math.BitIncrement(moved[i]) : Math.BitDecrement(moved[i]);
                }
            }

            double[] q = quantities(moved);
            for (int j = 0; j < spread.Length; j++)
            {
                double change = Math.Abs(q[j] - center[j]);
                spread[j] = double.IsNaN(change) ? double.PositiveInfinity : Math.Max(spread[j], change);
            }
        }

        return spread;
    }

    /// <summary>The allowance for two computations of one number whose spreads are <paramref name="spreads"/>.</summary>
    public static double Allowance(double[] spreads)
    {
        double sum = 0;
        foreach (double s in spreads)
        {
            sum += s;
        }

        return Factor * sum;
    }
}
