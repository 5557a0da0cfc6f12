using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>Where a step kernel takes the value of one <c>[NoDiff]</c> option from.</summary>
internal enum StepOptionSource
{
    /// <summary>A real named <c>t</c>: <c>options.StepNumber</c>.</summary>
    StepNumber,

    /// <summary>Another real: <c>options.Value(name)</c>.</summary>
    Value,

    /// <summary>A bool: <c>options.Flag(name)</c>.</summary>
    Flag,
}

/// <summary>One <c>[NoDiff]</c> option of an optimizer step: its name, its C# type and where its value comes from.</summary>
internal sealed record StepOption(string Name, string TypeName, StepOptionSource Source);

/// <summary>One <c>[Hyper]</c> parameter of an optimizer step: its name, and whether it is <c>[PerElement]</c> (n values, not one).</summary>
internal sealed record StepHyperparameter(string Name, bool PerElement);

/// <summary>
/// An <c>[OptimizerStep]</c> method of the shape <c>(ref T w, ref T state…, T g, [Hyper] ([PerElement]) T hyper…, [NoDiff] options…)</c>,
/// for the <c>IStepKernel&lt;T&gt;</c> struct written over its span drivers.
/// </summary>
/// <param name="MethodName">The step method's name.</param>
/// <param name="Element">float or double.</param>
/// <param name="States">The <c>ref</c> parameters, in order (the weight first).</param>
/// <param name="Gradient">The gradient parameter.</param>
/// <param name="Hyperparameters">The <c>[Hyper]</c> parameters, in order, uniform or <c>[PerElement]</c>.</param>
/// <param name="Options">The <c>[NoDiff]</c> parameters, in order.</param>
internal sealed record StepKernelModel(
    string MethodName,
    IrType Element,
    EquatableArray<string> States,
    string Gradient,
    EquatableArray<StepHyperparameter> Hyperparameters,
    EquatableArray<StepOption> Options)
{
    /// <summary><c>{Method}Kernel{Double|Single}</c>, the .NET name of the element type as in <c>BitConverter</c>.</summary>
    public string StructName => MethodName + "Kernel" + (Element.Kind == ScalarKind.Float ? "Single" : "Double");
}
