using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Rules;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Runs the passes over one parsed method: return normalization, activity analysis, linearization, then the
/// tangent and the adjoint, each cleared of dead stores. An internal failure becomes a diagnostic that names the method; it never escapes.
/// </summary>
internal static class Differentiator
{
    public static DifferentiationResult Run(ParseResult parsed, DerivativeRegistry registry)
        => Differentiate(parsed, registry) with
        {
            Key = parsed.Key,
            Callees = parsed.Model is { } method ? CalleeFailures.DifferentiableCallees(method.Body) : EquatableArray<string>.Empty,
        };

    private static DifferentiationResult Differentiate(ParseResult parsed, DerivativeRegistry registry)
    {
        if (parsed.Model is not { } parsedMethod)
        {
            return new DifferentiationResult(null, parsed.Diagnostics);
        }

        var (method, unresolved) = CustomDerivatives.Resolve(parsedMethod, registry);
        if (unresolved.Length > 0)
        {
            return new DifferentiationResult(null, parsed.Diagnostics.Concat(unresolved).ToEquatableArray());
        }

        try
        {
            var scope = new NameScope(method.Parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(method.Body)));
            var (body, result) = ExitNormalizer.Normalize(method, scope);
            var active = ActivityAnalysis.Run(method, body, result);
            var program = Linearizer.Run(method, body, active, result, scope);
            var (tangentMethod, tangentNames) = TangentPass.RunWithTangentNames(method, program, scope.Clone());
            var tangent = DeadStoreElimination.Run(tangentMethod);
            var reversed = program with { Statements = Linearizer.ReuseValuesAcrossStatements(program.Statements) };
            var adjoint = DeadStoreElimination.Run(AdjointPass.Run(method, reversed, scope.Clone()));
            var methods = new List<GeneratedMethod> { tangent, adjoint };
            if (method.IsFloatTwin)
            {
                // The twin's primal exists nowhere else: it is written here, before its derivatives.
                methods.Insert(0, FloatTwin.Primal(method));
            }

            if (method.Order == 2)
            {
                methods.Add(DeadStoreElimination.Run(HessianVectorPass.Run(method, program, scope)));
                methods.Add(DeadStoreElimination.Run(HessianVectorPass.RunTangentAdjoint(method, program, scope)));
            }

            var drivers = EquatableArray<SpanDriver>.Empty;
            if (SpanDriverPass.IsElementwise(method))
            {
                var tangents = MultiTangentPass.Run(tangent, tangentNames);
                methods.Add(tangents);
                drivers = SpanDriverPass.Run(method, body, tangent, tangents, tangentNames, adjoint);
            }

            // A vectorized step calls the primal, vector-mode tangent and adjoint drivers; without them there is none.
            var diagnostics = parsed.Diagnostics;
            var vectorizedStep = method.VectorizedStep;
            if (vectorizedStep is not null && !drivers.Any(d => d.Directions is not null))
            {
                diagnostics = diagnostics.Concat(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.OptimizerStepNotElementwise, method.SourceLocation, method.Name) }).ToEquatableArray();
                vectorizedStep = null;
            }

            var model = new DerivativeModel(method.Location, method.HintName, methods.ToEquatableArray(), method.Name, method.SourceLocation, drivers, vectorizedStep, method.Objective);
            return new DifferentiationResult(model, diagnostics);
        }
        catch (Exception exception)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, method.SourceLocation, method.Name, exception.GetType().Name + ": " + exception.Message);
            return new DifferentiationResult(null, EquatableArray.Of(diagnostic));
        }
    }
}
