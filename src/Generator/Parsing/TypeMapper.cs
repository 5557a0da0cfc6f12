using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>Maps Roslyn types to IR types.</summary>
internal static class TypeMapper
{
    public static IrType Map(ITypeSymbol? type)
    {
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

    /// <summary>Types a value of the differentiable subset may have: reals, integers (counters) and booleans.</summary>
    public static bool IsSupportedValueType(IrType type)
        => type.IsReal || type.Kind is ScalarKind.Integer or ScalarKind.Bool;

    public static PassingMode? Mode(RefKind refKind) => refKind switch
    {
        RefKind.None => PassingMode.Value,
        RefKind.Ref => PassingMode.Ref,
        RefKind.In => PassingMode.In,
        _ => null,
    };
}
