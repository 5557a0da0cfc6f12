using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// How the adjoint's accumulations <c>xBar = xBar + share</c> are written. The JIT keeps every floating-point
/// operation as written, so two forms are chosen here:
/// <list type="bullet">
/// <item>Most adjoints are zero until their first share: locals declared zero, and adjoints reset to zero where their
/// variable is overwritten. Where a variable is known to hold +0 (a forward scan: declared or assigned the literal 0,
/// not written since on any path), its accumulation becomes <c>xBar = share</c>, marked
/// <see cref="Assign.FromZero"/>. 0 + share is share except for share = −0, where it is +0: the rewrite changes at
/// most the sign of an adjoint that is exactly zero, which no adjoint statement turns into a different nonzero
/// value (adjoints are only added and multiplied, a zero-safe product tests for zero, true for either sign, and
/// nothing divides by an adjoint).</item>
/// <item>Any other accumulation of a product, <c>xBar + a·b</c> (or <c>xBar + −(a·b)</c>), becomes one fused
/// multiply-add, <c>fma(a, b, xBar)</c>: one rounding instead of two, so the adjoint is as accurate or more, and one
/// instruction instead of two. Only the adjoints are fused: the primal values the forward sweep recomputes keep the
/// source's operations, and so its bits.</item>
/// </list>
/// </summary>
internal static class AccumulationForms
{
    /// <summary>Rewrites the accumulations into <paramref name="adjoints"/>; the primal's own stay as the source wrote them.</summary>
    public static GeneratedMethod Run(HashSet<string> adjoints, GeneratedMethod method)
    {
        var body = Scan(method.Body.Statements, new HashSet<string>(), adjoints);
        return method with { Body = new Block(body.ToEquatableArray()) };
    }

    /// <summary>Rewrites the statements given the variables that are +0 on entry; leaves those that are +0 on exit.</summary>
    private static List<Stmt> Scan(IEnumerable<Stmt> statements, HashSet<string> zero, HashSet<string> adjoints)
    {
        var output = new List<Stmt>();
        foreach (var statement in statements)
        {
            // A call may write a variable passed by ref or out, in any statement's expression.
            zero.ExceptWith(PassedByReference(statement));

            switch (statement)
            {
                case Declare d:
                    Track(zero, d.Name, d.Type, d.Init);
                    output.Add(d);
                    break;
                case Assign a when adjoints.Contains(a.Target) && Share(a) is { } share:
                    output.Add(zero.Remove(a.Target) ? a with { Value = share, FromZero = true } : Fused(a, share));
                    break;
                case Assign a:
                    Track(zero, a.Target, a.Value.Type, a.Value);
                    output.Add(a);
                    break;
                case TupleAssign t:
                    zero.ExceptWith(t.Targets);
                    output.Add(t);
                    break;
                case If i:
                {
                    var afterElse = new HashSet<string>(zero);
                    var then = Scan(i.Then.Statements, zero, adjoints);
                    var @else = Scan(i.Else.Statements, afterElse, adjoints);
                    zero.IntersectWith(afterElse);
                    output.Add(i with { Then = ToBlock(then), Else = ToBlock(@else) });
                    break;
                }

                case Loop l:
                {
                    // What the loop writes is zero on the first iteration at most: not known in the loop or after it.
                    var written = new HashSet<string>();
                    CollectWritten(l.Body.Statements.Concat(l.Step.Statements), written);
                    zero.ExceptWith(written);
                    var inside = new HashSet<string>(zero);
                    var body = Scan(l.Body.Statements, inside, adjoints);
                    var step = Scan(l.Step.Statements, new HashSet<string>(zero), adjoints);
                    output.Add(l with { Body = ToBlock(body), Step = ToBlock(step) });
                    break;
                }

                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    /// <summary>The share of <c>x = x + share</c> when x is a floating-point scalar, or null.</summary>
    private static Expr? Share(Assign assign)
        => IsFloatingScalar(assign.Value.Type)
           && assign.Value is Binary { Op: BinaryOp.Add, Left: VarRef self } sum
           && self.Name == assign.Target
           ? sum.Right
           : null;

    /// <summary><c>x = x + a·b</c> (or <c>x + −(a·b)</c>) as <c>x = fma(a, b, x)</c>; any other accumulation as it is.</summary>
    private static Assign Fused(Assign accumulation, Expr share)
    {
        if (Product(share) is not var (left, right))
        {
            return accumulation;
        }

        var arguments = EquatableArray.Of(left, right, new VarRef(accumulation.Target, share.Type));
        return accumulation with { Value = new IntrinsicCall(Intrinsic.FusedMultiplyAdd, arguments, share.Type) };
    }

    /// <summary>The factors of a share a·b, or of −(a·b) as (−a)·b; or null.</summary>
    public static (Expr Left, Expr Right)? Product(Expr share)
    {
        var (product, negated) = share is Unary { Op: UnaryOp.Negate, Operand: var operand } ? (operand, true) : (share, false);
        if (product is not Binary { Op: BinaryOp.Multiply } multiply)
        {
            return null;
        }

        return (negated ? new Unary(UnaryOp.Negate, multiply.Left, multiply.Left.Type) : multiply.Left, multiply.Right);
    }

    /// <summary>The share of a fused accumulation <c>x = fma(a, b, x)</c> as the product a·b, or null.</summary>
    public static Binary? FusedShare(Assign assign)
        => assign.Value is IntrinsicCall { Function: Intrinsic.FusedMultiplyAdd } fma
           && fma.Arguments[2] is VarRef self && self.Name == assign.Target
           ? new Binary(BinaryOp.Multiply, fma.Arguments[0], fma.Arguments[1], fma.Type)
           : null;

    private static void Track(HashSet<string> zero, string name, IrType type, Expr? value)
    {
        if (IsFloatingScalar(type) && value is Literal literal && System.BitConverter.DoubleToInt64Bits(literal.Value) == 0)
        {
            zero.Add(name);
        }
        else
        {
            zero.Remove(name);
        }
    }

    private static bool IsFloatingScalar(IrType type) => type.Shape == TypeShape.Scalar && type.Kind is ScalarKind.Double or ScalarKind.Float;

    private static void CollectWritten(IEnumerable<Stmt> statements, HashSet<string> written)
    {
        foreach (var statement in statements)
        {
            written.UnionWith(PassedByReference(statement));
            switch (statement)
            {
                case Declare d:
                    written.Add(d.Name);
                    break;
                case Assign a:
                    written.Add(a.Target);
                    break;
                case TupleAssign t:
                    written.UnionWith(t.Targets);
                    break;
                case If i:
                    CollectWritten(i.Then.Statements.Concat(i.Else.Statements), written);
                    break;
                case Loop l:
                    CollectWritten(l.Body.Statements.Concat(l.Step.Statements), written);
                    break;
            }
        }
    }

    /// <summary>The variables the statement's calls take by ref or out (a derivative's call passes Bars so too).</summary>
    private static List<string> PassedByReference(Stmt statement)
    {
        var names = new List<string>();
        IrWalker.VisitExpressions(statement, e => IrWalker.Visit(e, inner =>
        {
            if (inner is Call call)
            {
                names.AddRange(call.Arguments.Where(a => a.Mode is PassingMode.Ref or PassingMode.Out && a.Value is VarRef).Select(a => ((VarRef)a.Value).Name));
            }
        }));
        return names;
    }

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
