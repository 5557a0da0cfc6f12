using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// What the reverse sweep of a loop needs. Each reverse iteration recomputes its iteration's values instead of
/// reading them from a tape (Enzyme's recompute choice), so only what an iteration cannot recompute is taped: the
/// values it inherits from the iteration before (loop-carried) that the recomputation or the adjoint reads. A loop
/// whose iterations are independent (an elementwise map, a sum into an accumulator) needs no tape at all.
/// </summary>
internal sealed class LoopAnalysis
{
    private LoopAnalysis(LinLoop loop)
    {
        Loop = loop;
    }

    public LinLoop Loop { get; }

    /// <summary>Variables (and collections) whose values the loop's reverse iterations read, recomputation included.</summary>
    public HashSet<string> Needed { get; } = new();

    /// <summary>Variables and collections the loop writes.</summary>
    public HashSet<string> Written { get; } = new();

    /// <summary>Variables declared inside the loop: fresh in every iteration, never carried.</summary>
    public HashSet<string> DeclaredInside { get; } = new();

    /// <summary>The counter of a counted loop (i = i ± c, written nowhere else), recomputed from the iteration number.</summary>
    public (string Name, int Step)? Induction { get; private set; }

    /// <summary>Scalars carried from one iteration to the next that the reverse iterations read: taped.</summary>
    public List<(string Name, IrType Type)> CarriedScalars { get; } = new();

    /// <summary>Collections whose every access is at the counter (element i in iteration i): their element is taped.</summary>
    public List<(string Name, IrType Type)> CarriedElements { get; } = new();

    /// <summary>Other collections the loop overwrites and reads back: snapshotted whole each iteration.</summary>
    public List<(string Name, IrType Type)> CarriedCollections { get; } = new();

    /// <summary>Whether the loop computes anything with a derivative (else its reverse sweep only restores).</summary>
    public bool HasDerivatives { get; private set; }

    /// <summary>
    /// A max or min reduction, <c>m = Math.Max(m, e)</c> with m read nowhere else in the loop: its adjoint goes to the
    /// one iteration that last took a new value, <c>Star</c>, recorded during the forward run instead of taping m.
    /// </summary>
    internal sealed record Reduction(LinAssign Statement, Expr Taken, string Star);

    /// <summary>The reductions found, whose running value needs no tape.</summary>
    public List<Reduction> Reductions { get; } = new();

    /// <summary>The body as the reverse iterations see it: a reduction's branch decided by the iteration number.</summary>
    public IReadOnlyList<LinStmt> ReverseBody { get; private set; } = new List<LinStmt>();

    /// <param name="loop">The loop.</param>
    /// <param name="types">The types of all variables.</param>
    /// <param name="iteration">The reverse sweep's iteration number variable.</param>
    /// <param name="star">Names the variable that records, for a reduction of the given variable, its last taking iteration.</param>
    public static LoopAnalysis Run(LinLoop loop, IReadOnlyDictionary<string, IrType> types, string iteration = "iteration", System.Func<string, string>? star = null)
    {
        var analysis = new LoopAnalysis(loop);
        analysis.FindReductions(iteration, star ?? (name => name + "Star"));
        var all = analysis.ReverseBody.Concat(loop.Step).ToList();
        analysis.Scan(all);
        analysis.Induction = FindInduction(loop, analysis);
        analysis.CloseNeeded(all);

        foreach (var name in analysis.Needed.Where(n => analysis.Written.Contains(n) && !analysis.DeclaredInside.Contains(n)).OrderBy(n => n, System.StringComparer.Ordinal))
        {
            if (analysis.Induction is { } induction && induction.Name == name)
            {
                continue;
            }

            var type = types[name];
            if (!type.IsCollection)
            {
                analysis.CarriedScalars.Add((name, type));
            }
            else if (analysis.Induction is { } counter && AccessedOnlyAt(all, name, counter.Name))
            {
                analysis.CarriedElements.Add((name, type));
            }
            else
            {
                analysis.CarriedCollections.Add((name, type));
            }
        }

        return analysis;
    }

    private void FindReductions(string iteration, System.Func<string, string> star)
    {
        var statements = Flatten(Loop.Body).ToList();
        var replaced = new List<(LinAssign Original, LinAssign Reversed)>();
        foreach (var statement in statements)
        {
            if (statement is not LinAssign { Active: true, Definition: Definition.Overwrite } a
                || a.Primal is not IntrinsicCall { Function: Intrinsic.Max or Intrinsic.Min } call
                || call.Arguments[0] is not VarRef running || running.Name != a.Target
                || IrWalker.FreeVariables(call.Arguments[1]).Contains(a.Target)
                || a.Linear is not Conditional { Condition: Binary { Op: BinaryOp.GreaterOrEqual or BinaryOp.LessOrEqual } taken } linear
                || !OnlyUse(a))
            {
                continue;
            }

            var name = star(a.Target);
            var decided = new Binary(BinaryOp.NotEqual, new VarRef(iteration, IrType.Int), new VarRef(name, IrType.Int), IrType.Bool);
            replaced.Add((a, a with { Linear = linear with { Condition = decided } }));
            Reductions.Add(new Reduction(a, new Unary(UnaryOp.Not, taken, IrType.Bool), name));
        }

        ReverseBody = Replace(Loop.Body, replaced);
    }

    /// <summary>Whether the statement is the loop's only assignment to its target and nothing else in the loop reads it.</summary>
    private bool OnlyUse(LinAssign reduction)
    {
        var name = reduction.Target;
        var ok = true;
        void Check(Expr? e)
        {
            if (IrWalker.FreeVariables(e).Contains(name))
            {
                ok = false;
            }
        }

        void Walk(IEnumerable<LinStmt> statements)
        {
            foreach (var s in statements)
            {
                switch (s)
                {
                    case LinGroup g: Walk(g.Statements); break;
                    case LinAssign a when ReferenceEquals(a, reduction): break;
                    case LinAssign a:
                        ok &= a.Target != name;
                        Check(a.Primal);
                        Check(a.Linear);
                        break;
                    case LinStore st: Check(st.Index); Check(st.Primal); Check(st.Linear); break;
                    case LinIf i: Check(i.Condition); Walk(i.Then); Walk(i.Else); break;
                    case LinLoop l: Check(l.Condition); Walk(l.Body); Walk(l.Step); break;
                    case LinCall c: Check(c.Call); ok &= !c.Call.Arguments.Any(x => x.Value is VarRef v && v.Name == name); break;
                    case LinDeclare d: ok &= d.Name != name; break;
                }
            }
        }

        Walk(Loop.Body.Concat(Loop.Step));
        Check(Loop.Condition);
        return ok;
    }

    private static IReadOnlyList<LinStmt> Replace(IEnumerable<LinStmt> statements, List<(LinAssign Original, LinAssign Reversed)> replaced)
        => statements.Select(s => s switch
        {
            LinGroup g => g with { Statements = Replace(g.Statements, replaced) },
            LinAssign a when replaced.FirstOrDefault(r => ReferenceEquals(r.Original, a)).Reversed is { } b => b,
            _ => s,
        }).ToList();

    /// <summary>Written and declared names, the reads of the adjoint, and whether anything is active.</summary>
    private void Scan(IEnumerable<LinStmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinGroup g:
                    Scan(g.Statements);
                    break;
                case LinDeclare d:
                    DeclaredInside.Add(d.Name);
                    break;
                case LinAssign a:
                    Written.Add(a.Target);
                    if (a.Definition == Definition.Declaration)
                    {
                        DeclaredInside.Add(a.Target);
                    }

                    if (a.Active)
                    {
                        HasDerivatives = true;
                        Needed.UnionWith(IrWalker.FreeVariables(a.Linear));
                    }

                    break;
                case LinStore st:
                    Written.Add(st.Collection);
                    if (st.Active)
                    {
                        HasDerivatives = true;
                        Needed.UnionWith(IrWalker.FreeVariables(st.Linear));
                        Needed.UnionWith(IrWalker.FreeVariables(st.Index));
                    }

                    break;
                case LinIf i:
                    Needed.UnionWith(IrWalker.FreeVariables(i.Condition));
                    Scan(i.Then);
                    Scan(i.Else);
                    break;
                case LinLoop l:
                    Needed.UnionWith(IrWalker.FreeVariables(l.Condition));
                    Scan(l.Body);
                    Scan(l.Step);
                    break;
                case LinCall c:
                    Written.UnionWith(ActivityAnalysis.WrittenVariables(c.Call));
                    if (c.Result is not null)
                    {
                        Written.Add(c.Result);
                        DeclaredInside.Add(c.Result);
                    }

                    if (c.Active)
                    {
                        HasDerivatives = true;
                        Needed.UnionWith(IrWalker.FreeVariables(c.Call));
                    }

                    break;
            }
        }
    }

    /// <summary>Adds what recomputing the needed values reads, to a fixed point.</summary>
    private void CloseNeeded(List<LinStmt> statements)
    {
        int before;
        do
        {
            before = Needed.Count;
            Close(statements);
        }
        while (Needed.Count != before);
    }

    private void Close(IEnumerable<LinStmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinGroup g:
                    Close(g.Statements);
                    break;
                case LinAssign a when Needed.Contains(a.Target):
                    Needed.UnionWith(IrWalker.FreeVariables(a.Primal));
                    break;
                case LinStore st when Needed.Contains(st.Collection):
                    Needed.UnionWith(IrWalker.FreeVariables(st.Primal));
                    Needed.UnionWith(IrWalker.FreeVariables(st.Index));
                    break;
                case LinIf i:
                    Close(i.Then);
                    Close(i.Else);
                    break;
                case LinLoop l:
                    Close(l.Body);
                    Close(l.Step);
                    break;
                case LinCall c when (c.Result is not null && Needed.Contains(c.Result))
                                    || ActivityAnalysis.WrittenVariables(c.Call).Any(Needed.Contains):
                    Needed.UnionWith(IrWalker.FreeVariables(c.Call));
                    break;
            }
        }
    }

    /// <summary>i = i ± c as the whole step (or guarded by the exit flags), i an integer written nowhere else.</summary>
    private static (string Name, int Step)? FindInduction(LinLoop loop, LoopAnalysis analysis)
    {
        var step = Flatten(loop.Step).ToList();
        if (step.Count == 1 && step[0] is LinIf { Else.Count: 0 } guard)
        {
            step = Flatten(guard.Then).ToList();
        }

        if (step.Count != 1 || step[0] is not LinAssign { Active: false, Type.Kind: ScalarKind.Integer } assign
            || assign.Primal is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef left, Right: Literal { Value: var c } } increment
            || left.Name != assign.Target || c != System.Math.Floor(c))
        {
            return null;
        }

        var body = new LoopAnalysis(loop);
        body.Scan(loop.Body);
        if (body.Written.Contains(assign.Target))
        {
            return null;
        }

        return (assign.Target, (int)(increment.Op == BinaryOp.Add ? c : -c));
    }

    private static IEnumerable<LinStmt> Flatten(IEnumerable<LinStmt> statements)
        => statements.SelectMany(s => s is LinGroup g ? Flatten(g.Statements) : new[] { s });

    /// <summary>Whether every element access and store of the collection in the loop is at index <paramref name="counter"/>.</summary>
    private static bool AccessedOnlyAt(IEnumerable<LinStmt> statements, string collection, string counter)
    {
        var ok = true;
        void Check(Expr? e) => IrWalker.Visit(e, x =>
        {
            if (x is ElementAccess a && a.Collection == collection && !(a.Index is VarRef v && v.Name == counter))
            {
                ok = false;
            }

            if (x is TangentElement t && t.Collection == collection && !(t.Index is VarRef w && w.Name == counter))
            {
                ok = false;
            }

            if (x is VarRef whole && whole.Name == collection)
            {
                ok = false;
            }
        });

        void Walk(IEnumerable<LinStmt> list)
        {
            foreach (var s in list)
            {
                switch (s)
                {
                    case LinGroup g: Walk(g.Statements); break;
                    case LinAssign a: Check(a.Primal); Check(a.Linear); break;
                    case LinStore st:
                        if (st.Collection == collection && !(st.Index is VarRef v && v.Name == counter))
                        {
                            ok = false;
                        }

                        Check(st.Index); Check(st.Primal); Check(st.Linear);
                        break;
                    case LinIf i: Check(i.Condition); Walk(i.Then); Walk(i.Else); break;
                    case LinLoop l: Check(l.Condition); Walk(l.Body); Walk(l.Step); break;
                    case LinCall c: Check(c.Call); break;
                }
            }
        }

        Walk(statements);
        return ok;
    }
}
