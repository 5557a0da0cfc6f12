using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Rewrites return, break and continue into structured code with one exit, so that the passes see no jumps: a
/// <c>return e</c> assigns the result variable; the statements after an <c>if</c> whose one branch always exits move
/// into its other branch; where a branch exits only sometimes, the exit sets a flag and the flag guards the rest.
/// A loop tests its break flag (and the returned flag, when it holds a return) before its condition.
/// </summary>
internal sealed class ExitNormalizer
{
    private readonly string? _result;
    private readonly NameScope _scope;
    private readonly Flag _returned;
    private readonly Stack<LoopFlags> _loops = new();
    private readonly List<Flag> _flags = new();

    private ExitNormalizer(string? result, NameScope scope)
    {
        _result = result;
        _scope = scope;
        _returned = NewFlag("returned");
    }

    /// <summary>The normalized body and the name of the result variable (null for void methods).</summary>
    public static (Block Body, string? Result) Normalize(MethodModel method, NameScope scope)
    {
        var result = method.ReturnType.IsReal ? scope.Fresh("result") : null;
        var normalizer = new ExitNormalizer(result, scope);
        var statements = normalizer.RemoveUnreadFlags(normalizer.NormalizeList(method.Body.Statements.ToList()));
        if (normalizer._returned.IsRead)
        {
            statements.Insert(0, new Declare(normalizer._returned.Name, IrType.Bool, new Literal(0, IrType.Bool)));
        }

        if (result is not null)
        {
            // Behind a flag, C# cannot see that every path assigns the result: start it at zero there.
            var initial = normalizer._returned.IsRead ? Literal.Zero(method.ReturnType) : null;
            statements.Insert(0, new Declare(result, method.ReturnType, initial));
        }

        return (new Block(statements.ToEquatableArray()), result);
    }

    private sealed class Flag
    {
        public Flag(string name) => Name = name;

        public string Name { get; }

        public bool IsRead { get; set; }

        public Expr Value => new VarRef(Name, IrType.Bool);
    }

    private sealed record LoopFlags(Flag Break, Flag Continue);

    private Flag NewFlag(string name)
    {
        var flag = new Flag(_scope.Fresh(name));
        _flags.Add(flag);
        return flag;
    }

    private List<Stmt> NormalizeList(List<Stmt> statements)
    {
        var output = new List<Stmt>();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            switch (statement)
            {
                case Return r:
                    if (r.Value is not null && _result is not null)
                    {
                        output.Add(new Assign(_result, r.Value, r.Origin));
                    }

                    output.Add(new Assign(_returned.Name, new Literal(1, IrType.Bool)));
                    return output;

                case Break:
                    output.Add(new Assign(_loops.Peek().Break.Name, new Literal(1, IrType.Bool)));
                    return output;

                case Continue:
                    output.Add(new Assign(_loops.Peek().Continue.Name, new Literal(1, IrType.Bool)));
                    return output;

                case Loop loop:
                    output.AddRange(NormalizeLoop(loop));
                    if (ContainsExit(loop))
                    {
                        output.AddRange(Guard(new[] { _returned }, statements.Skip(i + 1).ToList()));
                        return output;
                    }

                    break;

                case If branch when ContainsExit(branch):
                {
                    var rest = statements.Skip(i + 1).ToList();
                    var thenExits = AlwaysExits(branch.Then.Statements);
                    var elseExits = AlwaysExits(branch.Else.Statements);
                    if (thenExits || elseExits)
                    {
                        var then = thenExits ? branch.Then.Statements.ToList() : branch.Then.Statements.Concat(rest).ToList();
                        var @else = elseExits ? branch.Else.Statements.ToList() : branch.Else.Statements.Concat(rest).ToList();
                        output.Add(branch with { Then = ToBlock(NormalizeList(then)), Else = ToBlock(NormalizeList(@else)) });
                        return output;
                    }

                    output.Add(branch with
                    {
                        Then = ToBlock(NormalizeList(branch.Then.Statements.ToList())),
                        Else = ToBlock(NormalizeList(branch.Else.Statements.ToList())),
                    });
                    output.AddRange(Guard(ExitFlags(branch), rest));
                    return output;
                }

                case If branch:
                    // No exit leaves it, but a loop inside may hold a break, continue (its own) or a return.
                    output.Add(branch with
                    {
                        Then = ToBlock(NormalizeList(branch.Then.Statements.ToList())),
                        Else = ToBlock(NormalizeList(branch.Else.Statements.ToList())),
                    });
                    break;

                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    /// <summary>The rest of a list, run only if none of the flags was set.</summary>
    private IEnumerable<Stmt> Guard(IReadOnlyList<Flag> flags, List<Stmt> rest)
    {
        if (rest.Count == 0)
        {
            yield break;
        }

        foreach (var flag in flags)
        {
            flag.IsRead = true;
        }

        yield return new If(Not(Any(flags)), ToBlock(NormalizeList(rest)), Block.Empty);
    }

    private IEnumerable<Stmt> NormalizeLoop(Loop loop)
    {
        var flags = new LoopFlags(NewFlag("broke"), NewFlag("skipped"));
        _loops.Push(flags);
        var body = NormalizeList(loop.Body.Statements.ToList());
        _loops.Pop();

        var exits = new List<Flag>();
        if (ContainsBreak(loop.Body.Statements))
        {
            exits.Add(flags.Break);
        }

        if (ContainsExit(loop))
        {
            exits.Add(_returned);
        }

        foreach (var flag in exits)
        {
            flag.IsRead = true;
        }

        if (flags.Continue.IsRead)
        {
            body.Insert(0, new Assign(flags.Continue.Name, new Literal(0, IrType.Bool)));
            yield return new Declare(flags.Continue.Name, IrType.Bool, new Literal(0, IrType.Bool));
        }

        if (flags.Break.IsRead)
        {
            yield return new Declare(flags.Break.Name, IrType.Bool, new Literal(0, IrType.Bool));
        }

        var condition = exits.Count == 0 ? loop.Condition : new Binary(BinaryOp.And, Not(Any(exits)), loop.Condition, IrType.Bool);
        var step = exits.Count == 0 || loop.Step.IsEmpty
            ? loop.Step
            : ToBlock(new List<Stmt> { new If(Not(Any(exits)), loop.Step, Block.Empty) });
        yield return loop with { Body = ToBlock(body), Condition = condition, Step = step };
    }

    private static Expr Any(IReadOnlyList<Flag> flags)
        => flags.Skip(1).Aggregate(flags[0].Value, (e, f) => new Binary(BinaryOp.Or, e, f.Value, IrType.Bool));

    private static Expr Not(Expr condition) => new Unary(UnaryOp.Not, condition, IrType.Bool);

    /// <summary>The flags an exit inside this statement sets (a return anywhere; a break or continue of the enclosing loop).</summary>
    private IReadOnlyList<Flag> ExitFlags(Stmt statement)
    {
        var flags = new List<Flag>();
        if (ContainsReturn(statement))
        {
            flags.Add(_returned);
        }

        if (_loops.Count > 0)
        {
            if (ContainsJump<Break>(statement))
            {
                flags.Add(_loops.Peek().Break);
            }

            if (ContainsJump<Continue>(statement))
            {
                flags.Add(_loops.Peek().Continue);
            }
        }

        return flags;
    }

    /// <summary>A return anywhere, or a break or continue that leaves this statement (not one of a loop inside it).</summary>
    private static bool ContainsExit(Stmt statement) => ContainsReturn(statement) || (statement is not Loop && (ContainsJump<Break>(statement) || ContainsJump<Continue>(statement)));

    private static bool ContainsReturn(Stmt statement) => statement switch
    {
        Return => true,
        If i => i.Then.Statements.Any(ContainsReturn) || i.Else.Statements.Any(ContainsReturn),
        Loop l => l.Body.Statements.Any(ContainsReturn),
        _ => false,
    };

    private static bool ContainsJump<T>(Stmt statement) where T : Stmt => statement switch
    {
        T => true,
        If i => i.Then.Statements.Any(ContainsJump<T>) || i.Else.Statements.Any(ContainsJump<T>),
        _ => false,
    };

    private static bool ContainsBreak(IEnumerable<Stmt> statements) => statements.Any(ContainsJump<Break>);

    private static bool AlwaysExits(IEnumerable<Stmt> statements)
        => statements.Any(s => s is Return or Break or Continue || (s is If i && AlwaysExits(i.Then.Statements) && AlwaysExits(i.Else.Statements)));

    private List<Stmt> RemoveUnreadFlags(List<Stmt> statements)
    {
        var unread = new HashSet<string>(_flags.Where(f => !f.IsRead).Select(f => f.Name));
        return Strip(statements);

        List<Stmt> Strip(IEnumerable<Stmt> list) => list
            .Where(s => !(s is Assign a && unread.Contains(a.Target)))
            .Select(s => s switch
            {
                If i => i with { Then = ToBlock(Strip(i.Then.Statements)), Else = ToBlock(Strip(i.Else.Statements)) },
                Loop l => l with { Body = ToBlock(Strip(l.Body.Statements)), Step = ToBlock(Strip(l.Step.Statements)) },
                _ => s,
            })
            .ToList();
    }

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
