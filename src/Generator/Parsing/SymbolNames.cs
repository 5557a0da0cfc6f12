using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>Fully qualified metadata names the parser recognises.</summary>
internal static class SymbolNames
{
    public const string DifferentiableAttribute = "AutoHypergrad.DifferentiableAttribute";
    public const string NoDiffAttribute = "AutoHypergrad.NoDiffAttribute";
    public const string HyperAttribute = "AutoHypergrad.HyperAttribute";
    public const string PerElementAttribute = "AutoHypergrad.PerElementAttribute";
    public const string OptimizerStepAttribute = "AutoHypergrad.OptimizerStepAttribute";
    public const string ObjectiveAttribute = "AutoHypergrad.ObjectiveAttribute";

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
}
