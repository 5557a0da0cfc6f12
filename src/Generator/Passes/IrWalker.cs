using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>Queries over IR trees shared by the passes.</summary>
internal static class IrWalker
{
    /// <summary>
    /// The variables whose values an expression reads: variables, and the collections whose elements it reads
    /// (a length alone reads no element; tangent leaves read no value).
    /// </summary>
    public static HashSet<string> FreeVariables(Expr? expression)
    {
        var names = new HashSet<string>();
        Visit(expression, e =>
        {
            switch (e)
            {
                case VarRef v:
                    names.Add(v.Name);
                    break;
                case ElementAccess a:
                    names.Add(a.Collection);
                    break;
            }
        });
        return names;
    }

    public static bool Any(Expr? expression, System.Func<Expr, bool> predicate)
    {
        var found = false;
        Visit(expression, e => found |= predicate(e));
        return found;
    }

    public static void Visit(Expr? expression, System.Action<Expr> visit)
    {
        if (expression is null)
        {
            return;
        }

        visit(expression);
        foreach (var child in Children(expression))
        {
            Visit(child, visit);
        }
    }

    public static IEnumerable<Expr> Children(Expr expression) => expression switch
    {
        Unary u => new[] { u.Operand },
        Binary b => new[] { b.Left, b.Right },
        Conditional c => new[] { c.Condition, c.WhenTrue, c.WhenFalse },
        Cast c => new[] { c.Operand },
        ZeroSafeProduct z => new[] { z.Form, z.Coefficient },
        IntrinsicCall i => i.Arguments,
        Call c => c.Arguments.Select(a => a.Value),
        TupleLiteral t => t.Items,
        ElementAccess a => new[] { a.Index },
        TangentElement t => new[] { t.Index },
        NewCollection n => new[] { n.Length },
        _ => Enumerable.Empty<Expr>(),
    };

    /// <summary>Rebuilds an expression bottom-up, replacing the nodes <paramref name="rewrite"/> returns non-null for.</summary>
    public static Expr Rewrite(Expr expression, System.Func<Expr, Expr?> rewrite)
    {
        var replaced = rewrite(expression);
        if (replaced is not null)
        {
            return replaced;
        }

        return expression switch
        {
            Unary u => u with { Operand = Rewrite(u.Operand, rewrite) },
            Binary b => b with { Left = Rewrite(b.Left, rewrite), Right = Rewrite(b.Right, rewrite) },
            Conditional c => c with
            {
                Condition = Rewrite(c.Condition, rewrite),
                WhenTrue = Rewrite(c.WhenTrue, rewrite),
                WhenFalse = Rewrite(c.WhenFalse, rewrite),
            },
            Cast c => c with { Operand = Rewrite(c.Operand, rewrite) },
            ZeroSafeProduct z => z with { Form = Rewrite(z.Form, rewrite), Coefficient = Rewrite(z.Coefficient, rewrite) },
            IntrinsicCall i => i with { Arguments = Helpers.EquatableArray.ToEquatableArray(i.Arguments.Select(a => Rewrite(a, rewrite))) },
            Call c => c with { Arguments = Helpers.EquatableArray.ToEquatableArray(c.Arguments.Select(a => a with { Value = Rewrite(a.Value, rewrite) })) },
            ElementAccess a => a with { Index = Rewrite(a.Index, rewrite) },
            TangentElement t => t with { Index = Rewrite(t.Index, rewrite) },
            NewCollection n => n with { Length = Rewrite(n.Length, rewrite) },
            _ => expression,
        };
    }

    /// <summary>
    /// The statements with the variables <paramref name="renames"/> maps renamed, where they are read and where they
    /// are assigned (declarations, assignments, element writes, in branches and loops).
    /// </summary>
    public static List<Stmt> Rename(IEnumerable<Stmt> statements, IReadOnlyDictionary<string, string> renames)
    {
        if (renames.Count == 0)
        {
            return statements.ToList();
        }

        string Name(string name) => renames.TryGetValue(name, out var renamed) ? renamed : name;
        Expr Read(Expr expression) => Rewrite(expression, e => e switch
        {
            VarRef v when renames.ContainsKey(v.Name) => v with { Name = Name(v.Name) },
            ElementAccess a when renames.ContainsKey(a.Collection) => a with { Collection = Name(a.Collection), Index = Read(a.Index) },
            TangentElement t when renames.ContainsKey(t.Collection) => t with { Collection = Name(t.Collection), Index = Read(t.Index) },
            LengthOf l when renames.ContainsKey(l.Collection) => l with { Collection = Name(l.Collection) },
            _ => null,
        });
        Block InBlock(Block block) => new(Helpers.EquatableArray.ToEquatableArray(Rename(block.Statements, renames)));

        return statements.Select(statement => statement switch
        {
            Declare d => d with { Name = Name(d.Name), Init = d.Init is null ? null : Read(d.Init) },
            Assign a => a with { Target = Name(a.Target), Value = Read(a.Value) },
            Store s => s with { Collection = Name(s.Collection), Index = Read(s.Index), Value = Read(s.Value) },
            If i => i with { Condition = Read(i.Condition), Then = InBlock(i.Then), Else = InBlock(i.Else) },
            Loop l => l with { Body = InBlock(l.Body), Condition = Read(l.Condition), Step = InBlock(l.Step) },
            Return { Value: { } value } r => r with { Value = Read(value) },
            _ => statement,
        }).ToList();
    }

    /// <summary>Every expression of a statement (each once, as a whole), nested statements included.</summary>
    public static void VisitExpressions(Stmt statement, System.Action<Expr> visit)
    {
        switch (statement)
        {
            case Declare d when d.Init is not null:
                visit(d.Init);
                break;
            case Assign a:
                visit(a.Value);
                break;
            case Store st:
                visit(st.Index);
                visit(st.Value);
                break;
            case If i:
                visit(i.Condition);
                foreach (var s in i.Then.Statements.Concat(i.Else.Statements))
                {
                    VisitExpressions(s, visit);
                }

                break;
            case Loop l:
                visit(l.Condition);
                foreach (var s in l.Body.Statements.Concat(l.Step.Statements))
                {
                    VisitExpressions(s, visit);
                }

                break;
            case CallStatement c:
                visit(c.Call);
                break;
            case TupleAssign t:
                visit(t.Value);
                break;
            case TapePush p:
                visit(p.Value);
                break;
            case Return { Value: { } value }:
                visit(value);
                break;
        }
    }

    /// <summary>Every name a method body declares.</summary>
    public static IEnumerable<string> DeclaredNames(Block block)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Declare d:
                    yield return d.Name;
                    break;
                case If i:
                    foreach (var name in DeclaredNames(i.Then).Concat(DeclaredNames(i.Else)))
                    {
                        yield return name;
                    }

                    break;
                case Loop l:
                    foreach (var name in DeclaredNames(l.Body).Concat(DeclaredNames(l.Step)))
                    {
                        yield return name;
                    }

                    break;
            }
        }
    }
}
