using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Vector-mode tangents: the tangent of an elementwise method carrying k directions at once, for forward-mode
/// hypergradients with several hyperparameters. The primal runs once; each tangent variable becomes a span of k
/// values and each tangent statement a loop over the directions. <c>{Name}VectorModeTangent(ref w, Span wDots, …, lr,
/// ReadOnlySpan lrDots, …)</c>: every tangent is a span of length k (the number of directions).
/// </summary>
internal static class MultiTangentPass
{
    /// <summary>
    /// The vector-mode tangent. The tangents of a by-value input are a read-only span: where the method overwrites
    /// the input (and so its tangent), the tangent statements work on a copy of them, a local span.
    /// </summary>
    public static GeneratedMethod Run(GeneratedMethod tangent, IReadOnlyCollection<string> tangentNames)
    {
        var tangents = new HashSet<string>(tangentNames);
        var names = new NameScope(tangent.Parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(tangent.Body)));
        var directions = names.Fresh("directions");
        var direction = names.Fresh("d");

        var copies = tangent.Parameters
            .Where(p => tangents.Contains(p.Name) && p.Mode != PassingMode.Ref && Assigns(tangent.Body.Statements, p.Name))
            .ToDictionary(p => p.Name, p => names.Fresh(p.Name + "Copy"));
        tangents.UnionWith(copies.Values);
        var statements = IrWalker.Rename(tangent.Body.Statements, copies);

        var parameters = tangent.Parameters
            .Select(p => tangents.Contains(p.Name)
                ? new GeneratedParameter(p.Name, p.Mode == PassingMode.Ref ? IrType.Collection(TypeShape.Span, p.Type) : IrType.Collection(TypeShape.ReadOnlySpan, p.Type), PassingMode.Value)
                : p)
            .ToList();
        var first = parameters.First(p => tangents.Contains(p.Name)).Name;

        var body = new List<Stmt>
        {
            new Declare(directions, IrType.Int, new LengthOf(first)),
        };
        body.AddRange(parameters.Where(p => tangents.Contains(p.Name) && p.Name != first).Select(p => (Stmt)new LengthCheck(p.Name, first)));
        body.Add(new Declare(direction, IrType.Int, Literal.Zero(IrType.Int)));
        foreach (var copy in copies)
        {
            var type = tangent.Parameters.First(p => p.Name == copy.Key).Type;
            body.AddRange(Statements(new[] { new Declare(copy.Value, type, new VarRef(copy.Key, type)) }, tangents, directions, direction));
        }

        body.AddRange(Statements(statements, tangents, directions, direction));

        return new GeneratedMethod(
            tangent.Name.Substring(0, tangent.Name.Length - "Tangent".Length) + "VectorModeTangent",
            $"Vector-mode tangent of <c>{tangent.Name.Substring(0, tangent.Name.Length - "Tangent".Length)}</c>: the primal once, and every tangent as a span of k directions (all of equal length k).",
            tangent.Accessibility,
            "void",
            parameters.ToEquatableArray(),
            new Block(body.ToEquatableArray()));
    }

    private static bool Assigns(IEnumerable<Stmt> statements, string name) => statements.Any(s => s switch
    {
        Assign a => a.Target == name,
        If i => Assigns(i.Then.Statements, name) || Assigns(i.Else.Statements, name),
        _ => false,
    });

    private static IEnumerable<Stmt> Statements(IEnumerable<Stmt> statements, HashSet<string> tangents, string directions, string direction)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declare d when tangents.Contains(d.Name):
                    var span = IrType.Collection(TypeShape.Span, d.Type);
                    yield return new Declare(d.Name, span, new NewCollection(new VarRef(directions, IrType.Int), span));
                    if (d.Init is not null)
                    {
                        foreach (var s in EachDirection(d.Name, d.Init, tangents, directions, direction))
                        {
                            yield return s;
                        }
                    }

                    break;
                case Assign a when tangents.Contains(a.Target):
                    foreach (var s in EachDirection(a.Target, a.Value, tangents, directions, direction))
                    {
                        yield return s;
                    }

                    break;
                case If i:
                    yield return i with
                    {
                        Then = new Block(Statements(i.Then.Statements, tangents, directions, direction).ToEquatableArray()),
                        Else = new Block(Statements(i.Else.Statements, tangents, directions, direction).ToEquatableArray()),
                    };
                    break;
                case LengthCheck or OverlapCheck:
                    break;
                default:
                    yield return statement;
                    break;
            }
        }
    }

    /// <summary>for (d = 0; d &lt; directions; d++) target[d] = value, each tangent read at direction d.</summary>
    private static IEnumerable<Stmt> EachDirection(string target, Expr value, HashSet<string> tangents, string directions, string direction)
    {
        var d = new VarRef(direction, IrType.Int);
        var atDirection = AtDirection(value, tangents, d);
        yield return new Assign(direction, Literal.Zero(IrType.Int));
        yield return new Loop(
            new Block(EquatableArray.Of<Stmt>(new Store(target, d, atDirection))),
            new Binary(BinaryOp.Less, d, new VarRef(directions, IrType.Int), IrType.Bool),
            true,
            new Block(EquatableArray.Of<Stmt>(new Assign(direction, new Binary(BinaryOp.Add, d, Literal.One(IrType.Int), IrType.Int)))));
    }

    /// <summary>The expression in direction <paramref name="direction"/>: every tangent variable read as its element there.</summary>
    public static Expr AtDirection(Expr value, ICollection<string> tangents, Expr direction)
        => IrWalker.Rewrite(value, e => e is VarRef v && tangents.Contains(v.Name) ? new ElementAccess(v.Name, direction, v.Type) : null);
}
