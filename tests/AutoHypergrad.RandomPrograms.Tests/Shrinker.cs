using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// One-step-smaller variants of a program, most aggressive first: a callee or a statement removed, a compound
/// statement replaced by its body, an else dropped, an expression replaced by a subexpression or a constant, a
/// parameter removed or made a plain value, a flag (Order = 2, [OptimizerStep]) dropped. Variants that are not plain C#
/// any more (a use of a removed local) are rejected by the compile, like the ones that do not fail the same way.
/// </summary>
public static class Shrinker
{
    public static IEnumerable<Prog> Variants(Prog p)
    {
        for (int i = 0; i < p.Callees.Length; i++)
        {
            yield return p with { Callees = p.Callees.RemoveAt(i) };
        }

        foreach (var v in MethodVariants(p.Main))
        {
            yield return p with { Main = v };
        }

        for (int i = 0; i < p.Callees.Length; i++)
        {
            foreach (var v in MethodVariants(p.Callees[i]))
            {
                yield return p with { Callees = p.Callees.SetItem(i, v) };
            }
        }

        if (p.Length > 1)
        {
            yield return p with { Length = 1 };
        }

        if (p.IntValue > 1)
        {
            yield return p with { IntValue = 1 };
        }
    }

    private static IEnumerable<Method> MethodVariants(Method m)
    {
        foreach (var b in BlockVariants(m.Body))
        {
            yield return m with { Body = b };
        }

        for (int i = 0; i < m.Params.Length; i++)
        {
            yield return m with { Params = m.Params.RemoveAt(i) };
        }

        if (m.Order == 2)
        {
            yield return m with { Order = 1 };
        }

        if (m.OptimizerStep)
        {
            yield return m with { OptimizerStep = false };
        }

        for (int i = 0; i < m.Params.Length; i++)
        {
            var q = m.Params[i];
            if (q.Kind is PKind.Hyper or PKind.NoDiff or PKind.In)
            {
                yield return m with { Params = m.Params.SetItem(i, q with { Kind = PKind.Value }) };
            }

            if (q.Kind is PKind.Span or PKind.Array)
            {
                yield return m with { Params = m.Params.SetItem(i, q with { Kind = PKind.ReadOnlySpan }) };
            }
        }
    }

    private static IEnumerable<ImmutableArray<Stmt>> BlockVariants(ImmutableArray<Stmt> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            yield return block.RemoveAt(i);
        }

        for (int i = 0; i < block.Length; i++)
        {
            foreach (var inner in Inline(block[i]))
            {
                yield return block.RemoveAt(i).InsertRange(i, inner);
            }
        }

        for (int i = 0; i < block.Length; i++)
        {
            foreach (var s in StmtVariants(block[i]))
            {
                yield return block.SetItem(i, s);
            }
        }
    }

    private static IEnumerable<ImmutableArray<Stmt>> Inline(Stmt s)
    {
        switch (s)
        {
            case If i:
                yield return i.Then;
                if (i.Else is { } e)
                {
                    yield return e;
                }

                break;
            case For f:
                yield return f.Body;
                break;
            case While w:
                yield return w.Body;
                break;
            case DoWhile d:
                yield return d.Body;
                break;
            case Foreach fe:
                yield return fe.Body;
                break;
            case Switch sw:
                foreach (var section in sw.Cases)
                {
                    yield return section;
                }

                yield return sw.Default;
                break;
        }
    }

    private static IEnumerable<Stmt> StmtVariants(Stmt s)
    {
        switch (s)
        {
            case Decl d:
                foreach (var e in ExprVariants(d.Init))
                {
                    yield return d with { Init = e };
                }

                break;
            case Assign a:
                if (a.Op is not "=" and not "++" and not "--")
                {
                    yield return a with { Op = "=" };
                }

                if (a.Rhs is { } rhs)
                {
                    foreach (var e in ExprVariants(rhs))
                    {
                        yield return a with { Rhs = e };
                    }
                }

                break;
            case If i:
                if (i.Else is not null)
                {
                    yield return i with { Else = null };
                }

                foreach (var c in CondVariants(i.Condition))
                {
                    yield return i with { Condition = c };
                }

                foreach (var b in BlockVariants(i.Then))
                {
                    yield return i with { Then = b };
                }

                if (i.Else is { } els)
                {
                    foreach (var b in BlockVariants(els))
                    {
                        yield return i with { Else = b };
                    }
                }

                break;
            case For f:
                if (f.Bound != "1")
                {
                    yield return f with { Bound = "1" };
                }

                foreach (var b in BlockVariants(f.Body))
                {
                    yield return f with { Body = b };
                }

                break;
            case While w:
                if (w.Extra is not null)
                {
                    yield return w with { Extra = null };
                }

                if (w.Bound > 1)
                {
                    yield return w with { Bound = 1 };
                }

                foreach (var b in BlockVariants(w.Body))
                {
                    yield return w with { Body = b };
                }

                break;
            case DoWhile d:
                if (d.Bound > 1)
                {
                    yield return d with { Bound = 1 };
                }

                foreach (var b in BlockVariants(d.Body))
                {
                    yield return d with { Body = b };
                }

                break;
            case Foreach fe:
                foreach (var b in BlockVariants(fe.Body))
                {
                    yield return fe with { Body = b };
                }

                break;
            case Switch sw:
                for (int k = 0; k < sw.Cases.Length; k++)
                {
                    yield return sw with { Cases = sw.Cases.RemoveAt(k) };
                }

                for (int k = 0; k < sw.Cases.Length; k++)
                {
                    foreach (var b in BlockVariants(sw.Cases[k]))
                    {
                        yield return sw with { Cases = sw.Cases.SetItem(k, b) };
                    }
                }

                foreach (var b in BlockVariants(sw.Default))
                {
                    yield return sw with { Default = b };
                }

                break;
            case Return { Value: { } v } r:
                foreach (var e in ExprVariants(v))
                {
                    yield return r with { Value = e };
                }

                break;
            case CallStmt c:
                if (c.Target is not null)
                {
                    yield return c with { Target = null };
                }

                for (int i = 0; i < c.Args.Length; i++)
                {
                    if (c.Args[i] is { Mode: ArgMode.Value, Value: { } value } arg)
                    {
                        foreach (var e in ExprVariants(value))
                        {
                            yield return c with { Args = c.Args.SetItem(i, arg with { Value = e }) };
                        }
                    }
                }

                break;
        }
    }

    private static IEnumerable<Cond> CondVariants(Cond c)
    {
        switch (c)
        {
            case Logic l:
                yield return l.Left;
                yield return l.Right;
                foreach (var v in CondVariants(l.Left))
                {
                    yield return l with { Left = v };
                }

                foreach (var v in CondVariants(l.Right))
                {
                    yield return l with { Right = v };
                }

                break;
            case Not n:
                yield return n.Operand;
                break;
            case Cmp cmp:
                foreach (var v in ExprVariants(cmp.Left))
                {
                    yield return cmp with { Left = v };
                }

                foreach (var v in ExprVariants(cmp.Right))
                {
                    yield return cmp with { Right = v };
                }

                break;
        }
    }

    private static IEnumerable<Expr> Children(Expr e) => e switch
    {
        Bin b => [b.Left, b.Right],
        Neg n => [n.Operand],
        Fn f => f.Name == "Pow" ? [f.Args[0]] : f.Args,
        Ternary t => [t.WhenTrue, t.WhenFalse],
        CallExpr c => c.Args.Where(a => a.Value is not null).Select(a => a.Value!),
        _ => [],
    };

    private static IEnumerable<Expr> ExprVariants(Expr e)
    {
        if (e is not Num)
        {
            yield return new Num(1.0);
        }

        foreach (var c in Children(e))
        {
            yield return c;
        }

        switch (e)
        {
            case Bin b:
                foreach (var v in ExprVariants(b.Left))
                {
                    yield return b with { Left = v };
                }

                foreach (var v in ExprVariants(b.Right))
                {
                    yield return b with { Right = v };
                }

                break;
            case Neg n:
                foreach (var v in ExprVariants(n.Operand))
                {
                    yield return n with { Operand = v };
                }

                break;
            case Fn f:
                for (int i = 0; i < f.Args.Length; i++)
                {
                    if (f.Name == "Pow" && i == 1)
                    {
                        continue;
                    }

                    foreach (var v in ExprVariants(f.Args[i]))
                    {
                        yield return f with { Args = f.Args.SetItem(i, v) };
                    }
                }

                break;
            case Ternary t:
                foreach (var c in CondVariants(t.Condition))
                {
                    yield return t with { Condition = c };
                }

                foreach (var v in ExprVariants(t.WhenTrue))
                {
                    yield return t with { WhenTrue = v };
                }

                foreach (var v in ExprVariants(t.WhenFalse))
                {
                    yield return t with { WhenFalse = v };
                }

                break;
        }
    }
}
