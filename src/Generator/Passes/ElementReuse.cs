using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Reads an element once where a block reads it several times: <c>x[i]</c>, read by the recomputation and by several
/// adjoints of a reverse iteration, becomes a local read before its first use. The JIT cannot do it itself: a store
/// to <c>xBar[i]</c> in between may alias <c>x</c> for all it knows, so it reloads <c>x[i]</c> after each. Only
/// elements of collections the block never writes (a span passed in, never a Bar) at an index the block does not
/// change in between are read once, and only from a statement that reads them unconditionally: the values, and
/// where the read fails, are those of the first read.
/// </summary>
internal static class ElementReuse
{
    public static List<Stmt> Run(IReadOnlyList<Stmt> statements, System.Func<string, string> fresh)
    {
        var written = new HashSet<string>();
        foreach (var statement in statements)
        {
            Writes(statement, written);
        }

        // The runs of statements over which an element keeps its value: from one that reads it unconditionally to
        // the last before its index is written.
        var runs = new List<ElementRun>();
        var open = new Dictionary<ElementAccess, ElementRun>();
        for (var k = 0; k < statements.Count; k++)
        {
            var statement = statements[k];
            var writes = new HashSet<string>();
            Writes(statement, writes);
            var compound = statement is If or Loop;
            foreach (var run in open.Values.ToList())
            {
                var changed = run.Element.Index is VarRef index && writes.Contains(index.Name);
                if (!(compound && changed))
                {
                    run.Reads += CountReads(statement, run.Element);
                    run.Last = k;
                }

                if (changed)
                {
                    open.Remove(run.Element);
                }
            }

            foreach (var element in UnconditionalReads(statement))
            {
                // Not from a statement that changes the index (the reads after the change are of another element).
                if (written.Contains(element.Collection) || open.ContainsKey(element) || element.Index is VarRef v && writes.Contains(v.Name))
                {
                    continue;
                }

                var run = new ElementRun(element, k) { Reads = CountReads(statement, element), Last = k };
                runs.Add(run);
                open[element] = run;
            }
        }

        var output = statements.ToList();
        var inserted = new List<(int At, Stmt Declaration)>();
        foreach (var run in runs.Where(r => r.Reads > 1))
        {
            var local = new VarRef(fresh(run.Element.Collection + Capitalized(run.Element.Index)), run.Element.Type);
            for (var k = run.First; k <= run.Last; k++)
            {
                output[k] = Replace(output[k], run.Element, local);
            }

            inserted.Add((run.First, new Declare(local.Name, local.Type, run.Element)));
        }

        foreach (var (at, declaration) in inserted.OrderByDescending(d => d.At))
        {
            output.Insert(at, declaration);
        }

        return output;
    }

    private sealed class ElementRun
    {
        public ElementRun(ElementAccess element, int first)
        {
            Element = element;
            First = first;
        }

        public ElementAccess Element { get; }

        public int First { get; }

        public int Last { get; set; }

        public int Reads { get; set; }
    }

    private static string Capitalized(Expr index) => index switch
    {
        VarRef v => char.ToUpperInvariant(v.Name[0]) + v.Name.Substring(1),
        Literal l => ((int)l.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "Element",
    };

    /// <summary>The elements at a variable or constant index a statement reads whenever it runs.</summary>
    private static IEnumerable<ElementAccess> UnconditionalReads(Stmt statement)
    {
        var found = new List<ElementAccess>();
        switch (statement)
        {
            case Declare d:
                Unconditional(d.Init, found);
                break;
            case Assign a:
                Unconditional(a.Value, found);
                break;
            case Store st:
                Unconditional(st.Index, found);
                Unconditional(st.Value, found);
                break;
            case If i:
                Unconditional(i.Condition, found);
                break;
        }

        return found.Distinct();
    }

    private static void Unconditional(Expr? expression, List<ElementAccess> found)
    {
        switch (expression)
        {
            case null:
                return;
            case ElementAccess { Index: VarRef or Literal, Type.IsReal: true } a:
                found.Add(a);
                return;
            case Conditional c:
                // Only the branch taken is evaluated.
                Unconditional(c.Condition, found);
                return;
            case Binary { Op: BinaryOp.And or BinaryOp.Or } b:
                Unconditional(b.Left, found);
                return;
            default:
                foreach (var child in IrWalker.Children(expression))
                {
                    Unconditional(child, found);
                }

                return;
        }
    }

    private static int CountReads(Stmt statement, ElementAccess element)
    {
        var reads = 0;
        IrWalker.VisitExpressions(statement, e => IrWalker.Visit(e, x => reads += x == element ? 1 : 0));
        return reads;
    }

    private static Stmt Replace(Stmt statement, ElementAccess element, VarRef local)
    {
        Expr R(Expr e) => IrWalker.Rewrite(e, x => x == element ? local : null);
        Expr? N(Expr? e) => e is null ? null : R(e);
        Block B(Block b) => new(Helpers.EquatableArray.ToEquatableArray(b.Statements.Select(s => Replace(s, element, local))));
        return statement switch
        {
            Declare d => d with { Init = N(d.Init) },
            Assign a => a with { Value = R(a.Value) },
            Store st => st with { Index = R(st.Index), Value = R(st.Value) },
            If i => i with { Condition = R(i.Condition), Then = B(i.Then), Else = B(i.Else) },
            Loop l => l with { Condition = R(l.Condition), Body = B(l.Body), Step = B(l.Step) },
            CallStatement c => c with { Call = (Call)R(c.Call) },
            TupleAssign t => t with { Value = R(t.Value) },
            TapePush p => p with { Value = R(p.Value) },
            Return r => r with { Value = N(r.Value) },
            _ => statement,
        };
    }

    /// <summary>The variables and collections a statement may write, nested statements and calls' arguments included.</summary>
    private static void Writes(Stmt statement, HashSet<string> names)
    {
        switch (statement)
        {
            case Declare d:
                names.Add(d.Name);
                break;
            case Assign a:
                names.Add(a.Target);
                break;
            case Store st:
                names.Add(st.Collection);
                break;
            case TupleAssign t:
                names.UnionWith(t.Targets);
                break;
            case PopAll p:
                names.Add(p.Collection);
                break;
            case WorkCopy w:
                names.Add(w.Name);
                break;
            case If i:
                foreach (var s in i.Then.Statements.Concat(i.Else.Statements))
                {
                    Writes(s, names);
                }

                break;
            case Loop l:
                foreach (var s in l.Body.Statements.Concat(l.Step.Statements))
                {
                    Writes(s, names);
                }

                break;
        }

        // A call may write what it is passed by reference, and the elements of a span or array it is passed.
        IrWalker.VisitExpressions(statement, e => IrWalker.Visit(e, x =>
        {
            if (x is Call call)
            {
                foreach (var argument in call.Arguments)
                {
                    if (argument.Value is VarRef v && (argument.Mode is PassingMode.Ref or PassingMode.Out || v.Type.IsCollection))
                    {
                        names.Add(v.Name);
                    }
                }
            }
        }));
    }
}
