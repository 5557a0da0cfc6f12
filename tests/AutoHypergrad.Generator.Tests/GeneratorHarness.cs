using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoHypergrad.Generator.Tests;

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorRun(
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriver Driver,
    GeneratorRunResult Result,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> OutputCompilationDiagnostics)
{
    /// <summary>The generator diagnostics that are not suppressed (e.g. by <c>#pragma warning disable</c>).</summary>
    public ImmutableArray<Diagnostic> ActiveGeneratorDiagnostics
        => GeneratorDiagnostics.Where(d => !d.IsSuppressed).ToImmutableArray();

    /// <summary>Errors and warnings of the output compilation (the input plus the generated code).</summary>
    public ImmutableArray<Diagnostic> OutputErrorsAndWarnings
        => OutputCompilationDiagnostics
            .Where(d => !d.IsSuppressed && d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .ToImmutableArray();

    /// <summary>The generated source with the given hint name.</summary>
    public string Source(string hintName)
    {
        var match = GeneratedSources.Where(s => s.HintName == hintName).ToList();
        if (match.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected one generated file '{hintName}', found: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
        }

        return match[0].SourceText.ToString();
    }

    /// <summary>Whether a generated file is the CUDA C of a method (<c>{Type}.{Method}.Cuda.g.cs</c>).</summary>
    public static bool IsCuda(string hintName) => hintName.EndsWith(".Cuda.g.cs", StringComparison.Ordinal);

    /// <summary>
    /// All generated C# files, ordered by hint name, each under a header line; the snapshot form. The CUDA files are
    /// left out: CudaSnapshotTests has them, so that a change to the CUDA emitter does not touch every C# snapshot.
    /// </summary>
    public string AllSources()
    {
        var sb = new StringBuilder();
        foreach (var source in GeneratedSources.Where(s => !IsCuda(s.HintName)).OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            sb.Append("//------ ").Append(source.HintName).Append(" ------\n");
            sb.Append(Snapshot.NormalizeLineEndings(source.SourceText.ToString()));
            if (sb[^1] != '\n')
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics.ToList();
        return list.Count == 0 ? "(none)" : string.Join(Environment.NewLine, list.Select(d => d.ToString()));
    }
}

/// <summary>Builds a compilation from source text and runs <see cref="DifferentiableGenerator"/> on it.</summary>
public static class GeneratorHarness
{
    public const string DefaultPath = "Input.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The framework assemblies (from TRUSTED_PLATFORM_ASSEMBLIES) and the AutoHypergrad runtime.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithAllowUnsafe(false);

    public static SyntaxTree Parse(string source, string path = DefaultPath)
        => CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8);

    public static CSharpCompilation CreateCompilation(params SyntaxTree[] trees)
        => CSharpCompilation.Create("GeneratorTestInput", trees, References, CompilationOptions);

    public static CSharpCompilation CreateCompilation(string source, string path = DefaultPath)
        => CreateCompilation(Parse(source, path));

    public static GeneratorDriver CreateDriver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            new ISourceGenerator[] { new DifferentiableGenerator().AsSourceGenerator() },
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(string source, string path = DefaultPath)
        => Run(CreateCompilation(source, path));

    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var runResult = driver.GetRunResult();
        var result = Assert1(runResult.Results);
        return new GeneratorRun(
            compilation,
            output,
            driver,
            result,
            result.GeneratedSources,
            diagnostics,
            output.GetDiagnostics());
    }

    /// <summary>
    /// Runs the generator on valid input and requires: no generator exception, no generator diagnostics,
    /// and an output compilation with no errors or warnings.
    /// </summary>
    public static GeneratorRun RunValid(string source)
    {
        var inputErrors = CreateCompilation(source).GetDiagnostics()
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning && !IsMissingGeneratedMember(d))
            .ToList();
        if (inputErrors.Count > 0)
        {
            throw new InvalidOperationException("The test input itself does not compile cleanly:\n" + GeneratorRun.Describe(inputErrors));
        }

        var run = Run(source);
        if (run.Result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw: " + run.Result.Exception);
        }

        if (!run.GeneratorDiagnostics.IsEmpty)
        {
            throw new InvalidOperationException(
                "Valid input produced generator diagnostics:\n" + GeneratorRun.Describe(run.GeneratorDiagnostics));
        }

        if (!run.OutputErrorsAndWarnings.IsEmpty)
        {
            throw new InvalidOperationException(
                "The generated code does not compile cleanly:\n" + GeneratorRun.Describe(run.OutputErrorsAndWarnings)
                + "\n\nGenerated:\n" + run.AllSources());
        }

        return run;
    }

    /// <summary>Input that calls a generated Tangent/Adjoint method cannot bind before generation.</summary>
    private static bool IsMissingGeneratedMember(Diagnostic d)
        => d.Id is "CS0103" or "CS0117" && (d.GetMessage().Contains("Tangent", StringComparison.Ordinal)
                                            || d.GetMessage().Contains("Adjoint", StringComparison.Ordinal));

    private static GeneratorRunResult Assert1(ImmutableArray<GeneratorRunResult> results)
    {
        if (results.Length != 1)
        {
            throw new InvalidOperationException($"Expected one generator result, got {results.Length}.");
        }

        return results[0];
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // No Basic.Reference.Assemblies here: use the running framework's own assemblies (the directory
        // that holds System.Private.CoreLib), which is the framework the tests and the runtime target.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        var paths = tpa
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.OrdinalIgnoreCase))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(IsManagedAssembly)
            .ToList();
        if (paths.Count == 0)
        {
            throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES yielded no framework assemblies.");
        }

        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);

        // TensorPrimitives, whose derivatives the runtime provides.
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);
        return paths
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.HasMetadata && System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader).IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
