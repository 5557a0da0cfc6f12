using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>What one parameter of an <c>[Objective]</c> loss is to its objective class.</summary>
internal enum ObjectiveRole
{
    /// <summary>The weights w: the first parameter, an active read-only span.</summary>
    Weights,

    /// <summary>A loss hyperparameter: an active scalar (one value of λ) or read-only span (a block of λ).</summary>
    Hyperparameter,

    /// <summary>Passive data, bound when the objective is constructed.</summary>
    Data,
}

/// <summary>One parameter of an <c>[Objective]</c> loss.</summary>
/// <param name="Name">Its name in the loss.</param>
/// <param name="Role">What it is to the objective.</param>
/// <param name="IsSpan">Whether it is a span (a block of λ; for data, held as memory and passed as its span).</param>
/// <param name="StoredType">For data: the C# type the objective's constructor takes and holds.</param>
/// <param name="Hyperparameter">For a hyperparameter: its declared default and domain.</param>
internal sealed record ObjectiveParameter(string Name, ObjectiveRole Role, bool IsSpan, string StoredType = "", StepHyperparameter? Hyperparameter = null);

/// <summary>
/// An <c>[Objective]</c> loss, for the <c>{Method}Objective</c> class written over it and its generated adjoint and
/// Hessian-vector product.
/// </summary>
/// <param name="MethodName">The loss's name.</param>
/// <param name="Element">float or double.</param>
/// <param name="Parameters">The loss's parameters, in order.</param>
/// <param name="OverDataset">
/// Whether the data are exactly (features, targets, rows, columns) — two spans of the element type, then two ints, in
/// that order among the data — so that the objective can be built over a Dataset and evaluate its mini-batches.
/// </param>
internal sealed record ObjectiveModel(string MethodName, IrType Element, EquatableArray<ObjectiveParameter> Parameters, bool OverDataset)
{
    /// <summary><c>{Method}Objective</c>.</summary>
    public string ClassName => MethodName + "Objective";
}
