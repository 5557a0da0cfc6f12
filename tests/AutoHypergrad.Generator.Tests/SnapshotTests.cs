using System.Linq;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// The generated code for representative methods, against approved files in Snapshots/. Each test also
/// requires that the output compilation has no errors or warnings and that no generator diagnostic is reported.
/// Regenerate with AUTOHYPERGRAD_ACCEPT=1 and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    public const string ScalarSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Scalar
        {
            [Differentiable]
            public static double Smooth(double x, double scale)
            {
                double a = x * x + 1.0;
                double b = Math.Sqrt(a);
                double c = Math.Exp(-b) * Math.Log(a) + Math.Tanh(x);
                c += Math.Sin(x) * Math.Cos(scale);
                return scale * c / b;
            }
        }
        """;

    public const string MomentumSource = """
        using AutoHypergrad;

        namespace Samples;

        public static partial class Momentum
        {
            [Differentiable]
            public static void Step(ref double w, ref double v, double g, [Hyper] double lr, [Hyper] double mu)
            {
                v = mu * v + g;
                w = w - lr * v;
            }
        }
        """;

    public const string AdamSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Adam
        {
            [Differentiable]
            public static void Step(
                ref double w, ref double m, ref double v, double g,
                [Hyper] double lr, [Hyper] double beta1, [Hyper] double beta2, [Hyper] double eps,
                [NoDiff] int t)
            {
                m = beta1 * m + (1 - beta1) * g;
                v = beta2 * v + (1 - beta2) * g * g;
                double mHat = m / (1 - Math.Pow(beta1, t));
                double vHat = v / (1 - Math.Pow(beta2, t));
                w -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        """;

    public const string BranchesSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Robust
        {
            [Differentiable]
            public static double Huber(double r, [Hyper] double delta)
            {
                double a = Math.Abs(r);
                if (a <= delta)
                {
                    return 0.5 * r * r;
                }
                else if (delta <= 0.0 || !(a > 0.0))
                {
                    return 0.0;
                }

                double slope = r > 0.0 ? delta : -delta;
                return slope * r - 0.5 * delta * delta;
            }
        }
        """;

    public const string FloatSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class FloatOps
        {
            [Differentiable]
            public static float Blend(float x, float y, double w)
            {
                double xd = (double)x;
                float s = (float)(w * xd) + MathF.Sqrt(y * y + 1f);
                return s * (float)Math.Exp(-w) - MathF.Max(x, 0f);
            }
        }
        """;

    public const string CallSource = """
        using AutoHypergrad;

        namespace Samples;

        public static partial class Losses
        {
            [Differentiable]
            public static double Square(double x)
            {
                return x * x;
            }
        }

        public static partial class Model
        {
            [Differentiable]
            public static double Loss(double w, [NoDiff] double target)
            {
                double e = w - target;
                return Losses.Square(e) + 0.1 * Losses.Square(w);
            }
        }
        """;

    public const string CallRefStateSource = """
        using AutoHypergrad;

        namespace Samples;

        public static partial class Optim
        {
            [Differentiable]
            public static void Decay(ref double w, [Hyper] double lambda)
            {
                w = w - lambda * w;
            }

            [Differentiable]
            public static void Step(ref double w, double g, [Hyper] double lr, [Hyper] double lambda)
            {
                Decay(ref w, lambda);
                w = w - lr * g;
            }
        }
        """;

    public const string NestedSource = """
        using System;
        using AutoHypergrad;

        namespace Company.Models
        {
            public partial class Outer
            {
                internal static partial class Inner
                {
                    [Differentiable]
                    internal static double Sigmoid(double z)
                    {
                        return 1.0 / (1.0 + Math.Exp(-z));
                    }
                }
            }
        }
        """;

    [Fact]
    public void Scalar_function_with_locals_and_intrinsics()
    {
        var run = GeneratorHarness.RunValid(ScalarSource);

        Assert.Equal(new[] { "Scalar.Smooth.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.Verify(run.AllSources(), "Scalar.Smooth");
    }

    [Fact]
    public void Momentum_step_with_ref_state()
    {
        var run = GeneratorHarness.RunValid(MomentumSource);

        Assert.Equal(new[] { "Momentum.Step.g.cs", "Momentum.Step.Cuda.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.Verify(run.AllSources(), "Momentum.Step");
    }

    [Fact]
    public void Adam_step_with_hyperparameters_and_bias_correction()
    {
        var run = GeneratorHarness.RunValid(AdamSource);

        Assert.Equal(new[] { "Adam.Step.g.cs", "Adam.Step.Cuda.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.Verify(run.AllSources(), "Adam.Step");
    }

    [Fact]
    public void If_else_ternary_and_early_returns()
    {
        var run = GeneratorHarness.RunValid(BranchesSource);

        Assert.Equal(new[] { "Robust.Huber.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.Verify(run.AllSources(), "Robust.Huber");
    }

    [Fact]
    public void Float_method_with_casts()
    {
        var run = GeneratorHarness.RunValid(FloatSource);

        Assert.Equal(new[] { "FloatOps.Blend.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        Snapshot.Verify(run.AllSources(), "FloatOps.Blend");
    }

    [Fact]
    public void Call_to_another_differentiable_method_in_another_type()
    {
        var run = GeneratorHarness.RunValid(CallSource);

        Assert.Equal(
            new[] { "Losses.Square.g.cs", "Model.Loss.g.cs" },
            run.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal));
        Snapshot.Verify(run.AllSources(), "Model.Loss");
    }

    [Fact]
    public void Call_to_another_differentiable_method_passing_ref_state()
    {
        var run = GeneratorHarness.RunValid(CallRefStateSource);

        Assert.Equal(
            new[] { "Optim.Decay.Cuda.g.cs", "Optim.Decay.g.cs", "Optim.Step.g.cs" },
            run.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal));
        Snapshot.Verify(run.AllSources(), "Optim.Step");
    }

    [Fact]
    public void Nested_partial_type_in_a_namespace()
    {
        var run = GeneratorHarness.RunValid(NestedSource);

        Assert.Equal(new[] { "Outer.Inner.Sigmoid.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
        var source = run.Source("Outer.Inner.Sigmoid.g.cs");
        Assert.Contains("namespace Company.Models", source, System.StringComparison.Ordinal);
        Assert.Contains("partial class Outer", source, System.StringComparison.Ordinal);
        Assert.Contains("partial class Inner", source, System.StringComparison.Ordinal);
        Snapshot.Verify(run.AllSources(), "Outer.Inner.Sigmoid");
    }

    [Fact]
    public void Generated_signatures_follow_the_contract()
    {
        // The contract's own example: F(double x, ref double s, [NoDiff] double c, int n).
        const string source = """
            using AutoHypergrad;

            namespace Samples;

            public static partial class Contract
            {
                [Differentiable]
                public static double F(double x, ref double s, [NoDiff] double c, int n)
                {
                    s = s * x + c;
                    return x * s * n;
                }
            }
            """;
        var run = GeneratorHarness.RunValid(source);
        var type = run.OutputCompilation.GetTypeByMetadataName("Samples.Contract");
        Assert.NotNull(type);

        var tangent = Assert.Single(type!.GetMembers("FTangent").OfType<Microsoft.CodeAnalysis.IMethodSymbol>());
        Assert.True(tangent.IsStatic);
        Assert.Equal(Microsoft.CodeAnalysis.Accessibility.Public, tangent.DeclaredAccessibility);
        Assert.Equal(
            "(double Value, double Tangent) FTangent(double x, double xDot, ref double s, ref double sDot, double c, int n)",
            Signature(tangent));

        var adjoint = Assert.Single(type.GetMembers("FAdjoint").OfType<Microsoft.CodeAnalysis.IMethodSymbol>());
        Assert.True(adjoint.IsStatic);
        Assert.Equal(Microsoft.CodeAnalysis.Accessibility.Public, adjoint.DeclaredAccessibility);
        Assert.Equal(
            "void FAdjoint(double x, ref double xBar, double s, ref double sBar, double c, int n, double resultBar)",
            Signature(adjoint));
    }

    private static string Signature(Microsoft.CodeAnalysis.IMethodSymbol method)
    {
        var parameters = method.Parameters.Select(p =>
            (p.RefKind switch
            {
                Microsoft.CodeAnalysis.RefKind.Ref => "ref ",
                Microsoft.CodeAnalysis.RefKind.In => "in ",
                Microsoft.CodeAnalysis.RefKind.Out => "out ",
                _ => string.Empty,
            }) + p.Type.ToDisplayString() + " " + p.Name);
        return method.ReturnType.ToDisplayString() + " " + method.Name + "(" + string.Join(", ", parameters) + ")";
    }
}
