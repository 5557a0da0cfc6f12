using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// Rewrites a body with several returns into single-exit form: every <c>return e</c> becomes an assignment to a
/// result variable. The statements after an <c>if</c> whose one branch always returns move into its other branch;
/// where a branch returns only sometimes, a flag guards the rest. The passes then see one exit, where the adjoint starts.
/// </summary>
internal sealed class ReturnNormalizer
{
    private readonly string? _result;
    private readonly string _flag;
    private bool _flagRead;

    private ReturnNormalizer(string? result, string flag)
    {
        _result = result;
        _flag = flag;
    }

    /// <summary>The normalized body and the name of the result variable (null for void methods).</summary>
    public static (Block Body, string? Result) Normalize(MethodModel method, NameScope scope)
    {
        var result = method.ReturnType.IsReal ? scope.Fresh("result") : null;
        var normalizer = new ReturnNormalizer(result, scope.Fresh("returned"));
        var statements = normalizer.NormalizeList(method.Body.Statements.ToList());
        if (!normalizer._flagRead)
        {
            statements = normalizer.WithoutFlag(statements);
        }
        else
        {
            statements.Insert(0, new Declare(normalizer._flag, IrType.Bool, new Literal(0, IrType.Bool)));
        }

        if (result is not null)
        {
            // Behind a flag, C# cannot see that every path assigns the result: start it at zero there.
            var initial = normalizer._flagRead ? Literal.Zero(method.ReturnType) : null;
            statements.Insert(0, new Declare(result, method.ReturnType, initial));
        }

        return (new Block(statements.ToEquatableArray()), result);
    }

    private List<Stmt> NormalizeList(List<Stmt> statements)
    {
        var output = new List<Stmt>();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (statement is Return r)
            {
                if (r.Value is not null && _result is not null)
                {
                    output.Add(new Assign(_result, r.Value, r.Origin));
                }

                output.Add(new Assign(_flag, new Literal(1, IrType.Bool)));
                return output;
            }

            if (statement is not If branch || !ContainsReturn(branch))
            {
                output.Add(statement);
                continue;
            }

            var rest = statements.Skip(i + 1).ToList();
            var thenReturns = AlwaysReturns(branch.Then.Statements);
            var elseReturns = AlwaysReturns(branch.Else.Statements);
            if (thenReturns || elseReturns)
            {
                var then = thenReturns ? branch.Then.Statements.ToList() : branch.Then.Statements.Concat(rest).ToList();
                var @else = elseReturns ? branch.Else.Statements.ToList() : branch.Else.Statements.Concat(rest).ToList();
                output.Add(branch with { Then = ToBlock(NormalizeList(then)), Else = ToBlock(NormalizeList(@else)) });
                return output;
            }

            output.Add(branch with
            {
                Then = ToBlock(NormalizeList(branch.Then.Statements.ToList())),
                Else = ToBlock(NormalizeList(branch.Else.Statements.ToList())),
            });
            if (rest.Count > 0)
            {
                _flagRead = true;
                var notReturned = new Unary(UnaryOp.Not, new VarRef(_flag, IrType.Bool), IrType.Bool);
                output.Add(new If(notReturned, ToBlock(NormalizeList(rest)), Block.Empty));
            }

            return output;
        }

        return output;
    }

    private static bool ContainsReturn(Stmt statement) => statement switch
    {
        Return => true,
        If i => i.Then.Statements.Any(ContainsReturn) || i.Else.Statements.Any(ContainsReturn),
        _ => false,
    };

    private static bool AlwaysReturns(IEnumerable<Stmt> statements)
        => statements.Any(s => s is Return || (s is If i && AlwaysReturns(i.Then.Statements) && AlwaysReturns(i.Else.Statements)));

    private List<Stmt> WithoutFlag(List<Stmt> statements)
        => statements
            .Where(s => !(s is Assign a && a.Target == _flag))
            .Select(s => s is If i ? i with { Then = ToBlock(WithoutFlag(i.Then.Statements.ToList())), Else = ToBlock(WithoutFlag(i.Else.Statements.ToList())) } : s)
            .ToList();

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
