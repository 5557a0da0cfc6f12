using System.Linq;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// Supported constructs (docs/contract.md) beyond the snapshots: the generator reports nothing and the output
/// compilation has no errors or warnings (user projects build with warnings as errors).
/// </summary>
public sealed class CleanCompilationTests
{
    private static string InClass(string method) => $$"""
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Clean
        {
            [Differentiable]
            {{method}}
        }
        """;

    [Theory]
    [InlineData("public static double F(double x) { double result = x * x; return result; }")]
    [InlineData("public static double F(double x) { double t1 = x * x; double t = t1 * 2.0; return Math.Sqrt(t) * t1; }")]
    [InlineData("public static double F(double x) { double wSaved = x; x = x * x; x *= wSaved; return x; }")]
    [InlineData("public static double F(double x) { double branch = x; if (x > 0.0) { return branch * x; } return -x; }")]
    [InlineData("public static double F(double x) { x *= x; x = x * x; x /= 3.0; x -= 1.0; return x; }")]
    [InlineData("public static void F(ref double w, double g) { if (g > 0.0) { w = w * g; return; } w = w + g; }")]
    [InlineData("public static void F(ref double w, ref double v) { w = w * v; v = w * v; w = v; }")]
    [InlineData("public static double F(double x) { return x > 1.0 ? F(x / 2.0) : x; }")]
    [InlineData("public static double F(double x) { const double k = 2.0; double y = x * k; y = -y; return +y; }")]
    [InlineData("public static double F(in double x) { return x * x; }")]
    [InlineData("public static double F(double x) { double y; y = 3.0; if (x > 0.0) y = x; return y; }")]
    [InlineData("public static double F(double x) { return Math.Clamp(x, 0.0, 1.0) + Math.FusedMultiplyAdd(x, x, 1.0) + Math.Sign(x) + Math.Min(x, 2.0) + Math.Max(x, -2.0) + Math.Pow(2.0, x) + Math.Pow(x, x) + Math.Abs(x); }")]
    [InlineData("public static float F(float x) { return MathF.Tanh(x) + MathF.Exp(x) * MathF.Log(x * x + 1f) + MathF.Sin(x) * MathF.Cos(x) + MathF.Pow(x, 2f); }")]
    [InlineData("public static double F(double x, double y) { if (x > y && !(y < 0.0) || x == 0.0) { return x * y; } else { return x / y; } }")]
    [InlineData("public static double F(double x, [NoDiff] double c, int n, bool flag) { double y = flag ? x * c : x * n; return y; }")]
    [InlineData("public static double F(double x, int n) { double y = x * n; y = n > 2 ? y : -y; return y; }")]
    public void Supported_method_generates_code_that_compiles_cleanly(string method)
    {
        var run = GeneratorHarness.RunValid(InClass(method));

        Assert.Single(run.GeneratedSources, s => !GeneratorRun.IsCuda(s.HintName));
    }

    /// <summary>Calls between [Differentiable] methods whose arguments once broke the generated code (in arguments, arrays, aliases).</summary>
    [Theory]
    [InlineData("double v = 0.5; return H(in v, x);")]
    [InlineData("return H(in c, x) + H(0.25, x) + H(in x, c) + H((double)f, x);")]
    [InlineData("double s = A(a, 0.5) > 0.0 ? x : 0.0; a[1] *= x; return s;")]
    [InlineData("double s = x; while (A(a, s) < 3.0 && s < 4.0) { s += 1.0; a[0] *= x; } return s;")]
    [InlineData("return R(d, x) + R(a, x);")]
    [InlineData("Step(a, a); Step(a, b); return a[0] + b[1];")]
    [InlineData("O(x, out x); O(c, out x); double y = x; O(y, out y); return x + y;")]
    [InlineData("double y = x; Q(y, ref y); Q(c, ref y); return y;")]
    [InlineData("double t = 0.0; for (int i = 0; i < 3; i++) { O(t + x, out t); } return t;")]
    public void Calls_generate_code_that_compiles_cleanly(string body)
    {
        var source = $$"""
            using System;
            using AutoHypergrad;

            namespace Samples;

            public static partial class Calls
            {
                [Differentiable] public static double H(in double a, double b) => a * b + a * a;
                [Differentiable] public static double A(double[] q, double b) => q[0] * b + q[1];
                [Differentiable] public static double R(ReadOnlySpan<double> p, double y) => p[0] * y;
                [Differentiable] public static void Step(ReadOnlySpan<double> x, Span<double> y) { for (int i = 0; i < y.Length; i++) { y[i] = y[i] * x[i]; } }
                [Differentiable] public static void O(double a, out double o) { o = a * a; }
                [Differentiable] public static void Q(double a, ref double s) { s = s * a; }

                [Differentiable]
                public static double F(double x, double[] a, double[] b, [NoDiff] double c, [NoDiff] double[] d, [NoDiff] float f)
                {
                    {{body}}
                }
            }
            """;

        var run = GeneratorHarness.RunValid(source);

        Assert.Contains(run.GeneratedSources, s => s.HintName.Contains(".F.", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Parameter_named_result_does_not_break_the_adjoint_signature()
    {
        // The adjoint of parameter 'result' would be 'resultBar', the name of the return value's adjoint.
        // Either the generator reports the collision (AHG0008) or the generated code compiles.
        var run = GeneratorHarness.Run(InClass("public static double F(double result, double t) { return result * t; }"));

        Assert.Null(run.Result.Exception);
        var reported = run.GeneratorDiagnostics.Any(d => d.Id == "AHG0008");
        Assert.True(
            reported || run.OutputErrorsAndWarnings.IsEmpty,
            "No AHG0008, and the generated code does not compile:\n" + GeneratorRun.Describe(run.OutputErrorsAndWarnings));
    }
}
