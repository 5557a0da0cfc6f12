using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>
/// The shape of an [Objective] loss, read from its signature alone: Order = 2, a float or double result, the weights
/// (an active read-only span) first, then active scalars or read-only spans (the loss hyperparameters) and passive data
/// in any order, every parameter by value.
/// </summary>
internal sealed partial class MethodParser
{
    /// <summary>The objective's model, or null (with the reason in <paramref name="diagnostics"/>) where the shape is wrong.</summary>
    private ObjectiveModel? ReadObjective(List<DiagnosticInfo> diagnostics)
    {
        var element = TypeMapper.Map(_method.ReturnType);
        string? problem = _order != 2 ? "is not [Differentiable(Order = 2)]: its objective needs the Hessian-vector product"
            : !element.IsReal ? $"returns '{_method.ReturnType.ToDisplayString()}', not float or double"
            : null;
        var parameters = new List<ObjectiveParameter>();
        Location? location = _syntax.Identifier.GetLocation();
        foreach (var parameter in _method.Parameters)
        {
            if (problem is not null)
            {
                break;
            }

            location = parameter.Locations.FirstOrDefault() ?? location;
            var type = TypeMapper.Map(parameter.Type);
            var active = IsActive(parameter, type);
            var isWeights = parameters.Count == 0;
            if (parameter.RefKind != RefKind.None)
            {
                problem = $"passes '{parameter.Name}' by {RefText(parameter.RefKind)}";
            }
            else if (isWeights)
            {
                problem = active && type.Shape == TypeShape.ReadOnlySpan && type.Element == element ? null
                    : $"starts with '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}', not the weights, an active ReadOnlySpan<{element.Name}>";
                parameters.Add(new ObjectiveParameter(parameter.Name, ObjectiveRole.Weights, IsSpan: true));
            }
            else if (active)
            {
                var span = type.Shape == TypeShape.ReadOnlySpan;
                problem = (span ? type.Element : type) == element && (span || type.Shape == TypeShape.Scalar) ? null
                    : $"has hyperparameter '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}': a loss hyperparameter is {element.Name} or ReadOnlySpan<{element.Name}> (mark data [NoDiff])";
                parameters.Add(new ObjectiveParameter(parameter.Name, ObjectiveRole.Hyperparameter, span, Hyperparameter: ReadHyperparameter(parameter, perElement: false)));
            }
            else
            {
                var stored = parameter.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                             && named.ContainingNamespace?.ToDisplayString() == "System" && named.Name is "Span" or "ReadOnlySpan"
                    ? $"global::System.{(named.Name == "Span" ? "Memory" : "ReadOnlyMemory")}<{SymbolNames.FullyQualified(named.TypeArguments[0])}>"
                    : null;
                parameters.Add(new ObjectiveParameter(parameter.Name, ObjectiveRole.Data, stored is not null, stored ?? SymbolNames.FullyQualified(parameter.Type)));
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ObjectiveShape, LocationInfo.From(location), _method.Name, problem));
            return null;
        }

        var data = _method.Parameters.Where((p, i) => parameters[i].Role == ObjectiveRole.Data).Select(p => TypeMapper.Map(p.Type)).ToList();
        var overDataset = data.Count == 4
            && data.Take(2).All(t => t.Shape == TypeShape.ReadOnlySpan && t.Element == element)
            && data.Skip(2).All(t => t == IrType.Int);
        return new ObjectiveModel(_method.Name, element, parameters.ToEquatableArray(), overDataset);
    }

    /// <summary>Whether a parameter carries a derivative: a float or double, or a span or array of them, not [NoDiff].</summary>
    private static bool IsActive(IParameterSymbol parameter, IrType type)
        => type.CarriesDerivative && !SymbolNames.HasAttribute(parameter, SymbolNames.NoDiffAttribute);
}
