using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// The pipeline caches: unrelated edits leave every tracked step Cached or Unchanged, and no step's
/// output keeps a symbol, syntax node, location, semantic model or compilation alive.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedStepNames =
    {
        TrackingNames.Parse,
        TrackingNames.Differentiate,
        TrackingNames.Emit,
        TrackingNames.EmitCuda,
        TrackingNames.Registry,
    };

    private const string DifferentiableFile = """
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Optimizers
        {
            [Differentiable, OptimizerStep]
            public static void Adam(
                ref double w, ref double m, ref double v, double g,
                [Hyper] double lr, [Hyper] double beta1, [Hyper] double beta2, [Hyper] double eps, [NoDiff] double t)
            {
                m = beta1 * m + (1 - beta1) * g;
                v = beta2 * v + (1 - beta2) * g * g;
                double mHat = m / (1 - Math.Pow(beta1, t));
                double vHat = v / (1 - Math.Pow(beta2, t));
                w = w - lr * mHat / (Math.Sqrt(vHat) + eps);
            }

            [Differentiable]
            public static double Loss(double w, [NoDiff] double target)
            {
                double e = w - target;
                return e * e;
            }

            public static double NotDifferentiable(double x)
            {
                return x + 1.0;
            }
        }
        """;

    private const string OtherFile = """
        namespace Samples;

        public static class Unrelated
        {
            public static int Count(int n)
            {
                return n + 1;
            }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, SyntaxTree Differentiable, SyntaxTree Other) FirstRun()
    {
        var differentiable = GeneratorHarness.Parse(DifferentiableFile, "Optimizers.cs");
        var other = GeneratorHarness.Parse(OtherFile, "Unrelated.cs");
        var compilation = GeneratorHarness.CreateCompilation(differentiable, other);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Empty(first.Diagnostics);
        // Each method's C#, Adam's CUDA C (the elementwise one), and the same two for Adam's float twin.
        Assert.Equal(5, first.GeneratedSources.Length);
        Assert.Contains("AdamVectorizedSingle", first.GeneratedSources.Single(s => s.HintName == "Optimizers.Adam_Single.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        Assert.Contains("AdamVectorizedDouble", first.GeneratedSources.Single(s => s.HintName == "Optimizers.Adam.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        return (driver, compilation, differentiable, other);
    }

    private static GeneratorRunResult SecondRun(GeneratorDriver driver, Compilation edited)
    {
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        foreach (var name in TrackedStepNames)
        {
            Assert.True(
                result.TrackedSteps.ContainsKey(name),
                $"No tracked step named '{name}'; tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
        }

        return result;
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (var name in TrackedStepNames)
        {
            var outputs = result.TrackedSteps[name].SelectMany(step => step.Outputs).ToList();
            Assert.True(outputs.Count > 0, $"Step '{name}' has no outputs to check.");
            foreach (var (value, reason) in outputs)
            {
                Assert.True(
                    reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' output {reason} after an unrelated edit: {value}");
            }
        }
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        var (driver, compilation, _, _) = FirstRun();

        var edited = compilation.AddSyntaxTrees(GeneratorHarness.Parse("""
            namespace Samples.More;

            public sealed class Brand
            {
                public double Value { get; set; }
            }
            """, "Brand.cs"));

        AssertAllCachedOrUnchanged(SecondRun(driver, edited));
    }

    [Fact]
    public void Editing_a_method_in_an_unrelated_file_leaves_every_step_cached()
    {
        var (driver, compilation, _, other) = FirstRun();

        var edited = compilation.ReplaceSyntaxTree(
            other,
            GeneratorHarness.Parse(OtherFile.Replace("return n + 1;", "return (n * 2) + 1;", StringComparison.Ordinal), "Unrelated.cs"));

        AssertAllCachedOrUnchanged(SecondRun(driver, edited));
    }

    [Fact]
    public void Editing_a_non_differentiable_method_beside_the_differentiable_ones_leaves_every_step_cached()
    {
        // Same file, same type, after the [Differentiable] methods: their text and positions do not change.
        var (driver, compilation, differentiable, _) = FirstRun();

        var edited = compilation.ReplaceSyntaxTree(
            differentiable,
            GeneratorHarness.Parse(
                DifferentiableFile.Replace("return x + 1.0;", "double y = x * 3.0;\n        return y + 1.0;", StringComparison.Ordinal),
                "Optimizers.cs"));

        AssertAllCachedOrUnchanged(SecondRun(driver, edited));
    }

    [Fact]
    public void Editing_the_differentiable_method_body_regenerates_it()
    {
        var (driver, compilation, differentiable, _) = FirstRun();
        var before = driver.GetRunResult().Results.Single().GeneratedSources
            .Single(s => s.HintName == "Optimizers.Loss.g.cs").SourceText.ToString();

        var edited = compilation.ReplaceSyntaxTree(
            differentiable,
            GeneratorHarness.Parse(
                DifferentiableFile.Replace("return e * e;", "return e * e * e;", StringComparison.Ordinal),
                "Optimizers.cs"));
        var driver2 = driver.RunGenerators(edited);
        var result = driver2.GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        // The per-method steps see the edit; the registry of hand-written derivatives does not depend on it.
        foreach (var name in new[] { TrackingNames.Parse, TrackingNames.Differentiate, TrackingNames.Emit })
        {
            var reasons = result.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.True(
                reasons.Any(r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New),
                $"Step '{name}' did not notice the edit: {string.Join(", ", reasons)}");
        }

        Assert.All(
            result.TrackedSteps[TrackingNames.Registry].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Registry: {o.Reason}"));

        var after = result.GeneratedSources.Single(s => s.HintName == "Optimizers.Loss.g.cs").SourceText.ToString();
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Tracked_step_outputs_hold_no_compilation_objects()
    {
        var (driver, compilation, _, _) = FirstRun();
        var edited = compilation.AddSyntaxTrees(GeneratorHarness.Parse("class Another { }", "Another.cs"));

        foreach (var result in new[] { driver.GetRunResult().Results.Single(), SecondRun(driver, edited) })
        {
            var checkedValues = 0;
            foreach (var name in TrackedStepNames)
            {
                foreach (var step in result.TrackedSteps[name])
                {
                    foreach (var (value, _) in step.Outputs)
                    {
                        ForbiddenObjectWalker.AssertNoForbidden(value, $"{name} output");
                        checkedValues++;
                    }
                }
            }

            Assert.True(checkedValues > 0, "No tracked outputs were checked.");
        }
    }

    [Fact]
    public void Walker_finds_forbidden_objects_nested_in_values()
    {
        // The walker itself must catch what it is meant to catch.
        var compilation = GeneratorHarness.CreateCompilation("class C { void M() { } }");
        var tree = compilation.SyntaxTrees.Single();
        var node = tree.GetRoot();
        var symbol = compilation.GetTypeByMetadataName("C")!;

        Assert.ThrowsAny<Exception>(() => ForbiddenObjectWalker.AssertNoForbidden(new { Inner = new[] { (object)node } }, "test"));
        Assert.ThrowsAny<Exception>(() => ForbiddenObjectWalker.AssertNoForbidden((1, ImmutableArray.Create<ISymbol>(symbol)), "test"));
        Assert.ThrowsAny<Exception>(() => ForbiddenObjectWalker.AssertNoForbidden(new List<object> { node.GetLocation() }, "test"));
        Assert.ThrowsAny<Exception>(() => ForbiddenObjectWalker.AssertNoForbidden(new KeyValuePair<string, object>("k", compilation), "test"));
        Assert.ThrowsAny<Exception>(() => ForbiddenObjectWalker.AssertNoForbidden(compilation.GetSemanticModel(tree), "test"));
        ForbiddenObjectWalker.AssertNoForbidden(("ok", 1.0, new[] { "a", "b" }, ImmutableArray.Create(1, 2)), "test");
    }
}

/// <summary>Walks an object graph through fields (including compiler-generated backing fields) looking for Roslyn objects.</summary>
internal static class ForbiddenObjectWalker
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(Location),
        typeof(SemanticModel),
        typeof(Compilation),
        typeof(SyntaxTree),
    };

    public static void AssertNoForbidden(object? root, string description)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, description, visited, depth: 0);
    }

    private static void Walk(object? value, string path, HashSet<object> visited, int depth)
    {
        if (value is null)
        {
            return;
        }

        var type = value.GetType();
        foreach (var forbidden in Forbidden)
        {
            if (forbidden.IsInstanceOfType(value))
            {
                throw new Xunit.Sdk.XunitException($"{path} holds a {forbidden.Name} ({type.FullName}): {value}");
            }
        }

        if (IsLeaf(type) || depth > 64)
        {
            return;
        }

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is Array array)
        {
            if (IsLeaf(type.GetElementType()!))
            {
                return;
            }

            var i = 0;
            foreach (var item in array)
            {
                Walk(item, $"{path}[{i++}]", visited, depth + 1);
            }

            return;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRef || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                Walk(field.GetValue(value), $"{path}.{field.Name}", visited, depth + 1);
            }
        }
    }

    private static bool IsLeaf(Type type)
        => type.IsPrimitive
           || type.IsEnum
           || type.IsPointer
           || type == typeof(string)
           || type == typeof(decimal)
           || type == typeof(DateTime)
           || type == typeof(Guid)
           || typeof(Type).IsAssignableFrom(type)
           || typeof(MemberInfo).IsAssignableFrom(type)
           || typeof(Delegate).IsAssignableFrom(type)
           || type == typeof(DiagnosticDescriptor)
           || type.FullName == "Microsoft.CodeAnalysis.Text.SourceText"
           || typeof(Microsoft.CodeAnalysis.Text.SourceText).IsAssignableFrom(type)
           || type == typeof(System.Globalization.CultureInfo);
}
