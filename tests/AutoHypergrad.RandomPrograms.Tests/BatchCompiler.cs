using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using AutoHypergrad.Generator.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>A failure class of the tester (the totals table's rows).</summary>
public static class Classes
{
    public const string Clean = "compiled clean";
    public const string InvalidProgram = "INVALID PROGRAM (tester bug: not plain C#)";
    public const string GeneratorException = "generator exception";
    public const string InternalError = "AHG0007 internal error";
    public const string FalseDiagnostic = "false diagnostic";
    public const string GeneratedCodeError = "generated-code error";
    public const string WrongTangent = "wrong tangent";
    public const string WrongAdjoint = "wrong adjoint";
    public const string WrongHvp = "wrong HVP";
    public const string SpanDriverMismatch = "span driver mismatch";
    public const string VectorModeMismatch = "vector mode mismatch";
    public const string VectorizedStepMismatch = "vectorized step mismatch";
    public const string CudaMismatch = "CUDA mismatch";
    public const string RuntimeException = "exception in generated code";
    public const string Inconclusive = "inconclusive (no smooth point / FD unreliable / ill-conditioned)";
    public const string Info = "info diagnostic (not a failure)";

    public static readonly string[] Order =
    [
        Clean, GeneratorException, InternalError, FalseDiagnostic, GeneratedCodeError, WrongTangent, WrongAdjoint, WrongHvp,
        SpanDriverMismatch, VectorModeMismatch, VectorizedStepMismatch, CudaMismatch, RuntimeException, Inconclusive, Info, InvalidProgram,
    ];
}

/// <summary>One problem found in a program: its class, a key that says which problem of the class (a diagnostic ID), and the details.</summary>
public sealed record Finding(string Class, string Key, string Message)
{
    public string Id => Key.Length == 0 ? Class : Class + ": " + Key;
}

/// <summary>What the compile of a batch left for the numeric checks: the loaded types of the programs that compiled clean.</summary>
public sealed class LoadedBatch
{
    public required Dictionary<Prog, List<Finding>> Findings { get; init; }

    public required Dictionary<Prog, Type> Types { get; init; }

    public required Dictionary<Prog, string> GeneratedSources { get; init; }

    public AssemblyLoadContext? Context { get; init; }
}

/// <summary>
/// Compiles many programs at once with the generator in-process (each program its own syntax tree and partial class),
/// attributes every diagnostic to its program by tree, and emits the programs that compiled clean into one assembly,
/// loaded in a collectible context.
/// </summary>
public static class BatchCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
        GeneratorHarness.References.Add(MetadataReference.CreateFromFile(typeof(Kink).Assembly.Location)));

    private static readonly CSharpCompilationOptions Options = GeneratorHarness.CompilationOptions.WithOptimizationLevel(OptimizationLevel.Release);

    private static int s_batch;

    public static TimeSpan GeneratorTime { get; private set; }

    public static TimeSpan DiagnosticsTime { get; private set; }

    public static TimeSpan EmitTime { get; private set; }

    public static LoadedBatch Compile(IReadOnlyList<Prog> progs)
    {
        var findings = progs.ToDictionary(p => p, _ => new List<Finding>());
        var byClass = progs.ToDictionary(p => p.ClassName, p => p);
        var trees = progs.Select(p => GeneratorHarness.Parse(Printer.Full(p), p.ClassName + ".cs")).ToList();
        var input = CSharpCompilation.Create("RandomInput" + s_batch++, trees, LazyReferences.Value, Options);

        GeneratorRun run;
        MemoryStream firstEmit;
        bool firstEmitSucceeded;
        try
        {
            var w = System.Diagnostics.Stopwatch.StartNew();
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
            GeneratorTime += w.Elapsed;
            w.Restart();
            // One emit gives every diagnostic (declarations and method bodies) and, when all is clean, the assembly.
            firstEmit = new MemoryStream();
            var firstResult = output.Emit(firstEmit);
            firstEmitSucceeded = firstResult.Success;
            var outputDiagnostics = firstResult.Diagnostics;
            DiagnosticsTime += w.Elapsed;
            var result = driver.GetRunResult().Results.Single();
            run = new GeneratorRun(input, output, driver, result, result.GeneratedSources, generatorDiagnostics, outputDiagnostics);
        }
        catch (Exception e)
        {
            return Fail(progs, findings, Classes.GeneratorException, e.GetType().Name, e.ToString());
        }

        if (run.Result.Exception is { } ex)
        {
            if (progs.Count == 1)
            {
                return Fail(progs, findings, Classes.GeneratorException, ex.GetType().Name, ex.ToString());
            }

            // Attribute: each program on its own.
            var merged = new Dictionary<Prog, List<Finding>>();
            foreach (var p in progs)
            {
                merged[p] = Compile([p]).Findings[p];
            }

            return new LoadedBatch { Findings = merged, Types = [], GeneratedSources = [] };
        }

        // The program itself must be plain C#: its own errors (in its tree) make it invalid, its own warnings are discounted
        // when the generated code repeats them. (The output compilation's diagnostics in the program's tree are the
        // input's: the generated code only adds members in files of its own.)
        var userTrees = trees.ToHashSet();
        var inputWarnings = new HashSet<(string, string)>();
        foreach (var d in run.OutputCompilationDiagnostics.Where(d => d.Location.SourceTree is { } t && userTrees.Contains(t)))
        {
            if (Owner(d, byClass) is not { } p)
            {
                continue;
            }

            if (d.Severity == DiagnosticSeverity.Warning)
            {
                inputWarnings.Add((p.ClassName, d.Id));
            }
            else if (d.Severity == DiagnosticSeverity.Error && findings[p].All(f => f.Class != Classes.InvalidProgram))
            {
                findings[p].Add(new Finding(Classes.InvalidProgram, d.Id, d.ToString()));
            }
        }

        foreach (var d in run.GeneratorDiagnostics.Where(d => !d.IsSuppressed))
        {
            if (Owner(d, byClass) is not { } p)
            {
                foreach (var q in progs)
                {
                    findings[q].Add(new Finding(Classes.GeneratorException, "unlocated " + d.Id, d.ToString()));
                }

                continue;
            }

            if (findings[p].Any(f => f.Class == Classes.InvalidProgram))
            {
                continue;
            }

            if (d.Id == "AHG0007")
            {
                findings[p].Add(new Finding(Classes.InternalError, string.Empty, d.ToString()));
            }
            else if (d.Severity == DiagnosticSeverity.Info)
            {
                // AHG0013 (no CUDA kernels for an elementwise method holding something with no CUDA form) is documented.
                findings[p].Add(new Finding(Classes.Info, d.Id, d.ToString()));
            }
            else if (d.Id.StartsWith("AHG", StringComparison.Ordinal))
            {
                findings[p].Add(new Finding(Classes.FalseDiagnostic, d.Id, d.ToString()));
            }
        }

        var generatedTrees = run.OutputCompilation.SyntaxTrees.Except(trees).ToList();
        var sources = new Dictionary<Prog, string>();
        foreach (var t in generatedTrees)
        {
            if (byClass.TryGetValue(ClassOf(t.FilePath), out var p))
            {
                sources[p] = (sources.TryGetValue(p, out var s) ? s : string.Empty) + "//------ " + Path.GetFileName(t.FilePath) + "\n" + t.ToString() + "\n";
            }
        }

        foreach (var d in run.OutputErrorsAndWarnings)
        {
            if (Owner(d, byClass) is not { } p)
            {
                continue;
            }

            bool inGenerated = d.Location.SourceTree is { } tree && generatedTrees.Contains(tree);
            if (inGenerated || d.Severity == DiagnosticSeverity.Error)
            {
                if (findings[p].Any(f => f.Class == Classes.InvalidProgram)
                    || (d.Severity == DiagnosticSeverity.Warning && inputWarnings.Contains((p.ClassName, d.Id))))
                {
                    // The program's own warning, copied into the generated code: not the generator's.
                    continue;
                }

                string text = d.ToString();
                if (inGenerated)
                {
                    text += "\n    at: " + d.Location.SourceTree!.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Trim();
                }

                if (findings[p].All(f => f.Key != d.Id || f.Class != Classes.GeneratedCodeError))
                {
                    findings[p].Add(new Finding(Classes.GeneratedCodeError, d.Id, text));
                }
            }
        }

        var clean = progs.Where(p => findings[p].All(f => f.Class == Classes.Info)).ToList();
        var types = new Dictionary<Prog, Type>();
        if (clean.Count == 0)
        {
            return new LoadedBatch { Findings = findings, Types = types, GeneratedSources = sources };
        }

        var cleanNames = clean.Select(p => p.ClassName).ToHashSet(StringComparer.Ordinal);
        var emitTrees = trees.Where(t => cleanNames.Contains(ClassOf(t.FilePath)))
            .Concat(generatedTrees.Where(t => cleanNames.Contains(ClassOf(t.FilePath))));
        var emitCompilation = CSharpCompilation.Create("RandomPrograms" + s_batch++, emitTrees, LazyReferences.Value, Options);
        var stream = firstEmit;
        var emitWatch = System.Diagnostics.Stopwatch.StartNew();
        var emitted = firstEmitSucceeded ? null : emitCompilation.Emit(stream = new MemoryStream());
        EmitTime += emitWatch.Elapsed;
        if (emitted is { Success: false })
        {
            var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            foreach (var p in clean)
            {
                findings[p].Add(new Finding(Classes.GeneratedCodeError, "emit", string.Join("\n", errors.Take(5))));
            }

            return new LoadedBatch { Findings = findings, Types = types, GeneratedSources = sources };
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext("RandomPrograms", isCollectible: true);
        Assembly assembly = context.LoadFromStream(stream);
        foreach (var p in clean)
        {
            types[p] = assembly.GetType(p.ClassName, throwOnError: true)!;
        }

        return new LoadedBatch { Findings = findings, Types = types, GeneratedSources = sources, Context = context };
    }

    private static LoadedBatch Fail(IReadOnlyList<Prog> progs, Dictionary<Prog, List<Finding>> findings, string cls, string key, string message)
    {
        foreach (var p in progs)
        {
            findings[p].Add(new Finding(cls, key, message));
        }

        return new LoadedBatch { Findings = findings, Types = [], GeneratedSources = [] };
    }

    /// <summary>"P12" from "P12.cs" or ".../P12.F.g.cs".</summary>
    private static string ClassOf(string path)
    {
        string file = Path.GetFileName(path);
        int dot = file.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? file : file[..dot];
    }

    private static Prog? Owner(Diagnostic d, Dictionary<string, Prog> byClass)
    {
        string? path = d.Location.SourceTree?.FilePath ?? (d.Location.Kind == LocationKind.ExternalFile ? d.Location.GetLineSpan().Path : null);
        return path is not null && byClass.TryGetValue(ClassOf(path), out var p) ? p : null;
    }
}
