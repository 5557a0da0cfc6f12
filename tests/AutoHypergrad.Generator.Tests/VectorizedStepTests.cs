using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// The IVectorizedStep struct of an [OptimizerStep] method: its text against an approved snapshot, and the members the
/// contract asks for, uniform and [PerElement] hyperparameters. The numbers it computes are checked against the span
/// drivers in the optimizer tests.
/// </summary>
public sealed class VectorizedStepTests
{
    public const string DampedSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Damped
        {
            [Differentiable, OptimizerStep]
            public static void Step(
                ref double w, ref double v, double g,
                [Hyper] double lr, [Hyper] double mu,
                [NoDiff] double t, [NoDiff] bool nesterov, [NoDiff] float damping)
            {
                v = mu * v + (1.0 - damping) * g;
                double d = nesterov ? g + mu * v : v;
                w = w - lr / Math.Sqrt(t) * d;
            }

            [Differentiable, OptimizerStep]
            public static void Step(
                ref float w, ref float v, float g,
                [Hyper] float lr, [Hyper] float mu,
                [NoDiff] float t, [NoDiff] bool nesterov, [NoDiff] float damping)
            {
                v = mu * v + (1.0f - damping) * g;
                float d = nesterov ? g + mu * v : v;
                w = w - lr / MathF.Sqrt(t) * d;
            }
        }
        """;

    /// <summary>Per-element hyperparameters on either side of a uniform one, so that offsets count both kinds.</summary>
    public const string PerWeightSource = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class PerWeight
        {
            [Differentiable, OptimizerStep]
            public static void Step(
                ref double w, ref double v, double g,
                [Hyper, PerElement] double lr, [Hyper] double mu, [Hyper, PerElement] double wd,
                [NoDiff] double t)
            {
                v = mu * v + g + wd * w;
                w = w - lr / Math.Sqrt(t) * v;
            }
        }
        """;

    [Fact]
    public void Kernel_struct_of_a_step_with_per_element_hyperparameters()
    {
        var run = GeneratorHarness.RunValid(PerWeightSource);

        var source = run.Source("PerWeight.Step.g.cs");
        Snapshot.Verify(KernelText(source), "PerWeight.StepVectorizedDouble");
        Assert.Contains("new bool[] { true, false, true }", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_struct_of_a_step_with_options()
    {
        var run = GeneratorHarness.RunValid(DampedSource);

        var source = run.Source("Damped.Step_Double_Double_Double_Double_Double_Double_Boolean_Single.g.cs");
        Snapshot.Verify(KernelText(source), "Damped.StepVectorizedDouble");
    }

    [Fact]
    public void Both_overloads_get_a_kernel_that_implements_the_contract()
    {
        var run = GeneratorHarness.RunValid(DampedSource);
        var contract = run.OutputCompilation.GetTypeByMetadataName("AutoHypergrad.Steps.IVectorizedStep`1");
        Assert.NotNull(contract);

        foreach (var (name, element) in new[] { ("StepVectorizedDouble", SpecialType.System_Double), ("StepVectorizedSingle", SpecialType.System_Single) })
        {
            var kernel = run.OutputCompilation.GetTypeByMetadataName("Samples.Damped+" + name);
            Assert.True(kernel is not null, $"No {name}: {string.Join(", ", run.GeneratedSources.Select(s => s.HintName))}");
            Assert.True(kernel!.IsValueType && kernel.IsReadOnly, $"{name} is a readonly struct");
            Assert.Equal(Accessibility.Public, kernel.DeclaredAccessibility);
            var implemented = Assert.Single(kernel.AllInterfaces);
            Assert.True(SymbolEqualityComparer.Default.Equals(contract, implemented.OriginalDefinition));
            Assert.Equal(element, implemented.TypeArguments.Single().SpecialType);
        }
    }

    [Fact]
    public void Options_come_from_the_step_number_values_and_flags()
    {
        var run = GeneratorHarness.RunValid(DampedSource);
        var source = run.Source("Damped.Step_Single_Single_Single_Single_Single_Single_Boolean_Single.g.cs");

        Assert.Contains("(float)options.StepNumber,", source, StringComparison.Ordinal);
        Assert.Contains("options.Flag(\"nesterov\"),", source, StringComparison.Ordinal);
        Assert.Contains("(float)options.Value(\"damping\"));", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_differentiable_method_without_the_attribute_gets_no_kernel()
    {
        var run = GeneratorHarness.RunValid(SnapshotTests.MomentumSource);

        Assert.DoesNotContain("IVectorizedStep", run.AllSources(), StringComparison.Ordinal);
    }

    /// <summary>The kernel struct, from its summary to the end of the file.</summary>
    private static string KernelText(string source)
    {
        var structAt = source.IndexOf("public readonly struct", StringComparison.Ordinal);
        Assert.True(structAt >= 0, "No kernel struct in:\n" + source);
        var summaryAt = source.LastIndexOf("/// <summary>", structAt, StringComparison.Ordinal);
        var lineStart = source.LastIndexOf('\n', summaryAt) + 1;
        return source.Substring(lineStart);
    }
}
