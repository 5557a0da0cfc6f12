using System;
using System.Numerics;
using AutoHypergrad.Data;

namespace AutoHypergrad.Objectives.Models;

/// <summary>What one pass of a <see cref="SoftmaxRegressionObjective{T}"/> computes besides the outputs z.</summary>
[Flags]
public enum SoftmaxPassOutputs
{
    None = 0,

    /// <summary>J = Σ cᵢℓᵢ, returned.</summary>
    Value = 1,

    /// <summary>Δ = c·∂ℓ/∂z, and the result = ∇J = (Xᵀ·Δ, Δᵀ·1).</summary>
    Gradient = 2,

    /// <summary>Δ = c·∇²ℓ·ż, and the result = H·v = (Xᵀ·Δ, Δᵀ·1).</summary>
    HessianVector = 4,

    /// <summary>λ̄ᵢ += (1/B)·⟨∂ℓᵢ/∂z, żᵢ⟩.</summary>
    CrossAdjoint = 8,

    /// <summary>λ̄ᵢ += (1/B)·ℓᵢ.</summary>
    LambdaGradient = 16,
}

/// <summary>
/// Softmax regression with a bias and, optionally, one weight per training example (data hyper-cleaning):
/// J(W, b; λ) = (1/B)·Σ_{i ∈ batch} cᵢℓᵢ, ℓᵢ = log Σ_k e^{z_ik} − z_{i,yᵢ}, zᵢ = xᵢ·W + b, cᵢ = λᵢ with example
/// weights, else 1; the parameters are W (d × K, row-major) then b, and λ is the block <c>weights</c> (one per
/// training example, default 1) or nothing. This class is the definition's bookkeeping, shared by its
/// implementations (<see cref="WeightedSoftmaxRegression{T}"/> on the CPU, <c>CudaSoftmaxRegression</c> on a CUDA
/// device): the layouts, the argument checks, and how each product of <see cref="IObjective{T}"/> maps onto one pass
/// over the batch (<see cref="Run"/>), which the implementations provide.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public abstract class SoftmaxRegressionObjective<T> : IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int _exampleWeights = -1;

    /// <summary>The layouts of softmax regression on <paramref name="data"/> (checked by <see cref="CheckData"/>).</summary>
    protected SoftmaxRegressionObjective(Dataset<T> data, bool exampleWeights)
    {
        CheckData(data);
        Features = data.FeatureCount;
        Classes = data.ClassCount;
        ExampleCount = data.Count;
        Source = data.Source;
        var layout = new HyperparameterLayout.Builder();
        if (exampleWeights)
        {
            _exampleWeights = layout.Add("weights", data.Count, 1.0, "the weight of each training example in the loss", HyperparameterDomain.NonNegative);
        }

        Hyperparameters = layout.Build();
        ParameterCount = (Features * Classes) + Classes;
    }

    public int ParameterCount { get; }

    public HyperparameterLayout Hyperparameters { get; }

    public int ExampleCount { get; }

    /// <summary>d, the features.</summary>
    protected int Features { get; }

    /// <summary>K, the classes.</summary>
    protected int Classes { get; }

    /// <summary>The data set's name, for messages.</summary>
    protected string Source { get; }

    /// <summary>Throws unless <paramref name="data"/> has class labels of at least two classes.</summary>
    /// <exception cref="ArgumentException">The data have regression targets or fewer than two classes.</exception>
    public static void CheckData(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsClassification || data.ClassCount < 2)
        {
            throw new ArgumentException($"Softmax regression needs class labels of at least two classes; {data.Source} has {(data.IsClassification ? data.ClassCount + " class" : "regression targets")}.", nameof(data));
        }
    }

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
        => Pass(w, ExampleWeightsOf(lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxPassOutputs.Value, Span<T>.Empty, Span<T>.Empty);

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        CheckLength(gradient.Length, ParameterCount, nameof(gradient), "parameters");
        return Pass(w, ExampleWeightsOf(lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxPassOutputs.Value | SoftmaxPassOutputs.Gradient, gradient, Span<T>.Empty);
    }

    public void HessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result)
        => HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, Span<T>.Empty);

    public void CrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> lambdaDot, Span<T> result)
    {
        Check(w, lambda);
        CheckLength(lambdaDot.Length, Hyperparameters.Count, nameof(lambdaDot), "hyperparameters");
        CheckLength(result.Length, ParameterCount, nameof(result), "parameters");
        if (_exampleWeights >= 0 && ExampleWeightsOf(lambdaDot).ContainsAnyExcept(T.Zero))
        {
            // ∇J is linear in the example weights: its derivative along λ̇ is the gradient weighted by λ̇.
            Pass(w, ExampleWeightsOf(lambdaDot), ReadOnlySpan<T>.Empty, batch, SoftmaxPassOutputs.Gradient, result, Span<T>.Empty);
        }
        else
        {
            result.Clear();
        }
    }

    public void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            Pass(w, ExampleWeightsOf(lambda), v, batch, SoftmaxPassOutputs.CrossAdjoint, Span<T>.Empty, lambdaBar.Slice(_exampleWeights, ExampleCount));
        }
    }

    public void LambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            Pass(w, ExampleWeightsOf(lambda), ReadOnlySpan<T>.Empty, batch, SoftmaxPassOutputs.LambdaGradient, Span<T>.Empty, lambdaBar.Slice(_exampleWeights, ExampleCount));
        }
    }

    /// <summary>H·v and (∂∇J/∂λ)ᵀ·v from one pass over the data (an empty <paramref name="lambdaBar"/>: H·v alone).</summary>
    public void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
    {
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(result.Length, ParameterCount, nameof(result), "parameters");
        var outputs = SoftmaxPassOutputs.HessianVector;
        var exampleAdjoints = Span<T>.Empty;
        if (!lambdaBar.IsEmpty)
        {
            CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
            if (_exampleWeights >= 0)
            {
                outputs |= SoftmaxPassOutputs.CrossAdjoint;
                exampleAdjoints = lambdaBar.Slice(_exampleWeights, ExampleCount);
            }
        }

        Pass(w, ExampleWeightsOf(lambda), v, batch, outputs, result, exampleAdjoints);
    }

    /// <summary>
    /// One pass over the batch's <paramref name="rows"/> rows (at least one; the indices checked): writes the
    /// gradient or H·v (per <paramref name="outputs"/>) into <paramref name="result"/> in the parameters' layout, adds
    /// the example adjoints to <paramref name="exampleAdjoints"/> (one per training example), and returns J when
    /// asked for the value. <paramref name="coefficients"/> are the per-example weights of cᵢ = weight/B (empty: 1);
    /// <paramref name="v"/> is the direction ż comes from (empty when no output needs it).
    /// </summary>
    protected abstract T Run(
        ReadOnlySpan<T> w, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> v, Batch batch, int rows, SoftmaxPassOutputs outputs, Span<T> result, Span<T> exampleAdjoints);

    private T Pass(
        ReadOnlySpan<T> w, ReadOnlySpan<T> coefficients, ReadOnlySpan<T> v, Batch batch, SoftmaxPassOutputs outputs, Span<T> result, Span<T> exampleAdjoints)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        int rows = batch.Count(ExampleCount);
        if (rows == 0)
        {
            throw new ArgumentException($"The batch is empty; {Source} has {ExampleCount} examples.", nameof(batch));
        }

        batch.Validate(ExampleCount);
        return Run(w, coefficients, v, batch, rows, outputs, result, exampleAdjoints);
    }

    private ReadOnlySpan<T> ExampleWeightsOf(ReadOnlySpan<T> lambda)
    {
        CheckLength(lambda.Length, Hyperparameters.Count, nameof(lambda), "hyperparameters");
        return _exampleWeights < 0 ? ReadOnlySpan<T>.Empty : lambda.Slice(_exampleWeights, ExampleCount);
    }

    private void Check(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        CheckLength(lambda.Length, Hyperparameters.Count, nameof(lambda), "hyperparameters");
    }

    private static void CheckLength(int length, int expected, string name, string what)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has length {length}; this softmax objective has {expected} {what}.", name);
        }
    }
}
