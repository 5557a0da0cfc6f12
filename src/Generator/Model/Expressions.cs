using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>
/// An expression of the differentiable subset. The same tree is read by every pass and printed by every emitter;
/// linear forms built by the derivative rules are expressions too, with <see cref="TangentRef"/> leaves.
/// </summary>
internal abstract record Expr(IrType Type);

/// <summary>A numeric or boolean constant.</summary>
internal sealed record Literal(double Value, IrType Type) : Expr(Type)
{
    public static Literal Zero(IrType type) => new(0, type);

    public static Literal One(IrType type) => new(1, type);
}

/// <summary>A parameter or local variable.</summary>
internal sealed record VarRef(string Name, IrType Type) : Expr(Type);

/// <summary>
/// The tangent δv of variable <paramref name="Name"/>: a leaf of a linear form. The tangent pass replaces it
/// with the tangent variable; the adjoint pass transposes the form that holds it.
/// </summary>
internal sealed record TangentRef(string Name, IrType Type) : Expr(Type);

/// <summary>Element <c>Index</c> of span or array <c>Collection</c>.</summary>
internal sealed record ElementAccess(string Collection, Expr Index, IrType Type) : Expr(Type);

/// <summary>The tangent of element <c>Index</c> of <c>Collection</c>: a leaf of a linear form, like <see cref="TangentRef"/>.</summary>
internal sealed record TangentElement(string Collection, Expr Index, IrType Type) : Expr(Type);

/// <summary><c>Collection.Length</c>.</summary>
internal sealed record LengthOf(string Collection) : Expr(IrType.Int);

/// <summary>A new zeroed collection: <c>stackalloc T[Length]</c> (a span) or <c>new T[Length]</c> (an array).</summary>
internal sealed record NewCollection(Expr Length, IrType Type) : Expr(Type);

/// <summary>
/// No collection yet: the initial value of a span or array local declared before the block that allocates it
/// (<c>null!</c> for an array; <c>default</c>, with the local <c>scoped</c>, for a span, so a stackalloc may follow).
/// </summary>
internal sealed record Unallocated(IrType Type) : Expr(Type);

/// <summary>The value on top of a tape, removed (the reverse sweep's side of a push).</summary>
internal sealed record TapePop(string Tape, IrType Type) : Expr(Type);

/// <summary>The value of the operation being linearized, before it has a name (see the derivative rules).</summary>
internal sealed record ResultRef(IrType Type) : Expr(Type);

internal enum UnaryOp
{
    Negate,
    Not,
}

internal sealed record Unary(UnaryOp Op, Expr Operand, IrType Type) : Expr(Type);

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right, IrType Type) : Expr(Type);

/// <summary><c>Condition ? WhenTrue : WhenFalse</c>; only the branch taken is evaluated.</summary>
internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse, IrType Type) : Expr(Type);

/// <summary>An explicit or implicit numeric conversion to <see cref="Expr.Type"/>.</summary>
/// <summary>
/// <c>Form · Coefficient</c> with 0 · anything = 0: a linear form only (the derivative rules build it), for a
/// coefficient that is infinite where the function is not differentiable, as √'s 1/(2√x) at 0. Where the tangent or
/// adjoint it scales is exactly zero the product is zero instead of NaN: the derivative along a direction that does
/// not move the operand. The tangent and adjoint passes lower it to a <see cref="Conditional"/>, so no emitter sees it.
/// </summary>
internal sealed record ZeroSafeProduct(Expr Form, Expr Coefficient, IrType Type) : Expr(Type);

internal sealed record Cast(Expr Operand, IrType Type) : Expr(Type);

internal enum Intrinsic
{
    Sqrt,
    Exp,
    Log,
    Pow,
    Abs,
    Max,
    Min,
    Tanh,
    Sin,
    Cos,
    Sign,
    FusedMultiplyAdd,
    Clamp,
}

/// <summary>A call to a Math/MathF function with a known derivative rule.</summary>
internal sealed record IntrinsicCall(Intrinsic Function, EquatableArray<Expr> Arguments, IrType Type) : Expr(Type);

internal enum PassingMode
{
    Value,
    Ref,
    In,
    Out,
}

/// <summary>A parameter of a [Differentiable] method as seen from a caller.</summary>
internal sealed record CalleeParameter(IrType Type, PassingMode Mode, bool IsActive);

/// <summary>How the derivatives of a called method are known.</summary>
internal enum CalleeKind
{
    /// <summary>It is [Differentiable]: the generator writes its {Name}Tangent and {Name}Adjoint.</summary>
    Differentiable,

    /// <summary>Hand-written derivatives registered with [DerivativeOf].</summary>
    Custom,

    /// <summary>Not known yet: the parser leaves it for the registry of [DerivativeOf] methods.</summary>
    Unresolved,
}

/// <summary>
/// A called method: enough to call its primal, tangent and adjoint. <c>Key</c> ("Namespace.Type.Method") finds
/// hand-written derivatives; <c>DerivativeType</c> holds them, or the method's own type for a [Differentiable] one.
/// <c>Directional</c>: the callee is the tangent part of the method, a function of its inputs and their tangents
/// (<c>Parameters</c> lists each active one followed by its tangent), as second order differentiates it: its primal
/// is <c>{Name}Tangent(…).Tangent</c> and its adjoint <c>{Name}TangentAdjoint</c> (<c>TangentAdjointName</c> for
/// hand-written derivatives). <c>TypeArguments</c>: a generic method's, as written in the call
/// (<c>&lt;double&gt;</c>), so that no call in generated code depends on type inference (C# 13 infers no T from
/// a <c>double[]</c> for a <c>ReadOnlySpan&lt;T&gt;</c>); <c>DerivativeTypeArguments</c>: the same for hand-written
/// derivatives that are generic in the same way.
/// </summary>
internal sealed record Callee(
    string TypeName,
    string Name,
    EquatableArray<CalleeParameter> Parameters,
    IrType ReturnType,
    CalleeKind Kind = CalleeKind.Differentiable,
    string Key = "",
    string? DerivativeType = null,
    string? TangentName = null,
    string? AdjointName = null,
    Helpers.LocationInfo? Location = null,
    bool Directional = false,
    string? TangentAdjointName = null,
    string TypeArguments = "",
    string DerivativeTypeArguments = "");

internal enum CallVariant
{
    Primal,
    Tangent,
    Adjoint,
}

/// <summary>An argument; <c>ReadOnly</c>: a span or array the callee is known not to write (second order's calls).</summary>
internal sealed record Argument(Expr Value, PassingMode Mode, bool ReadOnly = false);

/// <summary>A call to a [Differentiable] method (<see cref="CallVariant.Primal"/>) or to one of its generated derivatives.</summary>
internal sealed record Call(Callee Callee, CallVariant Variant, EquatableArray<Argument> Arguments, IrType Type) : Expr(Type);

/// <summary>A tuple, as returned by a tangent method.</summary>
internal sealed record TupleLiteral(EquatableArray<Expr> Items, IrType Type) : Expr(Type);
