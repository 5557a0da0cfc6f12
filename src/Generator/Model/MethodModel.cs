using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>
/// A parameter of a method in the IR. <see cref="IsActive"/>: it carries a derivative. <see cref="IsUniform"/>: in
/// a span driver it is one value for all elements ([Hyper], [NoDiff], integers and bools, unless [PerElement]).
/// </summary>
internal sealed record Parameter(string Name, IrType Type, PassingMode Mode, bool IsActive, bool IsUniform = false);

/// <summary>A type that encloses the method: its declaration keyword (class, struct, record, record struct) and name.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Where generated members go: the namespace and the chain of partial types, outermost first.</summary>
internal sealed record TypeLocation(string? Namespace, EquatableArray<ContainingType> Types)
{
    public string DisplayName => string.Join(".", System.Linq.Enumerable.Select(Types, t => t.Name));
}

/// <summary>A [Differentiable] method, parsed into the IR; <c>VectorizedStep</c> where it is a well-shaped [OptimizerStep], <c>Objective</c> where a well-shaped [Objective].</summary>
internal sealed record MethodModel(
    TypeLocation Location,
    string Name,
    string Accessibility,
    IrType ReturnType,
    EquatableArray<Parameter> Parameters,
    Block Body,
    string HintName,
    LocationInfo? SourceLocation,
    int Order = 1,
    VectorizedStepModel? VectorizedStep = null,
    ObjectiveModel? Objective = null,
    bool IsFloatTwin = false);

/// <summary>The output of parsing one method: the model, or why there is none. <c>Key</c> ("Namespace.Type.Method", as
/// a caller's <see cref="Callee.Key"/> names it) and <c>Location</c> identify the method even without a model.
/// <c>FloatTwin</c>: the float twin of a double [OptimizerStep] (<see cref="Passes.FloatTwin"/>), differentiated as a method of its own.</summary>
internal sealed record ParseResult(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, string Key = "", MethodModel? FloatTwin = null);

/// <summary>A method that the generator writes; <c>Attributes</c>: C# attributes before it, as written (a float twin's).</summary>
internal sealed record GeneratedMethod(
    string Name,
    string Summary,
    string Accessibility,
    string ReturnType,
    EquatableArray<GeneratedParameter> Parameters,
    Block Body,
    string Attributes = "");

/// <summary>A parameter of a generated method; <c>Attributes</c>: C# attributes before it, as written.</summary>
internal sealed record GeneratedParameter(string Name, IrType Type, PassingMode Mode, string Attributes = "");

/// <summary>
/// The derivatives of one [Differentiable] method, ready to emit, with its span drivers if it is elementwise and the
/// vectorized step over them if it is an [OptimizerStep].
/// </summary>
internal sealed record DerivativeModel(
    TypeLocation Location,
    string HintName,
    EquatableArray<GeneratedMethod> Methods,
    string MethodName,
    LocationInfo? SourceLocation,
    EquatableArray<SpanDriver> Drivers = default,
    VectorizedStepModel? VectorizedStep = null,
    ObjectiveModel? Objective = null);

/// <summary>How a span driver passes one of its element function's parameters.</summary>
internal enum DriverRole
{
    /// <summary>One value for all elements.</summary>
    Uniform,

    /// <summary>A uniform adjoint (ref T xBar): summed over the elements, across lanes once per call.</summary>
    UniformAccumulator,

    /// <summary>A ReadOnlySpan: one value per element, read.</summary>
    ElementInput,

    /// <summary>A Span: one value per element, read and written back.</summary>
    ElementState,

    /// <summary>
    /// k values per element, direction-major: k blocks of n values, direction j of element i at j·n + i (each
    /// direction's tangent of the span is one contiguous block).
    /// </summary>
    ElementDirections,

    /// <summary>k values for all elements (a uniform value's tangents in k directions).</summary>
    UniformDirections,
}

internal sealed record DriverParameter(string Name, IrType Type, DriverRole Role);

/// <summary>
/// A span driver: the scalar <c>Element</c> function (the primal, its tangent or its adjoint, scalar) applied to every
/// element of its span parameters, vectorized where the function allows, with the function itself for the tail. The
/// vector-mode tangent's driver also has <c>Directions</c>, from which its vector loop is written.
/// </summary>
internal sealed record SpanDriver(GeneratedMethod Element, EquatableArray<DriverParameter> Parameters, DirectionElement? Directions = null);

/// <summary>
/// How a vector-mode tangent driver is vectorized: <c>Tangent</c>, the single-direction tangent (same
/// parameter names as the vector-mode one), whose primal statements run once per vector of elements and whose
/// tangent statements (those assigning one of <c>TangentNames</c>) run once per direction.
/// </summary>
internal sealed record DirectionElement(GeneratedMethod Tangent, EquatableArray<string> TangentNames);

/// <summary>
/// The output of differentiating one method, with every diagnostic of parsing and differentiation. <c>Key</c>: the
/// method's (<see cref="ParseResult"/>); <c>Callees</c>: the keys of the [Differentiable] methods it calls, whose
/// generated derivatives its own call (<see cref="Passes.CalleeFailures"/>).
/// </summary>
internal sealed record DifferentiationResult(DerivativeModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, string Key = "", EquatableArray<string> Callees = default);

/// <summary>One generated source file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>
/// The output of an emitter: a file, or the diagnostic that says why there is none (an internal error; for the CUDA
/// emitter also a construct with no CUDA form); neither for a method the emitter does not apply to.
/// </summary>
internal sealed record EmitResult(GeneratedSource? Source, DiagnosticInfo? Error);
