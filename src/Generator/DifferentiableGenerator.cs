using AutoHypergrad.Generator.Emit;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Parsing;
using AutoHypergrad.Generator.Passes;
using AutoHypergrad.Generator.Rules;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoHypergrad.Generator;

/// <summary>
/// Adds the tangent (forward mode) and adjoint (reverse mode) of every method marked [Differentiable].
/// Pipeline: find the methods → parse each into the IR (values only) → differentiate → emit C#;
/// diagnostics are reported from their own output, so that #pragma warning disable applies to them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                MethodParser.Parse)
            .WithTrackingName(TrackingNames.Parse)
            // A double [OptimizerStep] without a float overload has a float twin, differentiated as a method of its own.
            .SelectMany(static (result, _) => result.FloatTwin is { } twin
                ? EquatableArray.Of(result with { FloatTwin = null }, new ParseResult(twin, EquatableArray<Diagnostics.DiagnosticInfo>.Empty, result.Key + "(float twin)"))
                : EquatableArray.Of(result));

        // Hand-written derivatives: [DerivativeOf] methods in this compilation and in referenced assemblies.
        var sourceDerivatives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CustomDerivatives.DerivativeOfAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                CustomDerivatives.FromSource)
            .Where(static method => method is not null)
            .Collect();
        var referencedDerivatives = context.CompilationProvider
            .Select(CustomDerivatives.FromReferences);
        var registry = sourceDerivatives
            .Combine(referencedDerivatives)
            .Select(static (pair, _) => new DerivativeRegistry(pair.Left.Select(m => m!).Concat(pair.Right).ToEquatableArray()))
            .WithTrackingName(TrackingNames.Registry);

        var differentiatedAlone = parsed
            .Combine(registry)
            .Select(static (pair, _) => Differentiator.Run(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Differentiate);

        // A caller of a [Differentiable] method that has errors gets no code (it would call derivatives that do not
        // exist) and an AHG0015 instead.
        var failed = differentiatedAlone.Collect().Select(static (results, _) => CalleeFailures.Failed(results));
        var differentiated = differentiatedAlone
            .Combine(failed)
            .Select(static (pair, _) => CalleeFailures.Apply(pair.Left, pair.Right));

        var emitted = differentiated
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => CSharpEmitter.TryEmit(result.Model!))
            .WithTrackingName(TrackingNames.Emit);

        context.RegisterSourceOutput(emitted, AddOutput);

        // CUDA C for the methods with span drivers, from the same scalar methods, in a file of its own.
        var cuda = differentiated
            .Where(static result => result.Model is { Drivers.Count: > 0 })
            .Select(static (result, _) => CudaEmitter.TryEmit(result.Model!))
            .WithTrackingName(TrackingNames.EmitCuda);

        context.RegisterSourceOutput(cuda, AddOutput);

        // [OptimizerStep] or [Objective] on a method that is not [Differentiable]: AHG0017 rather than nothing.
        var notDifferentiable = context.SyntaxProvider
            .ForAttributeWithMetadataName(SymbolNames.OptimizerStepAttribute, static (node, _) => node is MethodDeclarationSyntax, RequiresDifferentiable.OptimizerStep)
            .Collect()
            .Combine(context.SyntaxProvider
                .ForAttributeWithMetadataName(SymbolNames.ObjectiveAttribute, static (node, _) => node is MethodDeclarationSyntax, RequiresDifferentiable.Objective)
                .Collect())
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).Where(static d => d is not null).Select(static d => d!).ToEquatableArray())
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(notDifferentiable, static (context, pair) => Report(context, pair.Left, pair.Right));

        // Diagnostics are placed in their syntax tree, where #pragma warning disable applies; the compilation joins
        // the pipeline only here, after every cached step.
        var diagnostics = differentiated
            .Select(static (result, _) => result.Diagnostics)
            .Where(static diagnostics => diagnostics.Count > 0)
            .Combine(context.CompilationProvider);

        context.RegisterSourceOutput(diagnostics, static (context, pair) => Report(context, pair.Left, pair.Right));
    }

    /// <summary>Reports <paramref name="infos"/>, each in its syntax tree of <paramref name="compilation"/>.</summary>
    private static void Report(SourceProductionContext context, EquatableArray<Diagnostics.DiagnosticInfo> infos, Compilation compilation)
    {
        foreach (var info in infos)
        {
            context.ReportDiagnostic(info.ToDiagnostic(compilation));
        }
    }

    /// <summary>An emitter's file and its diagnostic, if any.</summary>
    private static void AddOutput(SourceProductionContext context, EmitResult result)
    {
        if (result.Source is { } source)
        {
            context.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        }

        if (result.Error is { } error)
        {
            context.ReportDiagnostic(error.ToDiagnostic());
        }
    }
}
