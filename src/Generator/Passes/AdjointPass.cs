using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Reverse mode. A forward sweep runs the primal and keeps what the reverse sweep will read: the branch taken at
/// each if, and the old value of a variable before it is overwritten where the reverse sweep reads that variable
/// (the to-be-recorded analysis; in straight-line code a local is the tape). The reverse sweep then visits the
/// statements backwards, restoring overwritten values and transposing each linear form: for v = f(x),
/// xBar += (∂f/∂x)ᵀ·vBar.
/// </summary>
internal sealed class AdjointPass
{
    private readonly LinearizedProgram _program;
    private readonly NameScope _scope;
    private readonly Dictionary<string, string> _bars = new();
    private readonly List<Stmt> _declarations = new();
    private readonly HashSet<string> _declared = new();
    private readonly HashSet<string> _readInReverse = new();

    private AdjointPass(LinearizedProgram program, NameScope scope)
    {
        _program = program;
        _scope = scope;
    }

    public static GeneratedMethod Run(MethodModel method, LinearizedProgram program, NameScope scope)
    {
        var pass = new AdjointPass(program, scope);
        pass.CollectReadInReverse(program.Statements);
        var assigned = new HashSet<string>();
        CollectAssigned(program.Statements, assigned);

        var parameters = new List<GeneratedParameter>();
        var accumulations = new List<Stmt>();
        foreach (var parameter in method.Parameters)
        {
            // A ref parameter is passed by value: its input, left untouched.
            parameters.Add(new GeneratedParameter(parameter.Name, parameter.Type, parameter.Mode == PassingMode.Ref ? PassingMode.Value : parameter.Mode));
            if (!parameter.IsActive)
            {
                continue;
            }

            var bar = parameter.Name + "Bar";
            scope.Claim(bar);
            parameters.Add(new GeneratedParameter(bar, parameter.Type, PassingMode.Ref));
            if (parameter.Mode != PassingMode.Ref && assigned.Contains(parameter.Name))
            {
                // The body overwrites this input: gather its adjoint apart, then add it to the caller's.
                var local = pass.Bar(parameter.Name, scope.Fresh(parameter.Name + "BarLocal"));
                accumulations.Add(new Assign(bar, new Binary(BinaryOp.Add, new VarRef(bar, parameter.Type), new VarRef(local, parameter.Type), parameter.Type)));
            }
            else
            {
                pass._bars[parameter.Name] = bar;
            }
        }

        if (program.Result is { } result)
        {
            scope.Claim("resultBar");
            pass._bars[result] = "resultBar";
            parameters.Add(new GeneratedParameter("resultBar", method.ReturnType, PassingMode.Value));
        }

        var (forward, reverse) = pass.Sweep(program.Statements);
        var body = new List<Stmt>();
        body.AddRange(pass._declarations);
        body.Add(new Comment("Forward sweep: the primal, keeping what the reverse sweep reads.", IsHeading: true));
        body.AddRange(forward);
        body.Add(new Comment("Reverse sweep: adjoints, from the outputs back to the inputs.", IsHeading: true));
        body.AddRange(reverse);
        body.AddRange(accumulations);

        return new GeneratedMethod(
            method.Name + "Adjoint",
            $"Reverse mode (adjoint) of <c>{method.Name}</c>: adds the adjoint of each active input to its Bar; a ref parameter is passed by value and its Bar holds the adjoint of its output on entry and of its input on exit.",
            method.Accessibility,
            "void",
            parameters.ToEquatableArray(),
            new Block(body.ToEquatableArray()));
    }

    // ---- Analyses ----

    /// <summary>The to-be-recorded analysis: the variables whose values the reverse sweep reads.</summary>
    private void CollectReadInReverse(IEnumerable<LinStmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinGroup g:
                    CollectReadInReverse(g.Statements);
                    break;
                case LinIf i:
                    CollectReadInReverse(i.Then);
                    CollectReadInReverse(i.Else);
                    break;
                case LinAssign { Active: true, Linear: { } linear }:
                    _readInReverse.UnionWith(IrWalker.FreeVariables(linear));
                    break;
                case LinCall { Active: true } c:
                    _readInReverse.UnionWith(IrWalker.FreeVariables(c.Call));
                    break;
            }
        }
    }

    private static void CollectAssigned(IEnumerable<LinStmt> statements, HashSet<string> assigned)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinGroup g:
                    CollectAssigned(g.Statements, assigned);
                    break;
                case LinIf i:
                    CollectAssigned(i.Then, assigned);
                    CollectAssigned(i.Else, assigned);
                    break;
                case LinAssign a:
                    assigned.Add(a.Target);
                    break;
                case LinCall c:
                    assigned.UnionWith(RefArguments(c.Call));
                    break;
            }
        }
    }

    private static IEnumerable<string> RefArguments(Call call)
        => call.Arguments.Where(a => a.Mode == PassingMode.Ref).Select(a => ((VarRef)a.Value).Name);

    // ---- Sweeps ----

    /// <summary>The forward sweep of the statements, and their reverse sweep (already in reverse order).</summary>
    private (List<Stmt> Forward, List<Stmt> Reverse) Sweep(IEnumerable<LinStmt> statements)
    {
        var forward = new List<Stmt>();
        var reversed = new List<List<Stmt>>();
        foreach (var statement in statements)
        {
            var reverse = new List<Stmt>();
            Statement(statement, forward, reverse);
            reversed.Add(reverse);
        }

        reversed.Reverse();
        return (forward, reversed.SelectMany(r => r).ToList());
    }

    private void Statement(LinStmt statement, List<Stmt> forward, List<Stmt> reverse)
    {
        switch (statement)
        {
            case LinGroup group:
            {
                var (f, r) = Sweep(group.Statements);
                if (group.Origin is not null)
                {
                    forward.Add(new Comment(group.Origin));
                    if (r.Count > 0)
                    {
                        reverse.Add(new Comment(group.Origin));
                    }
                }

                forward.AddRange(f);
                reverse.AddRange(r);
                break;
            }

            case LinDeclare d:
                Declare(d.Name, d.Type);
                break;

            case LinAssign a:
                Assignment(a, forward, reverse);
                break;

            case LinIf i:
                Branch(i, forward, reverse);
                break;

            case LinCall c:
                CallStatement(c, forward, reverse);
                break;
        }
    }

    private void Assignment(LinAssign a, List<Stmt> forward, List<Stmt> reverse)
    {
        if (a.Definition == Definition.Declaration)
        {
            Declare(a.Target, a.Type);
        }

        var restore = Save(a.Target, a.Type, a.Definition, forward);
        forward.Add(new Assign(a.Target, a.Primal));
        if (!a.Active)
        {
            AddIfAny(reverse, restore);
            return;
        }

        var bar = new VarRef(Bar(a.Target), a.Type);
        var reset = a.Definition == Definition.Overwrite ? new Assign(bar.Name, Literal.Zero(a.Type)) : null;
        var linear = a.Linear;
        var primalReadsTarget = IrWalker.FreeVariables(a.Primal).Contains(a.Target);
        if (linear is not null && !primalReadsTarget && IrWalker.FreeVariables(linear).Contains(a.Target))
        {
            // The form reads the new value (as in v = √x): transpose before restoring the old one.
            Transpose(linear, bar, reverse);
            AddIfAny(reverse, reset);
            AddIfAny(reverse, restore);
            return;
        }

        AddIfAny(reverse, restore);
        if (linear is not null && IrWalker.Any(linear, e => e is TangentRef t && t.Name == a.Target))
        {
            if (Increment(linear, a.Target) is { } increment)
            {
                // v = v ± f(…): the old value's adjoint is the new one's; only f's inputs receive more.
                if (increment is not Literal)
                {
                    Transpose(increment, bar, reverse);
                }

                return;
            }

            // v = f(v, …): the adjoint of the new value seeds that of the old one.
            var seed = _scope.Fresh(a.Target + "BarOut");
            reverse.Add(new Declare(seed, a.Type, bar));
            reverse.Add(new Assign(bar.Name, Literal.Zero(a.Type)));
            Transpose(linear, new VarRef(seed, a.Type), reverse);
            return;
        }

        if (linear is not null)
        {
            Transpose(linear, bar, reverse);
        }

        AddIfAny(reverse, reset);
    }

    /// <summary>For a form δv ± r in which r holds no δv, the form r (negated for −); else null.</summary>
    private static Expr? Increment(Expr linear, string target)
    {
        if (linear is Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b
            && b.Left is TangentRef t && t.Name == target
            && !IrWalker.Any(b.Right, e => e is TangentRef r && r.Name == target))
        {
            return b.Op == BinaryOp.Add ? b.Right : LinearForms.Negate(b.Right);
        }

        return linear is TangentRef only && only.Name == target ? Literal.Zero(linear.Type) : null;
    }

    private void Branch(LinIf i, List<Stmt> forward, List<Stmt> reverse)
    {
        var taken = Declare(_scope.Fresh("branch"), IrType.Bool);
        var (thenForward, thenReverse) = Sweep(i.Then);
        var (elseForward, elseReverse) = Sweep(i.Else);
        if (i.Origin is not null)
        {
            forward.Add(new Comment(i.Origin));
        }

        forward.Add(new Assign(taken, i.Condition));
        forward.Add(new If(new VarRef(taken, IrType.Bool), ToBlock(thenForward), ToBlock(elseForward)));
        if (thenReverse.Count == 0 && elseReverse.Count == 0)
        {
            return;
        }

        var condition = new VarRef(taken, IrType.Bool);
        reverse.Add(thenReverse.Count == 0
            ? new If(new Unary(UnaryOp.Not, condition, IrType.Bool), ToBlock(elseReverse), Block.Empty, i.Origin)
            : new If(condition, ToBlock(thenReverse), ToBlock(elseReverse), i.Origin));
    }

    private void CallStatement(LinCall c, List<Stmt> forward, List<Stmt> reverse)
    {
        var restores = new List<Stmt>();
        foreach (var argument in c.Call.Arguments.Where(a => a.Mode == PassingMode.Ref))
        {
            var variable = (VarRef)argument.Value;
            AddIfAny(restores, Save(variable.Name, variable.Type, Definition.Overwrite, forward));
        }

        if (c.Result is null)
        {
            forward.Add(new CallStatement(c.Call));
        }
        else
        {
            Declare(c.Result, c.Call.Type);
            forward.Add(new Assign(c.Result, c.Call));
        }

        restores.Reverse();
        reverse.AddRange(restores);
        if (c.Active)
        {
            AdjointCall(c, reverse);
        }
    }

    /// <summary>Calls the callee's adjoint: its inputs as they were, a Bar for each active argument, the result's adjoint.</summary>
    private void AdjointCall(LinCall c, List<Stmt> reverse)
    {
        var refArguments = new HashSet<string>(RefArguments(c.Call));
        var arguments = new List<Argument>();
        var after = new List<Stmt>();
        for (var k = 0; k < c.Call.Arguments.Count; k++)
        {
            var argument = c.Call.Arguments[k];
            var parameter = c.Call.Callee.Parameters[k];
            arguments.Add(argument.Mode == PassingMode.Ref ? argument with { Mode = PassingMode.Value } : argument);
            if (!parameter.IsActive)
            {
                continue;
            }

            string bar;
            if (argument.Value is VarRef v && _program.Active.Contains(v.Name)
                && (argument.Mode == PassingMode.Ref || !refArguments.Contains(v.Name)))
            {
                bar = Bar(v.Name);
            }
            else
            {
                // No adjoint to receive (a constant, an inactive value), or one that must not alias a ref argument's.
                bar = _scope.Fresh("unusedBar");
                reverse.Add(new Declare(bar, parameter.Type, Literal.Zero(parameter.Type)));
                if (argument.Value is VarRef aliased && _program.Active.Contains(aliased.Name))
                {
                    var target = Bar(aliased.Name);
                    after.Add(new Assign(target, new Binary(BinaryOp.Add, new VarRef(target, parameter.Type), new VarRef(bar, parameter.Type), parameter.Type)));
                }
            }

            arguments.Add(new Argument(new VarRef(bar, parameter.Type), PassingMode.Ref));
        }

        if (c.Result is not null)
        {
            arguments.Add(new Argument(new VarRef(Bar(c.Result), c.Call.Type), PassingMode.Value));
        }
        else if (c.Call.Callee.ReturnType.IsReal)
        {
            // The caller discards the value: its adjoint is zero.
            arguments.Add(new Argument(Literal.Zero(c.Call.Callee.ReturnType), PassingMode.Value));
        }

        reverse.Add(new CallStatement(c.Call with { Variant = CallVariant.Adjoint, Arguments = arguments.ToEquatableArray() }));
        reverse.AddRange(after);
    }

    /// <summary>
    /// Before an overwrite of a variable the reverse sweep reads, keeps its old value; returns the statement that
    /// restores it (null where nothing needs keeping).
    /// </summary>
    private Stmt? Save(string variable, IrType type, Definition definition, List<Stmt> forward)
    {
        if (definition != Definition.Overwrite || !_readInReverse.Contains(variable))
        {
            return null;
        }

        var saved = Declare(_scope.Fresh(variable + "Saved"), type);
        forward.Add(new Assign(saved, new VarRef(variable, type)));
        return new Assign(variable, new VarRef(saved, type));
    }

    // ---- Transposition ----

    /// <summary>Adds to each variable's Bar its share of <paramref name="seed"/> through the linear form (its transpose).</summary>
    private void Transpose(Expr linear, Expr seed, List<Stmt> output)
    {
        switch (linear)
        {
            case TangentRef t:
                if (_program.Active.Contains(t.Name))
                {
                    var bar = Bar(t.Name);
                    var share = LinearForms.Convert(seed, t.Type)!;
                    output.Add(new Assign(bar, new Binary(BinaryOp.Add, new VarRef(bar, t.Type), share, t.Type)));
                }

                break;
            case Literal:
                break;
            case Unary { Op: UnaryOp.Negate } u:
                Transpose(u.Operand, new Unary(UnaryOp.Negate, seed, seed.Type), output);
                break;
            case Binary { Op: BinaryOp.Add } b:
                Transpose(b.Left, seed, output);
                Transpose(b.Right, seed, output);
                break;
            case Binary { Op: BinaryOp.Subtract } b:
                Transpose(b.Left, seed, output);
                Transpose(b.Right, new Unary(UnaryOp.Negate, seed, seed.Type), output);
                break;
            case Binary { Op: BinaryOp.Multiply } b when LinearForms.IsLinear(b.Left):
                Transpose(b.Left, LinearForms.Scale(seed, b.Right)!, output);
                break;
            case Binary { Op: BinaryOp.Multiply } b:
                Transpose(b.Right, LinearForms.ScaleLeft(b.Left, seed)!, output);
                break;
            case Binary { Op: BinaryOp.Divide } b:
                Transpose(b.Left, LinearForms.Divide(seed, b.Right)!, output);
                break;
            case Cast c:
                Transpose(c.Operand, LinearForms.Convert(seed, c.Operand.Type)!, output);
                break;
            case Conditional c:
            {
                var whenTrue = new List<Stmt>();
                var whenFalse = new List<Stmt>();
                Transpose(c.WhenTrue, seed, whenTrue);
                Transpose(c.WhenFalse, seed, whenFalse);
                output.Add(whenTrue.Count == 0
                    ? new If(new Unary(UnaryOp.Not, c.Condition, IrType.Bool), ToBlock(whenFalse), Block.Empty)
                    : new If(c.Condition, ToBlock(whenTrue), ToBlock(whenFalse)));
                break;
            }

            default:
                throw new System.InvalidOperationException("Not a linear form: " + linear.GetType().Name);
        }
    }

    // ---- Names ----

    private string Bar(string variable, string? name = null)
    {
        if (!_bars.TryGetValue(variable, out var bar))
        {
            bar = Declare(name ?? _scope.Fresh(variable + "Bar"), _program.Types[variable]);
            _bars[variable] = bar;
        }

        return bar;
    }

    /// <summary>Declares a variable at the top of the method, so that both sweeps see it.</summary>
    private string Declare(string name, IrType type)
    {
        if (_declared.Add(name))
        {
            _declarations.Add(new Declare(name, type, Literal.Zero(type)));
        }

        return name;
    }

    private static void AddIfAny(List<Stmt> output, Stmt? statement)
    {
        if (statement is not null)
        {
            output.Add(statement);
        }
    }

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
