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

/// <summary>The type of an IR value: its kind and its C# spelling (<c>long</c> and <c>int</c> are both integers).</summary>
internal readonly record struct IrType(ScalarKind Kind, string Name)
{
    public static readonly IrType Float = new(ScalarKind.Float, "float");
    public static readonly IrType Double = new(ScalarKind.Double, "double");
    public static readonly IrType Int = new(ScalarKind.Integer, "int");
    public static readonly IrType Bool = new(ScalarKind.Bool, "bool");
    public static readonly IrType Void = new(ScalarKind.Void, "void");

    /// <summary>float or double: the types that carry derivatives.</summary>
    public bool IsReal => Kind is ScalarKind.Float or ScalarKind.Double;

    public override string ToString() => Name;

    /// <summary>The type of a binary arithmetic result under C#'s numeric promotion, for real operands.</summary>
    public static IrType Promote(IrType left, IrType right)
        => left.Kind == ScalarKind.Double || right.Kind == ScalarKind.Double ? Double
         : left.Kind == ScalarKind.Float || right.Kind == ScalarKind.Float ? Float
         : left;
}
