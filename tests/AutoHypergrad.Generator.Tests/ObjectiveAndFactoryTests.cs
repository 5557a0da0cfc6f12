using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// What the generator writes for the engines beside the derivatives: the <c>{Method}Optimizer</c> factory of an
/// [OptimizerStep] (its hyperparameters and options as named arguments, with the defaults and domains of [Hyper]) and
/// the <c>{Method}Objective</c> class of an [Objective] loss, and the diagnostic for a loss of the wrong shape. What
/// they compute is checked in Engines.Tests (GeneratedObjectiveTests, BilevelProblemTests), on code this generator built.
/// </summary>
public sealed class ObjectiveAndFactoryTests
{
    private const string Source = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Heavy
        {
            [Differentiable, OptimizerStep]
            public static void Step(ref double w, ref double v, double g,
                [Hyper(Default = 0.01, Domain = HyperparameterDomain.Positive)] double lr,
                [Hyper(Domain = HyperparameterDomain.UnitInterval)] double mu,
                [NoDiff] bool nesterov)
            {
                v = mu * v + g;
                w = w - lr * (nesterov ? g + mu * v : v);
            }
        }

        public static partial class Losses
        {
            [Differentiable(Order = 2), Objective]
            public static double Ridge(ReadOnlySpan<double> w, [Hyper(Default = 1e-3, Domain = HyperparameterDomain.NonNegative)] double l2,
                [NoDiff] ReadOnlySpan<double> features, [NoDiff] ReadOnlySpan<double> targets, int rows, int columns)
            {
                double sum = 0;
                for (int i = 0; i < rows; i++)
                {
                    double r = -targets[i];
                    for (int j = 0; j < columns; j++)
                    {
                        r += features[i * columns + j] * w[j];
                    }

                    sum += r * r;
                }

                double penalty = 0;
                for (int j = 0; j < columns; j++)
                {
                    penalty += w[j] * w[j];
                }

                return sum / rows + l2 * penalty;
            }

            [Differentiable(Order = 2), Objective]
            public static double Weighted(ReadOnlySpan<double> w, [NoDiff] double[] exampleWeights, ReadOnlySpan<double> strengths, double scale, [NoDiff] ReadOnlySpan<double> points)
            {
                double sum = 0;
                for (int i = 0; i < points.Length; i++)
                {
                    double d = w[i % w.Length] - points[i];
                    sum += exampleWeights[i] * d * d;
                }

                for (int j = 0; j < w.Length; j++)
                {
                    sum += strengths[j] * w[j] * w[j];
                }

                return scale * sum;
            }
        }
        """;

    [Fact]
    public void The_factory_takes_each_hyperparameter_and_option_by_name_with_the_declared_defaults_and_domains()
    {
        var run = GeneratorHarness.RunValid(Source);

        var factory = run.OutputCompilation.GetTypeByMetadataName("Samples.Heavy")!.GetMembers("StepOptimizer").OfType<IMethodSymbol>().Single();
        Assert.Equal(["mu", "lr", "nesterov"], factory.Parameters.Select(p => p.Name));
        Assert.False(factory.Parameters[0].IsOptional);
        Assert.True(factory.Parameters[1].IsOptional);
        Assert.True(factory.Parameters[2].IsOptional);
        var text = run.Source("Heavy.Step.g.cs");
        Assert.Contains("HyperparameterDescriptor(\"lr\", 0.01, global::AutoHypergrad.HyperparameterDomain.Positive, false)", text, StringComparison.Ordinal);
        Assert.Contains("HyperparameterDescriptor(\"mu\", double.NaN, global::AutoHypergrad.HyperparameterDomain.UnitInterval, false)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Heavy.StepOptimizer(mu: 0.9, lrr: 0.1)", "CS1739")]
    [InlineData("Heavy.StepOptimizer(lr: 0.1)", "CS7036")]
    [InlineData("new Losses.RidgeObjective(3, new double[6], new double[2], 2, 3, l22: 0.1)", "CS1739")]
    public void A_misspelled_or_missing_hyperparameter_does_not_compile(string call, string error)
    {
        var source = Source + "\npublic static class User { public static object Make() => " + call + "; }\n";
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.ActiveGeneratorDiagnostics);
        var errors = run.OutputErrorsAndWarnings.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 1 && errors[0].Id == error, GeneratorRun.Describe(errors));
    }

    private const string Twin = "in float: the generated twin of the double method";

    [Fact]
    public void A_double_step_without_a_float_overload_gets_a_float_twin_with_its_kernel()
    {
        var run = GeneratorHarness.RunValid(Source);

        var twin = run.Source("Heavy.Step_Single.g.cs");
        Assert.Contains("[global::AutoHypergrad.Differentiable, global::AutoHypergrad.OptimizerStep]", twin, StringComparison.Ordinal);
        Assert.Contains(
            "public static void Step(ref float w, ref float v, float g, [global::AutoHypergrad.Hyper(Default = 0.01, Domain = global::AutoHypergrad.HyperparameterDomain.Positive)] float lr, " +
            "[global::AutoHypergrad.Hyper(Default = double.NaN, Domain = global::AutoHypergrad.HyperparameterDomain.UnitInterval)] float mu, [global::AutoHypergrad.NoDiff] bool nesterov)",
            twin,
            StringComparison.Ordinal);
        Assert.Contains("public readonly struct StepVectorizedSingle : global::AutoHypergrad.Steps.IVectorizedStep<float>", twin, StringComparison.Ordinal);
        Assert.Contains("new StepVectorizedSingle(),", run.Source("Heavy.Step.g.cs"), StringComparison.Ordinal);
        Assert.Single(run.GeneratedSources, s => s.SourceText.ToString().Contains(Twin, StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_with_a_float_overload_gets_no_twin()
    {
        var withOverload = GeneratorHarness.RunValid(VectorizedStepTests.DampedSource);
        Assert.DoesNotContain(withOverload.GeneratedSources, s => s.SourceText.ToString().Contains(Twin, StringComparison.Ordinal));
    }

    [Fact]
    public void An_objective_class_binds_the_data_and_unpacks_lambda_into_the_hyperparameters()
    {
        var run = GeneratorHarness.RunValid(Source);

        var ridge = run.OutputCompilation.GetTypeByMetadataName("Samples.Losses+RidgeObjective")!;
        Assert.Equal("GeneratedObjective", ridge.BaseType!.Name);
        var constructors = ridge.InstanceConstructors.Select(c => string.Join(", ", c.Parameters.Select(p => p.Name))).OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(["data, parameterCount, l2", "parameterCount, features, targets, rows, columns, l2"], constructors);
        var weighted = run.OutputCompilation.GetTypeByMetadataName("Samples.Losses+WeightedObjective")!;
        Assert.Equal("parameterCount, exampleWeights, points, strengthsLength, strengths, scale", string.Join(", ", weighted.InstanceConstructors.Single().Parameters.Select(p => p.Name)));
        Snapshot.Verify(run.Source("Losses.Weighted.g.cs"), "Losses.WeightedObjective");
    }

    [Theory]
    [InlineData("[Differentiable, Objective] public static double L(ReadOnlySpan<double> w) => w[0] * w[0];", "is not [Differentiable(Order = 2)]")]
    [InlineData("[Differentiable(Order = 2), Objective] public static double L(double x, ReadOnlySpan<double> w) => x * w[0];", "starts with 'x'")]
    [InlineData("[Differentiable(Order = 2), Objective] public static double L(ReadOnlySpan<double> w, double[] h) => h[0] * w[0];", "has hyperparameter 'h' of type 'double[]'")]
    [InlineData("[Differentiable(Order = 2), Objective] public static double L(ReadOnlySpan<double> w, in double h) => h * w[0];", "passes 'h' by in")]
    [InlineData("[Differentiable(Order = 2), Objective] public static double L(ReadOnlySpan<double> w, float h) => h * w[0];", "has hyperparameter 'h' of type 'float'")]
    public void A_loss_of_the_wrong_shape_gets_AHG0016_and_no_objective(string method, string reason)
    {
        var source = "using System;\nusing AutoHypergrad;\nnamespace Samples;\npublic static partial class Bad\n{\n    " + method + "\n}\n";
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AHG0016");
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.NotEqual(Location.None, diagnostic.Location);
        Assert.Null(run.OutputCompilation.GetTypeByMetadataName("Samples.Bad+LObjective"));
        Assert.Empty(run.OutputErrorsAndWarnings.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("AHG", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("[Objective] public static double L(ReadOnlySpan<double> w) => w[0] * w[0];", "L", "Objective", "objective type", "Differentiable(Order = 2)")]
    [InlineData("[OptimizerStep] public static void L(ref double w, double g, [Hyper] double lr) { w -= lr * g; }", "L", "OptimizerStep", "vectorized steps and optimizer factory", "Differentiable")]
    public void A_mark_of_what_to_generate_on_a_method_that_is_not_Differentiable_gets_AHG0017_at_its_name(
        string method, string name, string attribute, string generated, string fix)
    {
        var source = "using System;\nusing AutoHypergrad;\nnamespace Samples;\npublic static partial class Bad\n{\n    " + method + "\n}\n";
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AHG0017", diagnostic.Id);
        Assert.Equal(
            $"'{name}' is marked [{attribute}] but not [Differentiable]: its {generated} would be written from its derivatives, which are not generated; add [{fix}]",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(name, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.OutputErrorsAndWarnings.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("AHG", StringComparison.Ordinal)));
    }
}
