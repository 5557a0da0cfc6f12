using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Reverse mode. A forward sweep runs the primal and keeps what the reverse sweep will read: the branch taken at
/// each if, and the old value of a variable before it is overwritten where the reverse sweep reads that variable
/// (the to-be-recorded analysis). The reverse sweep then visits the statements backwards, restoring overwritten
/// values and transposing each linear form: for v = f(x), xBar += (∂f/∂x)ᵀ·vBar. A loop runs forward once, taping
/// only what its iterations carry (see <see cref="LoopAnalysis"/>); each reverse iteration recomputes its own
/// values and then reverses them.
/// </summary>
internal sealed class AdjointPass
{
    private readonly LinearizedProgram _program;
    private readonly NameScope _scope;
    private readonly Dictionary<string, string> _bars = new();
    private readonly List<Stmt> _declarations = new();
    private readonly HashSet<string> _declared = new();
    private readonly HashSet<string> _readInReverse = new();
    private readonly Dictionary<string, string> _storage = new();
    private readonly Dictionary<string, (string Name, IrType Element)> _tapes = new();
    private readonly string _suffix;
    private readonly HashSet<string> _parameters = new();
    private int _loopDepth;

    /// <summary>The span and array locals allocated at the method's top level (not inside a branch or a loop).</summary>
    private readonly HashSet<string> _topLevelCollections = new();

    private AdjointPass(LinearizedProgram program, NameScope scope, string suffix)
    {
        _program = program;
        _scope = scope;
        _suffix = suffix;
        CollectTopLevelCollections(program.Statements);
    }

    private void CollectTopLevelCollections(IEnumerable<LinStmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LinGroup group:
                    CollectTopLevelCollections(group.Statements);
                    break;
                case LinAssign { Primal: NewCollection } a:
                    _topLevelCollections.Add(a.Target);
                    break;
            }
        }
    }

    // suffix: that of the parameters' adjoints, Bar, or Hv for a Hessian-vector product's accumulators.
    public static GeneratedMethod Run(MethodModel method, LinearizedProgram program, NameScope scope, string suffix = "Bar")
    {
        var pass = new AdjointPass(program, scope, suffix);
        pass.CollectReadInReverse(program.Statements);
        var assigned = new HashSet<string>();
        CollectAssigned(program.Statements, assigned);

        var parameters = new List<GeneratedParameter>();
        var prologue = new List<Stmt>();
        var epilogue = new List<Stmt>();
        foreach (var parameter in method.Parameters)
        {
            pass._parameters.Add(parameter.Name);
            pass.Parameter(parameter, assigned, parameters, prologue, epilogue);
        }

        if (program.Result is { } result)
        {
            scope.Claim("resultBar");
            pass._bars[result] = "resultBar";
            parameters.Add(new GeneratedParameter("resultBar", method.ReturnType, PassingMode.Value));
        }

        var (forward, reverse) = pass.Sweep(program.Statements, _ => true);
        var body = new List<Stmt>();
        body.AddRange(prologue.Where(s => s is LengthCheck));
        body.AddRange(OverlapChecks(method, program));
        body.AddRange(pass._tapes.Select(t => (Stmt)new RentTape(t.Value.Name, t.Value.Element)));
        body.AddRange(prologue.Where(s => s is not LengthCheck));
        body.AddRange(pass._declarations);
        body.Add(new Comment("Forward sweep: the primal, keeping what the reverse sweep reads.", IsHeading: true));
        body.AddRange(forward);
        body.Add(new Comment("Reverse sweep: adjoints, from the outputs back to the inputs.", IsHeading: true));
        body.AddRange(reverse);
        body.AddRange(epilogue);
        body.AddRange(pass._tapes.Select(t => (Stmt)new ReturnTape(t.Value.Name)));

        // The first share of an adjoint that is zero is assigned, a product added by one fma (AccumulationForms).
        var adjoints = new HashSet<string>(pass._bars.Values);
        return AccumulationForms.Run(adjoints, new GeneratedMethod(
            method.Name + "Adjoint",
            $"Reverse mode (adjoint) of <c>{method.Name}</c>: adds the adjoint of each active input to its Bar; a ref parameter or a span is passed with its input value and its Bar holds the adjoint of its output on entry and of its input on exit.",
            method.Accessibility,
            "void",
            parameters.ToEquatableArray(),
            new Block(body.ToEquatableArray())));
    }

    /// <summary>
    /// A [NoDiff] parameter that the body assigns an active value carries an adjoint from there on: a local, zero at
    /// the output (which is not differentiated), whose value at the input is discarded.
    /// </summary>
    private void InactiveParameterBar(Parameter parameter)
    {
        if (!_program.Active.Contains(parameter.Name))
        {
            return;
        }

        var local = TangentPass.ZeroTangent(_scope.Fresh(parameter.Name + _suffix), parameter);
        _bars[parameter.Name] = Declare(local.Name, local.Type, local.Init);
    }

    /// <summary>The parameter as the adjoint takes it, with its Bar; and where the body needs a copy or a local.</summary>
    private void Parameter(Parameter parameter, HashSet<string> assigned, List<GeneratedParameter> parameters, List<Stmt> prologue, List<Stmt> epilogue)
    {
        var type = parameter.Type;
        var bar = parameter.Name + _suffix;
        if (parameter.Mode == PassingMode.Out)
        {
            // No input value: the variable is a local; its Bar, by value, is the adjoint of the output.
            Declare(parameter.Name, type);
            if (parameter.IsActive)
            {
                _scope.Claim(bar);
                _bars[parameter.Name] = bar;
                parameters.Add(new GeneratedParameter(bar, type, PassingMode.Value));
            }

            return;
        }

        if (type.IsCollection)
        {
            // A span is passed with its input values, untouched; where the body writes it, it works on a copy.
            parameters.Add(new GeneratedParameter(parameter.Name, type.Shape == TypeShape.Span ? type.AsReadOnlySpan : type, PassingMode.Value));
            if (assigned.Contains(parameter.Name))
            {
                // A callee that takes it as an array needs an array: a clone (allocated) instead of a pooled span.
                var asArray = type.Shape == TypeShape.Array && PassedToArrayParameter(_program.Statements, parameter.Name);
                var work = _scope.Fresh(parameter.Name + "Work");
                var pooled = asArray ? null : _scope.Fresh(parameter.Name + "WorkArray");
                _storage[parameter.Name] = work;
                prologue.Add(new WorkCopy(work, parameter.Name, asArray ? type : type.AsSpan, pooled));
                if (pooled is not null)
                {
                    epilogue.Add(new ReleaseWorkCopy(work, pooled, type));
                }
            }

            if (parameter.IsActive)
            {
                _scope.Claim(bar);
                _bars[parameter.Name] = bar;
                parameters.Add(new GeneratedParameter(bar, type.Shape == TypeShape.Array ? type : type.AsSpan, PassingMode.Value));
                prologue.Add(new LengthCheck(bar, parameter.Name));
            }
            else
            {
                InactiveParameterBar(parameter);
            }

            return;
        }

        // A ref parameter is passed by value: its input, left untouched.
        parameters.Add(new GeneratedParameter(parameter.Name, type, parameter.Mode == PassingMode.Ref ? PassingMode.Value : parameter.Mode));
        if (!parameter.IsActive)
        {
            InactiveParameterBar(parameter);
            return;
        }

        _scope.Claim(bar);
        parameters.Add(new GeneratedParameter(bar, type, PassingMode.Ref));
        if (parameter.Mode != PassingMode.Ref && assigned.Contains(parameter.Name))
        {
            // The body overwrites this input: gather its adjoint apart, then add it to the caller's.
            var local = Bar(parameter.Name, _scope.Fresh(parameter.Name + _suffix + "Local"));
            epilogue.Add(Accumulate(bar, new VarRef(local, type)));
        }
        else
        {
            _bars[parameter.Name] = bar;
        }
    }

    // ---- Analyses ----

    /// <summary>
    /// The to-be-recorded analysis: the variables whose values the reverse sweep reads, in the adjoints' coefficients,
    /// in the arguments of callees' adjoints, and in the loops' recomputations.
    /// </summary>
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
                case LinLoop l:
                    _readInReverse.UnionWith(LoopAnalysis.Run(l, _program.Types).Needed);
                    CollectReadInReverse(l.Body);
                    CollectReadInReverse(l.Step);
                    break;
                case LinAssign { Active: true, Linear: { } linear }:
                    _readInReverse.UnionWith(IrWalker.FreeVariables(linear));
                    break;
                case LinStore { Active: true } st:
                    _readInReverse.UnionWith(IrWalker.FreeVariables(st.Linear));
                    _readInReverse.UnionWith(IrWalker.FreeVariables(st.Index));
                    break;
                case LinCall { Active: true } c:
                    _readInReverse.UnionWith(IrWalker.FreeVariables(c.Call));
                    break;
            }
        }
    }

    /// <summary>What the reverse sweep reads outside this loop: the values the loop must give back once reversed.</summary>
    private HashSet<string> ReadInReverseOutside(LinLoop loop)
    {
        var outside = new AdjointPass(_program, _scope, _suffix);
        outside.CollectReadInReverse(Without(_program.Statements, loop));
        return outside._readInReverse;
    }

    private static IReadOnlyList<LinStmt> Without(IEnumerable<LinStmt> statements, LinLoop loop)
        => statements.Where(s => !ReferenceEquals(s, loop)).Select(s => s switch
        {
            LinGroup g => g with { Statements = Without(g.Statements, loop) },
            LinIf i => i with { Then = Without(i.Then, loop), Else = Without(i.Else, loop) },
            LinLoop l => l with { Body = Without(l.Body, loop), Step = Without(l.Step, loop) },
            _ => s,
        }).ToList();

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
                case LinLoop l:
                    CollectAssigned(l.Body, assigned);
                    CollectAssigned(l.Step, assigned);
                    break;
                case LinAssign a:
                    assigned.Add(a.Target);
                    break;
                case LinStore st:
                    assigned.Add(st.Collection);
                    break;
                case LinCall c:
                    assigned.UnionWith(WrittenArguments(c.Call));
                    break;
            }
        }
    }

    /// <summary>
    /// A check for each span or array parameter the body writes against each other one of its element type: the
    /// derivatives take them as distinct memory (the adjoint even works on a copy), so aliases (Step(a, a)) are refused.
    /// </summary>
    internal static IEnumerable<Stmt> OverlapChecks(MethodModel method, LinearizedProgram program)
    {
        var assigned = new HashSet<string>();
        CollectAssigned(program.Statements, assigned);
        var collections = method.Parameters.Where(p => p.Type.IsCollection).ToList();
        bool IsWritten(Parameter p) => p.Type.Shape is TypeShape.Span or TypeShape.Array && assigned.Contains(p.Name);
        for (var i = 0; i < collections.Count; i++)
        {
            for (var j = 0; j < collections.Count; j++)
            {
                var (written, other) = (collections[i], collections[j]);
                if (i != j && IsWritten(written) && (!IsWritten(other) || i < j) && written.Type.Element == other.Type.Element)
                {
                    yield return new OverlapCheck(written.Name, other.Name, written.Type.Element, method.Name);
                }
            }
        }
    }

    /// <summary>Whether a call anywhere (a statement, or inside a condition, a value or an index) passes the variable to an array parameter.</summary>
    private static bool PassedToArrayParameter(IEnumerable<LinStmt> statements, string name)
        => statements.Any(s => s switch
        {
            LinGroup g => PassedToArrayParameter(g.Statements, name),
            LinIf i => PassedToArrayParameter(i.Condition, name) || PassedToArrayParameter(i.Then, name) || PassedToArrayParameter(i.Else, name),
            LinLoop l => PassedToArrayParameter(l.Condition, name) || PassedToArrayParameter(l.Body, name) || PassedToArrayParameter(l.Step, name),
            LinCall c => PassedToArrayParameter(c.Call, name),
            LinAssign a => PassedToArrayParameter(a.Primal, name),
            LinStore st => PassedToArrayParameter(st.Index, name) || PassedToArrayParameter(st.Primal, name),
            _ => false,
        });

    private static bool PassedToArrayParameter(Expr expression, string name)
        => IrWalker.Any(expression, e => e is Call call && call.Arguments.Where((a, k) => a.Value is VarRef v && v.Name == name
                                                                                         && call.Callee.Parameters[k].Type.Shape == TypeShape.Array).Any());

    private static IEnumerable<string> WrittenArguments(Call call) => ActivityAnalysis.WrittenVariables(call);

    // ---- Sweeps ----

    /// <summary>
    /// The forward sweep of the statements, and their reverse sweep (already in reverse order). Statements that
    /// compute a value nobody <paramref name="needs"/> and carry no derivative are left out (inside a loop's
    /// recomputation, what the adjoint does not read).
    /// </summary>
    private (List<Stmt> Forward, List<Stmt> Reverse) Sweep(IEnumerable<LinStmt> statements, System.Func<string, bool> needs)
    {
        var forward = new List<Stmt>();
        var reversed = new List<List<Stmt>>();
        foreach (var statement in statements)
        {
            var reverse = new List<Stmt>();
            Statement(statement, forward, reverse, needs);
            reversed.Add(reverse);
        }

        reversed.Reverse();
        return (forward, reversed.SelectMany(r => r).ToList());
    }

    private void Statement(LinStmt statement, List<Stmt> forward, List<Stmt> reverse, System.Func<string, bool> needs)
    {
        switch (statement)
        {
            case LinGroup group:
            {
                var (f, r) = Sweep(group.Statements, needs);
                if (group.Origin is not null)
                {
                    if (f.Count > 0)
                    {
                        forward.Add(new Comment(group.Origin));
                    }

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

            case LinAssign { Primal: NewCollection created } a when _topLevelCollections.Contains(a.Target):
                // A span or array local at the method's top level: declared where it is, with its Bar beside it.
                forward.Add(new Declare(a.Target, a.Type, Storage(created)));
                if (a.Active)
                {
                    var bar = _scope.Fresh(a.Target + "Bar");
                    _bars[a.Target] = bar;
                    forward.Add(new Declare(bar, a.Type, Storage(created)));
                }

                break;

            case LinAssign { Primal: NewCollection created } a:
                // One that exit normalization moved into a branch (it follows an early return): the reverse sweep,
                // outside that branch, reads it and its Bar, so both are declared at the top and allocated here.
                forward.Add(new Assign(Declare(a.Target, a.Type, new Unallocated(a.Type)), Storage(created)));
                if (a.Active)
                {
                    var bar = Declare(_scope.Fresh(a.Target + "Bar"), a.Type, new Unallocated(a.Type));
                    _bars[a.Target] = bar;
                    forward.Add(new Assign(bar, Storage(created)));
                }

                break;

            case LinAssign a:
                if (a.Active || needs(a.Target))
                {
                    Assignment(a, forward, reverse, needs(a.Target));
                }

                break;

            case LinStore st:
                if (st.Active || needs(st.Collection))
                {
                    StoreElement(st, forward, reverse, needs(st.Collection));
                }

                break;

            case LinIf i:
                Branch(i, forward, reverse, needs);
                break;

            case LinLoop l:
                LoopStatement(l, forward, reverse);
                break;

            case LinCall c:
                if (c.Active || (c.Result is not null && needs(c.Result)) || WrittenArguments(c.Call).Any(needs))
                {
                    CallStatement(c, forward, reverse);
                }

                break;
        }
    }

    private void Assignment(LinAssign a, List<Stmt> forward, List<Stmt> reverse, bool computeValue)
    {
        if (a.Definition == Definition.Declaration)
        {
            Declare(a.Target, a.Type);
        }

        Stmt? restore = null;
        if (computeValue)
        {
            restore = Save(a.Target, a.Type, a.Definition, forward);
            forward.Add(new Assign(a.Target, Storage(a.Primal)));
        }

        if (!a.Active)
        {
            AddIfAny(reverse, restore);
            return;
        }

        var bar = new VarRef(Bar(a.Target), a.Type);
        // In a loop every definition is met again in the next iteration: its adjoint must start from zero there too.
        var reset = a.Definition == Definition.Overwrite || _loopDepth > 0 ? new Assign(bar.Name, Literal.Zero(a.Type)) : null;
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
            if (Increment(linear, e => e is TangentRef t && t.Name == a.Target) is { } increment)
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
    private static Expr? Increment(Expr linear, System.Func<Expr, bool> isTarget)
    {
        if (linear is Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b && isTarget(b.Left) && !IrWalker.Any(b.Right, isTarget))
        {
            return b.Op == BinaryOp.Add ? b.Right : LinearForms.Negate(b.Right);
        }

        return isTarget(linear) ? Literal.Zero(linear.Type) : null;
    }

    private void StoreElement(LinStore st, List<Stmt> forward, List<Stmt> reverse, bool computeValue)
    {
        var index = Storage(st.Index);
        var element = new ElementAccess(StorageName(st.Collection), index, st.Type);
        Stmt? restore = null;
        if (computeValue)
        {
            if (_readInReverse.Contains(st.Collection))
            {
                var saved = Declare(_scope.Fresh(st.Collection + "Saved"), st.Type);
                forward.Add(new Assign(saved, element));
                restore = new Store(element.Collection, index, new VarRef(saved, st.Type));
            }

            forward.Add(new Store(element.Collection, index, Storage(st.Primal)));
        }

        AddIfAny(reverse, restore);
        if (!st.Active)
        {
            return;
        }

        var bar = new ElementAccess(Bar(st.Collection), index, st.Type);
        bool IsTarget(Expr e) => e is TangentElement t && t.Collection == st.Collection && t.Index == st.Index;
        var linear = st.Linear;
        if (linear is not null && Increment(linear, IsTarget) is { } increment)
        {
            if (increment is not Literal)
            {
                Transpose(increment, bar, reverse);
            }

            return;
        }

        var seed = _scope.Fresh(st.Collection + "BarOut");
        reverse.Add(new Declare(seed, st.Type, bar));
        reverse.Add(new Store(bar.Collection, index, Literal.Zero(st.Type)));
        if (linear is not null)
        {
            Transpose(linear, new VarRef(seed, st.Type), reverse);
        }
    }

    private void Branch(LinIf i, List<Stmt> forward, List<Stmt> reverse, System.Func<string, bool> needs)
    {
        var name = _scope.Fresh("branch");
        var (thenForward, thenReverse) = Sweep(i.Then, needs);
        var (elseForward, elseReverse) = Sweep(i.Else, needs);
        if (thenForward.Count + elseForward.Count + thenReverse.Count + elseReverse.Count == 0)
        {
            return;
        }

        var taken = Declare(name, IrType.Bool);
        if (i.Origin is not null)
        {
            forward.Add(new Comment(i.Origin));
        }

        forward.Add(new Assign(taken, Storage(i.Condition)));
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

    /// <summary>
    /// A loop: forward, the primal once, counting iterations and taping what they carry; reverse, the iterations
    /// backwards, each restoring its carried values, recomputing what its adjoint reads, and reversing.
    /// </summary>
    private void LoopStatement(LinLoop loop, List<Stmt> forward, List<Stmt> reverse)
    {
        var k = _scope.Fresh("iteration");
        var analysis = LoopAnalysis.Run(loop, _program.Types, k, name => _scope.Fresh(name + "LastTaken"));
        var restores = new List<Stmt>();
        var readElsewhere = ReadInReverseOutside(loop);
        var restoredByIterations = new HashSet<string>(analysis.CarriedScalars.Concat(analysis.CarriedElements).Concat(analysis.CarriedCollections).Select(c => c.Name));
        if (analysis.HasDerivatives && analysis.Induction is { } counted)
        {
            restoredByIterations.Add(counted.Name);
        }

        var keep = analysis.Written
            .Where(n => readElsewhere.Contains(n) && !analysis.DeclaredInside.Contains(n) && !(analysis.HasDerivatives && restoredByIterations.Contains(n)))
            .OrderBy(n => n, System.StringComparer.Ordinal);
        foreach (var name in keep)
        {
            AddIfAny(restores, Save(name, _program.Types[name], Definition.Overwrite, forward));
        }

        if (loop.Origin is not null)
        {
            forward.Add(new Comment(loop.Origin));
        }

        if (!analysis.HasDerivatives)
        {
            forward.Add(new Loop(ToBlock(Primal(loop.Body)), Storage(loop.Condition), loop.TestFirst, ToBlock(Primal(loop.Step))));
            restores.Reverse();
            reverse.AddRange(restores);
            return;
        }

        var count = Declare(_scope.Fresh("iterations"), IrType.Int);
        string? start = null;
        if (analysis.Induction is { } counter)
        {
            start = Declare(_scope.Fresh(counter.Name + "Start"), IrType.Int);
            forward.Add(new Assign(start, new VarRef(counter.Name, IrType.Int)));
        }

        // A counted loop (i from its start while i < end, end unchanged by the loop) knows its trip count: no
        // counting is needed, and the forward run can go altogether where the reverse sweep needs nothing from it.
        // A reduction records the iteration that last took a new value, by the iteration count: it needs counting.
        var tripCount = analysis.Reductions.Count == 0 ? TripCount(loop, analysis, start) : null;
        forward.Add(new Assign(count, Literal.Zero(IrType.Int)));
        foreach (var reduction in analysis.Reductions)
        {
            forward.Add(new Assign(Declare(reduction.Star, IrType.Int), new Literal(-1, IrType.Int)));
        }

        var body = new List<Stmt>();
        var pops = new List<Stmt>();
        foreach (var (name, type) in analysis.CarriedScalars)
        {
            var tape = Tape(type);
            body.Add(new TapePush(tape, new VarRef(name, type)));
            pops.Insert(0, new Assign(name, new TapePop(tape, type)));
        }

        foreach (var (name, type) in analysis.CarriedElements)
        {
            var tape = Tape(type.Element);
            var element = new ElementAccess(StorageName(name), new VarRef(analysis.Induction!.Value.Name, IrType.Int), type.Element);
            body.Add(new TapePush(tape, element));
            pops.Insert(0, new Store(element.Collection, element.Index, new TapePop(tape, type.Element)));
        }

        foreach (var (name, type) in analysis.CarriedCollections)
        {
            var tape = Tape(type.Element);
            body.Add(new PushAll(tape, StorageName(name)));
            pops.Insert(0, new PopAll(tape, StorageName(name)));
        }

        body.AddRange(Primal(loop.Body, analysis.Reductions, count));
        body.AddRange(Primal(loop.Step));
        if (tripCount is null)
        {
            body.Add(new Assign(count, new Binary(BinaryOp.Add, new VarRef(count, IrType.Int), Literal.One(IrType.Int), IrType.Int)));
        }

        forward.Add(new Loop(ToBlock(body), Storage(loop.Condition), loop.TestFirst, Block.Empty));
        if (tripCount is not null)
        {
            forward.Add(new Assign(count, tripCount));
        }

        if (analysis.Induction is { } inductionVariable && analysis.Reductions.Count == 0 && !MakesCalls(analysis.ReverseBody))
        {
            CountedReverseLoop(loop, analysis, inductionVariable, start!, count, pops, restores, reverse);
            return;
        }

        // Reverse: iteration k = count − 1 … 0.
        Declare(k, IrType.Int);
        var iteration = new List<Stmt>
        {
            new Assign(k, new Binary(BinaryOp.Subtract, new VarRef(k, IrType.Int), Literal.One(IrType.Int), IrType.Int)),
        };
        if (analysis.Induction is { } induction)
        {
            // The counter is recomputed from the iteration number, so the step need not run again.
            Expr offset = induction.Step == 1
                ? new VarRef(k, IrType.Int)
                : new Binary(BinaryOp.Multiply, new VarRef(k, IrType.Int), new Literal(induction.Step, IrType.Int), IrType.Int);
            iteration.Add(new Assign(induction.Name, new Binary(BinaryOp.Add, new VarRef(start!, IrType.Int), offset, IrType.Int)));
        }

        iteration.AddRange(pops);
        _loopDepth++;
        var replayed = analysis.Induction is null ? analysis.ReverseBody.Concat(loop.Step) : analysis.ReverseBody;
        var (recompute, adjoint) = Sweep(replayed, name => analysis.Needed.Contains(name));
        _loopDepth--;
        iteration.AddRange(recompute);
        iteration.AddRange(adjoint);
        iteration = ElementReuse.Run(iteration, _scope.Fresh);

        reverse.Add(new Assign(k, new VarRef(count, IrType.Int)));
        var condition = new Binary(BinaryOp.Greater, new VarRef(k, IrType.Int), Literal.Zero(IrType.Int), IrType.Bool);
        reverse.Add(new Loop(ToBlock(iteration), condition, true, Block.Empty, loop.Origin is null ? null : "reverse of " + loop.Origin));
        restores.Reverse();
        reverse.AddRange(restores);
    }

    /// <summary>
    /// The reverse iterations of a counted loop (no reduction reads the iteration number, no calls), run on the counter
    /// itself: from its last value, <c>i = iStart + (iterations − 1)·c</c>, back to its start, <c>while (i &gt;= iStart)</c>
    /// (≤ for a negative step), stepping by −c. The body indexes spans with the loop's own induction variable, a
    /// loop the JIT recognizes and clones with its bounds checks hoisted out; the iterations and their arithmetic are
    /// those of counting k = iterations − 1 … 0 with i = iStart + k·c. Afterwards the counter is given back its value
    /// before the loop, iStart, as a reversed loop leaves it.
    /// </summary>
    private void CountedReverseLoop(LinLoop loop, LoopAnalysis analysis, (string Name, int Step) induction, string start, string count, List<Stmt> pops, List<Stmt> restores, List<Stmt> reverse)
    {
        var body = new List<Stmt>(pops);
        _loopDepth++;
        var (recompute, adjoint) = Sweep(analysis.ReverseBody, name => analysis.Needed.Contains(name));
        _loopDepth--;
        body.AddRange(recompute);
        body.AddRange(adjoint);
        body = ElementReuse.Run(body, _scope.Fresh);

        var counter = new VarRef(induction.Name, IrType.Int);
        var first = new VarRef(start, IrType.Int);
        var step = induction.Step;
        Expr last = step == 1
            ? new Binary(BinaryOp.Subtract, new Binary(BinaryOp.Add, first, new VarRef(count, IrType.Int), IrType.Int), Literal.One(IrType.Int), IrType.Int)
            : new Binary(
                BinaryOp.Add,
                first,
                new Binary(BinaryOp.Multiply, new Binary(BinaryOp.Subtract, new VarRef(count, IrType.Int), Literal.One(IrType.Int), IrType.Int), new Literal(step, IrType.Int), IrType.Int),
                IrType.Int);
        reverse.Add(new Assign(induction.Name, last));
        var condition = new Binary(step > 0 ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, counter, first, IrType.Bool);
        var back = new Assign(induction.Name, new Binary(step > 0 ? BinaryOp.Subtract : BinaryOp.Add, counter, new Literal(System.Math.Abs(step), IrType.Int), IrType.Int));
        reverse.Add(new Loop(ToBlock(body), condition, true, ToBlock(new List<Stmt> { back }), loop.Origin is null ? null : "reverse of " + loop.Origin));
        reverse.Add(new Assign(induction.Name, first));
        restores.Reverse();
        reverse.AddRange(restores);
    }

    /// <summary>
    /// Whether the statements call a method or a Math function that is a call (exp, log, pow, tanh, sin, cos). Such a
    /// loop keeps the iteration count: a check per element costs little beside a call, and the cloned loop that
    /// drops them changed the register allocation around the call (LogSumExp's adjoint: 1.3× slower, measured).
    /// </summary>
    private static bool MakesCalls(IEnumerable<LinStmt> statements)
    {
        static bool Calls(Expr? e) => IrWalker.Any(e, x => x is Call || x is IntrinsicCall
        {
            Function: Intrinsic.Exp or Intrinsic.Log or Intrinsic.Pow or Intrinsic.Tanh or Intrinsic.Sin or Intrinsic.Cos,
        });

        return statements.Any(s => s switch
        {
            LinGroup g => MakesCalls(g.Statements),
            LinIf i => Calls(i.Condition) || MakesCalls(i.Then) || MakesCalls(i.Else),
            LinLoop l => Calls(l.Condition) || MakesCalls(l.Body) || MakesCalls(l.Step),
            LinAssign a => Calls(a.Primal) || Calls(a.Linear),
            LinStore st => Calls(st.Index) || Calls(st.Primal) || Calls(st.Linear),
            LinCall => true,
            _ => false,
        });
    }

    /// <summary>
    /// The number of iterations of a while loop on <c>i &lt; end</c> (or ≤, &gt;, ≥) with i the counter, as an expression
    /// evaluated after the loop from its start and the end, which the loop does not change; null otherwise.
    /// </summary>
    private Expr? TripCount(LinLoop loop, LoopAnalysis analysis, string? start)
    {
        if (analysis.Induction is not { } induction || start is null || !loop.TestFirst
            || loop.Condition is not Binary { Left: VarRef counter } condition || counter.Name != induction.Name
            || IrWalker.FreeVariables(condition.Right).Any(analysis.Written.Contains))
        {
            return null;
        }

        // Iterations while i < end from i0 by c > 0: ⌈(end − i0) / c⌉, or none; the other comparisons alike.
        var step = induction.Step;
        var end = Storage(condition.Right);
        Expr span;
        switch (condition.Op)
        {
            case BinaryOp.Less when step > 0:
                span = Sub(end, new VarRef(start, IrType.Int));
                break;
            case BinaryOp.LessOrEqual when step > 0:
                span = Add(Sub(end, new VarRef(start, IrType.Int)), 1);
                break;
            case BinaryOp.Greater when step < 0:
                span = Sub(new VarRef(start, IrType.Int), end);
                break;
            case BinaryOp.GreaterOrEqual when step < 0:
                span = Add(Sub(new VarRef(start, IrType.Int), end), 1);
                break;
            default:
                return null;
        }

        var magnitude = System.Math.Abs(step);
        var iterations = magnitude == 1
            ? span
            : new Binary(BinaryOp.Divide, Add(span, magnitude - 1), new Literal(magnitude, IrType.Int), IrType.Int);
        return new IntrinsicCall(Intrinsic.Max, EquatableArray.Of<Expr>(iterations, Literal.Zero(IrType.Int)), IrType.Int);

        static Expr Sub(Expr a, Expr b) => new Binary(BinaryOp.Subtract, a, b, IrType.Int);
        static Expr Add(Expr a, int b) => new Binary(BinaryOp.Add, a, new Literal(b, IrType.Int), IrType.Int);
    }

    /// <summary>
    /// The primal of the statements, without derivatives or saves (a loop's forward run); before each reduction, the
    /// record of the iteration (<paramref name="count"/>) if it takes a new value.
    /// </summary>
    private List<Stmt> Primal(IEnumerable<LinStmt> statements, IReadOnlyList<LoopAnalysis.Reduction>? reductions = null, string? count = null)
    {
        var output = new List<Stmt>();
        foreach (var statement in statements)
        {
            if (reductions?.FirstOrDefault(r => ReferenceEquals(r.Statement, statement)) is { } reduction)
            {
                output.Add(new If(Storage(reduction.Taken), ToBlock(new List<Stmt> { new Assign(reduction.Star, new VarRef(count!, IrType.Int)) }), Block.Empty));
            }

            switch (statement)
            {
                case LinGroup g:
                    output.AddRange(Primal(g.Statements, reductions, count));
                    break;
                case LinDeclare d:
                    Declare(d.Name, d.Type);
                    break;
                case LinAssign a:
                    if (a.Definition == Definition.Declaration)
                    {
                        Declare(a.Target, a.Type);
                    }

                    output.Add(new Assign(a.Target, Storage(a.Primal)));
                    break;
                case LinStore st:
                    output.Add(new Store(StorageName(st.Collection), Storage(st.Index), Storage(st.Primal)));
                    break;
                case LinIf i:
                    output.Add(new If(Storage(i.Condition), ToBlock(Primal(i.Then)), ToBlock(Primal(i.Else))));
                    break;
                case LinLoop l:
                    output.Add(new Loop(ToBlock(Primal(l.Body)), Storage(l.Condition), l.TestFirst, ToBlock(Primal(l.Step))));
                    break;
                case LinCall c:
                    var call = (Call)Storage(c.Call);
                    if (c.Result is null)
                    {
                        output.Add(new CallStatement(call));
                    }
                    else
                    {
                        Declare(c.Result, c.Call.Type);
                        output.Add(new Assign(c.Result, call));
                    }

                    break;
            }
        }

        return output;
    }

    private void CallStatement(LinCall c, List<Stmt> forward, List<Stmt> reverse)
    {
        var restores = new List<Stmt>();
        foreach (var argument in ActivityAnalysis.WrittenArguments(c.Call))
        {
            // An out argument overwrites its variable too, when it held a value (H(x, out x)): the reverse sweep reads
            // every argument as it was before the call.
            var variable = (VarRef)argument.Value;
            AddIfAny(restores, Save(variable.Name, variable.Type, Definition.Overwrite, forward));
        }

        var call = (Call)Storage(c.Call);
        if (c.Result is null)
        {
            forward.Add(new CallStatement(call));
        }
        else
        {
            Declare(c.Result, c.Call.Type);
            forward.Add(new Assign(c.Result, call));
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
        var written = new HashSet<string>(WrittenArguments(c.Call));
        var arguments = new List<Argument>();
        // After the call: first the outputs' adjoints consumed (an out argument's reset), then the inputs' adjoints
        // gathered apart added, so that H(x, out x) gives x the adjoint of its old value.
        var resets = new List<Stmt>();
        var after = new List<Stmt>();
        for (var k = 0; k < c.Call.Arguments.Count; k++)
        {
            var argument = c.Call.Arguments[k];
            var parameter = c.Call.Callee.Parameters[k];
            if (argument.Mode != PassingMode.Out)
            {
                var value = Storage(argument.Value);
                arguments.Add(argument.Mode == PassingMode.Ref ? new Argument(value, PassingMode.Value) : argument with { Value = value });
            }

            if (!parameter.IsActive)
            {
                continue;
            }

            var variable = argument.Value as VarRef;
            var isActive = variable is not null && _program.Active.Contains(variable.Name);
            if (argument.Value.Type.IsCollection)
            {
                string bar;
                if (isActive)
                {
                    bar = Bar(variable!.Name);
                }
                else
                {
                    var unused = IrType.Collection(TypeShape.Array, argument.Value.Type.Element);
                    var zero = new NewCollection(new LengthOf(StorageName(variable!.Name)), unused);
                    if (!_parameters.Contains(variable.Name))
                    {
                        // A local (declared in the forward sweep, at the top level): its length is known only after it.
                        bar = _scope.Fresh("unusedBar");
                        reverse.Add(new Declare(bar, unused, zero));
                    }
                    else
                    {
                        bar = Declare(_scope.Fresh("unusedBar"), unused, zero);
                    }
                }

                arguments.Add(new Argument(new VarRef(bar, argument.Value.Type), PassingMode.Value));
                continue;
            }

            if (argument.Mode == PassingMode.Out)
            {
                // The callee's adjoint takes the output's adjoint by value; the old value's adjoint starts afresh.
                arguments.Add(new Argument(isActive ? new VarRef(Bar(variable!.Name), parameter.Type) : Literal.Zero(parameter.Type), PassingMode.Value));
                if (isActive)
                {
                    resets.Add(new Assign(Bar(variable!.Name), Literal.Zero(parameter.Type)));
                }

                continue;
            }

            string target;
            if (isActive && (argument.Mode == PassingMode.Ref || !written.Contains(variable!.Name)))
            {
                target = Bar(variable!.Name);
            }
            else
            {
                // No adjoint to receive (a constant, an inactive value), or one that must not alias a ref argument's.
                target = Declare(_scope.Fresh("unusedBar"), parameter.Type);
                reverse.Add(new Assign(target, Literal.Zero(parameter.Type)));
                if (isActive)
                {
                    after.Add(Accumulate(Bar(variable!.Name), new VarRef(target, parameter.Type)));
                }
            }

            arguments.Add(new Argument(new VarRef(target, parameter.Type), PassingMode.Ref));
        }

        if (c.Result is not null)
        {
            arguments.Add(new Argument(new VarRef(Bar(c.Result), c.Call.Type), PassingMode.Value));
            if (_loopDepth > 0)
            {
                after.Add(new Assign(Bar(c.Result), Literal.Zero(c.Call.Type)));
            }
        }
        else if (c.Call.Callee.ReturnType.IsReal)
        {
            // The caller discards the value: its adjoint is zero.
            arguments.Add(new Argument(Literal.Zero(c.Call.Callee.ReturnType), PassingMode.Value));
        }

        reverse.Add(new CallStatement(c.Call with { Variant = CallVariant.Adjoint, Arguments = arguments.ToEquatableArray() }));
        reverse.AddRange(resets);
        reverse.AddRange(after);
    }

    /// <summary>
    /// Before an overwrite of a variable the reverse sweep reads, keeps its old value; returns the statement that
    /// restores it (null where nothing needs keeping). A span is kept whole, on the tape.
    /// </summary>
    private Stmt? Save(string variable, IrType type, Definition definition, List<Stmt> forward)
    {
        if (definition != Definition.Overwrite || !_readInReverse.Contains(variable))
        {
            return null;
        }

        if (type.IsCollection)
        {
            var tape = Tape(type.Element);
            forward.Add(new PushAll(tape, StorageName(variable)));
            return new PopAll(tape, StorageName(variable));
        }

        var saved = Declare(_scope.Fresh(variable + "Saved"), type);
        forward.Add(new Assign(saved, new VarRef(variable, type)));
        return new Assign(variable, new VarRef(saved, type));
    }

    // ---- Transposition ----

    /// <summary>Adds to each variable's Bar its share of <paramref name="seed"/> through the linear form (its transpose).</summary>
    private void Transpose(Expr linear, Expr seed, List<Stmt> output)
    {
        if (seed is not (VarRef or Literal or Unary { Operand: VarRef }) && Leaves(linear) > 1)
        {
            // A seed computed once for all the variables it reaches (bar / b of a quotient, say), not once per variable.
            var shared = _scope.Fresh("shared");
            output.Add(new Declare(shared, seed.Type, seed));
            seed = new VarRef(shared, seed.Type);
        }

        switch (linear)
        {
            case TangentRef t:
                if (_program.Active.Contains(t.Name))
                {
                    output.Add(Accumulate(Bar(t.Name), LinearForms.Convert(seed, t.Type)!));
                }

                break;
            case TangentElement t:
                if (_program.Active.Contains(t.Collection))
                {
                    var index = Storage(t.Index);
                    var bar = new ElementAccess(Bar(t.Collection), index, t.Type);
                    output.Add(new Store(bar.Collection, index, new Binary(BinaryOp.Add, bar, LinearForms.Convert(seed, t.Type)!, t.Type)));
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
                Transpose(b.Left, LinearForms.Scale(seed, Storage(b.Right))!, output);
                break;
            case Binary { Op: BinaryOp.Multiply } b:
                Transpose(b.Right, LinearForms.ScaleLeft(Storage(b.Left), seed)!, output);
                break;
            case Binary { Op: BinaryOp.Divide } b:
                Transpose(b.Left, LinearForms.Divide(seed, Storage(b.Right))!, output);
                break;
            case Cast c:
                Transpose(c.Operand, LinearForms.Convert(seed, c.Operand.Type)!, output);
                break;
            case ZeroSafeProduct z:
            {
                // The seed is read twice (its test against zero, and the product): give it a name unless it has one.
                if (seed is not (VarRef or Literal))
                {
                    var named = _scope.Fresh("shared");
                    output.Add(new Declare(named, seed.Type, seed));
                    seed = new VarRef(named, seed.Type);
                }

                Transpose(z.Form, LinearForms.ZeroSafeMultiply(seed, Storage(z.Coefficient), z.Type), output);
                break;
            }

            case Conditional c:
            {
                var whenTrue = new List<Stmt>();
                var whenFalse = new List<Stmt>();
                Transpose(c.WhenTrue, seed, whenTrue);
                Transpose(c.WhenFalse, seed, whenFalse);
                var condition = Storage(c.Condition);
                output.Add(whenTrue.Count == 0
                    ? new If(new Unary(UnaryOp.Not, condition, IrType.Bool), ToBlock(whenFalse), Block.Empty)
                    : new If(condition, ToBlock(whenTrue), ToBlock(whenFalse)));
                break;
            }

            default:
                throw new System.InvalidOperationException("Not a linear form: " + linear.GetType().Name);
        }
    }

    /// <summary>How many active variables a linear form adds shares to.</summary>
    private int Leaves(Expr linear) => linear switch
    {
        TangentRef t => _program.Active.Contains(t.Name) ? 1 : 0,
        TangentElement t => _program.Active.Contains(t.Collection) ? 1 : 0,
        Unary u => Leaves(u.Operand),
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b => Leaves(b.Left) + Leaves(b.Right),
        Binary { Op: BinaryOp.Multiply } b => LinearForms.IsLinear(b.Left) ? Leaves(b.Left) : Leaves(b.Right),
        Binary { Op: BinaryOp.Divide } b => Leaves(b.Left),
        Cast c => Leaves(c.Operand),
        ZeroSafeProduct z => Leaves(z.Form),
        Conditional c => Leaves(c.WhenTrue) + Leaves(c.WhenFalse),
        _ => 0,
    };

    // ---- Names ----

    /// <summary>The expression reading the adjoint's own storage: a written span parameter's working copy.</summary>
    private Expr Storage(Expr expression)
        => _storage.Count == 0 ? expression : IrWalker.Rewrite(expression, e => e switch
        {
            VarRef v when _storage.TryGetValue(v.Name, out var work) => v with { Name = work },
            ElementAccess a when _storage.ContainsKey(a.Collection) => new ElementAccess(_storage[a.Collection], Storage(a.Index), a.Type),
            _ => null,
        });

    private string StorageName(string variable) => _storage.TryGetValue(variable, out var work) ? work : variable;

    private string Bar(string variable, string? name = null)
    {
        if (!_bars.TryGetValue(variable, out var bar))
        {
            bar = Declare(name ?? _scope.Fresh(variable + "Bar"), _program.Types[variable]);
            _bars[variable] = bar;
        }

        return bar;
    }

    /// <summary>The tape for values of one element type, rented once for the whole call.</summary>
    private string Tape(IrType type)
    {
        if (!_tapes.TryGetValue(type.Name, out var tape))
        {
            tape = (_scope.Fresh(type.Kind == ScalarKind.Double ? "tape" : type.Name + "Tape"), type);
            _tapes[type.Name] = tape;
        }

        return tape.Name;
    }

    /// <summary>Declares a variable at the top of the method, so that both sweeps see it.</summary>
    private string Declare(string name, IrType type, Expr? initial = null)
    {
        if (_declared.Add(name))
        {
            _declarations.Add(new Declare(name, type, initial ?? Literal.Zero(type)));
        }

        return name;
    }

    private static Stmt Accumulate(string target, Expr value)
        => new Assign(target, new Binary(BinaryOp.Add, new VarRef(target, value.Type), value, value.Type));

    private static void AddIfAny(List<Stmt> output, Stmt? statement)
    {
        if (statement is not null)
        {
            output.Add(statement);
        }
    }

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
