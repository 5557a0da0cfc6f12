using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Builds linear forms, the expressions in tangent leaves (δv) that the derivative rules return.
/// A null form is the zero form: zero terms are dropped symbolically, as in every source-transformation AD tool,
/// so an inactive operand costs nothing and never turns a finite derivative into NaN.
/// </summary>
internal static class LinearForms
{
    public static Expr? Add(Expr? left, Expr? right)
        => left is null ? right
         : right is null ? left
         : right is Unary { Op: UnaryOp.Negate } negated ? new Binary(BinaryOp.Subtract, left, negated.Operand, IrType.Promote(left.Type, right.Type))
         : new Binary(BinaryOp.Add, left, right, IrType.Promote(left.Type, right.Type));

    public static Expr? Subtract(Expr? left, Expr? right)
        => right is null ? left
         : left is null ? Negate(right)
         : new Binary(BinaryOp.Subtract, left, right, IrType.Promote(left.Type, right.Type));

    public static Expr? Negate(Expr? form)
        => form switch
        {
            null => null,
            Unary { Op: UnaryOp.Negate } negated => negated.Operand,
            _ => new Unary(UnaryOp.Negate, form, form.Type),
        };

    /// <summary>The form times a coefficient that holds no tangent.</summary>
    public static Expr? Scale(Expr? form, Expr coefficient)
        => form is null ? null
         : IsOne(coefficient) ? form
         : new Binary(BinaryOp.Multiply, form, coefficient, IrType.Promote(form.Type, coefficient.Type));

    /// <summary>The form times a coefficient that may be infinite, with 0 · ∞ = 0 (<see cref="ZeroSafeProduct"/>).</summary>
    public static Expr? ZeroSafeScale(Expr? form, Expr coefficient)
        => form is null ? null : new ZeroSafeProduct(form, coefficient, IrType.Promote(form.Type, coefficient.Type));

    /// <summary>
    /// <paramref name="value"/> · <paramref name="coefficient"/>, or zero where <paramref name="value"/> is zero: the
    /// lowered <see cref="ZeroSafeProduct"/>. <paramref name="value"/> is read twice, so it must be a name or a literal.
    /// </summary>
    public static Expr ZeroSafeMultiply(Expr value, Expr coefficient, IrType type)
        => IsZero(value) ? Literal.Zero(type) : new Conditional(
            new Binary(BinaryOp.Equal, value, Literal.Zero(value.Type), IrType.Bool),
            Literal.Zero(type),
            new Binary(BinaryOp.Multiply, value, coefficient, type),
            type);

    /// <summary>A coefficient times the form, kept in that order where the source had it so.</summary>
    public static Expr? ScaleLeft(Expr coefficient, Expr? form)
        => form is null ? null
         : IsOne(coefficient) ? form
         : new Binary(BinaryOp.Multiply, coefficient, form, IrType.Promote(form.Type, coefficient.Type));

    public static Expr? Divide(Expr? form, Expr divisor)
        => form is null ? null : new Binary(BinaryOp.Divide, form, divisor, IrType.Promote(form.Type, divisor.Type));

    public static Expr? Convert(Expr? form, IrType type)
        => form is null || form.Type == type ? form : new Cast(form, type);

    /// <summary>Selects between two forms; a zero branch becomes an explicit zero of the form's type.</summary>
    public static Expr? Select(Expr condition, Expr? whenTrue, Expr? whenFalse, IrType type)
        => whenTrue is null && whenFalse is null
            ? null
            : new Conditional(condition, whenTrue ?? Literal.Zero(type), whenFalse ?? Literal.Zero(type), type);

    public static bool IsOne(Expr expression) => expression is Literal { Value: 1 } literal && literal.Type.IsReal;

    public static bool IsZero(Expr expression) => expression is Literal { Value: 0 };

    /// <summary>Whether an expression holds a tangent leaf, that is, depends linearly on tangents.</summary>
    public static bool IsLinear(Expr expression) => IrWalker.Any(expression, e => e is TangentRef or TangentElement);
}
