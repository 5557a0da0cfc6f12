using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Emit;

/// <summary>
/// Writes the <c>IVectorizedStep&lt;T&gt;</c> struct of an [OptimizerStep] method: each of Step, Tangents and Adjoint
/// checks the packed lengths once, slices the packed state, tangents and hyperparameters into the span drivers'
/// arguments (layouts in IVectorizedStep.cs: a uniform hyperparameter is 1 value and k tangents, a [PerElement] one n
/// values and k·n tangents, so its offset counts the uniform and the per-element ones before it) and calls the driver. The drivers are called through the declaring type,
/// since inside the struct the name <c>Step</c> is the struct's own method.
/// </summary>
internal sealed class VectorizedStepEmitter
{
    private const string Steps = "global::AutoHypergrad.Steps";
    private const string Span = "global::System.Span";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan";

    private readonly VectorizedStepModel _step;
    private readonly string _optimizer;
    private readonly string _declaringType;
    private readonly string _t;

    private VectorizedStepEmitter(TypeLocation location, VectorizedStepModel step)
    {
        _step = step;
        _optimizer = location.Types[location.Types.Count - 1].Name;
        _declaringType = "global::" + (location.Namespace is { } ns ? ns + "." : "") + location.DisplayName;
        _t = step.Element.Name;
    }

    private int StateCount => _step.States.Count;

    private int HyperCount => _step.Hyperparameters.Count;

    private int UniformCount => _step.Hyperparameters.Count(h => !h.PerElement);

    private int PerElementCount => _step.Hyperparameters.Count(h => h.PerElement);

    public static void Write(IndentedWriter writer, TypeLocation location, VectorizedStepModel step)
    {
        var emitter = new VectorizedStepEmitter(location, step);
        emitter.Write(writer);
        if (step.Factory)
        {
            writer.WriteLine();
            emitter.WriteFactory(writer);
        }
    }

    /// <summary>
    /// The <c>{Method}Optimizer</c> factory: the runtime's Optimizer over this step's kernels, its hyperparameters and
    /// options as parameters with the names of the step's, so that a misspelled name does not compile. A hyperparameter
    /// whose [Hyper] declares a default is optional, one without is required; each option is optional (false, 0).
    /// </summary>
    private void WriteFactory(IndentedWriter writer)
    {
        const string Value = HyperparameterSyntax.Value;
        var hypers = _step.Hyperparameters;
        var parameters = HyperparameterSyntax.InParameterOrder(hypers, h => h).Select(HyperparameterSyntax.Parameter)
            .Concat(_step.Options.Where(o => o.Source != StepOptionSource.StepNumber)
                .Select(o => o.Source == StepOptionSource.Flag ? $"bool {o.Name} = false" : $"double {o.Name} = 0"))
            .ToList();

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// <c>{_step.MethodName}</c> as an optimizer for the hypergradient engines, with the value of each hyperparameter");
        writer.WriteLine($"/// ({string.Join(", ", hypers.Select(h => h.HasDefault ? $"{h.Name} = {HyperparameterSyntax.Default(h)}" : h.Name))}): a number is fixed,");
        writer.WriteLine("/// <c>HyperparameterValue.Tune(start)</c> is tuned. Hyperparameters with a [Hyper] default may be left out.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A value is not finite or lies outside its declared domain.</exception>");
        writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoHypergrad\", \"1.0\")]");
        writer.WriteLine($"public static {Steps}.Optimizer {_step.FactoryName}({string.Join(", ", parameters)})");
        writer.OpenBrace();
        writer.WriteLine($"return new {Steps}.Optimizer(");
        writer.WriteLine($"    \"{_optimizer}\",");
        writer.WriteLine($"    typeof({_declaringType}),");
        writer.WriteLine(_step.HasDouble ? $"    new {_step.StructNameOf(ScalarKind.Double)}()," : "    null,");
        writer.WriteLine(_step.HasSingle ? $"    new {_step.StructNameOf(ScalarKind.Float)}()," : "    null,");
        writer.WriteLine($"    new {Steps}.HyperparameterDescriptor[]");
        writer.WriteLine("    {");
        foreach (var h in hypers)
        {
            writer.WriteLine($"        new {Steps}.HyperparameterDescriptor(\"{h.Name}\", {HyperparameterSyntax.Default(h)}, {HyperparameterSyntax.Domain(h)}, {(h.PerElement ? "true" : "false")}),");
        }

        writer.WriteLine("    },");
        writer.WriteLine($"    new {Value}[]");
        writer.WriteLine("    {");
        foreach (var h in hypers)
        {
            writer.WriteLine($"        {HyperparameterSyntax.Resolve(h, _optimizer + "." + _step.MethodName)},");
        }

        writer.WriteLine("    },");
        var options = _step.Options.Where(o => o.Source != StepOptionSource.StepNumber).ToList();
        if (options.Count == 0)
        {
            writer.WriteLine("    new global::System.Collections.Generic.Dictionary<string, double>());");
        }
        else
        {
            writer.WriteLine("    new global::System.Collections.Generic.Dictionary<string, double>");
            writer.WriteLine("    {");
            foreach (var o in options)
            {
                writer.WriteLine($"        [\"{o.Name}\"] = {(o.Source == StepOptionSource.Flag ? o.Name + " ? 1.0 : 0.0" : o.Name)},");
            }

            writer.WriteLine("    });");
        }

        writer.CloseBrace();
    }

    private void Write(IndentedWriter writer)
    {
        var options = _step.Options.Count == 0 ? "no options" : $"the options ({string.Join(", ", _step.Options.Select(o => o.Name))})";
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// <c>{_step.MethodName}</c> over whole {_t} vectors, for the hypergradient engines: the state ({string.Join(", ", _step.States)}), the");
        writer.WriteLine($"/// hyperparameters ({HyperparameterList()}) and {options}, packed as <see cref=\"{Steps}.IVectorizedStep{{T}}\"/>");
        writer.WriteLine("/// lays them out, passed to the span drivers.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoHypergrad\", \"1.0\")]");
        writer.WriteLine($"public readonly struct {_step.StructName} : {Steps}.IVectorizedStep<{_t}>");
        writer.OpenBrace();
        WriteList(writer, "string", "StateNameList", _step.States.Select(Quoted));
        WriteList(writer, "string", "HyperparameterNameList", _step.Hyperparameters.Select(h => Quoted(h.Name)));
        WriteList(writer, "bool", "PerElementList", _step.Hyperparameters.Select(h => h.PerElement ? "true" : "false"));
        WriteList(writer, "string", "OptionNameList", _step.Options.Select(o => Quoted(o.Name)));
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public string Name => \"{_optimizer}\";");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public global::System.Collections.Generic.IReadOnlyList<string> StateNames => StateNameList;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public global::System.Collections.Generic.IReadOnlyList<string> HyperparameterNames => HyperparameterNameList;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public global::System.Collections.Generic.IReadOnlyList<bool> PerElement => PerElementList;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public global::System.Collections.Generic.IReadOnlyList<string> OptionNames => OptionNameList;");
        writer.WriteLine();
        WriteStep(writer);
        writer.WriteLine();
        WriteTangents(writer);
        writer.WriteLine();
        WriteAdjoint(writer);
        writer.CloseBrace();
    }

    private static void WriteList(IndentedWriter writer, string type, string field, IEnumerable<string> literals)
    {
        var list = literals.ToList();
        var array = list.Count == 0 ? $"global::System.Array.Empty<{type}>()" : $"new {type}[] {{ " + string.Join(", ", list) + " }";
        writer.WriteLine($"private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<{type}> {field} = global::System.Array.AsReadOnly({array});");
    }

    private static string Quoted(string name) => "\"" + name + "\"";

    private void WriteStep(IndentedWriter writer)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void Step({Span}<{_t}> state, {ReadOnlySpan}<{_t}> gradient, {ReadOnlySpan}<{_t}> hyperparameters, {Steps}.StepOptions options)");
        writer.OpenBrace();
        writer.WriteLine("int n = gradient.Length;");
        WriteStateCheck(writer, "state");
        WriteHyperparameterCheck(writer);

        var arguments = new List<string>();
        for (var s = 0; s < StateCount; s++)
        {
            arguments.Add(Slice("state", s));
        }

        arguments.Add("gradient");
        arguments.AddRange(Enumerable.Range(0, HyperCount).Select(h => Hyperparameter("hyperparameters", h)));
        arguments.AddRange(OptionArguments());
        WriteCall(writer, _step.MethodName, arguments);
        writer.CloseBrace();
    }

    private void WriteTangents(IndentedWriter writer)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void Tangents({Span}<{_t}> state, {Span}<{_t}> stateTangents, {ReadOnlySpan}<{_t}> gradient, {ReadOnlySpan}<{_t}> gradientTangents, {ReadOnlySpan}<{_t}> hyperparameters, {ReadOnlySpan}<{_t}> hyperparameterTangents, {Steps}.StepOptions options)");
        writer.OpenBrace();
        writer.WriteLine("int n = gradient.Length;");
        // With no elements, the per-element hyperparameters have no tangents: k comes from the uniform ones.
        writer.WriteLine(UniformCount > 0
            ? $"int k = n > 0 ? gradientTangents.Length / n : hyperparameterTangents.Length / {Number(UniformCount)};"
            : "int k = n > 0 ? gradientTangents.Length / n : 0;");
        WriteStateCheck(writer, "state");
        WriteHyperparameterCheck(writer);
        WriteLengthCheck(writer, "gradientTangents", "(long)k * n", "k * n = {(long)k * n}: k = {k} directions of n = {n} elements");
        WriteLengthCheck(writer, "stateTangents", $"{Number(StateCount)}L * k * n", $"{Number(StateCount)} * k * n = {{{Number(StateCount)}L * k * n}}: {Number(StateCount)} state slots of k = {{k}} directions of n = {{n}} elements");
        WriteHyperparameterTangentCheck(writer);

        var arguments = new List<string>();
        for (var s = 0; s < StateCount; s++)
        {
            arguments.Add(Slice("state", s));
            arguments.Add(Slice("stateTangents", s, "k * n"));
        }

        arguments.Add("gradient");
        arguments.Add("gradientTangents");
        for (var h = 0; h < HyperCount; h++)
        {
            arguments.Add(Hyperparameter("hyperparameters", h));
            arguments.Add(HyperparameterTangents(h));
        }

        arguments.AddRange(OptionArguments());
        WriteCall(writer, _step.MethodName + "VectorModeTangent", arguments);
        writer.CloseBrace();
    }

    private void WriteAdjoint(IndentedWriter writer)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void Adjoint({ReadOnlySpan}<{_t}> state, {Span}<{_t}> stateAdjoint, {ReadOnlySpan}<{_t}> gradient, {Span}<{_t}> gradientAdjoint, {ReadOnlySpan}<{_t}> hyperparameters, {Span}<{_t}> hyperparameterAdjoints, {Steps}.StepOptions options)");
        writer.OpenBrace();
        writer.WriteLine("int n = gradient.Length;");
        WriteStateCheck(writer, "state");
        WriteStateCheck(writer, "stateAdjoint");
        WriteLengthCheck(writer, "gradientAdjoint", "n", "n = {n}, the length of gradient");
        WriteHyperparameterCheck(writer);
        WriteLengthCheck(writer, "hyperparameterAdjoints", HyperparameterLength(), PerElementCount == 0
            ? $"{Number(HyperCount)}, one per hyperparameter"
            : $"{Readable(HyperparameterLength())} = {{{HyperparameterLength()}}}, the layout of hyperparameters");

        // The drivers add to a uniform adjoint through ref: each uniform hyperparameter's goes through a local. A
        // per-element one's is a span the drivers add to in place.
        var adjoints = _step.Hyperparameters.Select(h => h.Name + "Bar").ToList();
        for (var h = 0; h < HyperCount; h++)
        {
            if (!_step.Hyperparameters[h].PerElement)
            {
                writer.WriteLine($"{_t} {adjoints[h]} = {Hyperparameter("hyperparameterAdjoints", h)};");
            }
        }

        var arguments = new List<string>();
        for (var s = 0; s < StateCount; s++)
        {
            arguments.Add(Slice("state", s));
            arguments.Add(Slice("stateAdjoint", s));
        }

        arguments.Add("gradient");
        arguments.Add("gradientAdjoint");
        for (var h = 0; h < HyperCount; h++)
        {
            arguments.Add(Hyperparameter("hyperparameters", h));
            arguments.Add(_step.Hyperparameters[h].PerElement ? Hyperparameter("hyperparameterAdjoints", h) : "ref " + adjoints[h]);
        }

        arguments.AddRange(OptionArguments());
        WriteCall(writer, _step.MethodName + "Adjoint", arguments);
        for (var h = 0; h < HyperCount; h++)
        {
            if (!_step.Hyperparameters[h].PerElement)
            {
                writer.WriteLine($"{Hyperparameter("hyperparameterAdjoints", h)} = {adjoints[h]};");
            }
        }

        writer.CloseBrace();
    }

    private void WriteStateCheck(IndentedWriter writer, string name)
        => WriteLengthCheck(writer, name, $"{Number(StateCount)}L * n", $"{Number(StateCount)} * n = {{{Number(StateCount)}L * n}}: {Number(StateCount)} state slots ({string.Join(", ", _step.States)}) of n = {{n}} elements, the length of gradient");

    private void WriteHyperparameterCheck(IndentedWriter writer)
        => WriteLengthCheck(writer, "hyperparameters", HyperparameterLength(),
            HyperCount == 0 ? "0: there are no hyperparameters"
            : PerElementCount == 0 ? $"{Number(HyperCount)}: {HyperparameterList()}"
            : $"{Readable(HyperparameterLength())} = {{{HyperparameterLength()}}}: {HyperparameterList()}");

    private void WriteHyperparameterTangentCheck(IndentedWriter writer)
    {
        if (PerElementCount == 0)
        {
            WriteLengthCheck(writer, "hyperparameterTangents", $"{Number(HyperCount)}L * k", $"{Number(HyperCount)} * k = {{{Number(HyperCount)}L * k}}: {Number(HyperCount)} hyperparameters of k = {{k}} directions");
            return;
        }

        var expected = Sum(UniformCount, "L * k", PerElementCount, "L * k * n");
        WriteLengthCheck(writer, "hyperparameterTangents", expected, $"{Readable(expected)} = {{{expected}}}: k = {{k}} directions of each uniform hyperparameter and k * n of each per-element one ({HyperparameterList()})");
    }

    /// <summary>The length of the packed hyperparameters: U + P * n, as a long where n enters it.</summary>
    private string HyperparameterLength() => PerElementCount == 0 ? Number(HyperCount) : Sum(UniformCount, "", PerElementCount, "L * n");

    /// <summary>A length expression for a message: without the long suffixes that keep the check from overflowing.</summary>
    private static string Readable(string expression) => expression.Replace("L * ", " * ");

    /// <summary>The hyperparameters' names, a per-element one followed by "[n]".</summary>
    private string HyperparameterList() => string.Join(", ", _step.Hyperparameters.Select(h => h.PerElement ? h.Name + "[n]" : h.Name));

    /// <summary><paramref name="uniform"/> terms and <paramref name="perElement"/> terms of their sizes, as C# (e.g. <c>1 + 2L * n</c>).</summary>
    private static string Sum(int uniform, string uniformUnit, int perElement, string perElementUnit)
    {
        var terms = new List<string>();
        if (uniform > 0)
        {
            terms.Add(Number(uniform) + uniformUnit);
        }

        if (perElement > 0)
        {
            terms.Add(Number(perElement) + perElementUnit);
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>An ArgumentException naming <paramref name="name"/> unless its length is <paramref name="expected"/>; <paramref name="explanation"/> is interpolated.</summary>
    private void WriteLengthCheck(IndentedWriter writer, string name, string expected, string explanation)
    {
        writer.WriteLine($"if ({name}.Length != {expected})");
        writer.OpenBrace();
        writer.WriteLine($"throw new global::System.ArgumentException($\"{name} has length {{{name}.Length}}; {_optimizer}.{_step.MethodName} needs {explanation}.\", nameof({name}));");
        writer.CloseBrace();
    }

    private void WriteCall(IndentedWriter writer, string method, List<string> arguments)
    {
        writer.WriteLine($"{_declaringType}.{method}(");
        for (var i = 0; i < arguments.Count; i++)
        {
            writer.WriteLine("    " + arguments[i] + (i < arguments.Count - 1 ? "," : ");"));
        }
    }

    /// <summary>Block <paramref name="index"/> of <paramref name="span"/>, blocks of <paramref name="block"/> values.</summary>
    private static string Slice(string span, int index, string block = "n")
        => $"{span}.Slice({(index == 0 ? "0" : index == 1 ? block : Number(index) + " * " + block)}, {block})";

    /// <summary>Hyperparameter <paramref name="index"/> in <paramref name="packed"/> (the values or their adjoints): one value, or a slice of n.</summary>
    private string Hyperparameter(string packed, int index)
    {
        var offset = Offset(index, "", "n");
        return _step.Hyperparameters[index].PerElement ? $"{packed}.Slice({offset}, n)" : $"{packed}[{offset}]";
    }

    /// <summary>The k tangents of hyperparameter <paramref name="index"/>, or its k·n for a per-element one.</summary>
    private string HyperparameterTangents(int index)
        => $"hyperparameterTangents.Slice({Offset(index, "k", "k * n")}, {(_step.Hyperparameters[index].PerElement ? "k * n" : "k")})";

    /// <summary>
    /// Where hyperparameter <paramref name="index"/> starts: the uniform ones before it take <paramref name="uniformUnit"/>
    /// each (empty for 1), the per-element ones <paramref name="perElementUnit"/>.
    /// </summary>
    private string Offset(int index, string uniformUnit, string perElementUnit)
    {
        var before = _step.Hyperparameters.Take(index).ToList();
        var terms = new List<string>();
        foreach (var (count, unit) in new[] { (before.Count(h => !h.PerElement), uniformUnit), (before.Count(h => h.PerElement), perElementUnit) })
        {
            if (count > 0)
            {
                terms.Add(unit.Length == 0 ? Number(count) : count == 1 ? unit : Number(count) + " * " + unit);
            }
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    private IEnumerable<string> OptionArguments() => _step.Options.Select(o => o.Source switch
    {
        StepOptionSource.StepNumber => $"({o.TypeName})options.StepNumber",
        StepOptionSource.Flag => $"options.Flag(\"{o.Name}\")",
        _ => $"({o.TypeName})options.Value(\"{o.Name}\")",
    });

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
