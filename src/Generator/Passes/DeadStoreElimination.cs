using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Removes assignments whose values nothing reads afterwards (backward liveness), then declarations left unused. The
/// adjoint's forward sweep recomputes the whole primal, much of which the reverse sweep never reads (the new
/// weight of an optimizer step, a result that is a constant); the compiler would also warn about some of it.
/// </summary>
internal static class DeadStoreElimination
{
    public static GeneratedMethod Run(GeneratedMethod method)
    {
        // Writes to ref and out parameters and to the elements of span and array parameters are outputs;
        // by-value scalar parameters are locals of the method.
        var outputs = new HashSet<string>(method.Parameters.Where(p => p.Mode is PassingMode.Ref or PassingMode.Out || p.Type.IsCollection).Select(p => p.Name));
        var statements = Tidy(Live(method.Body.Statements.ToList(), new HashSet<string>(), outputs).Kept);

        // Then the declarations nothing uses any more (the adjoint declares its locals up front), to a fixed point.
        while (true)
        {
            var reads = new HashSet<string>();
            CollectReads(statements, reads);
            var assigned = new HashSet<string>();
            CollectAssigned(statements, assigned);
            bool Unused(string name) => !reads.Contains(name) && !assigned.Contains(name);
            var kept = statements.Where(s => s switch
            {
                Declare d => !(Unused(d.Name) && IsPure(d.Init)),
                WorkCopy w => !Unused(w.Name),
                ReleaseWorkCopy r => !Unused(r.Name),
                _ => true,
            }).ToList();
            if (kept.Count == statements.Count)
            {
                return method with { Body = new Block(kept.ToEquatableArray()) };
            }

            statements = kept;
        }
    }

    /// <summary>
    /// Backward liveness (flow-sensitive, to a fixed point around loops): drops an assignment whose value is
    /// overwritten or never read on any path after it, and a loop left computing nothing anyone reads (say, the
    /// adjoint's forward run of a loop whose reverse iterations recompute all they need).
    /// </summary>
    private static (List<Stmt> Kept, HashSet<string> LiveIn) Live(IReadOnlyList<Stmt> statements, HashSet<string> liveOut, HashSet<string> outputs)
    {
        var live = new HashSet<string>(liveOut);
        var kept = new List<Stmt>();
        for (var k = statements.Count - 1; k >= 0; k--)
        {
            var statement = statements[k];
            switch (statement)
            {
                case Assign a:
                    if (!live.Contains(a.Target) && !outputs.Contains(a.Target) && IsPure(a.Value))
                    {
                        continue;
                    }

                    live.Remove(a.Target);
                    live.UnionWith(IrWalker.FreeVariables(a.Value));
                    break;
                case Declare d:
                    live.Remove(d.Name);
                    live.UnionWith(IrWalker.FreeVariables(d.Init));
                    break;
                case Store st:
                    if (!live.Contains(st.Collection) && !outputs.Contains(st.Collection) && IsPure(st.Value))
                    {
                        continue;
                    }

                    live.Add(st.Collection);
                    live.UnionWith(IrWalker.FreeVariables(st.Index));
                    live.UnionWith(IrWalker.FreeVariables(st.Value));
                    break;
                case If i:
                {
                    var (then, thenLive) = Live(i.Then.Statements.ToList(), live, outputs);
                    var (@else, elseLive) = Live(i.Else.Statements.ToList(), live, outputs);
                    if (then.All(x => x is Comment) && @else.All(x => x is Comment) && IsPure(i.Condition))
                    {
                        continue;
                    }

                    live = new HashSet<string>(thenLive.Concat(elseLive));
                    live.UnionWith(IrWalker.FreeVariables(i.Condition));
                    statement = i with { Then = ToBlock(then), Else = ToBlock(@else) };
                    break;
                }

                case Loop l when !HasEffects(l.Body.Statements.Concat(l.Step.Statements), outputs) && !Assigned(l).Any(live.Contains):
                    // A loop that only updates variables nobody reads after it (its own counter, say): gone.
                    continue;
                case Loop l:
                {
                    var iteration = l.Body.Statements.Concat(l.Step.Statements).ToList();
                    var head = new HashSet<string>(live);
                    head.UnionWith(IrWalker.FreeVariables(l.Condition));
                    List<Stmt> body;
                    while (true)
                    {
                        (body, var bodyLive) = Live(iteration, head, outputs);
                        var before = head.Count;
                        head.UnionWith(bodyLive);
                        if (head.Count == before)
                        {
                            break;
                        }
                    }

                    if (body.All(x => x is Comment) && IsPure(l.Condition))
                    {
                        continue;
                    }

                    // Keep what the fixed point found live: the step sees the loop head, the body what the step reads.
                    var (step, stepLive) = Live(l.Step.Statements.ToList(), head, outputs);
                    var (bodyKept, _) = Live(l.Body.Statements.ToList(), stepLive, outputs);
                    live = head;
                    statement = l with { Body = ToBlock(bodyKept), Step = ToBlock(step) };
                    break;
                }

                case TupleAssign t:
                    live.ExceptWith(t.Targets);
                    live.UnionWith(IrWalker.FreeVariables(t.Value));
                    break;
                case CallStatement c:
                    live.UnionWith(IrWalker.FreeVariables(c.Call));
                    break;
                case TapePush p:
                    live.UnionWith(IrWalker.FreeVariables(p.Value));
                    break;
                case PushAll p:
                    live.Add(p.Collection);
                    break;
                case WorkCopy w:
                    live.Add(w.Source);
                    break;
                case LengthCheck c:
                    live.Add(c.Derivative);
                    live.Add(c.Primal);
                    break;
                case OverlapCheck o:
                    live.Add(o.Written);
                    live.Add(o.Other);
                    break;
                case Return r:
                    live.UnionWith(IrWalker.FreeVariables(r.Value));
                    break;
            }

            kept.Add(statement);
        }

        kept.Reverse();
        return (kept, live);
    }

    private static HashSet<string> Assigned(Stmt statement)
    {
        var assigned = new HashSet<string>();
        CollectAssigned(new[] { statement }, assigned);
        return assigned;
    }

    /// <summary>Whether the statements do more than assign local values: write an output, a tape, call a method.</summary>
    private static bool HasEffects(IEnumerable<Stmt> statements, HashSet<string> outputs) => statements.Any(s => s switch
    {
        Comment => false,
        Declare d => !IsPure(d.Init),
        Assign a => outputs.Contains(a.Target) || !IsPure(a.Value),
        Store st => outputs.Contains(st.Collection) || !IsPure(st.Index) || !IsPure(st.Value),
        If i => !IsPure(i.Condition) || HasEffects(i.Then.Statements, outputs) || HasEffects(i.Else.Statements, outputs),
        Loop l => !IsPure(l.Condition) || HasEffects(l.Body.Statements.Concat(l.Step.Statements), outputs),
        _ => true,
    });

    /// <summary>
    /// What removal leaves untidy: an if whose then-branch is empty tests the negated condition instead, and a
    /// source comment with no statement left after it goes.
    /// </summary>
    private static List<Stmt> Tidy(IEnumerable<Stmt> statements)
    {
        var output = statements.Select(statement => statement switch
        {
            Loop l => l with { Body = ToBlock(Tidy(l.Body.Statements)), Step = ToBlock(Tidy(l.Step.Statements)) },
            If i => TidyIf(i),
            _ => statement,
        }).ToList();
        return output.Where((s, k) => !(s is Comment { IsHeading: false } && (k + 1 == output.Count || output[k + 1] is Comment))).ToList();
    }

    private static If TidyIf(If branch)
    {
        var then = Tidy(branch.Then.Statements);
        var @else = Tidy(branch.Else.Statements);
        return then.All(s => s is Comment)
            ? branch with { Condition = Negate(branch.Condition), Then = ToBlock(@else), Else = Block.Empty }
            : branch with { Then = ToBlock(then), Else = ToBlock(@else) };
    }

    private static Expr Negate(Expr condition)
        => condition is Unary { Op: UnaryOp.Not } not ? not.Operand : new Unary(UnaryOp.Not, condition, IrType.Bool);

    /// <summary>
    /// The names a declaration must stay for: the variables read (as <see cref="IrWalker.FreeVariables"/>) and the
    /// collections whose length is read, whose declaration a <c>.Length</c> still needs when their elements are dead.
    /// </summary>
    private static IEnumerable<string> Mentions(Expr? expression)
    {
        var names = IrWalker.FreeVariables(expression);
        IrWalker.Visit(expression, e =>
        {
            if (e is LengthOf l)
            {
                names.Add(l.Collection);
            }
        });
        return names;
    }

    private static void CollectReads(IEnumerable<Stmt> statements, HashSet<string> reads)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declare d:
                    reads.UnionWith(Mentions(d.Init));
                    break;
                case Assign a:
                    // x = f(x) alone does not make x live: its value must reach something else.
                    reads.UnionWith(Mentions(a.Value).Where(name => name != a.Target));
                    break;
                case If i:
                    reads.UnionWith(Mentions(i.Condition));
                    CollectReads(i.Then.Statements, reads);
                    CollectReads(i.Else.Statements, reads);
                    break;
                case CallStatement c:
                    reads.UnionWith(Mentions(c.Call));
                    break;
                case TupleAssign t:
                    reads.UnionWith(Mentions(t.Value));
                    reads.UnionWith(t.Targets);
                    break;
                case Return r:
                    reads.UnionWith(Mentions(r.Value));
                    break;
                case Store st:
                    reads.UnionWith(Mentions(st.Index));
                    reads.UnionWith(Mentions(st.Value).Where(name => name != st.Collection));
                    break;
                case Loop l:
                    reads.UnionWith(Mentions(l.Condition));
                    CollectReads(l.Body.Statements, reads);
                    CollectReads(l.Step.Statements, reads);
                    break;
                case TapePush p:
                    reads.UnionWith(Mentions(p.Value));
                    break;
                case LengthCheck c:
                    reads.Add(c.Derivative);
                    reads.Add(c.Primal);
                    break;
                case OverlapCheck o:
                    reads.Add(o.Written);
                    reads.Add(o.Other);
                    break;
                case PushAll p:
                    reads.Add(p.Collection);
                    break;
                case PopAll p:
                    reads.Add(p.Collection);
                    break;
                case WorkCopy w:
                    reads.Add(w.Source);
                    break;
            }
        }
    }

    private static void CollectAssigned(IEnumerable<Stmt> statements, HashSet<string> assigned)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Assign a:
                    assigned.Add(a.Target);
                    break;
                case If i:
                    CollectAssigned(i.Then.Statements, assigned);
                    CollectAssigned(i.Else.Statements, assigned);
                    break;
                case Loop l:
                    CollectAssigned(l.Body.Statements, assigned);
                    CollectAssigned(l.Step.Statements, assigned);
                    break;
                case Store st:
                    assigned.Add(st.Collection);
                    break;
            }
        }
    }

    /// <summary>
    /// Whether evaluating the expression can change nothing: it pops no tape, and calls nothing with a variable by ref
    /// or out or with a span or array it may write (a call whose result is dead still writes those: x = G(a) with a
    /// written array a, whose values a later tape push records).
    /// </summary>
    private static bool IsPure(Expr? expression)
        => !IrWalker.Any(expression, e => e is TapePop || (e is Call c && c.Arguments.Any(MayBeWritten)));

    private static bool MayBeWritten(Argument argument)
        => argument.Mode is PassingMode.Ref or PassingMode.Out
           || !argument.ReadOnly && argument.Value.Type.Shape is TypeShape.Span or TypeShape.Array;

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
