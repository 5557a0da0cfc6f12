using System.Collections.Generic;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using static AutoHypergrad.Generator.Passes.LinearForms;

namespace AutoHypergrad.Generator.Rules;

/// <summary>
/// The derivative of every elementary function, written once as a linearization: given the operands' values x
/// and linear forms δx, the linear form of the result. The tangent pass evaluates these forms; the adjoint pass
/// transposes them. The result's own value is <see cref="ResultRef"/>, bound to a name by the linearizer.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>
    /// Whether the rule reads operand values or tangents more than once (which must then be evaluated once, into a
    /// name): √'s zero-safe product reads its operand's tangent twice.
    /// </summary>
    public static bool ReadsOperands(Intrinsic function)
        => function is not (Intrinsic.Exp or Intrinsic.Tanh);

    public static Expr? Linearize(Intrinsic function, IReadOnlyList<Expr> x, IReadOnlyList<Expr?> dx, IrType type)
    {
        var y = new ResultRef(type);
        switch (function)
        {
            case Intrinsic.Sqrt:
                // d√x = dx · 0.5 / √x, and 0 where dx = 0: at x = 0 the coefficient is ∞, and a direction that does not
                // move x (Adam's v̂ of a weight whose gradient has always been 0) must not make the derivative NaN.
                return ZeroSafeScale(dx[0], new Binary(BinaryOp.Divide, Constant(0.5, type), y, type));
            case Intrinsic.Exp: // d eˣ = dx · eˣ
                return Scale(dx[0], y);
            case Intrinsic.Log: // d ln x = dx / x
                return Divide(dx[0], x[0]);
            case Intrinsic.Pow: // d aᵇ = da · b·aᵇ⁻¹ + db · aᵇ·ln a
                return Add(
                    Scale(dx[0], new Binary(BinaryOp.Multiply, x[1], Call(Intrinsic.Pow, type, x[0], new Binary(BinaryOp.Subtract, x[1], Constant(1, type), type)), type)),
                    Scale(dx[1], new Binary(BinaryOp.Multiply, y, Call(Intrinsic.Log, type, x[0]), type)));
            case Intrinsic.Abs: // d|x| = sign(x) dx, with +1 at 0
                return Select(Less(x[0], Constant(0, x[0].Type)), Negate(dx[0]), dx[0], type);
            case Intrinsic.Max: // the derivative of the operand selected
                return Select(new Binary(BinaryOp.GreaterOrEqual, x[0], x[1], IrType.Bool), dx[0], dx[1], type);
            case Intrinsic.Min:
                return Select(new Binary(BinaryOp.LessOrEqual, x[0], x[1], IrType.Bool), dx[0], dx[1], type);
            case Intrinsic.Tanh: // d tanh x = dx · (1 − tanh²x)
                return Scale(dx[0], new Binary(BinaryOp.Subtract, Constant(1, type), new Binary(BinaryOp.Multiply, y, y, type), type));
            case Intrinsic.Sin:
                return Scale(dx[0], Call(Intrinsic.Cos, type, x[0]));
            case Intrinsic.Cos:
                return Negate(Scale(dx[0], Call(Intrinsic.Sin, type, x[0])));
            case Intrinsic.FusedMultiplyAdd: // d(a·b + c) = da·b + a·db + dc
                return Add(Add(Scale(dx[0], x[1]), ScaleLeft(x[0], dx[1])), dx[2]);
            case Intrinsic.Clamp: // Math.Clamp(x, lo, hi) is lo if x < lo, hi if x > hi, else x
                return Select(Less(x[0], x[1]), dx[1], Select(new Binary(BinaryOp.Greater, x[0], x[2], IrType.Bool), dx[2], dx[0], type), type);
            case Intrinsic.Sign: // piecewise constant
                return null;
            default:
                throw new System.NotSupportedException("No derivative rule for " + function);
        }
    }

    private static Expr Constant(double value, IrType type) => new Literal(value, type);

    private static Expr Less(Expr left, Expr right) => new Binary(BinaryOp.Less, left, right, IrType.Bool);

    private static Expr Call(Intrinsic function, IrType type, params Expr[] arguments)
        => new IntrinsicCall(function, EquatableArray.Of(arguments), type);
}
