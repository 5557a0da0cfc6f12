using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// for, while and do-while loops over scalars: loop-carried recurrences, integer counters and index arithmetic
/// (% / ++ -- +=), nested loops, break and continue, early returns inside loops, and loops whose trip count depends on
/// the values (their derivative is that of the path taken). Where a loop's path depends on the values, the
/// [SmoothWhere] predicate replays the loop and keeps every compared quantity 1e-3 away from its threshold, and the
/// [At] points take different paths.
/// </summary>
public static partial class LoopCases
{
    /// <summary>xⁿ by a loop-carried product (t *= x).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double PowerByLoop(double x, int n)
    {
        double t = 1;
        for (int i = 0; i < n; i++)
        {
            t *= x;
        }

        return t;
    }

    /// <summary>∏ₖ₌₁ⁿ (1 + x/k): the counter enters the arithmetic.</summary>
    [Differentiable]
    [Domain(-0.9, 2)]
    [Ints(nameof(n), 4)]
    public static double ProductWithCounter(double x, int n)
    {
        double p = 1;
        for (int k = 1; k <= n; k++)
        {
            p *= 1 + x / k;
        }

        return p;
    }

    /// <summary>The truncated exponential series Σ xᵏ/k!, its term updated in the loop (t *= x / k).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 8)]
    public static double ExponentialSeries(double x, int n)
    {
        double term = 1;
        double sum = 1;
        for (int k = 1; k <= n; k++)
        {
            term *= x / k;
            sum += term;
        }

        return sum;
    }

    /// <summary>A two-term linear recurrence vₖ = a·vₖ₋₁ + b·vₖ₋₂ carried in two locals swapped each iteration.</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 6)]
    public static double TwoTermRecurrence(double a, double b, int n)
    {
        double u = 1;
        double v = a;
        for (int i = 2; i <= n; i++)
        {
            double w = a * v + b * u;
            u = v;
            v = w;
        }

        return v + u * b;
    }

    /// <summary>ref state updated n times in a loop (the adjoint must replay the states in reverse).</summary>
    [Differentiable]
    [Domain(-1, 1)]
    [Ints(nameof(n), 4)]
    public static void RepeatedStateUpdate(ref double s, double k, int n)
    {
        for (int i = 0; i < n; i++)
        {
            s = s * k + Math.Sin(s);
        }
    }

    /// <summary>A decrementing loop (i--) whose counter is a coefficient: Σ i·x^(n−i).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 6)]
    public static double CountDown(double x, int n)
    {
        double r = 0;
        for (int i = n; i > 0; i--)
        {
            r = r * x + i;
        }

        return r;
    }

    /// <summary>A stride (i += 2), a bound computed with integer * and /, and an integer counter converted to double.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 5)]
    public static double StridedLoop(double x, double y, int n)
    {
        double r = 0;
        int count = 0;
        for (int i = 0; i < n * 3 / 2; i += 2)
        {
            r += Math.Sin(x + i) * y / (i + 1);
            count++;
        }

        return r * count;
    }

    /// <summary>A while loop with a pre-incremented counter and a % condition alternating between two updates.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double WhileWithModulo(double x, double y, int n)
    {
        double r = x;
        int i = 0;
        while (i < n)
        {
            if (i % 2 == 0)
            {
                r = r * y + x;
            }
            else
            {
                r = Math.Sin(r) - y;
            }

            ++i;
        }

        return r;
    }

    /// <summary>A do-while loop: its body runs once even when the condition is false at the start (n = 1).</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 4)]
    public static double DoWhileLoop(double x, int n)
    {
        double r = 1;
        int k = 0;
        do
        {
            r = r * x + k;
            k += 1;
        }
        while (k < n);

        return r;
    }

    /// <summary>Nested loops, the inner bound depending on the outer counter.</summary>
    [Differentiable]
    [Domain(-1.2, 1.2)]
    [Ints(nameof(n), 4)]
    public static double NestedTriangularLoops(double x, double y, int n)
    {
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            double p = 1;
            for (int j = 0; j <= i; j++)
            {
                p *= x + y * j;
            }

            r += p / (i + 1);
        }

        return r;
    }

    /// <summary>Nested loops with an inner break and a continue on integer conditions.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [Ints(nameof(n), 5)]
    public static double NestedBreakContinue(double x, double y, int n)
    {
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == 1)
            {
                continue;
            }

            for (int j = 0; j < n; j++)
            {
                if (j > i)
                {
                    break;
                }

                if ((i + j) % 3 == 0)
                {
                    continue;
                }

                r += x * i - y * j + x * y;
            }

            r *= 0.5;
        }

        return r;
    }

    /// <summary>A continue on a value condition (a ReLU of xi − y summed): the path depends on x and y.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(ValueContinueSmooth))]
    [Ints(nameof(n), 5)]
    [At(1.0, 0.5)]
    [At(-1.0, 0.5)]
    [At(0.3, -1.5)]
    public static double ValueDependentContinue(double x, double y, int n)
    {
        double r = 0;
        for (int i = 0; i < n; i++)
        {
            double t = x * i - y;
            if (t < 0)
            {
                continue;
            }

            r += t * t;
        }

        return r;
    }

    /// <summary>A break on a value condition: s grows until it exceeds 2 or the n iterations are done.</summary>
    [Differentiable]
    [Domain(0.2, 1.5)]
    [SmoothWhere(nameof(ValueBreakSmooth))]
    [Ints(nameof(n), 6)]
    [At(0.3, 0.2)]
    [At(1.4, 1.2)]
    [At(1.0, 0.6)]
    public static double ValueDependentBreak(double x, double y, int n)
    {
        double s = 0;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            s = s * x + y;
            k++;
            if (s > 2)
            {
                break;
            }
        }

        return s * k;
    }

    /// <summary>The example: while (x &lt; 10) { x = x·a + 1; k++; }, the trip count depending on x and a.</summary>
    [Differentiable]
    [Domain(nameof(x), 0.5, 3)]
    [Domain(nameof(a), 1.1, 2)]
    [SmoothWhere(nameof(WhileUntilThresholdSmooth))]
    [At(0.5, 1.5)]
    [At(3.0, 2.0)]
    [At(1.0, 1.1)]
    public static double WhileUntilThreshold(double x, double a)
    {
        int k = 0;
        while (x < 10)
        {
            x = x * a + 1;
            k++;
        }

        return x + k;
    }

    /// <summary>A value condition combined with an integer one in a for condition (&amp;&amp;, !).</summary>
    [Differentiable]
    [Domain(0.2, 1.5)]
    [SmoothWhere(nameof(ConditionInForSmooth))]
    [Ints(nameof(n), 8)]
    [At(0.3, 0.2)]
    [At(1.3, 1.2)]
    public static double ValueConditionInFor(double x, double y, int n)
    {
        double s = y;
        int i;
        for (i = 0; i < n && !(s > 3); i++)
        {
            s = s * (1 + x) + y;
        }

        return s + i * x;
    }

    /// <summary>while (true) left by a break, with || in the exit condition.</summary>
    [Differentiable]
    [Domain(0.2, 1.5)]
    [SmoothWhere(nameof(WhileTrueSmooth))]
    [At(0.3, 0.2)]
    [At(1.4, 1.4)]
    public static double WhileTrueWithBreak(double x, double y)
    {
        double s = 0.1;
        int k = 0;
        while (true)
        {
            s = s * (1 + x) + y * y;
            k++;
            if (s > 4 || k >= 10)
            {
                break;
            }
        }

        return s - k * y;
    }

    /// <summary>An early return inside a loop, on a value condition; the other path returns after the loop.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(EarlyReturnSmooth))]
    [Ints(nameof(n), 5)]
    [At(1.2, 0.8)]
    [At(0.2, 0.1)]
    [At(-1.0, 1.0)]
    public static double EarlyReturnInLoop(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x * i + y;
            if (s > 3)
            {
                return s * y;
            }
        }

        return -s + x;
    }

    /// <summary>Early returns from inside nested loops and a branch, on a value condition and an integer one.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(NestedEarlyReturnSmooth))]
    [Ints(nameof(n), 4)]
    [At(1.2, 1.0)]
    [At(0.1, 0.2)]
    [At(-0.5, 0.3)]
    public static double EarlyReturnInNestedLoops(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s = s * 0.9 + x * (i - j);
                if (s > 2.5)
                {
                    return s + x * y;
                }

                if (i == n - 1 && j == n - 2)
                {
                    return s * y - x;
                }
            }
        }

        return s;
    }

    /// <summary>A local written in one iteration and read in the next (the previous value), and a running maximum by if.</summary>
    [Differentiable]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(PreviousIterationSmooth))]
    [Ints(nameof(n), 5)]
    [At(1.2, 0.4)]
    [At(-1.2, 0.8)]
    public static double ReadsPreviousIteration(double x, double y, int n)
    {
        double previous = x;
        double current = y;
        double best = current;
        for (int i = 0; i < n; i++)
        {
            double next = current * x - previous * 0.5 + y;
            previous = current;
            current = next;
            if (current > best)
            {
                best = current;
            }
        }

        return best + previous * current;
    }

    private static bool ValueContinueSmooth(double x, double y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (!Kinks.AwayFromZero(x * i - y))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValueBreakSmooth(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s = s * x + y;
            if (!Kinks.Apart(s, 2))
            {
                return false;
            }

            if (s > 2)
            {
                break;
            }
        }

        return true;
    }

    private static bool WhileUntilThresholdSmooth(double x, double a)
    {
        while (Kinks.Apart(x, 10))
        {
            if (x > 10)
            {
                return true;
            }

            x = x * a + 1;
        }

        return false;
    }

    private static bool ConditionInForSmooth(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            if (!Kinks.Apart(s, 3))
            {
                return false;
            }

            if (s > 3)
            {
                break;
            }

            s = s * (1 + x) + y;
        }

        return true;
    }

    private static bool WhileTrueSmooth(double x, double y)
    {
        double s = 0.1;
        for (int k = 1; k <= 10; k++)
        {
            s = s * (1 + x) + y * y;
            if (!Kinks.Apart(s, 4))
            {
                return false;
            }

            if (s > 4)
            {
                break;
            }
        }

        return true;
    }

    private static bool EarlyReturnSmooth(double x, double y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x * i + y;
            if (!Kinks.Apart(s, 3))
            {
                return false;
            }

            if (s > 3)
            {
                break;
            }
        }

        return true;
    }

    private static bool NestedEarlyReturnSmooth(double x, double y, int n)
    {
        double s = y;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s = s * 0.9 + x * (i - j);
                if (!Kinks.Apart(s, 2.5))
                {
                    return false;
                }

                if (s > 2.5 || (i == n - 1 && j == n - 2))
                {
                    return true;
                }
            }
        }

        return true;
    }

    private static bool PreviousIterationSmooth(double x, double y, int n)
    {
        double previous = x;
        double current = y;
        double best = current;
        for (int i = 0; i < n; i++)
        {
            double next = current * x - previous * 0.5 + y;
            previous = current;
            current = next;
            if (!Kinks.Apart(current, best))
            {
                return false;
            }

            best = Math.Max(best, current);
        }

        return true;
    }
}
