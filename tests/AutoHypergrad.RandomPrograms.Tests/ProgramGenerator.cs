using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// Random programs inside the documented differentiable subset (README "The differentiable subset",
/// docs/diagnostics.md): <see cref="Programs"/> is a CsCheck generator of them; a program is a pure function of its
/// seed, so a run reproduces from the run's seed. Constraints kept by construction: ref/out-argument calls are
/// statements or whole right-hand sides, conditions have no side effects, span and array locals are declared at the
/// top level, every loop is bounded (a counter), out parameters are assigned first, math functions see arguments in
/// their domains (Sqrt(a*a+0.5), Log(a*a+1), Pow(a*a+1, c), Exp(Tanh(a)), a / (b*b+1)).
/// </summary>
public sealed class ProgramGenerator
{
    /// <summary>A CsCheck generator of programs (the class name P{index} is set by the runner).</summary>
    public static readonly Gen<Prog> Programs = Gen.ULong.Select(seed => Generate(seed, "P"));

    private readonly Random _r;
    private int _fresh;

    /// <summary>The callees of the method being generated that a call inside an expression may name: value results,
    /// value, in and read-only span parameters (nothing the call writes).</summary>
    private IReadOnlyList<Method> _valueCallees = [];

    private ProgramGenerator(ulong seed)
    {
        _r = new Random((int)(seed ^ (seed >> 32)));
    }

    /// <summary>The program of a seed.</summary>
    public static Prog Generate(ulong seed, string className) => new ProgramGenerator(seed).Build(seed, className);

    private enum Shape
    {
        General,
        SecondOrder,
        Elementwise,
    }

    private Prog Build(ulong seed, string className)
    {
        int length = 1 + _r.Next(5);
        int intValue = _r.Next(5);
        double roll = _r.NextDouble();
        Shape shape = roll < 0.55 ? Shape.General : roll < 0.72 ? Shape.SecondOrder : Shape.Elementwise;
        var callees = new List<Method>();
        if (shape != Shape.Elementwise)
        {
            // An Order = 2 method calls Order = 2 methods only (AHG0014).
            int count = _r.Next(3);
            for (int i = 0; i < count; i++)
            {
                callees.Add(Callee("G" + i, shape == Shape.SecondOrder || _r.Next(4) == 0 ? 2 : 1));
            }
        }

        Method main = shape switch
        {
            Shape.Elementwise => ElementwiseMethod(),
            Shape.SecondOrder => GeneralMethod("F", order: 2, callees),
            _ => GeneralMethod("F", order: 1, callees),
        };
        return new Prog(className, main, callees.ToImmutableArray(), length, intValue, seed);
    }

    // ---------------------------------------------------------------- methods

    private sealed class Ctx
    {
        public required bool Loops;
        public required bool Arrays;
        public required bool Returns;
        public required bool ReturnsDouble;
        public required IReadOnlyList<Method> Callees;
        public int LoopDepth;
        public int Budget;
    }

    private sealed class Scope
    {
        public List<string> Reals { get; init; } = [];
        public List<string> Assignable { get; init; } = [];
        public List<string> Ints { get; init; } = [];
        public List<string> LoopIndices { get; init; } = [];
        public List<(string Name, PKind Kind)> Seqs { get; init; } = [];
        public List<string> Consts { get; init; } = [];

        public Scope Clone() => new()
        {
            Consts = [.. Consts],
            Reals = [.. Reals],
            Assignable = [.. Assignable],
            Ints = [.. Ints],
            LoopIndices = [.. LoopIndices],
            Seqs = [.. Seqs],
        };
    }

    private Method GeneralMethod(string name, int order, IReadOnlyList<Method> callees)
    {
        var ps = new List<Param>();
        int count = 1 + _r.Next(4);
        PKind[] kinds = order == 2
            ? [PKind.Value, PKind.Value, PKind.Value, PKind.NoDiff, PKind.Hyper, PKind.Int, PKind.ReadOnlySpan, PKind.ReadOnlySpan]
            : [PKind.Value, PKind.Value, PKind.Ref, PKind.Ref, PKind.Out, PKind.In, PKind.NoDiff, PKind.Hyper, PKind.Int, PKind.ReadOnlySpan, PKind.Span, PKind.Array];
        for (int i = 0; i < count; i++)
        {
            ps.Add(new Param(NameFor(kinds[_r.Next(kinds.Length)], i), kinds[_r.Next(kinds.Length)]));
        }

        ps = ps.Select((q, i) => q with { Name = NameFor(q.Kind, i) }).ToList();
        if (!ps.Any(q => q.Kind is PKind.Value or PKind.Ref or PKind.Hyper or PKind.In || q.IsSequence))
        {
            ps.Insert(0, new Param("x", PKind.Value));
        }

        bool returnsDouble = order == 2 || _r.NextDouble() < 0.7 || !ps.Any(q => q.Kind is PKind.Ref or PKind.Out or PKind.Span or PKind.Array);
        _valueCallees = callees.Where(c => c.ReturnsDouble && c.Params.All(q => q.Kind is PKind.Value or PKind.Hyper or PKind.NoDiff or PKind.Int or PKind.In or PKind.ReadOnlySpan)).ToList();
        var ctx = new Ctx
        {
            Loops = true,
            Arrays = true,
            Returns = true,
            ReturnsDouble = returnsDouble,
            Callees = callees,
            Budget = 4 + _r.Next(9),
        };
        var scope = ScopeOf(ps);
        var body = new List<Stmt>();
        foreach (var q in ps.Where(q => q.Kind == PKind.Out))
        {
            body.Add(new Assign(new Var(q.Name), "=", Expr(scope, 1)));
            scope.Reals.Add(q.Name);
            scope.Assignable.Add(q.Name);
        }

        body.AddRange(Statements(ctx, scope, top: true));
        if (returnsDouble)
        {
            body.Add(new Return(Expr(scope, 2)));
        }

        return new Method(name, ps.ToImmutableArray(), returnsDouble, order, Elementwise: false, OptimizerStep: false, body.ToImmutableArray());
    }

    /// <summary>A callee; of Order = 2 (callable from an Order = 2 method): scalar-valued, with value, [NoDiff], [Hyper],
    /// int and read-only span parameters.</summary>
    private Method Callee(string name, int order)
    {
        _valueCallees = [];
        var ps = new List<Param>();
        int count = 1 + _r.Next(3);
        PKind[] kinds = order == 2
            ? [PKind.Value, PKind.Value, PKind.NoDiff, PKind.Hyper, PKind.Int, PKind.ReadOnlySpan]
            : [PKind.Value, PKind.Value, PKind.Ref, PKind.Ref, PKind.Out, PKind.Out, PKind.In, PKind.In, PKind.NoDiff, PKind.Int, PKind.ReadOnlySpan, PKind.Span, PKind.Array];
        for (int i = 0; i < count; i++)
        {
            ps.Add(new Param("c" + i, kinds[_r.Next(kinds.Length)]));
        }

        ps = ps.Select((q, i) => q with { Name = NameFor(q.Kind, i) }).ToList();
        if (!ps.Any(q => q.Kind is PKind.Value or PKind.Ref or PKind.In || q.IsSequence))
        {
            ps.Insert(0, new Param("x", PKind.Value));
        }

        bool returnsDouble = order == 2 || _r.NextDouble() < 0.7 || !ps.Any(q => q.Kind is PKind.Ref or PKind.Out or PKind.Span or PKind.Array);
        var ctx = new Ctx
        {
            Loops = true,
            Arrays = false,
            Returns = true,
            ReturnsDouble = returnsDouble,
            Callees = [],
            Budget = 2 + _r.Next(4),
        };
        var scope = ScopeOf(ps);
        var body = new List<Stmt>();
        foreach (var q in ps.Where(q => q.Kind == PKind.Out))
        {
            body.Add(new Assign(new Var(q.Name), "=", Expr(scope, 1)));
            scope.Reals.Add(q.Name);
            scope.Assignable.Add(q.Name);
        }

        body.AddRange(Statements(ctx, scope, top: true));
        if (returnsDouble)
        {
            body.Add(new Return(Expr(scope, 2)));
        }

        return new Method(name, ps.ToImmutableArray(), returnsDouble, order, false, false, body.ToImmutableArray());
    }

    /// <summary>Void, scalar parameters in step order (ref state, inputs, [Hyper], [NoDiff], int), straight-line code.</summary>
    private Method ElementwiseMethod()
    {
        _valueCallees = [];
        var ps = new List<Param>();
        int refs = 1 + _r.Next(2), values = _r.Next(3), hypers = _r.Next(3), nodiffs = _r.Next(2), ints = _r.Next(4) == 0 ? 1 : 0;
        for (int i = 0; i < refs; i++)
        {
            ps.Add(new Param(i == 0 ? "w" : "s" + i, PKind.Ref));
        }

        for (int i = 0; i < values; i++)
        {
            ps.Add(new Param("g" + i, PKind.Value));
        }

        for (int i = 0; i < hypers; i++)
        {
            ps.Add(new Param("h" + i, PKind.Hyper));
        }

        for (int i = 0; i < nodiffs; i++)
        {
            ps.Add(new Param("c" + i, PKind.NoDiff));
        }

        for (int i = 0; i < ints; i++)
        {
            ps.Add(new Param("n" + i, PKind.Int));
        }

        bool stepShape = values == 1 && ints == 0;
        var ctx = new Ctx
        {
            Loops = false,
            Arrays = false,
            Returns = false,
            ReturnsDouble = false,
            Callees = [],
            Budget = 2 + _r.Next(7),
        };
        var scope = ScopeOf(ps);
        var body = Statements(ctx, scope, top: true);
        // Write the state at least once.
        body.Add(new Assign(new Var("w"), Pick(["=", "+=", "-=", "*="]), Expr(scope, 2)));
        return new Method("F", ps.ToImmutableArray(), false, 1, Elementwise: true, OptimizerStep: stepShape && _r.Next(2) == 0, body.ToImmutableArray());
    }

    private static string NameFor(PKind kind, int i) => kind switch
    {
        PKind.Int => "n" + i,
        PKind.NoDiff => "c" + i,
        PKind.Hyper => "h" + i,
        PKind.Ref => "r" + i,
        PKind.Out => "o" + i,
        PKind.In => "q" + i,
        PKind.ReadOnlySpan or PKind.Span or PKind.Array => "a" + i,
        _ => "x" + i,
    };

    private static Scope ScopeOf(IEnumerable<Param> ps)
    {
        var s = new Scope();
        foreach (var q in ps)
        {
            switch (q.Kind)
            {
                case PKind.Int:
                    s.Ints.Add(q.Name);
                    break;
                case PKind.ReadOnlySpan or PKind.Span or PKind.Array:
                    s.Seqs.Add((q.Name, q.Kind));
                    break;
                case PKind.In:
                    s.Reals.Add(q.Name);
                    break;
                case PKind.Out:
                    break; // assigned first, then added
                default:
                    s.Reals.Add(q.Name);
                    s.Assignable.Add(q.Name);
                    break;
            }
        }

        return s;
    }

    // ---------------------------------------------------------------- statements

    private List<Stmt> Statements(Ctx ctx, Scope scope, bool top)
    {
        var list = new List<Stmt>();
        int count = top ? 2 + _r.Next(5) : 1 + _r.Next(3);
        for (int i = 0; i < count && ctx.Budget > 0; i++)
        {
            ctx.Budget--;
            list.Add(Statement(ctx, scope, top));
        }

        return list;
    }

    private Stmt Statement(Ctx ctx, Scope scope, bool top)
    {
        while (true)
        {
            int pick = _r.Next(110);
            if (pick >= 100)
            {
                if (pick < 106)
                {
                    if (scope.Ints.Count == 0)
                    {
                        continue;
                    }

                    return SwitchStatement(ctx, scope);
                }

                string constant = "K" + _fresh++;
                scope.Consts.Add(constant);
                return new ConstDecl(constant, Pick(Constants));
            }

            if (pick < 20)
            {
                string name = "t" + _fresh++;
                var init = Expr(scope, 3);
                scope.Reals.Add(name);
                scope.Assignable.Add(name);
                return new Decl(name, init);
            }

            if (pick < 45)
            {
                if (Assignment(scope) is { } assign)
                {
                    return assign;
                }

                continue;
            }

            if (pick < 58)
            {
                var cond = Condition(scope, 2);
                var then = Statements(ctx, scope.Clone(), top: false);
                if (ctx.Returns && _r.Next(5) == 0)
                {
                    then.Add(new Return(ctx.ReturnsDouble ? Expr(scope, 2) : null));
                }
                else if (ctx.LoopDepth > 0 && _r.Next(3) == 0)
                {
                    then.Add(_r.Next(2) == 0 ? new Break() : new Continue());
                }

                ImmutableArray<Stmt>? els = null;
                if (_r.Next(2) == 0)
                {
                    var e = Statements(ctx, scope.Clone(), top: false);
                    if (ctx.LoopDepth > 0 && _r.Next(4) == 0)
                    {
                        e.Add(_r.Next(2) == 0 ? new Break() : new Continue());
                    }

                    els = e.ToImmutableArray();
                }

                return new If(cond, then.ToImmutableArray(), els);
            }

            if (pick < 75)
            {
                if (!ctx.Loops || ctx.LoopDepth >= 2)
                {
                    continue;
                }

                return Loop(ctx, scope);
            }

            if (pick < 88)
            {
                if (ctx.Callees.Count == 0)
                {
                    continue;
                }

                if (CallStatement(ctx, scope) is { } call)
                {
                    return call;
                }

                continue;
            }

            if (pick < 94)
            {
                if (!ctx.Arrays || !top)
                {
                    continue;
                }

                string name = "b" + _fresh++;
                bool stack = _r.Next(2) == 0;
                scope.Seqs.Add((name, stack ? PKind.Span : PKind.Array));
                return new ArrayDecl(name, stack);
            }

            if (ctx.Returns && !top && _r.Next(2) == 0)
            {
                return new If(Condition(scope, 1), [new Return(ctx.ReturnsDouble ? Expr(scope, 2) : null)], null);
            }

            if (ctx.LoopDepth > 0)
            {
                return new If(Condition(scope, 1), [_r.Next(2) == 0 ? new Break() : new Continue()], null);
            }
        }
    }

    /// <summary>A switch on an int (a counter or an int parameter, modulo the case count) with 1–3 cases and a default.</summary>
    private Stmt SwitchStatement(Ctx ctx, Scope scope)
    {
        int cases = 1 + _r.Next(3);
        string i = Pick(scope.Ints);
        string selector = _r.Next(2) == 0 ? i : $"{i} % {cases + 1}";
        ImmutableArray<Stmt> Section()
        {
            var body = Statements(ctx, scope.Clone(), top: false);
            if (ctx.Returns && _r.Next(6) == 0)
            {
                body.Add(new Return(ctx.ReturnsDouble ? Expr(scope, 2) : null));
            }
            else if (ctx.LoopDepth > 0 && _r.Next(6) == 0)
            {
                body.Add(new Continue());
            }

            return body.ToImmutableArray();
        }

        var sections = Enumerable.Range(0, cases).Select(_ => Section()).ToImmutableArray();
        return new Switch(selector, sections, Section());
    }

    private Stmt? Assignment(Scope scope)
    {
        var writable = scope.Seqs.Where(s => s.Kind is PKind.Span or PKind.Array).ToList();
        Expr target;
        if (writable.Count > 0 && _r.Next(3) == 0)
        {
            var (name, _) = writable[_r.Next(writable.Count)];
            target = new Elem(name, Index(scope, name));
        }
        else if (scope.Assignable.Count > 0)
        {
            target = new Var(Pick(scope.Assignable));
        }
        else
        {
            return null;
        }

        string op = Pick(["=", "=", "+=", "-=", "*=", "/=", "++", "--"]);
        var rhs = op is "++" or "--" ? null : Expr(scope, 3);
        if (op == "=" && rhs == target)
        {
            op = "+="; // x = x is a warning of the program's own
        }

        return new Assign(target, op, rhs);
    }

    private Stmt Loop(Ctx ctx, Scope scope)
    {
        ctx.LoopDepth++;
        try
        {
            var inner = scope.Clone();
            int kind = _r.Next(4);
            if (kind == 3 && scope.Seqs.Count == 0)
            {
                kind = 0;
            }

            switch (kind)
            {
                case 0:
                {
                    string v = "i" + _fresh++;
                    string bound = scope.Seqs.Count > 0 && _r.Next(2) == 0 ? Pick(scope.Seqs).Name + ".Length"
                        : scope.Ints.Count > 0 && _r.Next(3) == 0 ? Pick(scope.Ints)
                        : (1 + _r.Next(4)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    inner.Ints.Add(v);
                    inner.LoopIndices.Add(v);
                    return new For(v, bound, Statements(ctx, inner, top: false).ToImmutableArray());
                }

                case 1:
                {
                    string k = "k" + _fresh++;
                    inner.Ints.Add(k);
                    inner.LoopIndices.Add(k);
                    Cond? extra = _r.Next(2) == 0 ? new Cmp(Pick(["<", ">"]), Expr(scope, 1), Expr(scope, 1)) : null;
                    var body = Statements(ctx, inner, top: false);
                    // Declared before the loop: the counter is visible after it, as the printer writes it.
                    scope.Ints.Add(k);
                    return new While(k, 1 + _r.Next(4), extra, body.ToImmutableArray());
                }

                case 2:
                {
                    string k = "k" + _fresh++;
                    inner.Ints.Add(k);
                    inner.LoopIndices.Add(k);
                    var body = Statements(ctx, inner, top: false);
                    scope.Ints.Add(k);
                    return new DoWhile(k, 1 + _r.Next(4), body.ToImmutableArray());
                }

                default:
                {
                    string v = "e" + _fresh++;
                    var (array, _) = Pick(scope.Seqs);
                    inner.Reals.Add(v);
                    return new Foreach(v, array, Statements(ctx, inner, top: false).ToImmutableArray());
                }
            }
        }
        finally
        {
            ctx.LoopDepth--;
        }
    }

    private Stmt? CallStatement(Ctx ctx, Scope scope)
    {
        var callee = Pick(ctx.Callees.ToList());
        var args = new List<Arg>();
        var declared = new List<string>();
        // A variable passed by ref or out is not passed by reference again in the same call (AHG0003, documented:
        // F(ref x, ref x), F(in x, out x)); two in arguments of the same variable are fine.
        var byReference = new HashSet<string>();
        var written = new HashSet<string>();
        var passedSequences = new HashSet<string>();
        var writtenSequences = new HashSet<string>();
        foreach (var q in callee.Params)
        {
            switch (q.Kind)
            {
                case PKind.Value or PKind.Hyper:
                    args.Add(new Arg(ArgMode.Value, Expr(scope, 2), null));
                    break;
                case PKind.NoDiff:
                    // [NoDiff] cuts the derivative (a stop-gradient): an active argument would make finite differences
                    // disagree by design. Pass a passive value.
                    args.Add(new Arg(ArgMode.Value, scope.Ints.Count > 0 && _r.Next(2) == 0 ? new Var(Pick(scope.Ints)) : new Num(Pick(Constants)), null));
                    break;
                case PKind.Int:
                    args.Add(IntArgument(scope));
                    break;
                case PKind.In:
                {
                    var readable = scope.Reals.Where(v => !written.Contains(v)).ToList();
                    if (readable.Count == 0)
                    {
                        return null;
                    }

                    string name = Pick(readable);
                    byReference.Add(name);
                    args.Add(new Arg(ArgMode.In, null, name));
                    break;
                }

                case PKind.Ref:
                {
                    var free = scope.Assignable.Where(v => !byReference.Contains(v)).ToList();
                    if (free.Count == 0)
                    {
                        return null;
                    }

                    string name = Pick(free);
                    byReference.Add(name);
                    written.Add(name);
                    args.Add(new Arg(ArgMode.Ref, null, name));
                    break;
                }

                case PKind.Out:
                    var freeOut = scope.Assignable.Where(v => !byReference.Contains(v)).ToList();
                    if (freeOut.Count > 0 && _r.Next(2) == 0)
                    {
                        string name = Pick(freeOut);
                        byReference.Add(name);
                        written.Add(name);
                        args.Add(new Arg(ArgMode.Out, null, name));
                    }
                    else
                    {
                        string name = "t" + _fresh++;
                        declared.Add(name);
                        args.Add(new Arg(ArgMode.OutDecl, null, name));
                    }

                    break;
                default:
                {
                    // A span or array that the callee may write is not passed as another of its span arguments too:
                    // the generated derivatives refuse such aliasing at run time (documented), as C# cannot see it.
                    bool writable = q.Kind is not PKind.ReadOnlySpan;
                    var fits = scope.Seqs.Where(s => q.Kind switch
                    {
                        PKind.ReadOnlySpan => true,
                        PKind.Span => s.Kind is PKind.Span or PKind.Array,
                        _ => s.Kind == PKind.Array,
                    }).Where(s => !writtenSequences.Contains(s.Name) && !(writable && passedSequences.Contains(s.Name))).ToList();
                    if (fits.Count == 0)
                    {
                        return null;
                    }

                    string sequence = Pick(fits).Name;
                    passedSequences.Add(sequence);
                    if (writable)
                    {
                        writtenSequences.Add(sequence);
                    }

                    args.Add(new Arg(ArgMode.Sequence, null, sequence));
                    break;
                }
            }
        }

        string? target = callee.ReturnsDouble && scope.Assignable.Count > 0 && _r.Next(3) != 0 ? Pick(scope.Assignable) : null;
        if (!callee.ReturnsDouble || target is null)
        {
            if (callee.ReturnsDouble && callee.Params.All(q => q.Kind is not (PKind.Ref or PKind.Out)))
            {
                return null; // a value call is an expression, not a statement of its own
            }
        }

        foreach (string d in declared)
        {
            scope.Reals.Add(d);
            scope.Assignable.Add(d);
        }

        return new CallStmt(target, callee.Name, args.ToImmutableArray());
    }

    // ---------------------------------------------------------------- expressions

    private string Index(Scope scope, string array)
    {
        if (scope.LoopIndices.Count > 0 && _r.Next(3) != 0)
        {
            string i = Pick(scope.LoopIndices);
            int c = _r.Next(3);
            return c == 0 ? $"{i} % {array}.Length" : $"({i} + {c}) % {array}.Length";
        }

        return "0";
    }

    private static readonly double[] Constants = [0.5, 1.5, 2.0, 0.25, 3.0, 0.1, 1.0, 0.75];

    private Expr Expr(Scope scope, int depth)
    {
        if (depth <= 0 || _r.Next(10) < 3)
        {
            return Leaf(scope);
        }

        int pick = _r.Next(100);
        if (pick < 40)
        {
            return new Bin("+-*/"[_r.Next(4)], Expr(scope, depth - 1), Expr(scope, depth - 1));
        }

        if (pick < 45)
        {
            return new Neg(Expr(scope, depth - 1));
        }

        if (pick < 80)
        {
            string f = Pick(["Sqrt", "Exp", "Log", "Pow", "Abs", "Max", "Min", "Tanh", "Sin", "Cos", "Sign", "FusedMultiplyAdd", "Clamp"]);
            var args = f switch
            {
                "Max" or "Min" => Distinct(Expr(scope, depth - 1), Expr(scope, depth - 1)),
                "Pow" => ImmutableArray.Create(Expr(scope, depth - 1), (Expr)new Num(Pick([0.5, 1.5, 2.0, 3.0]))),
                "FusedMultiplyAdd" => ImmutableArray.Create(Expr(scope, depth - 1), Expr(scope, depth - 1), Expr(scope, depth - 1)),
                "Sign" => ImmutableArray.Create(Expr(scope, depth - 1)),
                _ => ImmutableArray.Create(Expr(scope, depth - 1)),
            };
            var call = new Fn(f, args);
            // Sign is an int: use it in a product.
            return f == "Sign" ? new Bin('*', call, Expr(scope, depth - 1)) : call;
        }

        if (pick < 90)
        {
            return new Ternary(Condition(scope, 1), Expr(scope, depth - 1), Expr(scope, depth - 1));
        }

        if (pick < 95 && scope.Seqs.Count > 0)
        {
            string f = Pick(["Dot", "Sum", "SumOfSquares", "Max"]);
            var first = Pick(scope.Seqs).Name;
            return new Reduce(f, f == "Dot" ? [first, Pick(scope.Seqs).Name] : [first]);
        }

        if (pick >= 95 && ValueCall(scope, depth - 1) is { } call2)
        {
            return call2;
        }

        return Leaf(scope);
    }

    /// <summary>An int argument: an int variable in scope or a small constant.</summary>
    private Arg IntArgument(Scope scope)
        => new(ArgMode.Value, new Var(scope.Ints.Count > 0 && _r.Next(2) == 0 ? Pick(scope.Ints) : _r.Next(4).ToString(System.Globalization.CultureInfo.InvariantCulture)), null);

    /// <summary>A call inside an expression, to a callee that writes nothing.</summary>
    private Expr? ValueCall(Scope scope, int depth)
    {
        if (_valueCallees.Count == 0)
        {
            return null;
        }

        var callee = Pick(_valueCallees);
        var args = new List<Arg>();
        foreach (var q in callee.Params)
        {
            switch (q.Kind)
            {
                case PKind.Value or PKind.Hyper:
                    args.Add(new Arg(ArgMode.Value, Expr(scope, depth), null));
                    break;
                case PKind.NoDiff:
                    args.Add(new Arg(ArgMode.Value, new Num(Pick(Constants)), null));
                    break;
                case PKind.Int:
                    args.Add(IntArgument(scope));
                    break;
                case PKind.In:
                    if (scope.Reals.Count == 0)
                    {
                        return null;
                    }

                    args.Add(new Arg(ArgMode.In, null, Pick(scope.Reals)));
                    break;
                default:
                    if (scope.Seqs.Count == 0)
                    {
                        return null;
                    }

                    args.Add(new Arg(ArgMode.Sequence, null, Pick(scope.Seqs).Name));
                    break;
            }
        }

        return new CallExpr(callee.Name, args.ToImmutableArray());
    }

    private Expr Leaf(Scope scope)
    {
        int pick = _r.Next(100);
        if (pick < 15 || (scope.Reals.Count == 0 && scope.Seqs.Count == 0))
        {
            return pick % 4 != 0 ? new Num(Pick(Constants))
                : new Const(scope.Consts.Count > 0 && _r.Next(2) == 0 ? Pick(scope.Consts) : Pick(["Math.PI", "Half"]));
        }

        if (pick < 25 && scope.Seqs.Count > 0)
        {
            var (name, _) = Pick(scope.Seqs);
            return new Elem(name, Index(scope, name));
        }

        if (pick < 30 && scope.Ints.Count > 0)
        {
            return new Var(Pick(scope.Ints));
        }

        if (scope.Reals.Count == 0)
        {
            var (name, _) = Pick(scope.Seqs);
            return new Elem(name, Index(scope, name));
        }

        return new Var(Pick(scope.Reals));
    }

    private Cond Condition(Scope scope, int depth)
    {
        int pick = _r.Next(100);
        if (depth > 0 && pick < 15)
        {
            return new Logic(_r.Next(2) == 0 ? "&&" : "||", Condition(scope, depth - 1), Condition(scope, depth - 1));
        }

        if (depth > 0 && pick < 20)
        {
            return new Not(Condition(scope, depth - 1));
        }

        if (pick < 28 && scope.Ints.Count > 0)
        {
            string i = Pick(scope.Ints);
            return new IntCmp(_r.Next(2) == 0 ? $"{i} % 2 == 0" : $"{i} > {_r.Next(3)}");
        }

        // x < x is always at its switching point: no test point would be smooth.
        var left = Expr(scope, 2);
        var right = Expr(scope, 1);
        return new Cmp(Pick(["<", "<=", ">", ">="]), left, right == left ? new Num(Pick(Constants)) : right);
    }

    private ImmutableArray<Expr> Distinct(Expr a, Expr b) => ImmutableArray.Create(a, b == a ? new Num(Pick(Constants)) : b);

    private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];
}
