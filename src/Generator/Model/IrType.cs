namespace AutoHypergrad.Generator.Model;

internal enum ScalarKind
{
    Float,
    Double,
    Integer,
    Bool,
    Void,
    Other,
}

/// <summary>A scalar, or a collection of scalars that is indexed and has a length.</summary>
internal enum TypeShape
{
    Scalar,
    Span,
    ReadOnlySpan,
    Array,
}

/// <summary>
/// The type of an IR value: its kind and its C# spelling (<c>long</c> and <c>int</c> are both integers). For a
/// span or array, <see cref="Kind"/> and <see cref="ElementName"/> describe the element.
/// </summary>
internal readonly record struct IrType(ScalarKind Kind, string Name, TypeShape Shape = TypeShape.Scalar, string? ElementName = null)
{
    public static readonly IrType Float = new(ScalarKind.Float, "float");
    public static readonly IrType Double = new(ScalarKind.Double, "double");
    public static readonly IrType Int = new(ScalarKind.Integer, "int");
    public static readonly IrType Bool = new(ScalarKind.Bool, "bool");
    public static readonly IrType Void = new(ScalarKind.Void, "void");

    /// <summary>float or double: the scalar types that carry derivatives.</summary>
    public bool IsReal => Shape == TypeShape.Scalar && Kind is ScalarKind.Float or ScalarKind.Double;

    public bool IsCollection => Shape != TypeShape.Scalar;

    /// <summary>A span or array of float or double: its elements carry derivatives.</summary>
    public bool IsRealCollection => IsCollection && Kind is ScalarKind.Float or ScalarKind.Double;

    /// <summary>Whether a value of this type carries derivatives, elementwise for collections.</summary>
    public bool CarriesDerivative => IsReal || IsRealCollection;

    /// <summary>The element type of a span or array.</summary>
    public IrType Element => new(Kind, ElementName ?? Name);

    public static IrType Collection(TypeShape shape, IrType element) => new(
        element.Kind,
        shape switch
        {
            TypeShape.Span => $"global::System.Span<{element.Name}>",
            TypeShape.ReadOnlySpan => $"global::System.ReadOnlySpan<{element.Name}>",
            _ => element.Name + "[]",
        },
        shape,
        element.Name);

    /// <summary>The same elements as a writable span.</summary>
    public IrType AsSpan => Collection(TypeShape.Span, Element);

    /// <summary>The same elements as a read-only span.</summary>
    public IrType AsReadOnlySpan => Collection(TypeShape.ReadOnlySpan, Element);

    public override string ToString() => Name;

    /// <summary>The type of a binary arithmetic result under C#'s numeric promotion, for real operands.</summary>
    public static IrType Promote(IrType left, IrType right)
        => left.Kind == ScalarKind.Double || right.Kind == ScalarKind.Double ? Double
         : left.Kind == ScalarKind.Float || right.Kind == ScalarKind.Float ? Float
         : left;
}
