using System.Globalization;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Emit;

/// <summary>Prints IR expressions as C#, with the parentheses precedence needs and every literal in the invariant culture.</summary>
internal static class CSharpSyntax
{
    internal const int ConditionalLevel = 1;
    internal const int LogicalOrLevel = 2;
    private const int LogicalAndLevel = 3;
    private const int EqualityLevel = 4;
    private const int RelationalLevel = 5;
    private const int AdditiveLevel = 6;
    private const int MultiplicativeLevel = 7;
    internal const int PrefixLevel = 8;
    internal const int PrimaryLevel = 9;

    public static string Print(Expr expression) => expression switch
    {
        Literal l => PrintLiteral(l),
        VarRef v => v.Name,
        Unary u => (u.Op == UnaryOp.Negate ? "-" : "!") + Operand(u.Operand, PrefixLevel, rightSide: true),
        Binary b => Operand(b.Left, Precedence(b), rightSide: false) + " " + OperatorText(b.Op) + " " + Operand(b.Right, Precedence(b), rightSide: true),
        Conditional c => Operand(c.Condition, ConditionalLevel, rightSide: true) + " ? " + Operand(c.WhenTrue, ConditionalLevel, rightSide: true) + " : " + Operand(c.WhenFalse, ConditionalLevel, rightSide: true),
        Cast c => "(" + c.Type.Name + ")" + Operand(c.Operand, PrefixLevel, rightSide: true),
        IntrinsicCall i => MathClass(i) + "." + i.Function + "(" + string.Join(", ", i.Arguments.Select(Print)) + ")",
        Call c => CallTarget(c) + "(" + string.Join(", ", c.Arguments.Select(PrintArgument)) + ")"
                  + (c.Callee.Directional && c.Variant == CallVariant.Primal ? ".Tangent" : ""),
        TupleLiteral t => "(" + string.Join(", ", t.Items.Select(Print)) + ")",
        ElementAccess a => a.Collection + "[" + Print(a.Index) + "]",
        LengthOf l => l.Collection + ".Length",
        NewCollection n => (n.Type.Shape == TypeShape.Array ? "new " : "stackalloc ") + n.Type.ElementName + "[" + Print(n.Length) + "]",
        Unallocated u => u.Type.Shape == TypeShape.Array ? "null!" : "default",
        TapePop p => p.Tape + ".Pop()",
        _ => throw new System.InvalidOperationException("Cannot print " + expression.GetType().Name),
    };

    public static string PrintArgument(Argument argument) => argument.Mode switch
    {
        PassingMode.Ref => "ref " + Print(argument.Value),
        PassingMode.Out => "out " + Print(argument.Value),
        // A value that is not a variable (a zero tangent, a constant, a conversion) goes to an in parameter without
        // the keyword, which C# allows only for variables: the callee reads a temporary.
        PassingMode.In when argument.Value is VarRef or ElementAccess => "in " + Print(argument.Value),
        _ => Print(argument.Value),
    };

    public static string ParameterModifier(PassingMode mode) => mode switch
    {
        PassingMode.Ref => "ref ",
        PassingMode.Out => "out ",
        PassingMode.In => "in ",
        _ => "",
    };

    public static string CallTarget(Call call)
    {
        var callee = call.Callee;
        if (callee.Directional)
        {
            // The tangent part of a method, as a function of its inputs and their tangents: its value is the
            // tangent's Tangent, its adjoint the TangentAdjoint.
            var tangentAdjoint = call.Variant == CallVariant.Adjoint;
            return callee.Kind == CalleeKind.Custom
                ? callee.DerivativeType + "." + (tangentAdjoint ? callee.TangentAdjointName : callee.TangentName) + callee.DerivativeTypeArguments
                : callee.TypeName + "." + callee.Name + (tangentAdjoint ? "TangentAdjoint" : "Tangent") + callee.TypeArguments;
        }

        if (call.Variant == CallVariant.Primal)
        {
            return callee.TypeName + "." + callee.Name + callee.TypeArguments;
        }

        if (callee.Kind == CalleeKind.Custom)
        {
            return callee.DerivativeType + "." + (call.Variant == CallVariant.Tangent ? callee.TangentName : callee.AdjointName) + callee.DerivativeTypeArguments;
        }

        return callee.TypeName + "." + callee.Name + (call.Variant == CallVariant.Tangent ? "Tangent" : "Adjoint") + callee.TypeArguments;
    }

    /// <summary>float functions from MathF (Clamp lives only on Math), the rest from Math.</summary>
    private static string MathClass(IntrinsicCall call)
        => call.Arguments[0].Type.Kind == ScalarKind.Float && call.Function != Intrinsic.Clamp ? "global::System.MathF" : "global::System.Math";

    /// <summary>
    /// An operand in parentheses where its precedence is lower than its context's, or equal on the right:
    /// floating-point addition is not associative, so <c>a + (b + c)</c> keeps its parentheses.
    /// </summary>
    private static string Operand(Expr operand, int context, bool rightSide)
    {
        var precedence = Precedence(operand);
        var text = Print(operand);
        return precedence < context || (rightSide && precedence == context) ? "(" + text + ")" : text;
    }

    /// <summary>The C# precedence level of an expression (C and C++ order these operators the same way).</summary>
    internal static int Precedence(Expr expression) => expression switch
    {
        Conditional => ConditionalLevel,
        Binary b => b.Op switch
        {
            BinaryOp.Or => LogicalOrLevel,
            BinaryOp.And => LogicalAndLevel,
            BinaryOp.Equal or BinaryOp.NotEqual => EqualityLevel,
            BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => RelationalLevel,
            BinaryOp.Add or BinaryOp.Subtract => AdditiveLevel,
            _ => MultiplicativeLevel,
        },
        Unary or Cast => PrefixLevel,
        Literal l when l.Value < 0 || double.IsNaN(l.Value) || double.IsInfinity(l.Value) => PrefixLevel,
        _ => PrimaryLevel,
    };

    /// <summary>The operator's symbol, the same in C#, C and C++.</summary>
    internal static string OperatorText(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Modulo => "%",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.And => "&&",
        _ => "||",
    };

    /// <summary>Round-trip literals: <c>1.5</c>, <c>1.0</c>, <c>0.1f</c>, <c>1E-08</c>, never <c>1,5</c>.</summary>
    public static string PrintLiteral(Literal literal)
    {
        var value = literal.Value;
        switch (literal.Type.Kind)
        {
            case ScalarKind.Bool:
                return value != 0 ? "true" : "false";
            case ScalarKind.Integer:
                return ((long)value).ToString(CultureInfo.InvariantCulture) + (literal.Type.Name is "long" or "ulong" ? "L" : "");
            case ScalarKind.Float:
            {
                var single = (float)value;
                if (float.IsNaN(single))
                {
                    return "float.NaN";
                }

                if (float.IsInfinity(single))
                {
                    return single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
                }

                return single.ToString("R", CultureInfo.InvariantCulture) + "f";
            }

            default:
            {
                if (double.IsNaN(value))
                {
                    return "double.NaN";
                }

                if (double.IsInfinity(value))
                {
                    return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
                }

                var text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
            }
        }
    }
}
