using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Span drivers for a method in elementwise form: void, scalar parameters only, no loops, calls or span writes.
/// A <c>ref</c> parameter is per-element state (a span), a plain active one a per-element input (a read-only span),
/// [Hyper], [NoDiff], integer and bool ones are uniform (unless [PerElement]). The primal, the tangent and the adjoint
/// each get one, applying the scalar element function to every element; so does the vector-mode tangent, whose per-element
/// tangents are direction-major (direction j of element i at j·n + i) and whose vector loop is written from the
/// single-direction tangent.
/// </summary>
internal static class SpanDriverPass
{
    /// <summary>Whether the method gets span drivers (and the vector-mode tangent they drive).</summary>
    public static bool IsElementwise(MethodModel method)
        => method.ReturnType.Kind == ScalarKind.Void
           && method.Parameters.Count > 0
           && method.Parameters.All(p => !p.Type.IsCollection && p.Mode is PassingMode.Value or PassingMode.Ref or PassingMode.In)
           && method.Parameters.Any(p => !p.IsUniform)
           && IsStraightLine(method.Body);

    public static EquatableArray<SpanDriver> Run(MethodModel method, Block normalizedBody, GeneratedMethod tangent, GeneratedMethod tangents, IReadOnlyCollection<string> tangentNames, GeneratedMethod adjoint)
    {
        if (!IsElementwise(method))
        {
            return EquatableArray<SpanDriver>.Empty;
        }

        var byName = method.Parameters.ToDictionary(p => p.Name);
        var primal = new GeneratedMethod(
            method.Name,
            $"<c>{method.Name}</c> applied to every element.",
            method.Accessibility,
            "void",
            method.Parameters.Select(p => new GeneratedParameter(p.Name, p.Type, p.Mode)).ToEquatableArray(),
            normalizedBody);

        DriverRole Primal(Parameter p) => p.IsUniform ? DriverRole.Uniform : p.Mode == PassingMode.Ref ? DriverRole.ElementState : DriverRole.ElementInput;

        var drivers = new List<SpanDriver>
        {
            new(primal, method.Parameters.Select(p => new DriverParameter(p.Name, p.Type, Primal(p))).ToEquatableArray()),
            new(tangent, tangent.Parameters.Select(g => new DriverParameter(g.Name, g.Type, Primal(Owner(g.Name, "Dot", byName)))).ToEquatableArray()),

            new(adjoint, adjoint.Parameters.Select(g =>
            {
                if (byName.TryGetValue(g.Name, out var own))
                {
                    return new DriverParameter(g.Name, g.Type, own.IsUniform ? DriverRole.Uniform : DriverRole.ElementInput);
                }

                var owner = Owner(g.Name, "Bar", byName);
                return new DriverParameter(g.Name, g.Type, owner.IsUniform ? DriverRole.UniformAccumulator : DriverRole.ElementState);
            }).ToEquatableArray()),
        };
        drivers.Insert(2, new SpanDriver(tangents, tangents.Parameters.Select(g =>
        {
            var role = Primal(Owner(g.Name, "Dot", byName));
            return new DriverParameter(g.Name, g.Type, !g.Type.IsCollection ? role : role == DriverRole.Uniform ? DriverRole.UniformDirections : DriverRole.ElementDirections);
        }).ToEquatableArray(), new DirectionElement(tangent, tangentNames.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray())));

        return drivers.ToEquatableArray();
    }

    private static bool IsStraightLine(Block block) => block.Statements.All(s => s switch
    {
        Loop or Store or CallStatement or Break or Continue => false,
        If i => IsStraightLine(i.Then) && IsStraightLine(i.Else),
        Declare d => d.Init is null || !IrWalker.Any(d.Init, e => e is Call),
        Assign a => !IrWalker.Any(a.Value, e => e is Call),
        _ => true,
    });

    /// <summary>The parameter whose tangent or adjoint <paramref name="name"/> is (x for xDot, xBar), or the parameter itself.</summary>
    private static Parameter Owner(string name, string suffix, Dictionary<string, Parameter> parameters)
        => parameters.TryGetValue(name, out var own) ? own : parameters[name.Substring(0, name.Length - suffix.Length)];
}
