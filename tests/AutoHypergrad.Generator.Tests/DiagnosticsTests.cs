using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>One test per diagnostic AHG0001..AHG0015: ID, severity, location and message.</summary>
public sealed class DiagnosticsTests
{
    private const string DescriptorsTypeName = "AutoHypergrad.Generator.Diagnostics.DiagnosticDescriptors";

    private static string InPartialClass(string members, string typeName = "Subject") => $$"""
        using System;
        using AutoHypergrad;

        namespace Samples;

        public static partial class {{typeName}}
        {
        {{members}}
        }
        """;

    /// <summary>Runs the generator and returns the single diagnostic with <paramref name="id"/>, checking its severity.</summary>
    private static (Diagnostic Diagnostic, GeneratorRun Run) ReportsSingle(string source, string id)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);
        var matching = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(
            matching.Count == 1,
            $"Expected exactly one {id}; the generator reported:\n{GeneratorRun.Describe(run.GeneratorDiagnostics)}");
        var diagnostic = matching[0];
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.DefaultSeverity);
        Assert.False(diagnostic.IsSuppressed);
        return (diagnostic, run);
    }

    /// <summary>The source text under the diagnostic's span (from its tree, or the input file of the same path).</summary>
    private static string LocatedText(Diagnostic diagnostic, GeneratorRun run)
    {
        var location = diagnostic.Location;
        Assert.NotEqual(Location.None, location);
        var tree = location.SourceTree
                   ?? run.InputCompilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == location.GetLineSpan().Path);
        Assert.True(tree is not null, $"The location of {diagnostic.Id} is in no input file: {location}");
        var span = location.SourceSpan;
        var text = tree!.GetText();
        Assert.True(span.End <= text.Length, $"The span {span} of {diagnostic.Id} is outside the file.");

        // The line span must agree with the text span (a stale LocationInfo would not).
        var lines = text.Lines.GetLinePositionSpan(span);
        Assert.Equal(lines, location.GetLineSpan().Span);
        return text.ToString(span);
    }

    [Fact]
    public void AHG0001_method_must_be_static()
    {
        var source = InPartialClass("""
                [Differentiable]
                public double NotStatic(double x)
                {
                    return x * x;
                }
            """).Replace("public static partial class", "public partial class", StringComparison.Ordinal);

        var (diagnostic, run) = ReportsSingle(source, "AHG0001");

        Assert.Equal("NotStatic", LocatedText(diagnostic, run));
        Assert.Contains("NotStatic", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0002_containing_type_must_be_partial()
    {
        const string source = """
            using AutoHypergrad;

            namespace Samples;

            public static class NotPartial
            {
                [Differentiable]
                public static double Cube(double x)
                {
                    return x * x * x;
                }
            }
            """;

        var (diagnostic, run) = ReportsSingle(source, "AHG0002");

        Assert.Equal("Cube", LocatedText(diagnostic, run));
        Assert.Contains("NotPartial", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void AHG0002_names_the_non_partial_outer_type_of_a_nested_type()
    {
        const string source = """
            using AutoHypergrad;

            namespace Samples;

            public class OuterNotPartial
            {
                public static partial class Inner
                {
                    [Differentiable]
                    public static double Cube(double x)
                    {
                        return x * x * x;
                    }
                }
            }
            """;

        var (diagnostic, run) = ReportsSingle(source, "AHG0002");

        Assert.Equal("Cube", LocatedText(diagnostic, run));
        Assert.Contains("OuterNotPartial", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0003_unsupported_statement_is_located_on_the_construct()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Guarded(double x)
                {
                    double acc = 0.0;
                    try
                    {
                        acc += x;
                    }
                    finally
                    {
                    }

                    return acc;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0003");

        var text = LocatedText(diagnostic, run);
        Assert.StartsWith("try", text, StringComparison.Ordinal);
        Assert.Contains("try statement", diagnostic.GetMessage(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Guarded", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0003_unsupported_expression_is_located_on_the_construct()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double WithLambda(double x)
                {
                    Func<double, double> f = t => t * x;
                    return f(x);
                }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        var diagnostics = run.GeneratorDiagnostics.Where(d => d.Id == "AHG0003").ToList();
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Contains(
            diagnostics,
            d => LocatedText(d, run).StartsWith("t => t * x", StringComparison.Ordinal)
                 || LocatedText(d, run).StartsWith("Func<double, double> f", StringComparison.Ordinal));
    }

    [Fact]
    public void AHG0004_call_without_known_derivative_is_located_on_the_invocation()
    {
        var source = InPartialClass("""
                public static double Helper(double x)
                {
                    return x + 1.0;
                }

                [Differentiable]
                public static double UsesHelper(double x)
                {
                    return 2.0 * Helper(x);
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0004");

        Assert.Equal("Helper(x)", LocatedText(diagnostic, run));
        Assert.Contains("Helper", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0004_math_function_outside_the_supported_list()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double UsesAtan(double x)
                {
                    return Math.Atan(x);
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0004");

        Assert.Equal("Math.Atan(x)", LocatedText(diagnostic, run));
        Assert.Contains("Atan", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0005_active_parameter_of_a_non_differentiable_type()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Scaled(double x, decimal scale)
                {
                    return x * (double)scale;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0005");

        var text = LocatedText(diagnostic, run);
        Assert.EndsWith("scale", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",", text, StringComparison.Ordinal);
        var message = diagnostic.GetMessage();
        Assert.Contains("scale", message, StringComparison.Ordinal);
        Assert.Contains("NoDiff", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0005_is_not_reported_for_a_NoDiff_parameter()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Scaled(double x, [NoDiff] decimal scale)
                {
                    return x * (double)scale;
                }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "AHG0005");
    }

    public static IEnumerable<object[]> UnsupportedSignatures() => new[]
    {
        new object[]
        {
            "span passed by ref",
            """
                [Differentiable]
                public static double WithRefSpan(double x, ref Span<double> y)
                {
                    y[0] = x;
                    return x * x;
                }
            """,
            "WithRefSpan",
        },
        new object[]
        {
            "generic method",
            """
                [Differentiable]
                public static double Generic<T>(double x)
                {
                    return x * x;
                }
            """,
            "Generic",
        },
        new object[]
        {
            "int return type",
            """
                [Differentiable]
                public static int ReturnsInt(double x)
                {
                    return (int)x;
                }
            """,
            "ReturnsInt",
        },
        new object[]
        {
            "order three",
            """
                [Differentiable(Order = 3)]
                public static double Cubic(double x)
                {
                    return x * x * x;
                }
            """,
            "Cubic",
        },
        new object[]
        {
            "order two with ref state",
            """
                [Differentiable(Order = 2)]
                public static double WithState(double x, ref double s)
                {
                    s = s * x;
                    return s;
                }
            """,
            "WithState",
        },
        new object[]
        {
            "order two writing its span",
            """
                [Differentiable(Order = 2)]
                public static double WritesItsSpan(Span<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] = x[i] * x[i];
                        s += x[i];
                    }

                    return s;
                }
            """,
            "WritesItsSpan",
        },
    };

    [Theory]
    [MemberData(nameof(UnsupportedSignatures))]
    public void AHG0006_unsupported_signature(string what, string members, string methodName)
    {
        var (diagnostic, run) = ReportsSingle(InPartialClass(members), "AHG0006");

        var method = run.InputCompilation.SyntaxTrees.Single().GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Single(m => m.Identifier.Text == methodName);
        Assert.True(
            method.Span.Contains(diagnostic.Location.SourceSpan),
            $"{what}: the location '{LocatedText(diagnostic, run)}' is outside the method declaration.");
        Assert.Contains(methodName, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0007_internal_error_descriptor_exists()
    {
        // An internal error cannot be provoked from source on purpose (it is the generator's catch-all that keeps
        // it from throwing), so this checks the descriptor; GeneratorRobustnessTests checks the generator never throws.
        var descriptor = Descriptor("AHG0007");

        Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Contains("{0}", descriptor.MessageFormat.ToString(), StringComparison.Ordinal); // names the method
    }

    [Fact]
    public void AHG0008_generated_name_collides_with_a_parameter()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Collides(double x, double xDot)
                {
                    return x * xDot;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0008");

        Assert.EndsWith("xDot", LocatedText(diagnostic, run), StringComparison.Ordinal);
        Assert.Contains("xDot", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xBar")]
    [InlineData("resultBar")]
    public void AHG0008_generated_name_collides_with_a_local(string local)
    {
        var source = InPartialClass($$"""
                [Differentiable]
                public static double Collides(double x)
                {
                    double {{local}} = x * x;
                    return {{local}} + x;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0008");

        Assert.Contains(local, LocatedText(diagnostic, run), StringComparison.Ordinal);
        Assert.Contains(local, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_descriptor_is_an_error_with_a_unique_id_except_the_CUDA_info()
    {
        var descriptors = AllDescriptors();
        var ids = descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();

        Assert.Equal(Enumerable.Range(1, 17).Select(i => $"AHG{i:D4}").ToArray(), ids);
        Assert.All(descriptors, d =>
        {
            // A method without CUDA kernels still has its C#: the CUDA emitter only informs.
            Assert.Equal(d.Id == "AHG0013" ? DiagnosticSeverity.Info : DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
        });
    }

    [Fact]
    public void Diagnostics_are_located_in_the_input_syntax_tree()
    {
        // A Location without its SyntaxTree (Location.Create(path, span, lines)) is not matched by #pragma
        // or by the IDE's document diagnostics.
        var source = InPartialClass("""
                [Differentiable]
                public static double Guarded(double x)
                {
                    try { x = x / 2.0; } finally { }
                    return x;
                }
            """);

        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AHG0003");
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Same(run.InputCompilation.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
    }

    [Fact]
    public void Pragma_warning_disable_suppresses_AHG0003()
    {
        var body = """
                [Differentiable]
                public static double Guarded(double x)
                {
                    double acc = 0.0;
            #pragma warning disable AHG0003
                    try
                    {
                        acc += x;
                    }
                    finally
                    {
                    }
            #pragma warning restore AHG0003
                    return acc;
                }
            """;

        var suppressed = GeneratorHarness.Run(InPartialClass(body));
        var reported = GeneratorHarness.Run(InPartialClass(body.Replace("#pragma", "// #pragma", StringComparison.Ordinal)));

        Assert.Null(suppressed.Result.Exception);
        Assert.Contains(reported.ActiveGeneratorDiagnostics, d => d.Id == "AHG0003"); // the same code without the pragma reports
        // The driver either drops a pragma-suppressed diagnostic or returns it with IsSuppressed set.
        Assert.DoesNotContain(suppressed.ActiveGeneratorDiagnostics, d => d.Id == "AHG0003");
    }

    [Theory]
    [InlineData("while (n-- > 0)", "Post decrement expression")]
    [InlineData("Span<double> buffer = stackalloc double[2];", "span or array local declared inside a block")]
    [InlineData("double[] alias = xs;", "span or array local that is not new")]
    [InlineData("throw new InvalidOperationException();", "Throw statement")]
    [InlineData("goto done;", "Goto statement")]
    public void AHG0003_names_what_the_language_does_not_cover(string statement, string named)
    {
        var body = statement.StartsWith("while", StringComparison.Ordinal)
            ? statement + " { acc += x; }"
            : statement.StartsWith("goto", StringComparison.Ordinal) ? statement + " done: acc += x;" : statement;
        var members = $$"""
                [Differentiable]
                public static double Subject(double x, double[] xs, int n)
                {
                    double acc = x;
                    if (n > 0)
                    {
                        {{(statement.StartsWith("Span", StringComparison.Ordinal) ? body : "")}}
                    }
                    {{(statement.StartsWith("Span", StringComparison.Ordinal) ? "" : body)}}
                    return acc;
                }
            """;

        var run = GeneratorHarness.Run(InPartialClass(members));

        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AHG0003" && d.GetMessage().Contains(named, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("Subject", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Swap(ref x, ref x);", "ref x")]
    [InlineData("Twice(out y, out y);", "out y")]
    [InlineData("Read(in x, ref x);", "ref x")]
    public void AHG0003_the_same_variable_passed_by_reference_twice(string call, string located)
    {
        var source = InPartialClass($$"""
                [Differentiable] public static void Swap(ref double a, ref double b) { a = a * b; b = a + b; }
                [Differentiable] public static void Twice(out double a, out double b) { a = 1.0; b = 2.0; }
                [Differentiable] public static void Read(in double a, ref double b) { b = b * a; b = b * a; }

                [Differentiable]
                public static double Subject(double x)
                {
                    double y;
                    {{call}}
                    return x;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0003");

        Assert.Equal(located, LocatedText(diagnostic, run));
        Assert.Contains("by reference again", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Subject", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0004_derivative_pair_with_only_a_tangent()
    {
        var source = InPartialClass("""
                public static double Twice(double x) => 2 * x;

                [DerivativeOf(typeof(Subject), nameof(Twice))]
                public static (double Value, double Tangent) TwiceTangent(double x, double xDot) => (2 * x, 2 * xDot);

                [Differentiable]
                public static double UsesTwice(double x) => Twice(x) + x;
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0004");

        Assert.Equal("Twice(x)", LocatedText(diagnostic, run));
        Assert.Contains("Samples.Subject.Twice", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0009_optimizer_step_that_is_not_elementwise()
    {
        var source = InPartialClass("""
                [Differentiable, OptimizerStep]
                public static void Repeated(ref double w, double g, [Hyper] double lr)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        w = w - lr * g;
                    }
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0009");

        Assert.Equal("Repeated", LocatedText(diagnostic, run));
        Assert.Contains("Repeated", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.GeneratorDiagnostics);

        // The derivatives are still generated; only the vectorized step is left out.
        var generated = run.Source("Subject.Repeated.g.cs");
        Assert.Contains("RepeatedAdjoint", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("IVectorizedStep", generated, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MisshapenSteps() => new()
    {
        // What is wrong, the parameter list, the parameter the diagnostic is located on.
        { "no ref state first", "double g, ref double w, [Hyper] double lr", "g" },
        { "hyperparameter before the gradient", "ref double w, [Hyper] double lr, double g", "lr" },
        { "ref state after the gradient", "ref double w, double g, ref double v, [Hyper] double lr", "v" },
        { "two gradients", "ref double w, double g, double h, [Hyper] double lr", "h" },
        { "hyperparameter after an option", "ref double w, double g, [NoDiff] bool flag, [Hyper] double lr", "lr" },
        { "mixed float and double", "ref double w, double g, [Hyper] float lr", "lr" },
        { "gradient by in", "ref double w, in double g, [Hyper] double lr", "g" },
    };

    [Theory]
    [MemberData(nameof(MisshapenSteps))]
    public void AHG0010_optimizer_step_of_the_wrong_shape(string what, string parameters, string located)
    {
        var source = InPartialClass($$"""
                [Differentiable, OptimizerStep]
                public static void Misshapen({{parameters}})
                {
                    w = w * 0.5;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0010");

        Assert.True(located == LocatedText(diagnostic, run), $"{what}: located on '{LocatedText(diagnostic, run)}', not '{located}'.");
        Assert.Contains("Misshapen", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("IVectorizedStep", StringComparison.Ordinal));
    }

    [Fact]
    public void AHG0010_optimizer_step_without_a_gradient()
    {
        var source = InPartialClass("""
                [Differentiable, OptimizerStep]
                public static void NoGradient(ref double w, ref double v)
                {
                    w = w - v;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0010");

        Assert.Equal("NoGradient", LocatedText(diagnostic, run));
        Assert.Contains("no gradient", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MisplacedPerElement() => new()
    {
        { "an option", "ref double w, double g, [Hyper] double lr, [NoDiff, PerElement] double t", "t" },
        { "the gradient", "ref double w, [PerElement] double g, [Hyper] double lr, [NoDiff] double t", "g" },
        { "the state", "ref double w, [PerElement] ref double v, double g, [Hyper] double lr, [NoDiff] double t", "v" },
    };

    [Theory]
    [MemberData(nameof(MisplacedPerElement))]
    public void AHG0011_per_element_parameter_of_an_optimizer_step_that_is_not_a_hyperparameter(string what, string parameters, string located)
    {
        var source = InPartialClass($$"""
                [Differentiable, OptimizerStep]
                public static void Scaled({{parameters}})
                {
                    w = w - lr * g / t;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0011");

        Assert.True(located == LocatedText(diagnostic, run), $"{what}: located on '{LocatedText(diagnostic, run)}', not '{located}'.");
        Assert.Contains($"'{located}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Scaled", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("not a [Hyper] parameter", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("IVectorizedStep", StringComparison.Ordinal));
    }

    [Fact]
    public void A_per_element_hyperparameter_of_an_optimizer_step_is_not_reported()
    {
        var source = InPartialClass("""
                [Differentiable, OptimizerStep]
                public static void Scaled(ref double w, double g, [Hyper, PerElement] double lr)
                {
                    w = w - lr * g;
                }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("IVectorizedStep<double>", StringComparison.Ordinal));
    }

    [Fact]
    public void AHG0012_option_of_a_type_other_than_float_double_or_bool()
    {
        var source = InPartialClass("""
                [Differentiable, OptimizerStep]
                public static void Counted(ref double w, double g, [Hyper] double lr, [NoDiff] int t)
                {
                    w = w - lr * g / t;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0012");

        Assert.Equal("t", LocatedText(diagnostic, run));
        Assert.Contains("'int'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("IVectorizedStep", StringComparison.Ordinal));
    }

    [Fact]
    public void AHG0013_elementwise_method_with_no_CUDA_form_keeps_its_CSharp_and_is_reported_as_info()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static void Scaled(ref double w, double g, [NoDiff] uint k)
                {
                    w = w - g * k;
                }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AHG0013", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("Scaled", LocatedText(diagnostic, run), StringComparison.Ordinal);
        Assert.Contains("the type uint has no CUDA form", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.GeneratedSources, s => GeneratorRun.IsCuda(s.HintName));
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("ScaledAdjoint", StringComparison.Ordinal));
    }

    [Fact]
    public void AHG0014_order_two_method_calling_an_order_one_method_is_located_on_the_call()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Square(double x)
                {
                    return x * x;
                }

                [Differentiable(Order = 2)]
                public static double Loss(double x, double y)
                {
                    return Square(x) * y;
                }
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0014");

        Assert.Equal("Square(x)", LocatedText(diagnostic, run));
        Assert.Contains("Loss", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("[Differentiable(Order = 2)]", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("SquareTangentAdjoint", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.GeneratorDiagnostics);
    }

    [Fact]
    public void AHG0014_order_two_method_calling_a_hand_written_derivative_without_a_tangent_adjoint()
    {
        var source = InPartialClass("""
                public static double Twice(double x) => 2 * x;

                [DerivativeOf(typeof(Subject), nameof(Twice))]
                public static (double Value, double Tangent) TwiceTangent(double x, double xDot) => (2 * x, 2 * xDot);

                [DerivativeOf(typeof(Subject), nameof(Twice))]
                public static void TwiceAdjoint(double x, ref double xBar, double resultBar) => xBar += 2 * resultBar;

                [Differentiable(Order = 2)]
                public static double UsesTwice(double x) => Twice(x) * x;
            """);

        var (diagnostic, run) = ReportsSingle(source, "AHG0014");

        Assert.Equal("Twice(x)", LocatedText(diagnostic, run));
        Assert.Contains("TangentAdjoint", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.GeneratorDiagnostics);
    }

    [Fact]
    public void AHG0014_order_two_method_calling_a_hand_written_elementwise_operation()
    {
        var source = """
            using System;
            using System.Numerics.Tensors;
            using AutoHypergrad;

            namespace Samples;

            public static partial class Subject
            {
                [Differentiable(Order = 2)]
                public static double SumOfExp(ReadOnlySpan<double> x)
                {
                    Span<double> e = stackalloc double[x.Length];
                    TensorPrimitives.Exp(x, e);
                    return e[0];
                }
            }
            """;

        var (diagnostic, run) = ReportsSingle(source, "AHG0014");

        Assert.Equal("TensorPrimitives.Exp(x, e)", LocatedText(diagnostic, run));
        Assert.Contains("scalar-valued", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHG0015_callers_of_a_method_with_errors_get_no_code_and_name_the_callee_up_the_chain()
    {
        var source = InPartialClass("""
                [Differentiable]
                public static double Inner(double x)
                {
                    try { return x * x; } finally { }
                }

                [Differentiable]
                public static double Middle(double x) => Inner(x) + x;

                [Differentiable]
                public static double Outer(double x) => Middle(x) * 2.0;

                [Differentiable]
                public static double Unrelated(double x) => x * x;
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Assert.Equal(["AHG0003", "AHG0015", "AHG0015"], run.GeneratorDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
        var middle = run.GeneratorDiagnostics.Single(d => d.Id == "AHG0015" && LocatedText(d, run) == "Middle");
        Assert.Contains("'Samples.Subject.Inner'", middle.GetMessage(), StringComparison.Ordinal);
        var outer = run.GeneratorDiagnostics.Single(d => d.Id == "AHG0015" && LocatedText(d, run) == "Outer");
        Assert.Contains("'Samples.Subject.Middle'", outer.GetMessage(), StringComparison.Ordinal);

        // No code for the three, so nothing that does not compile; the unrelated method keeps its derivatives.
        Assert.Empty(run.OutputErrorsAndWarnings.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("UnrelatedAdjoint", StringComparison.Ordinal));
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("MiddleAdjoint", StringComparison.Ordinal));
    }

    [Fact]
    public void Order_two_method_calling_order_two_methods_and_reductions_compiles_and_gets_a_tangent_adjoint()
    {
        var run = GeneratorHarness.RunValid("""
            using System;
            using System.Numerics.Tensors;
            using AutoHypergrad;

            namespace Samples;

            public static partial class Subject
            {
                [Differentiable(Order = 2)]
                public static double Huber(double r, [Hyper] double delta)
                {
                    double a = Math.Abs(r);
                    return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
                }

                [Differentiable(Order = 2)]
                public static double Loss(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x, [Hyper] double delta)
                {
                    double s = TensorPrimitives.Dot(w, x);
                    for (int i = 0; i < w.Length; i++)
                    {
                        s += Huber(w[i], delta);
                    }

                    return s + TensorPrimitives.SumOfSquares(w);
                }
            }
            """);

        var text = run.AllSources();
        Assert.Contains("public static void HuberTangentAdjoint(double r, ref double rBar, double rDot, ref double rDotBar, double delta, ref double deltaBar, double deltaDot, ref double deltaDotBar, double resultBar)", text, StringComparison.Ordinal);
        Assert.Contains("Subject.HuberTangentAdjoint(", text, StringComparison.Ordinal);
        Assert.Contains("TensorPrimitivesDerivatives.DotTangentAdjoint<double>(", text, StringComparison.Ordinal);
        Assert.Contains("TensorPrimitivesDerivatives.SumOfSquaresTangentAdjoint<double>(", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Func<double, double> f = t => t * x;\n        return f(x);", "t => t * x")]
    [InlineData("double Square(double t) => t * t;\n        return Square(x);", "double Square(double t)")]
    public void AHG0003_lambda_or_local_function_in_an_order_two_method_is_located_at_its_declaration(string body, string declaration)
    {
        var source = InPartialClass($$"""
                [Differentiable(Order = 2)]
                public static double WithHelper(double x)
                {
                    {{body}}
                }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        var diagnostics = run.GeneratorDiagnostics.Where(d => d.Id == "AHG0003").ToList();
        Assert.Contains(diagnostics, d => LocatedText(d, run).Contains(declaration, StringComparison.Ordinal));
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    private static DiagnosticDescriptor Descriptor(string id)
    {
        var matches = AllDescriptors().Where(d => d.Id == id).ToList();
        Assert.True(matches.Count == 1, $"Expected one descriptor {id} in {DescriptorsTypeName}, found {matches.Count}.");
        return matches[0];
    }

    private static List<DiagnosticDescriptor> AllDescriptors()
    {
        var type = typeof(DifferentiableGenerator).Assembly.GetType(DescriptorsTypeName);
        Assert.True(type is not null, $"{DescriptorsTypeName} does not exist.");
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var fromFields = type!.GetFields(flags)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);
        var fromProperties = type.GetProperties(flags)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor) && p.GetIndexParameters().Length == 0)
            .Select(p => (DiagnosticDescriptor)p.GetValue(null)!);
        return fromFields.Concat(fromProperties).Distinct().ToList();
    }
}
