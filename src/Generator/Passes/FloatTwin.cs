using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// The float twin of a double [OptimizerStep] method whose type has no float step of that name: the same IR with every
/// double (values, locals, literals, casts, Math calls, which the emitters then print as MathF) made float. It is
/// differentiated like any parsed method, and its primal is emitted too, so that an optimizer is written once and
/// gets both vectorized steps. Only straight-line steps (assignments and branches over scalars) are twinned, which is
/// every step that has a vectorized form at all (a loop or a call makes a step not elementwise: AHG0009).
/// </summary>
internal static class FloatTwin
{
    /// <summary>The twin of <paramref name="method"/>, or null where it has none.</summary>
    public static MethodModel? Of(MethodModel method)
    {
        if (method.VectorizedStep is not { Element.Kind: ScalarKind.Double, HasSingle: false } step
            || method.Parameters.Any(p => p.Type.IsCollection)
            || !method.Body.Statements.All(Twinnable))
        {
            return null;
        }

        return method with
        {
            ReturnType = Single(method.ReturnType),
            Parameters = method.Parameters.Select(p => p with { Type = Single(p.Type) }).ToEquatableArray(),
            Body = Retype(method.Body),
            HintName = method.HintName.Substring(0, method.HintName.Length - ".g.cs".Length) + "_Single.g.cs",
            VectorizedStep = step with
            {
                Element = IrType.Float,
                Options = step.Options.Select(o => o with { TypeName = o.TypeName == "double" ? "float" : o.TypeName }).ToEquatableArray(),
                Factory = false,
                HasDouble = true,
                HasSingle = true,
            },
            IsFloatTwin = true,
        };
    }

    /// <summary>
    /// The twin's primal, with the attributes of the double step, so that it reads (and reflects) as the step it is:
    /// [Differentiable, OptimizerStep], [Hyper] with the same default and domain, [PerElement], [NoDiff] on the options.
    /// </summary>
    public static GeneratedMethod Primal(MethodModel twin)
    {
        const string Attributes = "global::AutoHypergrad.";
        var step = twin.VectorizedStep!;
        var parameters = twin.Parameters.Select(p =>
        {
            var hyper = step.Hyperparameters.FirstOrDefault(h => h.Name == p.Name);
            var attributes = hyper is not null
                ? $"[{(hyper.PerElement ? Attributes + "PerElement, " : "")}{Attributes}Hyper(Default = {Emit.HyperparameterSyntax.Default(hyper)}, Domain = {Emit.HyperparameterSyntax.Domain(hyper)})] "
                : step.Options.Any(o => o.Name == p.Name) ? $"[{Attributes}NoDiff] " : "";
            return new GeneratedParameter(p.Name, p.Type, p.Mode, attributes);
        });
        return new GeneratedMethod(
            twin.Name,
            $"{twin.Name} in float: the generated twin of the double method, statement for statement.",
            twin.Accessibility,
            twin.ReturnType.Name,
            parameters.ToEquatableArray(),
            twin.Body,
            $"[{Attributes}Differentiable, {Attributes}OptimizerStep]");
    }

    private static IrType Single(IrType type) => type.Kind == ScalarKind.Double && type.Shape == TypeShape.Scalar ? IrType.Float : type;

    /// <summary>Statements the twin can be written for: straight-line code and branches, with no calls or tuples.</summary>
    private static bool Twinnable(Stmt statement) => statement switch
    {
        Declare or Assign or Store or Return or Comment => !Expressions(statement).Any(e => IrWalker.Any(e, x => x is Call or TupleLiteral || x.Type.IsCollection)),
        If i => !IrWalker.Any(i.Condition, x => x is Call or TupleLiteral) && i.Then.Statements.All(Twinnable) && i.Else.Statements.All(Twinnable),
        _ => false,
    };

    private static Expr[] Expressions(Stmt statement) => statement switch
    {
        Declare d => d.Init is { } init ? new[] { init } : new Expr[0],
        Assign a => new[] { a.Value },
        Store s => new[] { s.Index, s.Value },
        Return r => r.Value is { } value ? new[] { value } : new Expr[0],
        _ => new Expr[0],
    };

    private static Block Retype(Block block) => new(block.Statements.Select(Retype).ToEquatableArray());

    private static Stmt Retype(Stmt statement) => statement switch
    {
        Declare d => d with { Type = Single(d.Type), Init = d.Init is { } init ? Retype(init) : null },
        Assign a => a with { Value = Retype(a.Value) },
        Store s => s with { Index = Retype(s.Index), Value = Retype(s.Value) },
        Return r => r with { Value = r.Value is { } value ? Retype(value) : null },
        If i => i with { Condition = Retype(i.Condition), Then = Retype(i.Then), Else = Retype(i.Else) },
        _ => statement,
    };

    /// <summary>The expression with its children retyped, then its own type.</summary>
    private static Expr Retype(Expr expression)
    {
        var rebuilt = IrWalker.Rewrite(expression, node => ReferenceEquals(node, expression) ? null : Retype(node));
        return rebuilt with { Type = Single(rebuilt.Type) };
    }
}
