using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>Expressions: values with their implicit conversions made explicit, constants as literals, calls.</summary>
internal sealed partial class MethodParser
{
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

        if (differentiable && _order == 2 && OrderOf(callee) != 2)
        {
            // The Hessian-vector product differentiates the callee's tangent: only an Order = 2 callee has that adjoint.
            return Report(DiagnosticDescriptors.NoSecondOrderDerivative, invocation.GetLocation(), callee.ToDisplayString(), _method.Name,
                $"mark '{callee.Name}' [Differentiable(Order = 2)] so that its {callee.Name}TangentAdjoint is generated");
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

        // A variable passed by reference twice (F(ref x, ref x), F(in x, out x)) would be one variable to the callee's
        // primal and two to its derivatives, which take each parameter's value and adjoint apart.
        for (var k = 0; k < arguments.Count; k++)
        {
            if (arguments[k] is { Mode: PassingMode.Ref or PassingMode.Out, Value: VarRef written }
                && arguments.Where((other, j) => j != k && other.Mode != PassingMode.Value && other.Value is VarRef v && v.Name == written.Name).Any())
            {
                return Unsupported(invocation.ArgumentList.Arguments[k], $"the variable '{invocation.ArgumentList.Arguments[k].Expression}' passed by {(arguments[k].Mode == PassingMode.Ref ? "ref" : "out")} and by reference again in the same call");
            }
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
            Location: differentiable ? null : LocationInfo.From(invocation),
            TypeArguments: callee.IsGenericMethod
                ? "<" + string.Join(", ", callee.TypeArguments.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">"
                : "");
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
}
