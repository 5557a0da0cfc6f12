using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Rules;
using static AutoHypergrad.Generator.Passes.LinearForms;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Turns a normalized body into a <see cref="LinearizedProgram"/>: for each active assignment, the value and its
/// linear form, with the intermediate values that the form reads bound to temporaries so that nothing is computed
/// twice. Conditionals with active branches become if statements, so only the branch taken is evaluated.
/// </summary>
internal sealed class Linearizer
{
    private readonly ISet<string> _active;
    private readonly NameScope _scope;
    private readonly Dictionary<string, IrType> _types = new();
    private List<LinStmt> _output = new();

    private Linearizer(ISet<string> active, NameScope scope)
    {
        _active = active;
        _scope = scope;
    }

    public static LinearizedProgram Run(MethodModel method, Block body, ISet<string> active, string? result, NameScope scope)
    {
        var linearizer = new Linearizer(active, scope);
        foreach (var parameter in method.Parameters)
        {
            linearizer._types[parameter.Name] = parameter.Type;
        }

        var statements = linearizer.Block(body);
        return new LinearizedProgram(statements, active, result, linearizer._types);
    }

    private List<LinStmt> Block(Block block)
    {
        var saved = _output;
        _output = new List<LinStmt>();
        foreach (var statement in block.Statements)
        {
            Statement(statement);
        }

        var result = _output;
        _output = saved;
        return result;
    }

    private void Statement(Stmt statement)
    {
        switch (statement)
        {
            case Declare { Init: null } d:
                _types[d.Name] = d.Type;
                _output.Add(new LinDeclare(d.Name, d.Type, IsActiveVariable(d.Name, d.Type)));
                break;
            case Declare { Init: NewCollection } d:
                _types[d.Name] = d.Type;
                _output.Add(new LinGroup(d.Origin, new LinStmt[] { new LinAssign(d.Name, d.Type, d.Init!, null, IsActiveVariable(d.Name, d.Type), Definition.Declaration) }));
                break;
            case Declare d:
                _types[d.Name] = d.Type;
                Group(d.Origin, () => Assignment(d.Name, d.Type, d.Init!, Definition.Declaration));
                break;
            case Assign a:
                Group(a.Origin, () => Assignment(a.Target, _types[a.Target], a.Value, Definition.Overwrite));
                break;
            case CallStatement c:
                Group(c.Origin, () => CallStatement(c.Call, null));
                break;
            case If i:
                _output.Add(new LinIf(i.Condition, Block(i.Then), Block(i.Else), i.Origin));
                break;
            case Store st:
                Group(st.Origin, () => StoreElement(st));
                break;
            case Loop l:
                _output.Add(new LinLoop(Block(l.Body), l.Condition, l.TestFirst, Block(l.Step), l.Origin));
                break;
            case Comment:
                break;
            default:
                throw new System.InvalidOperationException("Unexpected statement after normalization: " + statement.GetType().Name);
        }
    }

    private void Group(string? origin, System.Action body)
    {
        var saved = _output;
        _output = new List<LinStmt>();
        body();
        var group = new LinGroup(origin, ReuseValues(_output));
        _output = saved;
        _output.Add(group);
    }

    /// <summary>
    /// Where a derivative rule recomputes a function value an earlier statement of the group has already computed
    /// (d cos x = −sin x dx after t = sin x), the form reads that value instead.
    /// </summary>
    /// <summary>
    /// For reverse mode, where a statement's values are all computed before any of its adjoints: every derivative
    /// rule of a statement reads the function values computed anywhere in it, not only before (d sin x = cos x dx
    /// reads t1 = cos x computed after t = sin x).
    /// </summary>
    public static IReadOnlyList<LinStmt> ReuseValuesAcrossStatements(IReadOnlyList<LinStmt> statements)
        => statements.Select(s => s switch
        {
            LinGroup g => g with { Statements = ReuseValues(g.Statements.ToList(), anyOrder: true) },
            LinIf i => i with { Then = ReuseValuesAcrossStatements(i.Then), Else = ReuseValuesAcrossStatements(i.Else) },
            LinLoop l => l with { Body = ReuseValuesAcrossStatements(l.Body), Step = ReuseValuesAcrossStatements(l.Step) },
            _ => s,
        }).ToList();

    /// <summary>One group's statements with every derivative rule reading the function values computed anywhere in it.</summary>
    public static List<LinStmt> ReuseValuesInAnyOrder(IReadOnlyList<LinStmt> statements) => ReuseValues(statements.ToList(), anyOrder: true);

    private static List<LinStmt> ReuseValues(List<LinStmt> statements, bool anyOrder = false)
    {
        var computed = new Dictionary<Expr, Expr>();
        if (anyOrder)
        {
            foreach (var a in statements.OfType<LinAssign>().Where(a => a.Definition == Definition.Declaration && a.Primal is IntrinsicCall))
            {
                if (!computed.ContainsKey(a.Primal))
                {
                    computed[a.Primal] = new VarRef(a.Target, a.Type);
                }
            }
        }

        Expr? Reuse(Expr? linear) => linear is null ? null : IrWalker.Rewrite(linear, e => computed.TryGetValue(e, out var value) ? value : null);

        var output = new List<LinStmt>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinAssign a:
                    output.Add(a with { Linear = Reuse(a.Linear) });
                    if (a.Definition == Definition.Declaration && a.Primal is IntrinsicCall && !computed.ContainsKey(a.Primal))
                    {
                        computed[a.Primal] = new VarRef(a.Target, a.Type);
                    }

                    break;
                case LinStore st:
                    output.Add(st with { Linear = Reuse(st.Linear) });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    private void Assignment(string target, IrType type, Expr value, Definition definition)
    {
        if (value is VarRef self && self.Name == target)
        {
            // v = v (say, a branch of v = c ? v : −v) changes nothing.
            return;
        }

        if (value is Call call && IsActiveCall(call))
        {
            var result = CallStatement(call, _scope.Fresh("t"));
            value = new VarRef(result!, call.Type);
        }

        if (!IsActiveVariable(target, type))
        {
            _output.Add(new LinAssign(target, type, value, null, false, definition));
            return;
        }

        if (value is Conditional conditional && IsActive(conditional))
        {
            // Only the branch taken is evaluated, as in C#.
            if (definition == Definition.Declaration)
            {
                _output.Add(new LinDeclare(target, type, true));
            }

            _output.Add(new LinIf(
                conditional.Condition,
                Nested(() => Assignment(target, type, conditional.WhenTrue, Later(definition))),
                Nested(() => Assignment(target, type, conditional.WhenFalse, Later(definition))),
                null));
            return;
        }

        var readsTarget = IrWalker.FreeVariables(value).Contains(target);
        var (primal, linear) = Linearize(value, readsTarget ? null : target);
        _output.Add(new LinAssign(target, type, primal, Convert(linear, type), true, definition));
    }

    private void StoreElement(Store store)
    {
        var value = store.Value;
        if (value is Call call && IsActiveCall(call))
        {
            value = new VarRef(CallStatement(call, _scope.Fresh("t"))!, call.Type);
        }

        var type = _types[store.Collection].Element;
        if (!IsActiveVariable(store.Collection, _types[store.Collection]))
        {
            _output.Add(new LinStore(store.Collection, store.Index, type, value, null, false));
            return;
        }

        var (primal, linear) = Linearize(value, null);
        _output.Add(new LinStore(store.Collection, store.Index, type, primal, Convert(linear, type), true));
    }

    private static Definition Later(Definition definition)
        => definition == Definition.Declaration ? Definition.FirstAssignment : definition;

    private List<LinStmt> Nested(System.Action body)
    {
        var saved = _output;
        _output = new List<LinStmt>();
        body();
        var result = _output;
        _output = saved;
        return result;
    }

    /// <summary>The value to compute and its linear form. <paramref name="slot"/>: a variable that may hold the result.</summary>
    private (Expr Primal, Expr? Linear) Linearize(Expr expression, string? slot)
    {
        if (!IsActive(expression))
        {
            return (expression, null);
        }

        switch (expression)
        {
            case VarRef v:
                return (v, new TangentRef(v.Name, v.Type));

            case ElementAccess e:
                return (e, new TangentElement(e.Collection, e.Index, e.Type));

            case Unary { Op: UnaryOp.Negate } u:
            {
                var (p, l) = Linearize(u.Operand, null);
                return (u with { Operand = p }, Negate(l));
            }

            case Cast c:
            {
                var (p, l) = Linearize(c.Operand, null);
                return (c with { Operand = p }, Convert(l, c.Type));
            }

            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b:
            {
                var (pa, la) = Linearize(b.Left, null);
                var (pb, lb) = Linearize(b.Right, null);
                var linear = b.Op == BinaryOp.Add ? Add(la, lb) : Subtract(la, lb);
                return (b with { Left = pa, Right = pb }, Convert(linear, b.Type));
            }

            case Binary { Op: BinaryOp.Multiply } b:
            {
                var (pa, la) = Linearize(b.Left, null);
                var (pb, lb) = Linearize(b.Right, null);
                if (lb is not null)
                {
                    (pa, la) = Atomize(pa, la);
                }

                if (la is not null)
                {
                    (pb, lb) = Atomize(pb, lb);
                }

                return (b with { Left = pa, Right = pb }, Convert(Add(Scale(la, pb), ScaleLeft(pa, lb)), b.Type));
            }

            case Binary { Op: BinaryOp.Divide } b:
            {
                var (pa, la) = Linearize(b.Left, null);
                var (pb, lb) = Linearize(b.Right, null);
                if (la is not null || lb is not null)
                {
                    (pb, lb) = Atomize(pb, lb);
                }

                var primal = b with { Left = pa, Right = pb };
                if (lb is null)
                {
                    return (primal, Convert(Divide(la, pb), b.Type));
                }

                // d(a/b) = (da − (a/b)·db) / b; of a reciprocal 1/b, −(1/b)²·db, which needs no second division.
                var quotient = new ResultRef(b.Type);
                var linear = la is null && pa is Literal { Value: 1 }
                    ? ScaleLeft(new Unary(UnaryOp.Negate, new Binary(BinaryOp.Multiply, quotient, quotient, b.Type), b.Type), lb)
                    : Divide(Subtract(la, ScaleLeft(quotient, lb)), pb);
                return Bind(primal, Convert(linear, b.Type), slot);
            }

            case Conditional c:
            {
                var temp = _scope.Fresh("t");
                _types[temp] = c.Type;
                _active.Add(temp);
                _output.Add(new LinDeclare(temp, c.Type, true));
                Assignment(temp, c.Type, c, Definition.FirstAssignment);
                return (new VarRef(temp, c.Type), new TangentRef(temp, c.Type));
            }

            case IntrinsicCall i:
            {
                var primals = new List<Expr>();
                var linears = new List<Expr?>();
                foreach (var argument in i.Arguments)
                {
                    var (p, l) = Linearize(argument, null);
                    if (DerivativeRules.ReadsOperands(i.Function))
                    {
                        (p, l) = Atomize(p, l);
                    }

                    primals.Add(p);
                    linears.Add(l);
                }

                var primal = i with { Arguments = primals.ToEquatableArray() };
                var linear = DerivativeRules.Linearize(i.Function, primals, linears, i.Type);
                return Bind(primal, Convert(linear, i.Type), slot);
            }

            case Call call:
            {
                var result = CallStatement(call, _scope.Fresh("t"))!;
                return (new VarRef(result, call.Type), new TangentRef(result, call.Type));
            }

            default:
                throw new System.InvalidOperationException("No linearization for " + expression.GetType().Name);
        }
    }

    /// <summary>
    /// Gives the result a name where its linear form reads it: the target itself when allowed, else a temporary.
    /// </summary>
    private (Expr Primal, Expr? Linear) Bind(Expr primal, Expr? linear, string? slot)
    {
        if (linear is null || !IrWalker.Any(linear, e => e is ResultRef))
        {
            return (primal, linear);
        }

        return slot is not null
            ? (primal, ReplaceResult(linear, new VarRef(slot, primal.Type)))
            : BindTemporary(primal, linear);
    }

    private static Expr ReplaceResult(Expr linear, Expr value)
        => IrWalker.Rewrite(linear, e => e is ResultRef ? value : null);

    /// <summary>Evaluates a value once, into a temporary, when it is more than a variable or a constant.</summary>
    private (Expr Primal, Expr? Linear) Atomize(Expr primal, Expr? linear)
        => IsAtom(primal) ? (primal, linear) : BindTemporary(primal, linear);

    /// <summary>Binds a value to a new temporary; a <see cref="ResultRef"/> in its linear form becomes that temporary.</summary>
    private (Expr Primal, Expr? Linear) BindTemporary(Expr primal, Expr? linear)
    {
        var temp = _scope.Fresh("t");
        var value = new VarRef(temp, primal.Type);
        _types[temp] = primal.Type;
        var active = linear is not null;
        if (active)
        {
            _active.Add(temp);
        }

        _output.Add(new LinAssign(temp, primal.Type, primal, linear is null ? null : ReplaceResult(linear, value), active, Definition.Declaration));
        return (value, active ? new TangentRef(temp, primal.Type) : null);
    }

    /// <summary>Values cheap enough to read twice: variables, constants, elements at a variable or constant index.</summary>
    private static bool IsAtom(Expr expression) => expression switch
    {
        VarRef or Literal => true,
        ElementAccess e => e.Index is VarRef or Literal,
        Unary { Op: UnaryOp.Negate } u => IsAtom(u.Operand),
        _ => false,
    };

    /// <summary>Emits a call; returns the temporary holding its result, if it has one.</summary>
    private string? CallStatement(Call call, string? result)
    {
        if (!IsActiveCall(call))
        {
            if (result is not null)
            {
                _types[result] = call.Type;
            }

            _output.Add(new LinCall(call, result, false));
            return result;
        }

        var arguments = new List<Argument>();
        for (var k = 0; k < call.Arguments.Count; k++)
        {
            var argument = call.Arguments[k];
            if (argument.Mode is PassingMode.Value or PassingMode.In && !argument.Value.Type.IsCollection && call.Callee.Parameters[k].IsActive)
            {
                var (p, l) = Linearize(argument.Value, null);
                // The argument's adjoint needs a variable to go to.
                if (p is not (VarRef or Literal))
                {
                    (p, _) = BindTemporary(p, l);
                }

                arguments.Add(argument with { Value = p });
            }
            else
            {
                arguments.Add(argument);
            }
        }

        if (result is not null)
        {
            _types[result] = call.Type;
            _active.Add(result);
        }

        _output.Add(new LinCall(call with { Arguments = arguments.ToEquatableArray() }, result, true));
        return result;
    }

    private bool IsActiveVariable(string name, IrType type) => type.CarriesDerivative && _active.Contains(name);

    private bool IsActive(Expr expression)
        => expression.Type.IsReal && IrWalker.Any(expression, e => ReadsActive(e) || e is Call c && IsActiveCall(c));

    private bool IsActiveCall(Call call)
        => call.Arguments.Any(a => IrWalker.Any(a.Value, ReadsActive));

    /// <summary>A read of an active variable or of an element of an active collection.</summary>
    private bool ReadsActive(Expr e)
        => e is VarRef v && v.Type.CarriesDerivative && _active.Contains(v.Name)
           || e is ElementAccess a && _active.Contains(a.Collection);
}
