using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Forward mode: each active value v is followed by its tangent vDot, the linear form evaluated at the inputs'
/// tangents. Every active parameter is followed by its tangent, passed the same way; the result is returned as
/// <c>(Value, Tangent)</c>.
/// </summary>
internal sealed class TangentPass
{
    private readonly LinearizedProgram _program;
    private readonly NameScope _scope;
    private readonly Dictionary<string, string> _dots = new();

    private TangentPass(LinearizedProgram program, NameScope scope)
    {
        _program = program;
        _scope = scope;
    }

    // suffix: that of the parameters' tangents, Dot, or V for the directions of a Hessian-vector product.
    public static GeneratedMethod Run(MethodModel method, LinearizedProgram program, NameScope scope, string suffix = "Dot")
        => RunWithTangentNames(method, program, scope, suffix).Method;

    /// <summary>The tangent method, and the names of every tangent variable in it (parameters and locals).</summary>
    public static (GeneratedMethod Method, IReadOnlyCollection<string> Tangents) RunWithTangentNames(MethodModel method, LinearizedProgram program, NameScope scope, string suffix = "Dot")
    {
        var pass = new TangentPass(program, scope);
        var parameters = new List<GeneratedParameter>();
        var checks = new List<Stmt>();
        foreach (var parameter in method.Parameters)
        {
            parameters.Add(new GeneratedParameter(parameter.Name, parameter.Type, parameter.Mode));
            if (parameter.IsActive)
            {
                var dot = parameter.Name + suffix;
                pass._dots[parameter.Name] = dot;
                scope.Claim(dot);
                parameters.Add(new GeneratedParameter(dot, parameter.Type, parameter.Mode));
                if (parameter.Type.IsCollection)
                {
                    checks.Add(new LengthCheck(dot, parameter.Name));
                }
            }
        }

        var body = checks;
        body.AddRange(AdjointPass.OverlapChecks(method, program));
        foreach (var parameter in method.Parameters.Where(p => !p.IsActive && program.Active.Contains(p.Name)))
        {
            // A [NoDiff] parameter that the body assigns an active value: its input's tangent is zero, and from
            // the assignment on it carries one, in a local.
            body.Add(ZeroTangent(pass.Dot(parameter.Name), parameter));
        }

        body.AddRange(pass.Statements(program.Statements));
        var returnType = "void";
        if (program.Result is { } result)
        {
            var type = method.ReturnType;
            returnType = $"({type.Name} Value, {type.Name} Tangent)";
            body.Add(new Return(new TupleLiteral(
                EquatableArray.Of<Expr>(new VarRef(result, type), new VarRef(pass.Dot(result), type)),
                new IrType(ScalarKind.Other, returnType))));
        }

        var generated = new GeneratedMethod(
            method.Name + "Tangent",
            $"Forward mode (tangent) of <c>{method.Name}</c>: each active input is followed by its tangent; returns the value and its tangent.",
            method.Accessibility,
            returnType,
            parameters.ToEquatableArray(),
            new Block(body.ToEquatableArray()));
        return (generated, pass._dots.Values.ToList());
    }

    /// <summary>A zero tangent for an inactive parameter: a scalar, or an array of the parameter's length.</summary>
    internal static Declare ZeroTangent(string name, Parameter parameter)
    {
        if (!parameter.Type.IsCollection)
        {
            return new Declare(name, parameter.Type, Literal.Zero(parameter.Type));
        }

        var array = IrType.Collection(TypeShape.Array, parameter.Type.Element);
        return new Declare(name, array, new NewCollection(new LengthOf(parameter.Name), array));
    }

    /// <summary>The name of a variable's tangent: xDot for parameters, vDot (or a fresh variant) for the rest.</summary>
    private string Dot(string variable)
    {
        if (!_dots.TryGetValue(variable, out var dot))
        {
            dot = _scope.Fresh(variable + "Dot");
            _dots[variable] = dot;
        }

        return dot;
    }

    private List<Stmt> Statements(IEnumerable<LinStmt> statements)
    {
        var output = new List<Stmt>();
        foreach (var statement in statements)
        {
            Statement(statement, output);
        }

        return output;
    }

    private void Statement(LinStmt statement, List<Stmt> output)
    {
        switch (statement)
        {
            case LinGroup group:
                if (group.Origin is not null && group.Statements.Count > 1)
                {
                    output.Add(new Comment(group.Origin));
                }

                GroupStatements(group.Statements, output);
                break;

            case LinDeclare d:
                output.Add(new Declare(d.Name, d.Type, null));
                if (d.Active)
                {
                    output.Add(new Declare(Dot(d.Name), d.Type, null));
                }

                break;

            case LinAssign a:
                Assignment(a, output);
                break;

            case LinIf i:
                output.Add(new If(i.Condition, ToBlock(Statements(i.Then)), ToBlock(Statements(i.Else))));
                break;

            case LinLoop l:
                output.Add(new Loop(ToBlock(Statements(l.Body)), l.Condition, l.TestFirst, ToBlock(Statements(l.Step)), l.Origin));
                break;

            case LinStore st:
                if (st.Active)
                {
                    // Tangent first: the form may read the element the store overwrites.
                    var tangent = LinearForms.Convert(Evaluate(st.Linear), st.Type) ?? Literal.Zero(st.Type);
                    output.Add(new Store(Dot(st.Collection), st.Index, tangent));
                }

                output.Add(new Store(st.Collection, st.Index, st.Primal));
                break;

            case LinCall c:
                Call(c, output);
                break;
        }
    }

    /// <summary>
    /// The statements of one source statement. Where a derivative rule needs a function value that a later temporary
    /// of the statement computes (d sin x = cos x dx, with cos x computed next, as in sin x · cos x), the values of the
    /// temporaries up to that one are computed first and their tangents then, reading it instead of computing it
    /// again, as reverse mode does; the tangents are the same, bit for bit.
    /// </summary>
    private void GroupStatements(IReadOnlyList<LinStmt> statements, List<Stmt> output)
    {
        var reusing = Linearizer.ReuseValuesInAnyOrder(statements);
        var last = -1;
        for (var j = 0; j < reusing.Count; j++)
        {
            if (reusing[j] is LinAssign { Definition: Definition.Declaration } value
                && reusing.Take(j).Any(s => s switch
                {
                    LinAssign { Linear: { } linear } => IrWalker.FreeVariables(linear).Contains(value.Target),
                    LinStore { Linear: { } linear } => IrWalker.FreeVariables(linear).Contains(value.Target),
                    _ => false,
                }))
            {
                last = j;
            }
        }

        // Only temporaries before it (fresh names: computing their values first overwrites nothing a tangent reads).
        if (last < 0 || !reusing.Take(last + 1).All(s => s is LinAssign { Definition: Definition.Declaration, Primal: not NewCollection }))
        {
            foreach (var statement in statements)
            {
                Statement(statement, output);
            }

            return;
        }

        var tangents = new List<Stmt>();
        foreach (LinAssign a in reusing.Take(last + 1))
        {
            var (primal, tangent, _) = AssignmentParts(a);
            output.Add(primal);
            if (tangent is not null)
            {
                tangents.Add(tangent);
            }
        }

        output.AddRange(tangents);
        foreach (var statement in reusing.Skip(last + 1))
        {
            Statement(statement, output);
        }
    }

    private void Assignment(LinAssign a, List<Stmt> output)
    {
        var (primal, tangent, tangentFirst) = AssignmentParts(a);
        if (tangent is not null && tangentFirst)
        {
            output.Add(tangent);
        }

        output.Add(primal);
        if (tangent is not null && !tangentFirst)
        {
            output.Add(tangent);
        }
    }

    /// <summary>The value's statement, its tangent's (none where it does not change), and whether the tangent goes first.</summary>
    private (Stmt Primal, Stmt? Tangent, bool TangentFirst) AssignmentParts(LinAssign a)
    {
        var primal = a.Definition == Definition.Declaration ? (Stmt)new Declare(a.Target, a.Type, a.Primal) : new Assign(a.Target, a.Primal);
        if (!a.Active)
        {
            return (primal, null, false);
        }

        if (a.Primal is NewCollection created)
        {
            // A new span or array: its tangent is a new one of the same length, zero like it.
            return (primal, new Declare(Dot(a.Target), a.Type, created), false);
        }

        var tangentValue = LinearForms.Convert(Evaluate(a.Linear), a.Type) ?? Literal.Zero(a.Type);
        if (a.Definition == Definition.Overwrite && tangentValue is VarRef same && same.Name == Dot(a.Target))
        {
            // v = v + c: the tangent is unchanged.
            return (primal, null, false);
        }

        var tangent = a.Definition == Definition.Declaration
            ? (Stmt)new Declare(Dot(a.Target), a.Type, tangentValue)
            : new Assign(Dot(a.Target), tangentValue);

        // Where the value reads the target's old value, so may its tangent: update the tangent first.
        return (primal, tangent, a.Definition == Definition.Overwrite && IrWalker.FreeVariables(a.Primal).Contains(a.Target));
    }

    private void Call(LinCall c, List<Stmt> output)
    {
        if (!c.Active)
        {
            output.Add(c.Result is null ? new CallStatement(c.Call) : new Declare(c.Result, c.Call.Type, c.Call));
            return;
        }

        var arguments = new List<Argument>();
        for (var k = 0; k < c.Call.Arguments.Count; k++)
        {
            var argument = c.Call.Arguments[k];
            var parameter = c.Call.Callee.Parameters[k];
            arguments.Add(argument);
            if (!parameter.IsActive)
            {
                continue;
            }

            if (argument.Mode is PassingMode.Ref or PassingMode.Out || argument.Value.Type.IsCollection)
            {
                var variable = (VarRef)argument.Value;
                string dot;
                if (IsActive(variable.Name))
                {
                    dot = Dot(variable.Name);
                }
                else
                {
                    // The callee reads a zero tangent and writes one nobody reads: give it a variable of its own.
                    dot = _scope.Fresh(variable.Name + "DotUnused");
                    var zero = variable.Type.IsCollection
                        ? new NewCollection(new LengthOf(variable.Name), IrType.Collection(TypeShape.Array, variable.Type.Element))
                        : (Expr)Literal.Zero(parameter.Type);
                    output.Add(new Declare(dot, variable.Type.IsCollection ? zero.Type : parameter.Type, zero));
                }

                arguments.Add(new Argument(new VarRef(dot, parameter.Type), argument.Mode));
            }
            else
            {
                var value = LinearForms.Convert(Evaluate(TangentOf(argument.Value)), parameter.Type) ?? Literal.Zero(parameter.Type);
                arguments.Add(new Argument(value, argument.Mode));
            }
        }

        var call = c.Call with { Variant = CallVariant.Tangent, Arguments = arguments.ToEquatableArray() };
        if (c.Result is null)
        {
            output.Add(new CallStatement(call));
        }
        else
        {
            output.Add(new TupleAssign(EquatableArray.Of(c.Result, Dot(c.Result)), true, call));
        }
    }

    private Expr? TangentOf(Expr atom) => atom is VarRef v && IsActive(v.Name) ? new TangentRef(v.Name, v.Type) : null;

    private bool IsActive(string variable) => _program.Active.Contains(variable);

    /// <summary>The linear form with each tangent leaf δv replaced by vDot (zero for inactive v).</summary>
    private Expr? Evaluate(Expr? linear)
    {
        if (linear is null)
        {
            return null;
        }

        var hasActiveLeaf = IrWalker.Any(linear, e => e is TangentRef t && IsActive(t.Name) || e is TangentElement t2 && IsActive(t2.Collection));
        if (!hasActiveLeaf)
        {
            return null;
        }

        return Substitute(linear);
    }

    private Expr Substitute(Expr linear) => IrWalker.Rewrite(linear, e => e switch
    {
        TangentRef t => IsActive(t.Name) ? new VarRef(Dot(t.Name), t.Type) : Literal.Zero(t.Type),
        TangentElement t => IsActive(t.Collection) ? new ElementAccess(Dot(t.Collection), t.Index, t.Type) : Literal.Zero(t.Type),
        ZeroSafeProduct z => LinearForms.ZeroSafeMultiply(Substitute(z.Form), z.Coefficient, z.Type),
        _ => null,
    });

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
