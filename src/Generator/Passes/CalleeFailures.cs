using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// A method's generated code calls the generated derivatives of the [Differentiable] methods it calls. Where one of
/// those has errors it has no derivatives, and the caller's code would not compile (CS0117 on top of the callee's own
/// AHG error): such a caller gets no code and an AHG0015 that names the callee, and so on up the call chain.
/// </summary>
internal static class CalleeFailures
{
    /// <summary>The keys of the [Differentiable] methods that <paramref name="body"/> calls, sorted, once each.</summary>
    public static EquatableArray<string> DifferentiableCallees(Block body)
    {
        var keys = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var statement in body.Statements)
        {
            IrWalker.VisitExpressions(statement, expression => IrWalker.Visit(expression, e =>
            {
                if (e is Call { Callee.Kind: CalleeKind.Differentiable } call)
                {
                    keys.Add(call.Callee.Key);
                }
            }));
        }

        return keys.ToEquatableArray();
    }

    /// <summary>The keys of the methods that get no code: those with errors, and, transitively, their callers.</summary>
    public static EquatableArray<string> Failed(ImmutableArray<DifferentiationResult> results)
    {
        var failed = new HashSet<string>(results.Where(r => r.Model is null).Select(r => r.Key), System.StringComparer.Ordinal);
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var result in results.Where(r => r.Model is not null && !failed.Contains(r.Key) && r.Callees.Any(failed.Contains)))
            {
                changed |= failed.Add(result.Key);
            }
        }

        return failed.OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>The result, or, for a method that calls one in <paramref name="failed"/>, no code and an AHG0015 per such callee.</summary>
    public static DifferentiationResult Apply(DifferentiationResult result, EquatableArray<string> failed)
    {
        if (result.Model is not { } model || !result.Callees.Any(failed.Contains))
        {
            return result;
        }

        var diagnostics = result.Callees.Where(failed.Contains)
            .Select(callee => DiagnosticInfo.Create(DiagnosticDescriptors.CalleeWithoutDerivatives, model.SourceLocation, model.MethodName, callee));
        return result with { Model = null, Diagnostics = result.Diagnostics.Concat(diagnostics).ToEquatableArray() };
    }
}
