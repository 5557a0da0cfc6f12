using System;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Runs the passes over one parsed method: return normalization, activity analysis, linearization, then the
/// tangent and the adjoint, each cleared of dead stores. An internal failure becomes a diagnostic that names the method; it never escapes.
/// </summary>
internal static class Differentiator
{
    public static DifferentiationResult Run(ParseResult parsed)
    {
        if (parsed.Model is not { } method)
        {
            return new DifferentiationResult(null, parsed.Diagnostics);
        }

        try
        {
            var scope = new NameScope(method.Parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(method.Body)));
            var (body, result) = ExitNormalizer.Normalize(method, scope);
            var active = ActivityAnalysis.Run(method, body, result);
            var program = Linearizer.Run(method, body, active, result, scope);
            var tangent = DeadStoreElimination.Run(TangentPass.Run(method, program, scope.Clone()));
            var adjoint = DeadStoreElimination.Run(AdjointPass.Run(method, program, scope.Clone()));
            var model = new DerivativeModel(method.Location, method.HintName, EquatableArray.Of(tangent, adjoint), method.Name, method.SourceLocation);
            return new DifferentiationResult(model, parsed.Diagnostics);
        }
        catch (Exception exception)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, method.SourceLocation, method.Name, exception.GetType().Name + ": " + exception.Message);
            return new DifferentiationResult(null, EquatableArray.Of(diagnostic));
        }
    }
}
