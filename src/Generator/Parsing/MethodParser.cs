using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>
/// Reads one [Differentiable] method into the IR, reporting every unsupported construct at its location.
/// Implicit conversions become explicit casts and constants become literals, so the passes see plain arithmetic.
/// </summary>
internal sealed class MethodParser
{
    private readonly SemanticModel _model;
    private readonly IMethodSymbol _method;
    private readonly MethodDeclarationSyntax _syntax;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly Dictionary<ILocalSymbol, string> _localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    /// <summary>Locals declared inside an expression (out var), declared before the statement that holds it.</summary>
    private readonly List<Stmt> _pendingDeclarations = new();

    private readonly int _order;

    private MethodParser(SemanticModel model, IMethodSymbol method, MethodDeclarationSyntax syntax, int order, CancellationToken cancellationToken)
    {
        _model = model;
        _method = method;
        _syntax = syntax;
        _order = order;
        _cancellationToken = cancellationToken;
    }

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            var order = 1;
            foreach (var argument in context.Attributes.SelectMany(a => a.NamedArguments))
            {
                if (argument.Key == "Order" && argument.Value.Value is int value)
                {
                    order = value;
                }
            }

            return new MethodParser(context.SemanticModel, method, syntax, order, cancellationToken).Run();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            return new ParseResult(null, EquatableArray.Of(DiagnosticInfo.Create(
                DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier), method.Name, exception.Message)));
        }
    }

    private ParseResult Run()
    {
        var typeLocation = ReadContainingTypes();
        var returnType = ReadReturnType();
        var parameters = ReadParameters();

        if (!_method.IsStatic)
        {
            Report(DiagnosticDescriptors.MethodMustBeStatic, _syntax.Identifier.GetLocation(), _method.Name);
        }

        if (_method.IsGenericMethod)
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, _syntax.Identifier.GetLocation(), _method.Name, "is generic, which is not supported");
        }

        CheckOrder(parameters, returnType);
        Block? body = null;
        if (_diagnostics.Count == 0)
        {
            CheckGeneratedNames(parameters, returnType);
            body = ReadBody();
        }

        if (_diagnostics.Count > 0 || typeLocation is null || body is null)
        {
            return new ParseResult(null, _diagnostics.ToEquatableArray());
        }

        var model = new MethodModel(
            typeLocation,
            _method.Name,
            AccessibilityText(_method.DeclaredAccessibility),
            returnType,
            parameters.ToEquatableArray(),
            body,
            HintName(typeLocation),
            LocationInfo.From(_syntax.Identifier),
            _order);
        return new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty);
    }

    // ---- Signature ----

    private TypeLocation? ReadContainingTypes()
    {
        var types = new List<ContainingType>();
        foreach (var declaration in _syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.TypeMustBePartial, _syntax.Identifier.GetLocation(), declaration.Identifier.Text, _method.Name);
                return null;
            }

            if (declaration.TypeParameterList is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedSignature, _syntax.Identifier.GetLocation(), _method.Name,
                    $"is declared in generic type '{declaration.Identifier.Text}{declaration.TypeParameterList}', which is not supported");
                return null;
            }

            types.Add(new ContainingType(TypeKeyword(declaration), declaration.Identifier.Text));
        }

        types.Reverse();
        var ns = _method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new TypeLocation(ns, types.ToEquatableArray());
    }

    private static string TypeKeyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private IrType ReadReturnType()
    {
        var type = TypeMapper.Map(_method.ReturnType);
        if (!type.IsReal && type.Kind != ScalarKind.Void)
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, _syntax.ReturnType.GetLocation(), _method.Name,
                $"returns '{_method.ReturnType.ToDisplayString()}': a [Differentiable] method returns float, double or void");
        }

        return type;
    }

    private List<Parameter> ReadParameters()
    {
        var parameters = new List<Parameter>();
        foreach (var parameter in _method.Parameters)
        {
            _usedNames.Add(parameter.Name);
            var location = parameter.Locations.FirstOrDefault();
            var mode = TypeMapper.Mode(parameter.RefKind);
            if (mode is null)
            {
                Report(DiagnosticDescriptors.UnsupportedSignature, location, _method.Name,
                    $"has {parameter.RefKind.ToString().ToLowerInvariant()} parameter '{parameter.Name}': use ref, in, out or a plain parameter");
                continue;
            }

            var type = TypeMapper.Map(parameter.Type);
            var noDiff = SymbolNames.HasAttribute(parameter, SymbolNames.NoDiffAttribute);
            if (!noDiff && !TypeMapper.IsSupportedValueType(type))
            {
                Report(DiagnosticDescriptors.ParameterNotDifferentiable, location, parameter.Name, _method.Name, parameter.Type.ToDisplayString());
                continue;
            }

            if (type.IsCollection && mode != PassingMode.Value)
            {
                Report(DiagnosticDescriptors.UnsupportedSignature, location, _method.Name,
                    $"passes span or array '{parameter.Name}' by {mode.Value.ToString().ToLowerInvariant()}: pass it by value (its elements can still be written)");
                continue;
            }

            parameters.Add(new Parameter(parameter.Name, type, mode.Value, type.CarriesDerivative && !noDiff));
        }

        return parameters;
    }

    /// <summary>Order 2 (a Hessian-vector product) is for scalar-valued methods of their inputs: a return value, no ref or out state.</summary>
    private void CheckOrder(List<Parameter> parameters, IrType returnType)
    {
        var location = _syntax.Identifier.GetLocation();
        if (_order is not (1 or 2))
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, location, _method.Name, $"asks for Order = {_order}: the orders supported are 1 and 2");
        }
        else if (_order == 2 && (!returnType.IsReal || parameters.Any(p => p.Mode is PassingMode.Ref or PassingMode.Out)))
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, location, _method.Name,
                "has Order = 2 but is not scalar-valued: a Hessian-vector product needs a float or double return value and no ref or out parameters");
        }
        else if (_order == 2 && _syntax.DescendantNodes().OfType<InvocationExpressionSyntax>().FirstOrDefault(IsNonIntrinsicCall) is { } call)
        {
            Unsupported(call, "a call to another method in a [Differentiable(Order = 2)] method (only Math functions, for now)");
        }
    }

    private bool IsNonIntrinsicCall(InvocationExpressionSyntax invocation)
        => _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol m
           && m.ContainingType?.ToDisplayString() is not ("System.Math" or "System.MathF");

    /// <summary>The contract fixes the names xDot, xBar and resultBar; a parameter or local already named so is an error.</summary>
    private void CheckGeneratedNames(List<Parameter> parameters, IrType returnType)
    {
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        if (returnType.IsReal)
        {
            generated["resultBar"] = "the adjoint of the return value";
        }

        foreach (var parameter in parameters.Where(p => p.IsActive))
        {
            var names = new List<(string, string)> { (parameter.Name + "Dot", $"the tangent of '{parameter.Name}'"), (parameter.Name + "Bar", $"the adjoint of '{parameter.Name}'") };
            if (_order == 2)
            {
                names.Add((parameter.Name + "V", $"the direction of '{parameter.Name}'"));
                names.Add((parameter.Name + "Hv", $"the Hessian-vector product for '{parameter.Name}'"));
            }

            foreach (var (name, what) in names)
            {
                if (generated.TryGetValue(name, out var other))
                {
                    // Two generated names coincide (a parameter named result: its adjoint and the return value's).
                    var location = _method.Parameters.First(p => p.Name == parameter.Name).Locations.FirstOrDefault();
                    Report(DiagnosticDescriptors.GeneratedNameConflict, location, parameter.Name, _method.Name, $"{other}, which {what} would also be named '{name}'");
                    continue;
                }

                generated[name] = what;
            }
        }

        foreach (var parameter in _method.Parameters)
        {
            if (generated.TryGetValue(parameter.Name, out var what))
            {
                Report(DiagnosticDescriptors.GeneratedNameConflict, parameter.Locations.FirstOrDefault(), parameter.Name, _method.Name, what);
            }
        }

        foreach (var declarator in _syntax.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (generated.TryGetValue(declarator.Identifier.Text, out var what))
            {
                Report(DiagnosticDescriptors.GeneratedNameConflict, declarator.Identifier.GetLocation(), declarator.Identifier.Text, _method.Name, what);
            }
        }
    }

    private string HintName(TypeLocation location)
    {
        var name = location.DisplayName + "." + _method.Name;
        var overloaded = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
            .Count(m => SymbolNames.HasAttribute(m, SymbolNames.DifferentiableAttribute)) > 1;
        if (overloaded)
        {
            name += "_" + string.Join("_", _method.Parameters.Select(p => p.Type.Name));
        }

        return name + ".g.cs";
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    // ---- Statements ----

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
    /// break, return or continue (C# allows no fall-through), and its closing break is dropped.
    /// </summary>
    private void ReadSwitch(SwitchStatementSyntax switchStatement, List<Stmt> output)
    {
        var value = ReadValue(switchStatement.Expression);
        var selector = FreshLocal("switchValue");
        output.Add(new Declare(selector, value.Type, value, $"switch ({switchStatement.Expression})"));

        Block? defaultBlock = null;
        var cases = new List<(Expr Condition, Block Body)>();
        foreach (var section in switchStatement.Sections)
        {
            var statements = section.Statements.SelectMany(s => s is BlockSyntax b ? b.Statements : (IEnumerable<StatementSyntax>)new[] { s }).ToList();
            if (statements.Count > 0 && statements[statements.Count - 1] is BreakStatementSyntax)
            {
                statements.RemoveAt(statements.Count - 1);
            }

            foreach (var inner in statements.SelectMany(s => s.DescendantNodesAndSelf()).OfType<BreakStatementSyntax>())
            {
                if (!inner.Ancestors().TakeWhile(a => a != section).Any(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax))
                {
                    Unsupported(inner, "a break before the end of a switch section");
                }
            }

            var body = ReadBlock(statements);
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

        output.AddRange(chain.Statements);
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

    // ---- Expressions ----

    private Expr ReadCondition(ExpressionSyntax condition)
    {
        foreach (var invocation in condition.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.ArgumentList.Arguments.Any(a => a.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) || a.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)))
            {
                Unsupported(invocation, "a call with ref arguments inside a condition");
            }
        }

        return ReadValue(condition);
    }

    /// <summary>Reads an expression with the implicit conversion C# applies to it made explicit.</summary>
    private Expr ReadValue(ExpressionSyntax expression)
    {
        var info = _model.GetTypeInfo(expression, _cancellationToken);
        var target = TypeMapper.Map(info.ConvertedType ?? info.Type);
        var constant = _model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue && TryLiteral(constant.Value, target, out var literal))
        {
            return literal;
        }

        var value = ReadExpression(expression);
        if (value.Type != target && TypeMapper.IsSupportedValueType(target) && target.Kind != ScalarKind.Bool)
        {
            return new Cast(value, target);
        }

        return value;
    }

    private static bool TryLiteral(object? value, IrType type, out Expr literal)
    {
        literal = null!;
        double number;
        switch (value)
        {
            case bool b: number = b ? 1 : 0; break;
            case double d: number = d; break;
            case float f: number = f; break;
            case int i: number = i; break;
            case long l: number = l; break;
            case short s: number = s; break;
            case byte b: number = b; break;
            case sbyte sb: number = sb; break;
            case ushort us: number = us; break;
            case uint ui: number = ui; break;
            default: return false;
        }

        if (!TypeMapper.IsSupportedValueType(type))
        {
            return false;
        }

        literal = new Literal(type.Kind == ScalarKind.Float ? (float)number : number, type);
        return true;
    }

    /// <summary>Reads an expression at its own (unconverted) type.</summary>
    private Expr ReadExpression(ExpressionSyntax expression)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var type = TypeMapper.Map(_model.GetTypeInfo(expression, _cancellationToken).Type);
        var constant = _model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue && TryLiteral(constant.Value, type, out var literal))
        {
            return literal;
        }

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadValue(parenthesized.Expression);

            case IdentifierNameSyntax identifier:
                return ReadIdentifier(identifier, type);

            case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation }
                when _model.GetDeclaredSymbol(designation, _cancellationToken) is ILocalSymbol local && _localNames.TryGetValue(local, out var declaredName):
                return new VarRef(declaredName, TypeMapper.Map(local.Type));

            case ElementAccessExpressionSyntax access when access.ArgumentList.Arguments.Count == 1:
            {
                if (ReadExpression(access.Expression) is not VarRef { Type.IsCollection: true } collection)
                {
                    return Unsupported(access.Expression, "indexing something other than a span or array variable");
                }

                var index = ReadValue(access.ArgumentList.Arguments[0].Expression);
                if (index.Type.Kind != ScalarKind.Integer || access.ArgumentList.Arguments[0].Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression })
                {
                    return Unsupported(access.ArgumentList, "an index that is not an integer");
                }

                return new ElementAccess(collection.Name, index, collection.Type.Element);
            }

            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } member
                when ReadExpression(member.Expression) is VarRef { Type.IsCollection: true } lengthOf:
                return new LengthOf(lengthOf.Name);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return new Unary(UnaryOp.Negate, ReadValue(unary.Operand), type);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ReadValue(unary.Operand);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                return new Unary(UnaryOp.Not, ReadValue(unary.Operand), IrType.Bool);

            case BinaryExpressionSyntax binary when BinaryOperator(binary) is { } op:
                if (!TypeMapper.IsSupportedValueType(type))
                {
                    return Unsupported(binary, $"'{binary.OperatorToken.Text}' on '{type.Name}'");
                }

                return new Binary(op, ReadValue(binary.Left), ReadValue(binary.Right), type);

            case ConditionalExpressionSyntax conditional:
                return new Conditional(ReadCondition(conditional.Condition), ReadValue(conditional.WhenTrue), ReadValue(conditional.WhenFalse), type);

            case CastExpressionSyntax cast:
                if (!TypeMapper.IsSupportedValueType(type))
                {
                    return Unsupported(cast, $"a cast to '{cast.Type}'");
                }

                return new Cast(ReadValue(cast.Expression), type);

            case InvocationExpressionSyntax invocation:
                return ReadInvocation(invocation, type);

            default:
                return Unsupported(expression);
        }
    }

    private Expr ReadIdentifier(IdentifierNameSyntax identifier, IrType type)
    {
        switch (_model.GetSymbolInfo(identifier, _cancellationToken).Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method):
                return new VarRef(parameter.Name, type);
            case ILocalSymbol local when _localNames.TryGetValue(local, out var name):
                return new VarRef(name, type);
            case IFieldSymbol field:
                return Unsupported(identifier, $"reading field '{field.Name}' (only constants can be read)");
            case null:
                return Unsupported(identifier, $"the unresolved name '{identifier.Identifier.Text}'");
            default:
                return Unsupported(identifier, $"reading '{identifier.Identifier.Text}'");
        }
    }

    private static BinaryOp? BinaryOperator(BinaryExpressionSyntax binary) => binary.Kind() switch
    {
        SyntaxKind.AddExpression => BinaryOp.Add,
        SyntaxKind.SubtractExpression => BinaryOp.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
        SyntaxKind.DivideExpression => BinaryOp.Divide,
        SyntaxKind.ModuloExpression => BinaryOp.Modulo,
        SyntaxKind.LessThanExpression => BinaryOp.Less,
        SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
        SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
        SyntaxKind.EqualsExpression => BinaryOp.Equal,
        SyntaxKind.NotEqualsExpression => BinaryOp.NotEqual,
        SyntaxKind.LogicalAndExpression => BinaryOp.And,
        SyntaxKind.LogicalOrExpression => BinaryOp.Or,
        _ => null,
    };

    /// <summary>The Math/MathF functions with a derivative rule, and the overloads' arity the rule is for.</summary>
    private static readonly ImmutableDictionary<string, (Intrinsic Function, int Arity)> Intrinsics = new Dictionary<string, (Intrinsic, int)>
    {
        ["Sqrt"] = (Intrinsic.Sqrt, 1),
        ["Exp"] = (Intrinsic.Exp, 1),
        ["Log"] = (Intrinsic.Log, 1),
        ["Pow"] = (Intrinsic.Pow, 2),
        ["Abs"] = (Intrinsic.Abs, 1),
        ["Max"] = (Intrinsic.Max, 2),
        ["Min"] = (Intrinsic.Min, 2),
        ["Tanh"] = (Intrinsic.Tanh, 1),
        ["Sin"] = (Intrinsic.Sin, 1),
        ["Cos"] = (Intrinsic.Cos, 1),
        ["Sign"] = (Intrinsic.Sign, 1),
        ["FusedMultiplyAdd"] = (Intrinsic.FusedMultiplyAdd, 3),
        ["Clamp"] = (Intrinsic.Clamp, 3),
    }.ToImmutableDictionary();

    private Expr ReadInvocation(InvocationExpressionSyntax invocation, IrType type)
    {
        if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol callee)
        {
            return Report(DiagnosticDescriptors.NoKnownDerivative, invocation.GetLocation(), invocation.Expression.ToString(), _method.Name);
        }

        var containing = callee.ContainingType?.ToDisplayString();
        if ((containing == "System.Math" || containing == "System.MathF")
            && Intrinsics.TryGetValue(callee.Name, out var intrinsic)
            && callee.Parameters.Length == intrinsic.Arity
            && invocation.ArgumentList.Arguments.Count == intrinsic.Arity
            && callee.Parameters.All(p => TypeMapper.Map(p.Type) is { } t && (t.IsReal || t.Kind == ScalarKind.Integer)))
        {
            var arguments = invocation.ArgumentList.Arguments.Select(a => ReadValue(a.Expression)).ToEquatableArray();
            return new IntrinsicCall(intrinsic.Function, arguments, type);
        }

        var differentiable = SymbolNames.HasAttribute(callee, SymbolNames.DifferentiableAttribute);
        if (!differentiable && (!callee.IsStatic || callee.Parameters.Any(p => !TypeMapper.IsSupportedValueType(TypeMapper.Map(p.Type)))
                                || !(TypeMapper.IsSupportedValueType(type) || type.Kind == ScalarKind.Void)))
        {
            // Not a function of the subset's values: no hand-written derivative could be called either.
            return Report(DiagnosticDescriptors.NoKnownDerivative, invocation.GetLocation(), callee.ToDisplayString(), _method.Name);
        }

        return ReadCall(invocation, callee, type, differentiable);
    }

    /// <summary>
    /// A call to a [Differentiable] method, or to one whose hand-written derivatives the registry of [DerivativeOf]
    /// methods will supply (resolved after parsing; an AHG0004 if there are none).
    /// </summary>
    private Expr ReadCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, IrType type, bool differentiable)
    {
        var parameters = new List<CalleeParameter>();
        foreach (var parameter in callee.Parameters)
        {
            var mode = TypeMapper.Mode(parameter.RefKind) ?? PassingMode.Value;
            var parameterType = TypeMapper.Map(parameter.Type);
            parameters.Add(new CalleeParameter(parameterType, mode, parameterType.CarriesDerivative && !SymbolNames.HasAttribute(parameter, SymbolNames.NoDiffAttribute)));
        }

        var arguments = new List<Argument>();
        var hasRef = false;
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null)
            {
                return Unsupported(argument, "a named argument");
            }

            var mode = argument.RefKindKeyword.Kind() switch
            {
                SyntaxKind.RefKeyword => PassingMode.Ref,
                SyntaxKind.OutKeyword => PassingMode.Out,
                SyntaxKind.InKeyword => PassingMode.In,
                SyntaxKind.None => PassingMode.Value,
                _ => (PassingMode?)null,
            };
            if (mode is null)
            {
                return Unsupported(argument, $"a '{argument.RefKindKeyword.Text}' argument");
            }

            var byReference = mode is PassingMode.Ref or PassingMode.Out;
            hasRef |= byReference;
            if (mode == PassingMode.Out && argument.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation }
                && _model.GetDeclaredSymbol(designation, _cancellationToken) is ILocalSymbol declared)
            {
                // F(out double y): y is declared before the call.
                var declaredType = TypeMapper.Map(declared.Type);
                _pendingDeclarations.Add(new Declare(DeclareLocal(declared), declaredType, null));
            }

            // A span or array converts implicitly (Span to ReadOnlySpan, array to span): C# does so in generated code too.
            var value = byReference || TypeMapper.Map(_model.GetTypeInfo(argument.Expression, _cancellationToken).Type).IsCollection
                ? ReadExpression(argument.Expression)
                : ReadValue(argument.Expression);
            if (byReference && value is not VarRef { Type.IsCollection: false })
            {
                return Unsupported(argument, $"a {mode.Value.ToString().ToLowerInvariant()} argument that is not a scalar local or parameter");
            }

            if (value.Type.IsCollection && value is not VarRef)
            {
                return Unsupported(argument, "a span or array argument that is not a variable");
            }

            arguments.Add(new Argument(value, mode.Value));
        }

        if (arguments.Count != parameters.Count)
        {
            return Unsupported(invocation, "a call that uses optional parameters or params arrays");
        }

        if (hasRef && !IsStatementLevel(invocation))
        {
            return Unsupported(invocation, "a call with ref arguments inside a larger expression (make it a statement, or the whole right-hand side of an assignment)");
        }

        var calleeInfo = new Callee(
            SymbolNames.FullyQualified(callee.ContainingType!),
            callee.Name,
            parameters.ToEquatableArray(),
            TypeMapper.Map(callee.ReturnType),
            differentiable ? CalleeKind.Differentiable : CalleeKind.Unresolved,
            callee.ContainingType!.OriginalDefinition.ToDisplayString() + "." + callee.Name,
            Location: differentiable ? null : LocationInfo.From(invocation));
        return new Call(calleeInfo, CallVariant.Primal, arguments.ToEquatableArray(), type);
    }

    private static bool IsStatementLevel(InvocationExpressionSyntax invocation)
    {
        SyntaxNode node = invocation;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            ExpressionStatementSyntax => true,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax } => true,
            AssignmentExpressionSyntax assignment => assignment.Right == node && !PassesTargetByRef(assignment, invocation),
            ReturnStatementSyntax => true,
            _ => false,
        };
    }

    /// <summary>
    /// In <c>x op= F(ref x)</c> C# reads x before the call changes it; the call is evaluated first in generated code,
    /// so that form is refused.
    /// </summary>
    private static bool PassesTargetByRef(AssignmentExpressionSyntax assignment, InvocationExpressionSyntax invocation)
        => !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
           && invocation.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)
                                                         && a.Expression.ToString() == assignment.Left.ToString());

    // ---- Diagnostics ----

    private Expr Unsupported(SyntaxNode node, string? what = null, string suffix = "")
    {
        var subject = Capitalize(what ?? Humanize(node.Kind()));
        return Report(DiagnosticDescriptors.UnsupportedSyntax, node.GetLocation(), subject, _method.Name, suffix);
    }

    private Expr Report(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(location), args));
        return new Literal(0, IrType.Double);
    }

    /// <summary>"ForStatement" → "for statement".</summary>
    private static string Humanize(SyntaxKind kind)
    {
        var text = kind.ToString();
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(text[i]));
        }

        return builder.ToString();
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string Origin(SyntaxNode node) => Regex.Replace(node.ToString(), @"\s+", " ");
}
