using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Parsing;

/// <summary>
/// The shape of an [OptimizerStep] method, read from its signature alone: the ref state (the weight first), one
/// gradient, the [Hyper] parameters (each uniform or [PerElement]), then the [NoDiff] options. Whether it is elementwise (has span drivers) is
/// known only after differentiation; <see cref="Passes.Differentiator"/> checks that.
/// </summary>
internal sealed partial class MethodParser
{
    private enum StepPart
    {
        State,
        Hyperparameters,
        Options,
    }

    /// <summary>The vectorized step's model, or null (with the reasons in <paramref name="diagnostics"/>) where the shape is wrong.</summary>
    private VectorizedStepModel? ReadVectorizedStep(List<DiagnosticInfo> diagnostics)
    {
        var parameters = _method.Parameters;
        var element = parameters.Length > 0 && parameters[0].RefKind == RefKind.Ref ? TypeMapper.Map(parameters[0].Type) : default;
        if (!element.IsReal)
        {
            var first = parameters.Length > 0 ? parameters[0].Locations.FirstOrDefault() : _syntax.Identifier.GetLocation();
            diagnostics.Add(StepDiagnostic(DiagnosticDescriptors.OptimizerStepShape, first, _method.Name, "does not start with the weight, a ref float or ref double"));
            return null;
        }

        var states = new List<string>();
        string? gradient = null;
        var hyperparameters = new List<StepHyperparameter>();
        var options = new List<StepOption>();
        var part = StepPart.State;
        var reported = diagnostics.Count;
        foreach (var parameter in parameters)
        {
            var location = parameter.Locations.FirstOrDefault();
            var perElement = SymbolNames.HasAttribute(parameter, SymbolNames.PerElementAttribute);
            if (perElement && (!SymbolNames.HasAttribute(parameter, SymbolNames.HyperAttribute) || SymbolNames.HasAttribute(parameter, SymbolNames.NoDiffAttribute)))
            {
                diagnostics.Add(StepDiagnostic(DiagnosticDescriptors.OptimizerStepPerElement, location, parameter.Name, _method.Name));
                continue;
            }

            var type = TypeMapper.Map(parameter.Type);
            string? misplaced = null;
            if (SymbolNames.HasAttribute(parameter, SymbolNames.NoDiffAttribute))
            {
                part = StepPart.Options;
                if (type.Kind is not (ScalarKind.Float or ScalarKind.Double or ScalarKind.Bool) || type.IsCollection)
                {
                    diagnostics.Add(StepDiagnostic(DiagnosticDescriptors.OptimizerStepOptionType, location, parameter.Name, _method.Name, parameter.Type.ToDisplayString()));
                    continue;
                }

                misplaced = parameter.RefKind != RefKind.None ? $"passes option '{parameter.Name}' by {RefText(parameter.RefKind)}" : null;
                options.Add(new StepOption(
                    parameter.Name,
                    type.Name,
                    type.Kind == ScalarKind.Bool ? StepOptionSource.Flag : parameter.Name == "t" ? StepOptionSource.StepNumber : StepOptionSource.Value));
            }
            else if (type != element)
            {
                misplaced = $"has parameter '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}' where the weight is {element.Name}: state, gradient and hyperparameters are all {element.Name}, options are [NoDiff]";
            }
            else if (SymbolNames.HasAttribute(parameter, SymbolNames.HyperAttribute))
            {
                misplaced = part == StepPart.Options ? $"has hyperparameter '{parameter.Name}' after an option"
                    : gradient is null ? $"has hyperparameter '{parameter.Name}' before the gradient"
                    : parameter.RefKind != RefKind.None ? $"passes hyperparameter '{parameter.Name}' by {RefText(parameter.RefKind)}"
                    : null;
                hyperparameters.Add(ReadHyperparameter(parameter, perElement));
            }
            else if (parameter.RefKind == RefKind.Ref)
            {
                misplaced = part != StepPart.State ? $"has ref parameter '{parameter.Name}' after the gradient: the state comes first" : null;
                states.Add(parameter.Name);
            }
            else
            {
                misplaced = parameter.RefKind != RefKind.None ? $"passes '{parameter.Name}' by {RefText(parameter.RefKind)}: the state is ref, the gradient by value"
                    : part != StepPart.State ? $"has a second gradient '{parameter.Name}' (or a hyperparameter without [Hyper])"
                    : null;
                gradient = parameter.Name;
                part = StepPart.Hyperparameters;
            }

            if (misplaced is not null)
            {
                diagnostics.Add(StepDiagnostic(DiagnosticDescriptors.OptimizerStepShape, location, _method.Name, misplaced));
                return null;
            }
        }

        if (gradient is null)
        {
            diagnostics.Add(StepDiagnostic(DiagnosticDescriptors.OptimizerStepShape, _syntax.Identifier.GetLocation(), _method.Name, "has no gradient (a plain parameter after the ref state)"));
            return null;
        }

        if (diagnostics.Count > reported)
        {
            return null;
        }

        // The float and double steps of one name share one factory, written with the double step's file.
        var siblings = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
            .Where(m => SymbolNames.HasAttribute(m, SymbolNames.OptimizerStepAttribute) && m.Parameters.Length > 0 && m.Parameters[0].RefKind == RefKind.Ref)
            .Select(m => TypeMapper.Map(m.Parameters[0].Type).Kind)
            .ToList();
        var hasDouble = siblings.Contains(ScalarKind.Double);
        var factory = element.Kind == ScalarKind.Double || !hasDouble;
        return new VectorizedStepModel(
            _method.Name, element, states.ToEquatableArray(), gradient, hyperparameters.ToEquatableArray(), options.ToEquatableArray(),
            factory, hasDouble, siblings.Contains(ScalarKind.Float));
    }

    /// <summary>A [Hyper] parameter with the default and domain its attribute declares.</summary>
    private static StepHyperparameter ReadHyperparameter(IParameterSymbol parameter, bool perElement)
    {
        var declaredDefault = double.NaN;
        var domain = "Unconstrained";
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != SymbolNames.HyperAttribute)
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Default" && argument.Value.Value is double value)
                {
                    declaredDefault = value;
                }
                else if (argument.Key == "Domain" && argument.Value.Value is int index)
                {
                    domain = index switch
                    {
                        1 => "Positive",
                        2 => "NonNegative",
                        3 => "UnitInterval",
                        _ => "Unconstrained",
                    };
                }
            }
        }

        return new StepHyperparameter(parameter.Name, perElement, declaredDefault, domain);
    }

    private static DiagnosticInfo StepDiagnostic(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        => DiagnosticInfo.Create(descriptor, LocationInfo.From(location), args);

    private static string RefText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
