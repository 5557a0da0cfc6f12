using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Emit;

/// <summary>
/// Writes the <c>{Method}Objective</c> class of an [Objective] loss: a GeneratedObjective&lt;T&gt; whose constructor
/// binds the loss's data and takes each hyperparameter's value (named as in the loss, so a misspelled name does not
/// compile), and whose loss, adjoint and Hessian-vector product call the loss and its generated derivatives with λ
/// unpacked into the loss's hyperparameters. The class's own names end in <c>_</c>, so that no parameter name of the
/// loss can shadow them.
/// </summary>
internal sealed class ObjectiveEmitter
{
    private const string Objectives = "global::AutoHypergrad.Objectives";

    private readonly ObjectiveModel _objective;
    private readonly string _declaringType;
    private readonly string _displayName;
    private readonly string _t;

    private ObjectiveEmitter(TypeLocation location, ObjectiveModel objective)
    {
        _objective = objective;
        _declaringType = "global::" + (location.Namespace is { } ns ? ns + "." : "") + location.DisplayName;
        _displayName = location.Types[location.Types.Count - 1].Name + "." + objective.MethodName;
        _t = objective.Element.Name;
    }

    private IEnumerable<ObjectiveParameter> Hyperparameters => _objective.Parameters.Where(p => p.Role == ObjectiveRole.Hyperparameter);

    private IEnumerable<ObjectiveParameter> Data => _objective.Parameters.Where(p => p.Role == ObjectiveRole.Data);

    public static void Write(IndentedWriter writer, TypeLocation location, ObjectiveModel objective)
        => new ObjectiveEmitter(location, objective).Write(writer);

    private void Write(IndentedWriter writer)
    {
        var hypers = Hyperparameters.ToList();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// <c>{_objective.MethodName}</c> as an objective for the hypergradient engines: its value, gradient, Hessian-vector product and");
        writer.WriteLine($"/// cross products over w and the loss hyperparameters λ = ({(hypers.Count == 0 ? "none" : string.Join(", ", hypers.Select(h => h.IsSpan ? h.Name + "[…]" : h.Name)))}), from the loss and its generated derivatives.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoHypergrad\", \"1.0\")]");
        writer.WriteLine($"public sealed class {_objective.ClassName} : {Objectives}.GeneratedObjective<{_t}>");
        writer.OpenBrace();
        if (_objective.OverDataset)
        {
            WriteDatasetConstructors(writer);
        }
        else
        {
            WriteDataConstructor(writer);
        }

        writer.WriteLine();
        WriteLoss(writer);
        writer.WriteLine();
        WriteAdjoint(writer);
        writer.WriteLine();
        WriteHessianVector(writer);
        writer.CloseBrace();
    }

    /// <summary>The constructor's parameters after the data: each span hyperparameter's length, then the hyperparameters.</summary>
    private List<string> HyperparameterParameters()
        => Hyperparameters.Where(h => h.IsSpan).Select(h => $"int {h.Name}Length")
            .Concat(InParameterOrder.Select(h => HyperparameterSyntax.Parameter(h.Hyperparameter!)))
            .ToList();

    /// <summary>The hyperparameters in the order of the constructor's parameters.</summary>
    private IEnumerable<ObjectiveParameter> InParameterOrder => HyperparameterSyntax.InParameterOrder(Hyperparameters, h => h.Hyperparameter!);

    /// <summary>The base constructor's hyperparameter list, each value resolved against its declared default.</summary>
    private string Declarations()
    {
        var items = Hyperparameters.Select(h =>
            $"new {Objectives}.ObjectiveHyperparameter(\"{h.Name}\", {(h.IsSpan ? h.Name + "Length" : "1")}, {HyperparameterSyntax.Resolve(h.Hyperparameter!, _displayName)}, {HyperparameterSyntax.Domain(h.Hyperparameter!)}, {(h.IsSpan ? "true" : "false")})");
        var list = items.ToList();
        return list.Count == 0
            ? $"global::System.Array.Empty<{Objectives}.ObjectiveHyperparameter>()"
            : $"new {Objectives}.ObjectiveHyperparameter[] {{ {string.Join(", ", list)} }}";
    }

    private void WriteDataConstructor(IndentedWriter writer)
    {
        foreach (var data in Data)
        {
            writer.WriteLine($"private readonly {data.StoredType} _{data.Name};");
        }

        writer.WriteLine();
        var parameters = new[] { "int parameterCount" }.Concat(Data.Select(d => $"{d.StoredType} {d.Name}")).Concat(HyperparameterParameters());
        writer.WriteLine("/// <summary>The objective over the given data (the loss's [NoDiff] parameters), evaluated in full batches, with w of <paramref name=\"parameterCount\"/> values.</summary>");
        writer.WriteLine($"public {_objective.ClassName}({string.Join(", ", parameters)})");
        writer.WriteLine($"    : base(\"{_displayName}\", parameterCount, {Declarations()}, null)");
        writer.OpenBrace();
        foreach (var data in Data)
        {
            writer.WriteLine($"_{data.Name} = {data.Name};");
        }

        writer.CloseBrace();
    }

    private void WriteDatasetConstructors(IndentedWriter writer)
    {
        var hyperparameterParameters = HyperparameterParameters();
        var forwarded = string.Join("", Hyperparameters.Where(h => h.IsSpan).Select(h => $", {h.Name}Length").Concat(InParameterOrder.Select(h => ", " + h.Name)));
        var dataset = $"global::AutoHypergrad.Data.Dataset<{_t}>";
        writer.WriteLine("/// <summary>The objective over <paramref name=\"data\"/> (its features, targets, count and feature count are the loss's data), for any batch of it, with w of <paramref name=\"parameterCount\"/> values.</summary>");
        writer.WriteLine($"public {_objective.ClassName}({string.Join(", ", new[] { $"{dataset} data", "int parameterCount" }.Concat(hyperparameterParameters))})");
        writer.WriteLine($"    : base(\"{_displayName}\", parameterCount, {Declarations()}, data)");
        writer.OpenBrace();
        writer.CloseBrace();
        writer.WriteLine();

        var data = Data.ToList();
        var (features, targets, rows, columns) = (data[0].Name, data[1].Name, data[2].Name, data[3].Name);
        writer.WriteLine($"/// <summary>The objective over <paramref name=\"{features}\"/> ({rows} × {columns}, row-major) and <paramref name=\"{targets}\"/>, for any batch of its rows, with w of <paramref name=\"parameterCount\"/> values.</summary>");
        var parameters = new[] { "int parameterCount" }.Concat(data.Select(d => $"{d.StoredType} {d.Name}")).Concat(hyperparameterParameters);
        writer.WriteLine($"public {_objective.ClassName}({string.Join(", ", parameters)})");
        writer.WriteLine($"    : this(new {dataset}({features}.ToArray(), {rows}, {columns}, null, {targets}.ToArray(), 0, \"the data of {_displayName}\"), parameterCount{forwarded})");
        writer.OpenBrace();
        writer.CloseBrace();
    }

    /// <summary>A data argument of a call to the loss or its derivatives.</summary>
    private string DataArgument(ObjectiveParameter data)
    {
        if (!_objective.OverDataset)
        {
            return data.IsSpan ? $"_{data.Name}.Span" : "_" + data.Name;
        }

        var index = Data.ToList().IndexOf(data);
        return "rows_." + (index switch { 0 => "Features", 1 => "Targets", 2 => "Count", _ => "Columns" });
    }

    /// <summary>Hyperparameter <paramref name="index"/> of <paramref name="packed"/>: one value or its block.</summary>
    private static string Block(string packed, ObjectiveParameter h, int index)
        => h.IsSpan ? $"{packed}.Slice(OffsetOf({Number(index)}), LengthOf({Number(index)}))" : $"{packed}[OffsetOf({Number(index)})]";

    private string Rows => $"{Objectives}.BatchRows<{_t}> rows_";

    private void WriteLoss(IndentedWriter writer)
    {
        var arguments = new List<string>();
        var h = 0;
        foreach (var p in _objective.Parameters)
        {
            arguments.Add(p.Role switch
            {
                ObjectiveRole.Weights => "w_",
                ObjectiveRole.Hyperparameter => Block("lambda_", p, h++),
                _ => DataArgument(p),
            });
        }

        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"protected override {_t} Loss(global::System.ReadOnlySpan<{_t}> w_, global::System.ReadOnlySpan<{_t}> lambda_, {Rows})");
        writer.WriteLine($"    => {_declaringType}.{_objective.MethodName}({string.Join(", ", arguments)});");
    }

    private void WriteAdjoint(IndentedWriter writer)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"protected override void Adjoint(global::System.ReadOnlySpan<{_t}> w_, global::System.Span<{_t}> wBar_, global::System.ReadOnlySpan<{_t}> lambda_, global::System.Span<{_t}> lambdaBar_, {Rows})");
        WriteDerivativeCall(writer, "Adjoint", ["w_", "wBar_"], ["lambdaBar_"], "Bar_", $"({_t})1");
    }

    private void WriteHessianVector(IndentedWriter writer)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"protected override void HessianVector(global::System.ReadOnlySpan<{_t}> w_, global::System.ReadOnlySpan<{_t}> wV_, global::System.Span<{_t}> wHv_, global::System.ReadOnlySpan<{_t}> lambda_, global::System.ReadOnlySpan<{_t}> lambdaV_, global::System.Span<{_t}> lambdaHv_, {Rows})");
        WriteDerivativeCall(writer, "HessianVector", ["w_", "wV_", "wHv_"], ["lambdaV_", "lambdaHv_"], "Hv_", null);
    }

    /// <summary>
    /// The body of an override that calls the loss's generated <c>{Method}{suffix}</c>: the weights as
    /// <paramref name="weights"/>, each hyperparameter as its value in λ followed by its block of each of
    /// <paramref name="packed"/> (the last is the output: a scalar's goes through a local named with
    /// <paramref name="localSuffix"/>, then is added to its place), the data, and <paramref name="trailing"/> if any.
    /// </summary>
    private void WriteDerivativeCall(IndentedWriter writer, string suffix, string[] weights, string[] packed, string localSuffix, string? trailing)
    {
        writer.OpenBrace();
        var arguments = new List<string>();
        var scalars = new List<(string Local, int Index, ObjectiveParameter Parameter)>();
        var h = 0;
        foreach (var p in _objective.Parameters)
        {
            switch (p.Role)
            {
                case ObjectiveRole.Weights:
                    arguments.AddRange(weights);
                    break;
                case ObjectiveRole.Hyperparameter:
                    arguments.Add(Block("lambda_", p, h));
                    arguments.AddRange(packed.Take(packed.Length - 1).Select(derivative => Block(derivative, p, h)));
                    if (p.IsSpan)
                    {
                        arguments.Add(Block(packed[packed.Length - 1], p, h));
                    }
                    else
                    {
                        scalars.Add((p.Name + localSuffix, h, p));
                        arguments.Add("ref " + p.Name + localSuffix);
                    }

                    h++;
                    break;
                default:
                    arguments.Add(DataArgument(p));
                    break;
            }
        }

        if (trailing is not null)
        {
            arguments.Add(trailing);
        }

        foreach (var (local, _, _) in scalars)
        {
            writer.WriteLine($"{_t} {local} = 0;");
        }

        writer.WriteLine($"{_declaringType}.{_objective.MethodName}{suffix}({string.Join(", ", arguments)});");
        foreach (var (local, index, parameter) in scalars)
        {
            writer.WriteLine($"{Block(packed[packed.Length - 1], parameter, index)} += {local};");
        }

        writer.CloseBrace();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
