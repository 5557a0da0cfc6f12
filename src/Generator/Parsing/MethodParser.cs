using System;
using System.Collections.Generic;
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
internal sealed partial class MethodParser
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

        var key = method.ContainingType.OriginalDefinition.ToDisplayString() + "." + method.Name;
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

            return new MethodParser(context.SemanticModel, method, syntax, order, cancellationToken).Run() with { Key = key };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            return new ParseResult(null, EquatableArray.Of(DiagnosticInfo.Create(
                DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier), method.Name, exception.Message)), key);
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

        // An [OptimizerStep] of the wrong shape still gets its derivatives; only the vectorized step is left out.
        var stepDiagnostics = new List<DiagnosticInfo>();
        var vectorizedStep = SymbolNames.HasAttribute(_method, SymbolNames.OptimizerStepAttribute) ? ReadVectorizedStep(stepDiagnostics) : null;
        var objective = SymbolNames.HasAttribute(_method, SymbolNames.ObjectiveAttribute) ? ReadObjective(parameters, stepDiagnostics) : null;

        Block? body = null;
        if (_diagnostics.Count == 0)
        {
            CheckGeneratedNames(parameters, returnType);
            body = ReadBody();
        }

        if (body is not null && _order == 2 && WrittenCollections(body).FirstOrDefault(n => parameters.Any(p => p.Name == n && p.IsActive)) is { } written)
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, _syntax.Identifier.GetLocation(), _method.Name,
                $"has Order = 2 but writes its span or array '{written}', an output: a Hessian-vector product needs a scalar-valued method (take it as ReadOnlySpan)");
        }

        if (_diagnostics.Count > 0 || typeLocation is null || body is null)
        {
            return new ParseResult(null, _diagnostics.Concat(stepDiagnostics).ToEquatableArray());
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
            _order,
            vectorizedStep,
            objective);
        var twin = Passes.FloatTwin.Of(model);
        if (twin is not null)
        {
            model = model with { VectorizedStep = model.VectorizedStep! with { HasSingle = true } };
        }

        return new ParseResult(model, stepDiagnostics.ToEquatableArray(), FloatTwin: twin);
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

            var uniform = (noDiff || !type.IsReal || SymbolNames.HasAttribute(parameter, SymbolNames.HyperAttribute))
                          && !SymbolNames.HasAttribute(parameter, SymbolNames.PerElementAttribute);
            parameters.Add(new Parameter(parameter.Name, type, mode.Value, type.CarriesDerivative && !noDiff, uniform));
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
    }

    private static IEnumerable<string> WrittenCollections(Block block)
        => block.Statements.SelectMany(s => s switch
        {
            Store st => new[] { st.Collection },
            If i => WrittenCollections(i.Then).Concat(WrittenCollections(i.Else)),
            Loop l => WrittenCollections(l.Body).Concat(WrittenCollections(l.Step)),
            _ => Enumerable.Empty<string>(),
        });

    /// <summary>The Order of a method's [Differentiable] attribute (1 without one).</summary>
    internal static int OrderOf(ISymbol method)
    {
        var order = 1;
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != SymbolNames.DifferentiableAttribute)
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Order" && argument.Value.Value is int value)
                {
                    order = value;
                }
            }
        }

        return order;
    }

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
                names.Add((parameter.Name + "DotBar", $"the adjoint of the tangent of '{parameter.Name}'"));
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
