using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>Statements: blocks, declarations, assignments, branches, loops, switch.</summary>
internal sealed partial class MethodParser
{
    private Block? ReadBody()
    {
        if (_syntax.Body is { } block)
        {
            return ReadBlock(block.Statements);
        }

        if (_syntax.ExpressionBody is { } arrow)
        {
            var statement = _method.ReturnsVoid
                ? ExpressionAsStatement(arrow.Expression)
                : new Return(ReadValue(arrow.Expression), Origin(arrow.Expression));
            return new Block(EquatableArray.Of(statement));
        }

        Report(DiagnosticDescriptors.UnsupportedSignature, _syntax.Identifier.GetLocation(), _method.Name, "has no body");
        return null;
    }

    private Block ReadBlock(IEnumerable<StatementSyntax> statements)
    {
        var list = new List<Stmt>();
        foreach (var statement in statements)
        {
            ReadStatement(statement, list);
        }

        return new Block(list.ToEquatableArray());
    }

    private Block ReadEmbedded(StatementSyntax? statement)
        => statement switch
        {
            null => Block.Empty,
            BlockSyntax block => ReadBlock(block.Statements),
            _ => ReadBlock(new[] { statement }),
        };

    private void ReadStatement(StatementSyntax statement, List<Stmt> output)
    {
        var read = new List<Stmt>();
        ReadStatementCore(statement, read);
        output.AddRange(_pendingDeclarations);
        _pendingDeclarations.Clear();
        output.AddRange(read);
    }

    private void ReadStatementCore(StatementSyntax statement, List<Stmt> output)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case BlockSyntax block:
                // Locals have unique names, so a nested block can be read inline.
                foreach (var inner in block.Statements)
                {
                    ReadStatement(inner, output);
                }

                break;

            case EmptyStatementSyntax:
                break;

            case LocalDeclarationStatementSyntax declaration when declaration.IsConst:
                // Uses of a constant are read as literals.
                break;

            case LocalDeclarationStatementSyntax declaration
                when declaration.UsingKeyword.IsKind(SyntaxKind.None) && declaration.AwaitKeyword.IsKind(SyntaxKind.None):
                ReadDeclaration(declaration, output);
                break;

            case ExpressionStatementSyntax expressionStatement:
                output.Add(ExpressionAsStatement(expressionStatement.Expression));
                break;

            case IfStatementSyntax ifStatement:
                output.Add(new If(
                    ReadCondition(ifStatement.Condition),
                    ReadEmbedded(ifStatement.Statement),
                    ReadEmbedded(ifStatement.Else?.Statement),
                    $"if ({Origin(ifStatement.Condition)})"));
                break;

            case ForStatementSyntax forStatement:
                ReadFor(forStatement, output);
                break;

            case ForEachStatementSyntax forEach:
                ReadForEach(forEach, output);
                break;

            case WhileStatementSyntax whileStatement:
                output.Add(new Loop(ReadEmbedded(whileStatement.Statement), ReadCondition(whileStatement.Condition), true, Block.Empty,
                    $"while ({Origin(whileStatement.Condition)})"));
                break;

            case DoStatementSyntax doStatement:
                output.Add(new Loop(ReadEmbedded(doStatement.Statement), ReadCondition(doStatement.Condition), false, Block.Empty,
                    $"do … while ({Origin(doStatement.Condition)})"));
                break;

            case BreakStatementSyntax:
                output.Add(new Break());
                break;

            case ContinueStatementSyntax:
                output.Add(new Continue());
                break;

            case SwitchStatementSyntax switchStatement:
                ReadSwitch(switchStatement, output);
                break;

            case ReturnStatementSyntax returnStatement:
                output.Add(new Return(returnStatement.Expression is null ? null : ReadValue(returnStatement.Expression), Origin(returnStatement)));
                break;

            default:
                Unsupported(statement);
                break;
        }
    }

    private void ReadFor(ForStatementSyntax forStatement, List<Stmt> output)
    {
        if (forStatement.Declaration is { } declaration)
        {
            ReadVariables(declaration, forStatement.Declaration.ToString(), output);
        }

        foreach (var initializer in forStatement.Initializers)
        {
            output.Add(ExpressionAsStatement(initializer));
        }

        var condition = forStatement.Condition is null ? new Literal(1, IrType.Bool) : ReadCondition(forStatement.Condition);
        var step = ReadBlockOf(forStatement.Incrementors.Select(ExpressionAsStatement));
        var origin = $"for ({forStatement.Declaration}; {forStatement.Condition}; {string.Join(", ", forStatement.Incrementors)})";
        output.Add(new Loop(ReadEmbedded(forStatement.Statement), condition, true, step, Regex.Replace(origin, @"\s+", " ")));
    }

    /// <summary><c>foreach (var v in xs) body</c> is <c>for (int k = 0; k &lt; xs.Length; k++) { var v = xs[k]; body }</c>.</summary>
    private void ReadForEach(ForEachStatementSyntax forEach, List<Stmt> output)
    {
        var collection = ReadExpression(forEach.Expression);
        if (collection is not VarRef { Type.IsCollection: true } source
            || _model.GetDeclaredSymbol(forEach, _cancellationToken) is not ILocalSymbol local)
        {
            Unsupported(forEach.Expression, "a foreach over something other than a span or array variable");
            return;
        }

        var index = FreshLocal(local.Name + "Index");
        var element = DeclareLocal(local);
        output.Add(new Declare(index, IrType.Int, new Literal(0, IrType.Int)));
        var body = new List<Stmt> { new Declare(element, source.Type.Element, new ElementAccess(source.Name, new VarRef(index, IrType.Int), source.Type.Element)) };
        body.AddRange(ReadEmbedded(forEach.Statement).Statements);
        var condition = new Binary(BinaryOp.Less, new VarRef(index, IrType.Int), new LengthOf(source.Name), IrType.Bool);
        var step = new Assign(index, new Binary(BinaryOp.Add, new VarRef(index, IrType.Int), new Literal(1, IrType.Int), IrType.Int));
        output.Add(new Loop(new Block(body.ToEquatableArray()), condition, true, new Block(EquatableArray.Of<Stmt>(step)),
            $"foreach ({forEach.Type} {forEach.Identifier.Text} in {forEach.Expression})"));
    }

    /// <summary>
    /// A switch on constants becomes an if/else chain on a local holding the value; each section must end in
    /// break, return or continue (C# allows no fall-through), and its closing break is dropped. A break before the
    /// end of a section (<c>if (c) break;</c>) sets a flag that guards the rest of the section
    /// (<see cref="GuardBreaks"/>).
    /// </summary>
    private void ReadSwitch(SwitchStatementSyntax switchStatement, List<Stmt> output)
    {
        var value = ReadValue(switchStatement.Expression);
        var selector = FreshLocal("switchValue");
        output.Add(new Declare(selector, value.Type, value, $"switch ({switchStatement.Expression})"));
        string? breakFlag = null;

        Block? defaultBlock = null;
        var cases = new List<(Expr Condition, Block Body)>();
        foreach (var section in switchStatement.Sections)
        {
            var statements = section.Statements.SelectMany(s => s is BlockSyntax b ? b.Statements : (IEnumerable<StatementSyntax>)new[] { s }).ToList();
            if (statements.Count > 0 && statements[statements.Count - 1] is BreakStatementSyntax)
            {
                statements.RemoveAt(statements.Count - 1);
            }

            var body = ReadBlock(statements);
            if (body.Statements.Any(BreaksSwitch))
            {
                breakFlag ??= FreshLocal("switchBroken");
                body = new Block(GuardBreaks(body.Statements, breakFlag).ToEquatableArray());
            }
            Expr? condition = null;
            foreach (var label in section.Labels)
            {
                switch (label)
                {
                    case DefaultSwitchLabelSyntax:
                        defaultBlock = body;
                        break;
                    case CaseSwitchLabelSyntax caseLabel:
                        var test = new Binary(BinaryOp.Equal, new VarRef(selector, value.Type), ReadValue(caseLabel.Value), IrType.Bool);
                        condition = condition is null ? test : new Binary(BinaryOp.Or, condition, test, IrType.Bool);
                        break;
                    default:
                        Unsupported(label, "a pattern case label");
                        break;
                }
            }

            if (condition is not null)
            {
                cases.Add((condition, body));
            }
        }

        var chain = defaultBlock ?? Block.Empty;
        for (var k = cases.Count - 1; k >= 0; k--)
        {
            chain = new Block(EquatableArray.Of<Stmt>(new If(cases[k].Condition, cases[k].Body, chain, $"case {CSharpText(cases[k].Condition)}")));
        }

        if (breakFlag is not null)
        {
            output.Add(new Declare(breakFlag, IrType.Int, new Literal(0, IrType.Int)));
        }

        output.AddRange(chain.Statements);
    }

    /// <summary>Whether <paramref name="statement"/> holds a break that leaves the switch section it stands in (not
    /// one inside a loop; a nested switch has already replaced its own).</summary>
    private static bool BreaksSwitch(Stmt statement) => statement switch
    {
        Break => true,
        If branch => branch.Then.Statements.Any(BreaksSwitch) || branch.Else.Statements.Any(BreaksSwitch),
        _ => false,
    };

    /// <summary>
    /// A section's statements with each break that leaves it replaced by <c>flag = 1</c>, and the statements after a
    /// branch that may break guarded by <c>if (flag == 0)</c>: <c>a; if (c) { b; break; } d;</c> becomes
    /// <c>a; if (c) { b; flag = 1; } if (flag == 0) { d; }</c>.
    /// </summary>
    private static List<Stmt> GuardBreaks(IReadOnlyList<Stmt> statements, string flag)
    {
        var output = new List<Stmt>();
        for (var i = 0; i < statements.Count; i++)
        {
            switch (statements[i])
            {
                case Break:
                    output.Add(new Assign(flag, new Literal(1, IrType.Int)));
                    return output; // what follows a break is unreachable
                case If branch when BreaksSwitch(branch):
                    output.Add(branch with
                    {
                        Then = new Block(GuardBreaks(branch.Then.Statements, flag).ToEquatableArray()),
                        Else = new Block(GuardBreaks(branch.Else.Statements, flag).ToEquatableArray()),
                    });
                    var rest = statements.Skip(i + 1).ToList();
                    if (rest.Count > 0)
                    {
                        var notBroken = new Binary(BinaryOp.Equal, new VarRef(flag, IrType.Int), new Literal(0, IrType.Int), IrType.Bool);
                        output.Add(new If(notBroken, new Block(GuardBreaks(rest, flag).ToEquatableArray()), Block.Empty));
                    }

                    return output;
                default:
                    output.Add(statements[i]);
                    break;
            }
        }

        return output;
    }

    private static string CSharpText(Expr condition) => Emit.CSharpSyntax.Print(condition);

    private Block ReadBlockOf(IEnumerable<Stmt> statements) => new(statements.ToEquatableArray());

    /// <summary>A local of the parser's own, named so that it collides with nothing the user wrote.</summary>
    private string FreshLocal(string preferred)
    {
        var name = preferred;
        for (var i = 2; _usedNames.Contains(name) || DeclaredInMethod(name); i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _usedNames.Add(name);
        return name;
    }

    private bool DeclaredInMethod(string name)
        => _syntax.DescendantNodes().Any(n => n is VariableDeclaratorSyntax v && v.Identifier.Text == name
                                              || n is ForEachStatementSyntax f && f.Identifier.Text == name);

    private void ReadDeclaration(LocalDeclarationStatementSyntax declaration, List<Stmt> output)
        => ReadVariables(declaration.Declaration, declaration.ToString(), output);

    private void ReadVariables(VariableDeclarationSyntax declaration, string text, List<Stmt> output)
    {
        _ = text;
        foreach (var declarator in declaration.Variables)
        {
            if (_model.GetDeclaredSymbol(declarator, _cancellationToken) is not ILocalSymbol local)
            {
                Unsupported(declarator);
                continue;
            }

            var type = TypeMapper.Map(local.Type);
            if (!TypeMapper.IsSupportedValueType(type))
            {
                Unsupported(declaration, $"a local of type '{local.Type.ToDisplayString()}'");
                continue;
            }

            if (type.IsCollection && declaration.Parent?.Parent != _syntax.Body)
            {
                // The adjoint declares a collection's Bar beside it; both sweeps must see them.
                Unsupported(declaration, "a span or array local declared inside a block (declare it at the method's top level)");
                continue;
            }

            var name = DeclareLocal(local);
            var init = declarator.Initializer is null ? null : ReadInitializer(declarator.Initializer.Value, type);
            var origin = declarator.Initializer is null
                ? $"{declaration.Type} {declarator.Identifier.Text};"
                : $"{declaration.Type} {Origin(declarator)};";
            output.Add(new Declare(name, type, init, origin));
        }
    }

    /// <summary>A scalar's initial value; a span's or array's must be a new one (stackalloc T[n] or new T[n]), never an alias.</summary>
    private Expr ReadInitializer(ExpressionSyntax value, IrType type)
    {
        if (!type.IsCollection)
        {
            return ReadValue(value);
        }

        ArrayRankSpecifierSyntax? rank = value switch
        {
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax a, Initializer: null } => a.RankSpecifiers.Single(),
            ArrayCreationExpressionSyntax { Type: var a, Initializer: null } => a.RankSpecifiers.Single(),
            _ => null,
        };
        if (rank is null || rank.Sizes.Count != 1)
        {
            return Unsupported(value, "a span or array local that is not new (use stackalloc T[n] or new T[n])");
        }

        var length = ReadValue(rank.Sizes[0]);
        var created = value is StackAllocArrayCreationExpressionSyntax ? type.AsSpan : IrType.Collection(TypeShape.Array, type.Element);
        if (created.Shape != type.Shape && !(created.Shape == TypeShape.Span && type.Shape == TypeShape.ReadOnlySpan))
        {
            return Unsupported(value, $"a '{created.Name}' stored in a local of type '{type.Name}'");
        }

        return new NewCollection(length, type);
    }

    private string DeclareLocal(ILocalSymbol local)
    {
        var name = local.Name;
        for (var i = 2; !_usedNames.Add(name); i++)
        {
            name = local.Name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _localNames[local] = name;
        return name;
    }

    private Stmt ExpressionAsStatement(ExpressionSyntax expression)
    {
        var origin = Origin(expression) + ";";
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment:
                return ReadAssignment(assignment, origin);

            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix:
                return ReadIncrement(postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression), origin);

            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix:
                return ReadIncrement(prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression), origin);

            case InvocationExpressionSyntax invocation:
                if (ReadExpression(invocation) is Call call)
                {
                    return new CallStatement(call, origin);
                }

                return Reported;

            default:
                Unsupported(expression, null, " as a statement");
                return Reported;
        }
    }

    /// <summary><c>x++</c> and <c>x--</c> as statements: <c>x = x ± 1</c>.</summary>
    private Stmt ReadIncrement(ExpressionSyntax operand, bool increment, string origin)
    {
        var target = ReadExpression(operand);
        var one = new Literal(1, target.Type);
        var value = new Binary(increment ? BinaryOp.Add : BinaryOp.Subtract, target, one, target.Type);
        return target switch
        {
            VarRef v => new Assign(v.Name, value, origin),
            ElementAccess e => new Store(e.Collection, e.Index, value, origin),
            _ => UnsupportedStatement(operand, "incrementing this target"),
        };
    }

    /// <summary>Reports the construct; the statement returned stands in for it (the model is dropped anyway).</summary>
    private Stmt UnsupportedStatement(SyntaxNode node, string what)
    {
        Unsupported(node, what);
        return Reported;
    }

    private static readonly Stmt Reported = new Comment("not generated: reported");

    private Stmt ReadAssignment(AssignmentExpressionSyntax assignment, string origin)
    {
        var target = ReadExpression(assignment.Left);
        if (target is ElementAccess element)
        {
            var storedValue = CompoundValue(assignment, element);
            return storedValue is null ? Reported : new Store(element.Collection, element.Index, storedValue, origin);
        }

        if (target is not VarRef variable || variable.Type.IsCollection)
        {
            Unsupported(assignment.Left, "assignment to this target");
            return Reported;
        }

        var value = CompoundValue(assignment, variable);
        return value is null ? Reported : new Assign(variable.Name, value, origin);
    }

    /// <summary>The value assigned: the right-hand side, or for x op= y, (T)(x op y).</summary>
    private Expr? CompoundValue(AssignmentExpressionSyntax assignment, Expr variable)
    {
        BinaryOp? op;
        switch (assignment.Kind())
        {
            case SyntaxKind.SimpleAssignmentExpression: op = null; break;
            case SyntaxKind.AddAssignmentExpression: op = BinaryOp.Add; break;
            case SyntaxKind.SubtractAssignmentExpression: op = BinaryOp.Subtract; break;
            case SyntaxKind.MultiplyAssignmentExpression: op = BinaryOp.Multiply; break;
            case SyntaxKind.DivideAssignmentExpression: op = BinaryOp.Divide; break;
            case SyntaxKind.ModuloAssignmentExpression when variable.Type.Kind == ScalarKind.Integer: op = BinaryOp.Modulo; break;
            default:
                Unsupported(assignment, $"the '{assignment.OperatorToken.Text}' assignment");
                return null;
        }

        var right = ReadValue(assignment.Right);
        if (op is null)
        {
            return right;
        }

        // x op= y is x = (T)(x op y).
        var resultType = variable.Type.IsReal && right.Type.IsReal ? IrType.Promote(variable.Type, right.Type) : variable.Type;
        Expr value = new Binary(op.Value, variable, right, resultType);
        if (resultType != variable.Type)
        {
            value = new Cast(value, variable.Type);
        }

        return value;
    }
}
