using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Which variables carry derivatives: those that depend on an active input (varied) and influence an output
/// (useful), as in Tapenade's and Enzyme's activity analyses; flow-insensitive, so a variable is active wherever
/// it is active anywhere. Active parameters and the result are active by the contract.
/// </summary>
internal static class ActivityAnalysis
{
    public static HashSet<string> Run(MethodModel method, Block body, string? result)
    {
        var types = new Dictionary<string, IrType>();
        foreach (var parameter in method.Parameters)
        {
            types[parameter.Name] = parameter.Type;
        }

        var edges = new Dictionary<string, HashSet<string>>();
        CollectEdges(body, types, edges);

        var interfaceVariables = method.Parameters.Where(p => p.IsActive).Select(p => p.Name).ToList();
        var outputs = method.Parameters.Where(p => p.IsActive && IsOutput(p)).Select(p => p.Name).ToList();
        if (result is not null)
        {
            interfaceVariables.Add(result);
            outputs.Add(result);
        }

        var varied = Reachable(interfaceVariables, edges);
        var reversed = new Dictionary<string, HashSet<string>>();
        foreach (var pair in edges)
        {
            foreach (var target in pair.Value)
            {
                Targets(reversed, target).Add(pair.Key);
            }
        }

        var useful = Reachable(outputs, reversed);
        var active = new HashSet<string>(varied.Where(v => useful.Contains(v) && types.TryGetValue(v, out var t) && t.CarriesDerivative));
        active.UnionWith(interfaceVariables);
        return active;
    }

    private static void CollectEdges(Block block, Dictionary<string, IrType> types, Dictionary<string, HashSet<string>> edges)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Declare d:
                    types[d.Name] = d.Type;
                    AddFlow(d.Name, d.Init, edges);
                    break;
                case Assign a:
                    AddFlow(a.Target, a.Value, edges);
                    break;
                case Store st:
                    AddFlow(st.Collection, st.Value, edges);
                    break;
                case Loop l:
                    CollectEdges(l.Body, types, edges);
                    CollectEdges(l.Step, types, edges);
                    break;
                case CallStatement c:
                    AddFlow(null, c.Call, edges);
                    break;
                case If i:
                    CollectEdges(i.Then, types, edges);
                    CollectEdges(i.Else, types, edges);
                    break;
            }
        }
    }

    /// <summary>Every variable read flows into the target; a call's arguments also flow into its ref arguments.</summary>
    private static void AddFlow(string? target, Expr? value, Dictionary<string, HashSet<string>> edges)
    {
        if (value is null)
        {
            return;
        }

        var sources = DifferentiableReads(value);
        var targets = new List<string>();
        if (target is not null)
        {
            targets.Add(target);
        }

        IrWalker.Visit(value, e =>
        {
            if (e is Call call)
            {
                targets.AddRange(WrittenVariables(call));
            }
        });

        foreach (var source in sources)
        {
            Targets(edges, source).UnionWith(targets);
        }
    }

    /// <summary>
    /// The variables a value depends on differentiably: not those read only by an integer or bool subexpression
    /// (a condition, an index, <c>Math.Sign</c>), through which no derivative flows.
    /// </summary>
    private static HashSet<string> DifferentiableReads(Expr expression)
    {
        var names = new HashSet<string>();
        void Walk(Expr e)
        {
            if (!e.Type.CarriesDerivative && e is not Call)
            {
                return;
            }

            switch (e)
            {
                case VarRef v:
                    names.Add(v.Name);
                    break;
                case ElementAccess a:
                    names.Add(a.Collection);
                    break;
                case Conditional c:
                    Walk(c.WhenTrue);
                    Walk(c.WhenFalse);
                    break;
                case Call call:
                    names.UnionWith(IrWalker.FreeVariables(call));
                    break;
                default:
                    foreach (var child in IrWalker.Children(e))
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(expression);
        return names;
    }

    /// <summary>Parameters whose values leave the method: ref and out scalars, and spans and arrays it may write.</summary>
    public static bool IsOutput(Parameter parameter)
        => parameter.Mode is PassingMode.Ref or PassingMode.Out || parameter.Type.Shape is TypeShape.Span or TypeShape.Array;

    /// <summary>
    /// The arguments a callee may write: ref and out ones, and spans and arrays passed to a writable parameter (a
    /// <c>Span&lt;T&gt;</c> or an array; an array passed to a <c>ReadOnlySpan&lt;T&gt;</c> is only read).
    /// </summary>
    public static IEnumerable<Argument> WrittenArguments(Call call)
        => call.Arguments.Where((argument, k) => IsWritten(argument, call.Callee.Parameters[k]));

    /// <summary>The names of the variables a call may write (see <see cref="WrittenArguments"/>).</summary>
    public static IEnumerable<string> WrittenVariables(Call call)
        => WrittenArguments(call).Select(a => ((VarRef)a.Value).Name);

    private static bool IsWritten(Argument argument, CalleeParameter parameter)
        => argument.Mode is PassingMode.Ref or PassingMode.Out
           || !argument.ReadOnly && argument.Value.Type.IsCollection && parameter.Type.Shape is TypeShape.Span or TypeShape.Array;

    private static HashSet<string> Targets(Dictionary<string, HashSet<string>> edges, string source)
    {
        if (!edges.TryGetValue(source, out var set))
        {
            set = new HashSet<string>();
            edges[source] = set;
        }

        return set;
    }

    private static HashSet<string> Reachable(IEnumerable<string> seeds, Dictionary<string, HashSet<string>> edges)
    {
        var seen = new HashSet<string>(seeds);
        var work = new Stack<string>(seen);
        while (work.Count > 0)
        {
            if (!edges.TryGetValue(work.Pop(), out var next))
            {
                continue;
            }

            foreach (var target in next)
            {
                if (seen.Add(target))
                {
                    work.Push(target);
                }
            }
        }

        return seen;
    }
}
