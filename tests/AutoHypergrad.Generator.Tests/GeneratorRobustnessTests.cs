using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>The generator never throws, whatever it is given.</summary>
public sealed class GeneratorRobustnessTests
{
    private static string Wrap(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using AutoHypergrad;

        namespace Samples;

        public static partial class Garbage
        {
        {{members}}
        }
        """;

    public static IEnumerable<object[]> GarbageInputs()
    {
        yield return Case("syntax error in the body", Wrap("""
                [Differentiable]
                public static double Broken(double x)
                {
                    double y = x * ;
                    return y +
                }
            """));
        yield return Case("unterminated method", Wrap("""
                [Differentiable]
                public static double Broken(double x
                {
                    return x
            """));
        yield return Case("attribute on nothing", "using AutoHypergrad; [Differentiable] ");
        yield return Case("unbound identifier", Wrap("""
                [Differentiable]
                public static double Unbound(double x)
                {
                    return x * notDeclared + Missing.Call(x);
                }
            """));
        yield return Case("unknown type", Wrap("""
                [Differentiable]
                public static Quux Unknown(Quux x, double y)
                {
                    return x * y;
                }
            """));
        yield return Case("lambda", Wrap("""
                [Differentiable]
                public static double WithLambda(double x)
                {
                    Func<double, double> f = t => t * x;
                    return f(x);
                }
            """));
        yield return Case("for loop", Wrap("""
                [Differentiable]
                public static double Loop(double x)
                {
                    double acc = 0.0;
                    for (int i = 0; i < 10; i++) { acc += x * i; }
                    return acc;
                }
            """));
        yield return Case("while, foreach, goto, try", Wrap("""
                [Differentiable]
                public static double Everything(double x)
                {
                    while (x > 10.0) { x /= 2.0; }
                    foreach (var d in new List<double> { x }) { x += d; }
                    try { x = x * x; } catch (Exception) { goto end; } finally { x += 1.0; }
                    end:
                    return x;
                }
            """));
        yield return Case("expression-bodied and local function", Wrap("""
                [Differentiable]
                public static double Arrow(double x) => Local(x) * x;

                [Differentiable]
                public static double WithLocal(double x)
                {
                    double Inner(double t) => t * t;
                    return Inner(x);
                }

                private static double Local(double x) => x;
            """));
        yield return Case("recursion and mutual recursion", Wrap("""
                [Differentiable]
                public static double Self(double x)
                {
                    return x > 1.0 ? Self(x / 2.0) : x;
                }

                [Differentiable]
                public static double Ping(double x)
                {
                    return x > 1.0 ? Pong(x - 1.0) : x;
                }

                [Differentiable]
                public static double Pong(double x)
                {
                    return Ping(x * 0.5);
                }
            """));
        yield return Case("no body, abstract, extern, partial", """
            using System.Runtime.InteropServices;
            using AutoHypergrad;

            public abstract partial class Weird
            {
                [Differentiable]
                public abstract double Abstract(double x);

                [Differentiable]
                [DllImport("nothing")]
                public static extern double External(double x);

                [Differentiable]
                public static partial double Declared(double x);
            }

            public partial interface IWeird
            {
                [Differentiable]
                static double InInterface(double x) => x * x;

                [Differentiable]
                static abstract double StaticAbstract(double x);
            }
            """);
        yield return Case("odd signatures", Wrap("""
                [Differentiable]
                public static double Params(params double[] xs) { return xs[0]; }

                [Differentiable]
                public static ref double RefReturn(ref double x) { return ref x; }

                [Differentiable]
                public static double In(in double x, dynamic d) { return x * d; }

                [Differentiable]
                public static double Optional(double x = 1.0, double y = double.NaN) { return x * y; }

                [Differentiable]
                public static unsafe double Pointer(double* p) { return *p; }

                [Differentiable]
                public static System.Threading.Tasks.Task<double> Async(double x) { return System.Threading.Tasks.Task.FromResult(x); }

                [Differentiable]
                public static double Tuple((double a, double b) t) { return t.a * t.b; }
            """));
        yield return Case("odd expressions", Wrap("""
                [Differentiable]
                public static double Odd(double x, int n, bool flag)
                {
                    double y = checked(x * n) + default(double) + sizeof(double) + nameof(x).Length;
                    y += flag ? 1 : 0;
                    y = x switch { > 1.0 => x, _ => -x };
                    y = (y, x).Item1;
                    y++;
                    --y;
                    y %= 3.0;
                    y = y is double z ? z : 0.0;
                    x = y = x;
                    object o = x;
                    string s = $"{x}";
                    var arr = new[] { x, y };
                    return arr[0] + (double)o + s.Length + (x > y == flag ? 1.0 : 2.0) + Math.PI + double.Epsilon;
                }
            """));
        yield return Case("generic and nested odd types", """
            using AutoHypergrad;

            namespace Samples
            {
                public partial class Generic<T> where T : struct
                {
                    [Differentiable]
                    public static double InGeneric(double x) { return x * x; }

                    public partial struct NestedStruct
                    {
                        [Differentiable]
                        public static double InStruct(double x) { return x * x; }
                    }
                }

                public partial record Rec(double A)
                {
                    [Differentiable]
                    public static double InRecord(double x) { return x * x; }
                }

                file static partial class FileLocal
                {
                    [Differentiable]
                    public static double InFileLocal(double x) { return x * x; }
                }
            }
            """);
        yield return Case("attribute with arguments and duplicates", Wrap("""
                [Differentiable(42)]
                [Differentiable]
                public static double Twice(double x) { return x * x; }
            """));
        yield return Case("name collisions with generated members", Wrap("""
                [Differentiable]
                public static double F(double x) { return x * x; }

                public static double FTangent(double x) { return x; }

                public static void FAdjoint(double x) { }
            """));
        yield return Case("overloads", Wrap("""
                [Differentiable]
                public static double G(double x) { return x * x; }

                [Differentiable]
                public static double G(double x, double y) { return x * y; }

                [Differentiable]
                public static float G(float x) { return x * x; }
            """));
        yield return Case("deep expression", Wrap(
            "    [Differentiable]\n    public static double Deep(double x)\n    {\n        return "
            + string.Join(" + ", Enumerable.Range(0, 300).Select(i => $"x * {i}.0"))
            + ";\n    }"));
        yield return Case("top-level statements", """
            using AutoHypergrad;

            System.Console.WriteLine(Local(2.0));

            [Differentiable]
            static double Local(double x) => x * x;
            """);
    }

    private static object[] Case(string name, string source) => new object[] { name, source };

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public void Generator_does_not_throw(string name, string source)
    {
        var run = GeneratorHarness.Run(source);

        Assert.True(run.Result.Exception is null, $"{name}: the generator threw {run.Result.Exception}");

        // A generator exception also surfaces as CS8784/CS8785 from the driver.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");

        // Everything the generator reports is one of its own diagnostics, well-formed.
        Assert.All(run.GeneratorDiagnostics, d =>
        {
            Assert.StartsWith("AHG", d.Id, System.StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(d.GetMessage()));
        });
    }

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public void Generated_files_parse_without_syntax_errors(string name, string source)
    {
        // Whatever the input, what is emitted is syntactically valid C# (it may not bind if the input does not).
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        foreach (var generated in run.GeneratedSources)
        {
            var errors = generated.SyntaxTree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{name}: {generated.HintName} has syntax errors:\n{GeneratorRun.Describe(errors)}\n{generated.SourceText}");
        }
    }

    [Fact]
    public void Cancellation_is_honoured_or_harmless()
    {
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();
        var driver = GeneratorHarness.CreateDriver();
        var compilation = GeneratorHarness.CreateCompilation(SnapshotTests.AdamSource);

        var ex = Record.Exception(() => driver.RunGenerators(compilation, cts.Token));

        Assert.True(ex is null or System.OperationCanceledException, $"Unexpected {ex}");
    }
}
