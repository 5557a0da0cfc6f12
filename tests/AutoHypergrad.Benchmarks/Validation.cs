using System;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// Checks the generated derivatives against the hand-written adjoints before anything is timed, so that a table
/// never shows the speed of a wrong derivative: each generated adjoint must match the hand-written one element by
/// element, each generated tangent's value the primal, and its tangent the hand-written gradient dotted with the
/// direction.
/// </summary>
public static class Validation
{
    private const double Tolerance = 1e-9;

    /// <summary>
    /// The part of an adjoint's error measured against its largest entry. Two correct adjoints can differ by more
    /// than rounding in a single entry: the generated LogSumExp adjoint also carries the derivative through the
    /// maximum, resultBar·(1 − Σ softmax), which is 0 exactly but about √n·ε after summing n terms in floating point.
    /// </summary>
    private const double ScaleTolerance = 1e-7;

    /// <summary>Runs every check; throws <see cref="InvalidOperationException"/> on the first mismatch.</summary>
    public static void CheckAll(double[] x, double[] y, double[] xDot, double[] yDot)
    {
        int n = x.Length;
        const double resultBar = 0.75;

        // Dot.
        double[] genX = new double[n], genY = new double[n], handX = new double[n], handY = new double[n];
        Functions.DotAdjoint(x, genX, y, genY, resultBar);
        HandWritten.DotAdjoint(x, handX, y, handY, resultBar);
        CheckClose("DotAdjoint xBar", genX, handX);
        CheckClose("DotAdjoint yBar", genY, handY);
        HandWritten.DotAdjoint(x, handX, y, handY, 1.0 - resultBar);
        CheckTangent("Dot", Functions.DotTangent(x, xDot, y, yDot), Functions.Dot(x, y), Dot(handX, xDot) + Dot(handY, yDot));

        // LogSumExp.
        Array.Clear(genX);
        Array.Clear(handX);
        Functions.LogSumExpAdjoint(x, genX, resultBar);
        HandWritten.LogSumExpAdjoint(x, handX, resultBar);
        CheckClose("LogSumExpAdjoint xBar", genX, handX);
        HandWritten.LogSumExpAdjoint(x, handX, 1.0 - resultBar);
        CheckTangent("LogSumExp", Functions.LogSumExpTangent(x, xDot), Functions.LogSumExp(x), Dot(handX, xDot));

        // SinCosSquare.
        Array.Clear(genX);
        Array.Clear(handX);
        Functions.SinCosSquareAdjoint(x, genX, resultBar);
        HandWritten.SinCosSquareAdjoint(x, handX, resultBar);
        CheckClose("SinCosSquareAdjoint xBar", genX, handX);
        HandWritten.SinCosSquareAdjoint(x, handX, 1.0 - resultBar);
        CheckTangent("SinCosSquare", Functions.SinCosSquareTangent(x, xDot), Functions.SinCosSquare(x), Dot(handX, xDot));
    }

    private static void CheckClose(string what, double[] actual, double[] expected)
    {
        double scale = 0;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= ScaleTolerance * scale + Tolerance * Math.Abs(expected[i])))
            {
                throw new InvalidOperationException(
                    $"{what}[{i}]: generated {actual[i]:R}, hand-written {expected[i]:R}.");
            }
        }
    }

    private static void CheckTangent(string what, (double Value, double Tangent) generated, double value, double tangent)
    {
        if (!(Math.Abs(generated.Value - value) <= Tolerance * (1 + Math.Abs(value))))
        {
            throw new InvalidOperationException($"{what}Tangent value: {generated.Value:R}, primal {value:R}.");
        }

        if (!(Math.Abs(generated.Tangent - tangent) <= Tolerance * (1 + Math.Abs(tangent))))
        {
            throw new InvalidOperationException(
                $"{what}Tangent tangent: {generated.Tangent:R}, hand-written gradient · direction {tangent:R}.");
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
