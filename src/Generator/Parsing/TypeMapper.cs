using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>Maps Roslyn types to IR types.</summary>
internal static class TypeMapper
{
    public static IrType Map(ITypeSymbol? type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array && Map(array.ElementType) is { Shape: TypeShape.Scalar } arrayElement && IsElementType(arrayElement))
        {
            return IrType.Collection(TypeShape.Array, arrayElement);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name is "Span" or "ReadOnlySpan"
            && Map(named.TypeArguments[0]) is var spanElement && IsElementType(spanElement))
        {
            return IrType.Collection(named.Name == "Span" ? TypeShape.Span : TypeShape.ReadOnlySpan, spanElement);
        }

        switch (type?.SpecialType)
        {
            case SpecialType.System_Single: return IrType.Float;
            case SpecialType.System_Double: return IrType.Double;
            case SpecialType.System_Boolean: return IrType.Bool;
            case SpecialType.System_Void: return IrType.Void;
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return new IrType(ScalarKind.Integer, type!.ToDisplayString());
            default:
                return new IrType(ScalarKind.Other, type is null ? "?" : SymbolNames.FullyQualified(type));
        }
    }

    /// <summary>
    /// Types a value of the differentiable subset may have: reals, integers (counters) and booleans, and spans and
    /// arrays of reals and integers.
    /// </summary>
    public static bool IsSupportedValueType(IrType type)
        => type.Shape == TypeShape.Scalar ? IsElementType(type) || type.Kind == ScalarKind.Bool : IsElementType(type.Element);

    private static bool IsElementType(IrType type) => type.IsReal || type.Kind == ScalarKind.Integer;

    public static PassingMode? Mode(RefKind refKind) => refKind switch
    {
        RefKind.None => PassingMode.Value,
        RefKind.Ref => PassingMode.Ref,
        RefKind.In => PassingMode.In,
        RefKind.Out => PassingMode.Out,
        _ => null,
    };
}
