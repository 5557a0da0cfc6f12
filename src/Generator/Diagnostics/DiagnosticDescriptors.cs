using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are AHG0001…; each has a help link.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoHypergrad";
    private const string HelpBase = "https://github.com/autohypergrad/autohypergrad/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor MethodMustBeStatic = Create(
        "AHG0001",
        "[Differentiable] method must be static",
        "[Differentiable] method '{0}' must be static");

    public static readonly DiagnosticDescriptor TypeMustBePartial = Create(
        "AHG0002",
        "Type containing a [Differentiable] method must be partial",
        "Type '{0}' must be declared partial so that the derivatives of '{1}' can be added to it");

    public static readonly DiagnosticDescriptor UnsupportedSyntax = Create(
        "AHG0003",
        "Unsupported statement or expression in a [Differentiable] method",
        "{0} is not supported in [Differentiable] method '{1}'{2}");

    public static readonly DiagnosticDescriptor NoKnownDerivative = Create(
        "AHG0004",
        "Call to a method with no known derivative",
        "'{0}' has no known derivative: mark it [Differentiable] or compute its value outside '{1}'");

    public static readonly DiagnosticDescriptor ParameterNotDifferentiable = Create(
        "AHG0005",
        "Active parameter of a type that cannot be differentiated",
        "Parameter '{0}' of '{1}' has type '{2}', which cannot be differentiated: use float or double, or mark it [NoDiff]");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
        "AHG0006",
        "Unsupported signature for a [Differentiable] method",
        "[Differentiable] method '{0}' {1}");

    public static readonly DiagnosticDescriptor InternalError = Create(
        "AHG0007",
        "Internal error in the AutoHypergrad generator",
        "The AutoHypergrad generator failed on '{0}': {1}. Please report this with the method's source.");

    public static readonly DiagnosticDescriptor GeneratedNameConflict = Create(
        "AHG0008",
        "A generated name collides with a name in the method",
        "'{0}' in '{1}' collides with the generated name for {2}: rename it");

    public static readonly DiagnosticDescriptor OptimizerStepNotElementwise = Create(
        "AHG0009",
        "[OptimizerStep] method is not elementwise",
        "[OptimizerStep] method '{0}' gets no vectorized step: it is not elementwise (void, scalar parameters, straight-line code without loops or calls), so it has no span drivers to call");

    public static readonly DiagnosticDescriptor OptimizerStepShape = Create(
        "AHG0010",
        "[OptimizerStep] method does not have the shape of an optimizer step",
        "[OptimizerStep] method '{0}' {1}: an optimizer step is (ref T w, ref T state…, T g, [Hyper] T hyper…, [NoDiff] options…) with T float or double");

    public static readonly DiagnosticDescriptor OptimizerStepPerElement = Create(
        "AHG0011",
        "[PerElement] parameter of an [OptimizerStep] method is not a hyperparameter",
        "Parameter '{0}' of [OptimizerStep] method '{1}' is [PerElement] but not a [Hyper] parameter: a vectorized step takes per-element values only for hyperparameters, and passes each option as one value for all elements");

    public static readonly DiagnosticDescriptor OptimizerStepOptionType = Create(
        "AHG0012",
        "[NoDiff] option of an [OptimizerStep] method is not float, double or bool",
        "Option '{0}' of [OptimizerStep] method '{1}' has type '{2}': a vectorized step reads its options from StepOptions as float, double or bool");

    public static readonly DiagnosticDescriptor NoCudaKernels = Create(
        "AHG0013",
        "Elementwise [Differentiable] method gets no CUDA kernels",
        "'{0}' gets its C# span drivers but no CUDA kernels: {1} has no CUDA form",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor NoSecondOrderDerivative = Create(
        "AHG0014",
        "Call from an Order = 2 method to a method without second-order derivatives",
        "'{0}' is called from [Differentiable(Order = 2)] method '{1}' but has no second-order derivative: {2}");

    public static readonly DiagnosticDescriptor CalleeWithoutDerivatives = Create(
        "AHG0015",
        "Call to a [Differentiable] method that has errors",
        "[Differentiable] method '{0}' calls '{1}', whose derivatives are not generated because of its own errors: '{0}' gets none either until they are fixed");

    public static readonly DiagnosticDescriptor ObjectiveShape = Create(
        "AHG0016",
        "[Objective] method does not have the shape of a loss",
        "[Objective] method '{0}' {1}: a loss is [Differentiable(Order = 2)] static T Name(ReadOnlySpan<T> w, T or ReadOnlySpan<T> hyperparameters…, [NoDiff] data…) with T float or double, every parameter by value");

    public static readonly DiagnosticDescriptor NotDifferentiable = Create(
        "AHG0017",
        "[OptimizerStep] or [Objective] method is not [Differentiable]",
        "'{0}' is marked [{1}] but not [Differentiable]: its {2} would be written from its derivatives, which are not generated; add [{3}]");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) => new(
        id,
        title,
        message,
        Category,
        severity,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + id.ToLowerInvariant());
}
