using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Numerical methods as loops: explicit Euler integration of dy/dt = −k·y + sin t with an active rate k and a step
/// count n, and Newton iterations (a fixed count, and until |f| &lt; tol, whose derivative is that of the path taken:
/// the iterations actually run, differentiated).
/// </summary>
public static partial class IterativeCases
{
    /// <summary>y(1) by n explicit Euler steps from y(0) = y0.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(k), 0.1, 3)]
    [Ints(nameof(n), 10)]
    public static double Euler(double y0, double k, int n)
    {
        double dt = 1.0 / n;
        double y = y0;
        double t = 0;
        for (int i = 0; i < n; i++)
        {
            y = y + dt * (-k * y + Math.Sin(t));
            t += dt;
        }

        return y;
    }

    /// <summary>Euler steps on ref state with the time horizon an active input too.</summary>
    [Differentiable]
    [Domain(nameof(y), -2, 2)]
    [Domain(nameof(k), 0.1, 3)]
    [Domain(nameof(horizon), 0.5, 2)]
    [Ints(nameof(n), 8)]
    public static void EulerOnState(ref double y, double k, double horizon, int n)
    {
        double dt = horizon / n;
        for (int i = 0; i < n; i++)
        {
            double t = i * dt;
            y += dt * (-k * y + Math.Sin(t));
        }
    }

    /// <summary>√a by a fixed number of Newton steps x ← (x + a/x)/2 from x = a.</summary>
    [Differentiable]
    [Domain(0.5, 4)]
    public static double NewtonSqrtFixed(double a)
    {
        double x = a;
        for (int i = 0; i < 6; i++)
        {
            x = 0.5 * (x + a / x);
        }

        return x;
    }

    /// <summary>
    /// The root of x³ + p·x − q by Newton until |f| &lt; 1e-6 (at most 40 steps): the derivative of the steps taken.
    /// The predicate keeps every residual away from the tolerance by a factor of 2 so that finite differences take the
    /// same number of steps.
    /// </summary>
    [Differentiable]
    [Domain(nameof(p), 0.5, 2)]
    [Domain(nameof(q), -2, 2)]
    [SmoothWhere(nameof(NewtonCubicSmooth))]
    [At(1.0, 0.5)]
    [At(0.5, -2.0)]
    [At(2.0, 1.7)]
    public static double NewtonCubicUntilConverged(double p, double q)
    {
        double x = 0;
        double f = x * x * x + p * x - q;
        int k = 0;
        while (Math.Abs(f) >= 1e-6 && k < 40)
        {
            x -= f / (3 * x * x + p);
            f = x * x * x + p * x - q;
            k++;
        }

        return x;
    }

    /// <summary>Newton on x − c·cos x = 0 with a do-while and a break on the step size; returns x and counts steps.</summary>
    [Differentiable]
    [Domain(0.2, 1.1)]
    [SmoothWhere(nameof(NewtonKeplerSmooth))]
    [At(0.25)]
    [At(0.8)]
    public static double NewtonWithBreak(double c)
    {
        double x = c;
        int k = 0;
        do
        {
            double f = x - c * Math.Cos(x);
            double step = f / (1 + c * Math.Sin(x));
            x -= step;
            k++;
            if (Math.Abs(step) < 1e-4)
            {
                break;
            }
        }
        while (k < 30);

        return x * c;
    }

    private static bool NewtonCubicSmooth(double p, double q)
    {
        double x = 0;
        double f = x * x * x + p * x - q;
        for (int k = 0; k <= 40; k++)
        {
            double r = Math.Abs(f);
            if (r > 0.5e-6 && r < 2e-6)
            {
                return false;
            }

            if (r < 1e-6)
            {
                return true;
            }

            x -= f / (3 * x * x + p);
            f = x * x * x + p * x - q;
        }

        return true;
    }

    private static bool NewtonKeplerSmooth(double c)
    {
        double x = c;
        for (int k = 0; k < 30; k++)
        {
            double f = x - c * Math.Cos(x);
            double step = f / (1 + c * Math.Sin(x));
            x -= step;
            double r = Math.Abs(step);
            if (r > 0.5e-4 && r < 2e-4)
            {
                return false;
            }

            if (r < 1e-4)
            {
                return true;
            }
        }

        return true;
    }
}
