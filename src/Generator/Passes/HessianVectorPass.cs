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
/// <remarks>
/// The same differentiation with the tangents active gives <c>{Name}TangentAdjoint</c>, the adjoint of the tangent
/// part <c>(x, xDot) ↦ ∇f(x)·xDot</c>: xBar += resultBar·H·xDot and xDotBar += resultBar·∇f. A caller's
/// second order needs it for each call: in the tangent code a call <c>(y, yDot) = FTangent(x, xDot)</c> is the
/// primal <c>y = F(x)</c>, differentiated by <c>FAdjoint</c>, and the tangent part <c>yDot = FTangent(x, xDot).Tangent</c>,
/// a call to a directional callee whose adjoint is <c>FTangentAdjoint</c>.
/// </remarks>
internal static class HessianVectorPass
{
    public static GeneratedMethod Run(MethodModel method, LinearizedProgram program, NameScope scope)
    {
        var adjoint = AdjointOfTangent(method, program, scope, "V", directionsActive: false, "Hv");

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
        return new GeneratedMethod(
            method.Name + "HessianVector",
            $"Hessian-vector product of <c>{method.Name}</c>: adds H·v to the accumulators, where v is given by the directions (xV) and H is the Hessian with respect to the active inputs.",
            method.Accessibility,
            "void",
            ordered.ToEquatableArray(),
            new Block(DirectionChecks(method, "V")
                .Concat(adjoint.Body.Statements.TakeWhile(s => s is LengthCheck or OverlapCheck))
                .Append(seed)
                .Concat(adjoint.Body.Statements.SkipWhile(s => s is LengthCheck or OverlapCheck))
                .ToEquatableArray()));
    }

    /// <summary>
    /// <c>{Name}TangentAdjoint</c>: the adjoint of the tangent's Tangent as a function of the inputs and their tangents,
    /// each active input followed by its adjoint, its tangent and the tangent's adjoint, then <c>resultBar</c>.
    /// </summary>
    public static GeneratedMethod RunTangentAdjoint(MethodModel method, LinearizedProgram program, NameScope scope)
    {
        var adjoint = AdjointOfTangent(method, program, scope, "Dot", directionsActive: true, "Bar");
        return adjoint with
        {
            Name = method.Name + "TangentAdjoint",
            Summary = $"Adjoint of the tangent of <c>{method.Name}</c> (its Tangent, a function of the inputs x and their tangents xDot): adds resultBar·H·xDot to each xBar and resultBar·∇f to each xDotBar. A caller's HessianVector calls it.",
            Body = new Block(DirectionChecks(method, "Dot").Concat(adjoint.Body.Statements).ToEquatableArray()),
        };
    }

    private static IEnumerable<Stmt> DirectionChecks(MethodModel method, string suffix)
        => method.Parameters
            .Where(p => p.IsActive && p.Type.IsCollection)
            .Select(p => (Stmt)new LengthCheck(p.Name + suffix, p.Name));

    /// <summary>The adjoint of the tangent (its Tangent only), the tangents named x{tangentSuffix}, active or not.</summary>
    private static GeneratedMethod AdjointOfTangent(MethodModel method, LinearizedProgram program, NameScope scope, string tangentSuffix, bool directionsActive, string adjointSuffix)
    {
        var tangent = TangentPass.Run(method, program, scope.Clone(), tangentSuffix);
        var parameters = new List<Parameter>();
        foreach (var parameter in method.Parameters)
        {
            parameters.Add(parameter);
            if (parameter.IsActive)
            {
                parameters.Add(new Parameter(parameter.Name + tangentSuffix, parameter.Type, parameter.Mode, IsActive: directionsActive));
            }
        }

        var statements = tangent.Body.Statements
            .Where(s => s is not (LengthCheck or OverlapCheck))
            .Select(s => s is Return { Value: TupleLiteral pair } ? new Return(pair.Items[1]) : s)
            .SelectMany(SplitTangentCalls)
            .ToList();

        // The zero tangents the tangent pass gives inactive spans passed to a callee (new T[x.Length]) move to the
        // top level, where the adjoint pass expects span locals: just before the top-level statement that holds them,
        // when their lengths are those of parameters or of span locals declared before it (top level too).
        var available = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var body = new List<Stmt>();
        foreach (var statement in statements)
        {
            var hoisted = new List<Stmt>();
            var kept = Hoist(statement, hoisted, available);
            body.AddRange(hoisted);
            body.Add(kept);
            if (statement is Declare { Type.IsCollection: true } collection)
            {
                available.Add(collection.Name);
            }
        }

        var directional = method with { Name = method.Name + "Tangent", Parameters = parameters.ToEquatableArray(), Body = new Block(body.ToEquatableArray()) };

        var directionalScope = new NameScope(parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(directional.Body)));
        var (normalized, result) = ExitNormalizer.Normalize(directional, directionalScope);
        var active = ActivityAnalysis.Run(directional, normalized, result);
        var linearized = Linearizer.Run(directional, normalized, active, result, directionalScope);
        return AdjointPass.Run(directional, linearized, directionalScope.Clone(), adjointSuffix);
    }

    /// <summary>
    /// A callee's tangent <c>(y, yDot) = FTangent(x, xDot)</c> becomes its primal <c>y = F(x)</c> and its tangent part
    /// <c>yDot = FTangent(x, xDot).Tangent</c>, two scalar-valued calls that the adjoint pass differentiates with
    /// <c>FAdjoint</c> and <c>FTangentAdjoint</c>. (Order = 2 callees have no ref or out parameters.)
    /// </summary>
    private static IEnumerable<Stmt> SplitTangentCalls(Stmt statement)
    {
        switch (statement)
        {
            case TupleAssign { Value: Call { Variant: CallVariant.Tangent } call } pair:
                var primal = PrimalOf(call);
                var directional = DirectionalOf(call);
                return pair.Declares
                    ? new Stmt[] { new Declare(pair.Targets[0], call.Type, primal), new Declare(pair.Targets[1], call.Type, directional) }
                    : new Stmt[] { new Assign(pair.Targets[0], primal), new Assign(pair.Targets[1], directional) };
            case CallStatement { Call: { Variant: CallVariant.Tangent } call } c:
                // A value discarded: only the primal's effects remain.
                return new Stmt[] { new CallStatement(PrimalOf(call), c.Origin) };
            case If i:
                return new Stmt[] { i with { Then = Split(i.Then), Else = Split(i.Else) } };
            case Loop l:
                return new Stmt[] { l with { Body = Split(l.Body), Step = Split(l.Step) } };
            default:
                return new[] { statement };
        }
    }

    private static Stmt Hoist(Stmt statement, List<Stmt> hoisted, HashSet<string> available)
    {
        Block Nested(Block block)
        {
            var kept = new List<Stmt>();
            foreach (var inner in block.Statements)
            {
                if (inner is Declare { Init: NewCollection created } d && IrWalker.FreeVariables(created).All(available.Contains))
                {
                    hoisted.Add(d);
                }
                else
                {
                    kept.Add(Hoist(inner, hoisted, available));
                }
            }

            return new Block(kept.ToEquatableArray());
        }

        return statement switch
        {
            If i => i with { Then = Nested(i.Then), Else = Nested(i.Else) },
            Loop l => l with { Body = Nested(l.Body), Step = Nested(l.Step) },
            _ => statement,
        };
    }

    private static Block Split(Block block) => new(block.Statements.SelectMany(SplitTangentCalls).ToEquatableArray());

    /// <summary>The tangent call's primal: its arguments without the tangents.</summary>
    private static Call PrimalOf(Call tangent)
    {
        var arguments = new List<Argument>();
        var k = 0;
        foreach (var parameter in tangent.Callee.Parameters)
        {
            arguments.Add(tangent.Arguments[k++]);
            if (parameter.IsActive)
            {
                k++;
            }
        }

        return tangent with { Variant = CallVariant.Primal, Arguments = ReadOnlyCollections(arguments, tangent.Callee.Parameters) };
    }

    /// <summary>
    /// The span and array arguments of an Order = 2 callee's active parameters, which it only reads (it may not write
    /// them, and the hand-written reductions take read-only spans): marked so, no analysis counts them as outputs.
    /// </summary>
    private static EquatableArray<Argument> ReadOnlyCollections(IEnumerable<Argument> arguments, EquatableArray<CalleeParameter> parameters)
        => arguments.Select((a, k) => a.Value.Type.IsCollection && parameters[k].IsActive ? a with { ReadOnly = true } : a).ToEquatableArray();

    /// <summary>The tangent call as a call of the callee's tangent part, every active input followed by its tangent.</summary>
    private static Call DirectionalOf(Call tangent)
    {
        var parameters = tangent.Callee.Parameters.SelectMany(p => p.IsActive ? new[] { p, p } : new[] { p }).ToEquatableArray();
        return tangent with
        {
            Variant = CallVariant.Primal,
            Callee = tangent.Callee with { Directional = true, Parameters = parameters },
            Arguments = ReadOnlyCollections(tangent.Arguments, parameters),
        };
    }
}
