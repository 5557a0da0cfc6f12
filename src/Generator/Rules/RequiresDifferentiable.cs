using System.Threading;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoHypergrad.Generator.Rules;

/// <summary>
/// [OptimizerStep] and [Objective] say what to write from a [Differentiable] method's derivatives (the vectorized steps
/// and the optimizer factory; the objective type). On a method without [Differentiable] they would silently give
/// nothing, so they give AHG0017 at the method's name instead.
/// </summary>
internal static class RequiresDifferentiable
{
    /// <summary>AHG0017 for an [OptimizerStep] method that is not [Differentiable]; null for one that is.</summary>
    public static DiagnosticInfo? OptimizerStep(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => Check(context, "OptimizerStep", "vectorized steps and optimizer factory", "Differentiable");

    /// <summary>AHG0017 for an [Objective] method that is not [Differentiable]; null for one that is.</summary>
    public static DiagnosticInfo? Objective(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => Check(context, "Objective", "objective type", "Differentiable(Order = 2)");

    private static DiagnosticInfo? Check(GeneratorAttributeSyntaxContext context, string attribute, string generated, string fix)
        => SymbolNames.HasAttribute(context.TargetSymbol, SymbolNames.DifferentiableAttribute)
            ? null
            : DiagnosticInfo.Create(
                DiagnosticDescriptors.NotDifferentiable,
                LocationInfo.From(((MethodDeclarationSyntax)context.TargetNode).Identifier.GetLocation()),
                context.TargetSymbol.Name,
                attribute,
                generated,
                fix);
}
