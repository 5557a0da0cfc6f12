using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// switch statements on ints: sections ending in break, return and continue, several labels per section, default, a
/// switch inside a loop (so one call takes every section), and a switch of returns reached through calls with each
/// selector value.
/// </summary>
public static partial class SwitchCases
{
    /// <summary>Every section taken in one call: the selector is the counter modulo 3.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 6)]
    public static double SwitchInLoop(double x, double y, int n)
    {
        double r = x;
        for (int i = 0; i < n; i++)
        {
            switch (i % 3)
            {
                case 0:
                    r += x * y;
                    break;
                case 1:
                    r *= y;
                    break;
                default:
                    r = Math.Sin(r) - x;
                    break;
            }
        }

        return r;
    }

    /// <summary>Sections ending in continue, several labels in one section, and an if inside a section.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(ContinueSmooth))]
    [Ints(nameof(n), 8)]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    public static double SwitchWithContinueAndLabels(double x, double y, int n)
    {
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            switch (i % 4)
            {
                case 0:
                    continue;
                case 1:
                case 2:
                    r += x * i - y;
                    break;
                default:
                    if (r > 0)
                    {
                        r *= y;
                    }
                    else
                    {
                        r -= x * x;
                    }

                    break;
            }

            r *= 0.75;
        }

        return r;
    }

    /// <summary>Every section returns; default is what the checker's fixed integer (3) selects.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double SwitchOfReturns(double x, int mode)
    {
        switch (mode)
        {
            case 0:
                return x * x;
            case 1:
                return Math.Sin(x) * 2;
            case 2:
                x = x * 3 - 1;
                break;
            default:
                return Math.Exp(x) - x;
        }

        return x * x * x;
    }

    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static double SwitchOfReturnsAllModes(double x)
    {
        return SwitchOfReturns(x, 0) + SwitchOfReturns(x, 1) * 2 + SwitchOfReturns(x, 2) * 3 + SwitchOfReturns(x, 5) * 4;
    }

    /// <summary>A switch on an integer computed from two counters, with ref state; a return from inside the loop.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 4)]
    public static void SwitchOnComputedIndex(ref double s, double x, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                switch (n - j + i)
                {
                    case 1:
                        s = s * x;
                        break;
                    case 2:
                        s += x * j;
                        break;
                    case 4:
                        s = s - Math.Sin(s) * x;
                        break;
                    default:
                        s *= 0.9;
                        break;
                }
            }

            if (i == n - 2)
            {
                return;
            }
        }
    }

    private static bool ContinueSmooth(double x, double y, int n)
    {
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            switch (i % 4)
            {
                case 0:
                    continue;
                case 1:
                case 2:
                    r += x * i - y;
                    break;
                default:
                    if (!Kinks.AwayFromZero(r))
                    {
                        return false;
                    }

                    r = r > 0 ? r * y : r - x * x;
                    break;
            }

            r *= 0.75;
        }

        return true;
    }
}
