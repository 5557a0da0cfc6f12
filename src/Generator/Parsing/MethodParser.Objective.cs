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
    /// <summary>
    /// The objective's model, or null (with the reason in <paramref name="diagnostics"/>) where the shape is wrong.
    /// <paramref name="parsed"/> are the method's parameters as <see cref="ReadParameters"/> read them (their types and
    /// whether they are active); one missing from it has an error of its own already, and the method no objective.
    /// </summary>
    private ObjectiveModel? ReadObjective(List<Parameter> parsed, List<DiagnosticInfo> diagnostics)
    {
        var element = TypeMapper.Map(_method.ReturnType);
        string? problem = _order != 2 ? "is not [Differentiable(Order = 2)]: its objective needs the Hessian-vector product"
            : !element.IsReal ? $"returns '{_method.ReturnType.ToDisplayString()}', not float or double"
            : null;
        var parameters = new List<ObjectiveParameter>();
        var dataTypes = new List<IrType>();
        Location? location = _syntax.Identifier.GetLocation();
        foreach (var parameter in _method.Parameters)
        {
            if (problem is not null)
            {
                break;
            }

            if (parsed.FirstOrDefault(p => p.Name == parameter.Name) is not { } read)
            {
                return null;
            }

            location = parameter.Locations.FirstOrDefault() ?? location;
            var type = read.Type;
            if (read.Mode != PassingMode.Value)
            {
                problem = $"passes '{parameter.Name}' by {RefText(parameter.RefKind)}";
            }
            else if (parameters.Count == 0)
            {
                problem = read.IsActive && type.Shape == TypeShape.ReadOnlySpan && type.Element == element ? null
                    : $"starts with '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}', not the weights, an active ReadOnlySpan<{element.Name}>";
                parameters.Add(new ObjectiveParameter(parameter.Name, ObjectiveRole.Weights, IsSpan: true));
            }
            else if (read.IsActive)
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
                dataTypes.Add(type);
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ObjectiveShape, LocationInfo.From(location), _method.Name, problem));
            return null;
        }

        var overDataset = dataTypes.Count == 4
            && dataTypes.Take(2).All(t => t.Shape == TypeShape.ReadOnlySpan && t.Element == element)
            && dataTypes.Skip(2).All(t => t == IrType.Int);
        return new ObjectiveModel(_method.Name, element, parameters.ToEquatableArray(), overDataset);
    }
}
