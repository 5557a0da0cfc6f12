using System;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// Generated code for loops, spans, switch, hand-written derivatives and second order, against approved files in
/// Snapshots/, with checks on its structure (which loops need a tape) in the manner of FileCheck.
/// </summary>
public sealed class LanguageSnapshotTests
{
    private const string KernelsSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Kernels
        {
            [Differentiable]
            public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    s += x[i] * y[i];
                }

                return s;
            }

            [Differentiable]
            public static double LogSumExp(ReadOnlySpan<double> x)
            {
                double m = double.NegativeInfinity;
                for (int i = 0; i < x.Length; i++)
                {
                    m = Math.Max(m, x[i]);
                }

                double s = 0;
                foreach (var v in x)
                {
                    s += Math.Exp(v - m);
                }

                return m + Math.Log(s);
            }

            [Differentiable]
            public static double SinCos(ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    s += Math.Sin(x[i]) * Math.Cos(x[i]) + x[i] * x[i];
                }

                return s;
            }
        }
        """;

    private const string SpanMomentumSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class SpanOptimizers
        {
            [Differentiable]
            public static void Momentum(Span<double> w, Span<double> v, ReadOnlySpan<double> g, [Hyper] double lr, [Hyper] double mu)
            {
                for (int i = 0; i < w.Length; i++)
                {
                    v[i] = mu * v[i] + g[i];
                    w[i] -= lr * v[i];
                }
            }
        }
        """;

    private const string ControlFlowSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Control
        {
            [Differentiable]
            public static double Power(double x, double limit, int n)
            {
                double t = 1;
                int k = 0;
                while (k < n)
                {
                    if (t > limit)
                    {
                        return limit;
                    }

                    t *= x;
                    k++;
                    if (k % 3 == 0)
                    {
                        continue;
                    }

                    t += 0.5 * x;
                }

                switch (n % 2)
                {
                    case 0:
                        t = t * t;
                        break;
                    default:
                        t = -t;
                        break;
                }

                return t;
            }
        }
        """;

    private const string CustomSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static class Special
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
        }

        public static class SpecialDerivatives
        {
            [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
            public static (double Value, double Tangent) SoftplusTangent(double x, double xDot)
                => (Special.Softplus(x), xDot / (1 + Math.Exp(-x)));

            [DerivativeOf(typeof(Special), nameof(Special.Softplus))]
            public static void SoftplusAdjoint(double x, ref double xBar, double resultBar)
                => xBar += resultBar / (1 + Math.Exp(-x));
        }

        public static partial class Losses
        {
            [Differentiable]
            public static double SoftplusSum(ReadOnlySpan<double> x, double scale)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    s += Special.Softplus(scale * x[i]);
                }

                return s;
            }
        }
        """;

    private const string SecondOrderSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Curvature
        {
            [Differentiable(Order = 2)]
            public static double Rosenbrock(double x, double y)
                => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Differentiable(Order = 2)]
            public static double Logistic(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> features, [NoDiff] double label, double l2)
            {
                double z = 0;
                double norm = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    z += w[i] * features[i];
                    norm += w[i] * w[i];
                }

                return Math.Log(1 + Math.Exp(-label * z)) + 0.5 * l2 * norm;
            }
        }
        """;

    [Fact]
    public void Loops_over_spans_with_independent_iterations_or_a_reduction_need_no_tape()
    {
        var run = GeneratorHarness.RunValid(KernelsSource);

        // Dot and SinCos have independent iterations: each reverse iteration recomputes its values; nothing is taped.
        Assert.DoesNotContain("Tape", run.Source("Kernels.Dot.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("Tape", run.Source("Kernels.SinCos.g.cs"), StringComparison.Ordinal);

        // LogSumExp's running maximum is a reduction: its adjoint goes to the iteration that last raised it, which the
        // forward run records in one integer instead of taping the maximum.
        var lse = run.Source("Kernels.LogSumExp.g.cs");
        Assert.DoesNotContain("Tape", lse, StringComparison.Ordinal);
        Assert.Contains("mLastTaken = iterations;", lse, StringComparison.Ordinal);
        Snapshot.Verify(run.AllSources(), "Kernels");
    }

    [Fact]
    public void Elementwise_span_update_tapes_one_element_per_iteration()
    {
        var run = GeneratorHarness.RunValid(SpanMomentumSource);

        var source = run.Source("SpanOptimizers.Momentum.g.cs");
        Assert.Contains("global::System.ReadOnlySpan<double> w, global::System.Span<double> wBar", source, StringComparison.Ordinal);
        Assert.Contains("ArrayPool<double>.Shared.Return", source, StringComparison.Ordinal);
        Snapshot.Verify(run.AllSources(), "SpanOptimizers.Momentum");
    }

    [Fact]
    public void While_loop_with_return_continue_and_switch()
    {
        var run = GeneratorHarness.RunValid(ControlFlowSource);

        Snapshot.Verify(run.AllSources(), "Control.Power");
    }

    [Fact]
    public void Call_to_a_method_with_hand_written_derivatives()
    {
        var run = GeneratorHarness.RunValid(CustomSource);

        var source = run.Source("Losses.SoftplusSum.g.cs");
        Assert.Contains("global::Samples.SpecialDerivatives.SoftplusTangent(", source, StringComparison.Ordinal);
        Assert.Contains("global::Samples.SpecialDerivatives.SoftplusAdjoint(", source, StringComparison.Ordinal);
        Snapshot.Verify(run.AllSources(), "Losses.SoftplusSum");
    }

    [Fact]
    public void Order_two_adds_a_Hessian_vector_product()
    {
        var run = GeneratorHarness.RunValid(SecondOrderSource);

        Assert.Contains(
            "public static void RosenbrockHessianVector(double x, double xV, ref double xHv, double y, double yV, ref double yHv)",
            run.Source("Curvature.Rosenbrock.g.cs"),
            StringComparison.Ordinal);
        Assert.Contains(
            "LogisticHessianVector(global::System.ReadOnlySpan<double> w, global::System.ReadOnlySpan<double> wV, global::System.Span<double> wHv, global::System.ReadOnlySpan<double> features, double label, double l2, double l2V, ref double l2Hv)",
            run.Source("Curvature.Logistic.g.cs"),
            StringComparison.Ordinal);
        Snapshot.Verify(run.AllSources(), "Curvature");
    }

    private static int Occurrences(string text, string fragment)
    {
        var count = 0;
        for (var at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
