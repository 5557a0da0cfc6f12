using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Second order, by differentiating generated code: H·v = ∇ₓ(∇f(x)·v), the gradient of the directional derivative
/// that the tangent computes. The tangent (with directions named xV) becomes a method of its own, returning only
/// its tangent, with the directions as inputs that are not differentiated; the adjoint pass then differentiates it,
/// its accumulators named xHv and its output's adjoint seeded with one.
/// </summary>
internal static class HessianVectorPass
{
    public static GeneratedMethod Run(MethodModel method, LinearizedProgram program, NameScope scope)
    {
        var tangent = TangentPass.Run(method, program, scope.Clone(), "V");
        var parameters = new List<Parameter>();
        foreach (var parameter in method.Parameters)
        {
            parameters.Add(parameter);
            if (parameter.IsActive)
            {
                parameters.Add(new Parameter(parameter.Name + "V", parameter.Type, parameter.Mode, IsActive: false));
            }
        }

        var body = tangent.Body.Statements
            .Where(s => s is not (LengthCheck or OverlapCheck))
            .Select(s => s is Return { Value: TupleLiteral pair } ? new Return(pair.Items[1]) : s)
            .ToEquatableArray();
        var directional = method with { Parameters = parameters.ToEquatableArray(), Body = new Block(body) };

        var directionalScope = new NameScope(parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(directional.Body)));
        var (normalized, result) = ExitNormalizer.Normalize(directional, directionalScope);
        var active = ActivityAnalysis.Run(directional, normalized, result);
        var linearized = Linearizer.Run(directional, normalized, active, result, directionalScope);
        var adjoint = AdjointPass.Run(directional, linearized, directionalScope.Clone(), "Hv");

        // The contract's order: each active input, its direction, its accumulator; the rest in place.
        var generated = adjoint.Parameters.ToDictionary(p => p.Name);
        var ordered = new List<GeneratedParameter>();
        foreach (var parameter in method.Parameters)
        {
            ordered.Add(generated[parameter.Name]);
            if (parameter.IsActive)
            {
                ordered.Add(generated[parameter.Name + "V"]);
                ordered.Add(generated[parameter.Name + "Hv"]);
            }
        }

        var seed = new Declare("resultBar", method.ReturnType, Literal.One(method.ReturnType));
        var directionChecks = method.Parameters
            .Where(p => p.IsActive && p.Type.IsCollection)
            .Select(p => (Stmt)new LengthCheck(p.Name + "V", p.Name));
        return new GeneratedMethod(
            method.Name + "HessianVector",
            $"Hessian-vector product of <c>{method.Name}</c>: adds H·v to the accumulators, where v is given by the directions (xV) and H is the Hessian with respect to the active inputs.",
            method.Accessibility,
            "void",
            ordered.ToEquatableArray(),
            new Block(directionChecks
                .Concat(adjoint.Body.Statements.TakeWhile(s => s is LengthCheck or OverlapCheck))
                .Append(seed)
                .Concat(adjoint.Body.Statements.SkipWhile(s => s is LengthCheck or OverlapCheck))
                .ToEquatableArray()));
    }
}
