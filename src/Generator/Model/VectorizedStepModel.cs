using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>Where a vectorized step takes the value of one <c>[NoDiff]</c> option from.</summary>
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

/// <summary>
/// One <c>[Hyper]</c> parameter of an optimizer step or an objective: its name, whether it is <c>[PerElement]</c> (n
/// values, not one), and what its attribute declares: its default (NaN for none) and
/// its domain (a member of <c>AutoHypergrad.HyperparameterDomain</c>).
/// </summary>
internal sealed record StepHyperparameter(string Name, bool PerElement, double Default = double.NaN, string Domain = "Unconstrained")
{
    /// <summary>Whether [Hyper] declares a default, so that the value may be left out.</summary>
    public bool HasDefault => !double.IsNaN(Default);
}

/// <summary>
/// An <c>[OptimizerStep]</c> method of the shape <c>(ref T w, ref T state…, T g, [Hyper] ([PerElement]) T hyper…, [NoDiff] options…)</c>,
/// for the <c>IVectorizedStep&lt;T&gt;</c> struct written over its span drivers.
/// </summary>
/// <param name="MethodName">The step method's name.</param>
/// <param name="Element">float or double.</param>
/// <param name="States">The <c>ref</c> parameters, in order (the weight first).</param>
/// <param name="Gradient">The gradient parameter.</param>
/// <param name="Hyperparameters">The <c>[Hyper]</c> parameters, in order, uniform or <c>[PerElement]</c>.</param>
/// <param name="Options">The <c>[NoDiff]</c> parameters, in order.</param>
/// <param name="Factory">
/// Whether this method's file also holds the <c>{Method}Optimizer</c> factory: the double step does, and a float
/// one where the type has no double step of that name.
/// </param>
/// <param name="HasDouble">Whether the type has a double [OptimizerStep] of this name (this one or another).</param>
/// <param name="HasSingle">Whether it has a float one.</param>
internal sealed record VectorizedStepModel(
    string MethodName,
    IrType Element,
    EquatableArray<string> States,
    string Gradient,
    EquatableArray<StepHyperparameter> Hyperparameters,
    EquatableArray<StepOption> Options,
    bool Factory = false,
    bool HasDouble = false,
    bool HasSingle = false)
{
    /// <summary><c>{Method}Optimizer</c>, the factory of the runtime's Optimizer with the step's hyperparameters as named arguments.</summary>
    public string FactoryName => MethodName + "Optimizer";

    /// <summary>The step struct of <paramref name="kind"/> (float or double) for this step's name.</summary>
    public string StructNameOf(ScalarKind kind) => MethodName + "Vectorized" + (kind == ScalarKind.Float ? "Single" : "Double");

    /// <summary><c>{Method}Vectorized{Double|Single}</c>, the .NET name of the element type as in <c>BitConverter</c>.</summary>
    public string StructName => StructNameOf(Element.Kind);
}
