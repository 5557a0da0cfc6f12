using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives.Regularizers;

namespace AutoHypergrad.Objectives.Models;

/// <summary>
/// A built-in model trained on a data set: J(w; λ) = (1/B)·Σ_{i ∈ batch} cᵢ·ℓ(f(xᵢ; w), yᵢ) + Σ R(w; λ), with
/// cᵢ = λᵢ (example weights) or 1, and the regularizers of <see cref="LossHyperparameters"/>. Gradients come from
/// back-propagation, Hessian-vector products from Pearlmutter's R-operator (exact, about the cost of a gradient),
/// and the cross products from the same passes: (∂∇J/∂λ)·λ̇ for example weights is the gradient weighted by λ̇,
/// and (∂∇J/∂λᵢ)ᵀ·v = (1/B)·⟨∂ℓᵢ/∂z, ż⟩, with ż the tangent of the output along v. A Hessian-vector product at
/// the point (w, λ, batch) of the last gradient reuses that call's forward and backward passes, as the engines'
/// forward steps do (the gradient of a step, then products at the same point), so it costs only the tangent passes;
/// a reverse step, whose product comes long after its gradient, gets the same saving from the passes the gradient
/// handed out (<see cref="PassesLength"/>) and its step's record kept.
/// </summary>
public sealed class ModelObjective<T> : IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Rows per chunk in <see cref="Evaluate"/>, to bound its workspaces.</summary>
    private const int EvaluationChunk = 4096;

    private readonly Dataset<T> _data;
    private readonly DenseNetwork<T> _network;
    private readonly LossHead<T> _loss;
    private readonly int _exampleWeights = -1;
    private readonly IRegularizer<T>[] _regularizers;

    // Workspaces for a partial batch: its rows, labels or targets; the rows' coefficients and per-row scratch.
    private T[] _rows = [];
    private int[] _labels = [];
    private T[] _targets = [];
    private T[] _coefficients = [];
    private T[] _perRow = [];

    // The point of the last Gradient call, whose forward and backward passes the network still holds: a
    // Hessian-vector product at the same point (the engines' next call) reuses them.
    private readonly T[] _gradientW;
    private readonly T[] _gradientLambda;
    private Batch _gradientBatch;
    private bool _gradientPassesHeld;

    private ModelObjective(Dataset<T> data, ModelOptions options, DenseNetwork<T> network, LossHead<T> loss)
    {
        _data = data;
        Options = options;
        _network = network;
        _loss = loss;
        var weights = Enumerable.Range(0, network.Layers)
            .Select(l => new WeightMatrix(network.WeightOffset(l), network.In(l), network.Out(l)))
            .ToArray();
        var layout = new HyperparameterLayout.Builder();
        var regularizers = new List<IRegularizer<T>>();
        var chosen = options.Hyperparameters;
        if (chosen.HasFlag(LossHyperparameters.ExampleWeights))
        {
            _exampleWeights = layout.Add("weights", data.Count, 1.0, "the weight of each training example in the loss", HyperparameterDomain.NonNegative);
        }

        if (chosen.HasFlag(LossHyperparameters.L2))
        {
            regularizers.Add(new L2Regularizer<T>(layout.Add("l2", 1, 0.0, "(l2/2)·‖W‖² on the weights, not the biases", HyperparameterDomain.NonNegative), weights));
        }

        if (chosen.HasFlag(LossHyperparameters.FeatureL2))
        {
            int offset = layout.Add("featureL2", data.FeatureCount, 0.0, "½·λ_j·‖W₀[j, :]‖² for each input feature j", HyperparameterDomain.NonNegative);
            regularizers.Add(new FeatureL2Regularizer<T>(offset, weights[0], logarithmic: false));
        }

        if (chosen.HasFlag(LossHyperparameters.LogFeatureL2))
        {
            int offset = layout.Add("logFeatureL2", data.FeatureCount, Math.Log(1e-3), "θ_j of ½·exp(θ_j)·‖W₀[j, :]‖² for each input feature j");
            regularizers.Add(new FeatureL2Regularizer<T>(offset, weights[0], logarithmic: true));
        }

        if (chosen.HasFlag(LossHyperparameters.MultiTask))
        {
            int k = network.Outputs;
            int matrix = layout.Add("taskMatrix", k * k, 0.0, "A_jk of Σ A_jk·‖w_j − w_k‖² over the output weights");
            int rho = layout.Add("rho", 1, 0.0, "ρ of ρ·Σ‖w_k‖² over the output weights", HyperparameterDomain.NonNegative);
            regularizers.Add(new MultiTaskRegularizer<T>(matrix, rho, weights[^1]));
        }

        Hyperparameters = layout.Build();
        _regularizers = regularizers.ToArray();
        _gradientW = new T[network.ParameterCount];
        _gradientLambda = new T[Hyperparameters.Count];
    }

    public ModelOptions Options { get; }

    public int ParameterCount => _network.ParameterCount;

    public HyperparameterLayout Hyperparameters { get; }

    public int ExampleCount => _data.Count;

    /// <summary>The outputs per example: classes, or 1 for regression and logistic regression.</summary>
    public int Outputs => _network.Outputs;

    /// <summary>The model <paramref name="options"/> describe, trained on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The model does not fit the data (a classifier on regression targets, …).</exception>
    public static ModelObjective<T> Create(Dataset<T> data, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        string name = options.Model.ToString().ToLowerInvariant();
        int outputs = options.Model switch
        {
            ModelKind.Linear when data.IsClassification
                => throw new ArgumentException($"The linear model is for regression; {data.Source} has {data.ClassCount} classes (use logistic, softmax or mlp).", nameof(data)),
            ModelKind.Linear => 1,
            ModelKind.Logistic when data.ClassCount != 2
                => throw new ArgumentException($"Logistic regression needs two classes; {data.Source} has {(data.IsClassification ? data.ClassCount + " classes" : "regression targets")}.", nameof(data)),
            ModelKind.Logistic => 1,
            _ when !data.IsClassification && options.Model == ModelKind.Softmax
                => throw new ArgumentException($"Softmax regression needs class labels; {data.Source} has regression targets.", nameof(data)),
            _ => data.IsClassification ? data.ClassCount : 1,
        };
        if (options.Model == ModelKind.Mlp ? options.Hidden.Count == 0 : options.Hidden.Count > 0)
        {
            throw new ArgumentException($"The {name} model {(options.Model == ModelKind.Mlp ? "needs at least one hidden layer" : "has no hidden layers")}.", nameof(options));
        }

        if (options.Hidden.Any(width => width < 1))
        {
            throw new ArgumentException($"Hidden layer widths must be at least 1: {string.Join(",", options.Hidden)}.", nameof(options));
        }

        var chosen = options.Hyperparameters;
        if (chosen.HasFlag(LossHyperparameters.FeatureL2) && chosen.HasFlag(LossHyperparameters.LogFeatureL2))
        {
            throw new ArgumentException("Choose featureL2 or logFeatureL2, not both.", nameof(options));
        }

        if (chosen.HasFlag(LossHyperparameters.MultiTask) && outputs < 2)
        {
            throw new ArgumentException($"The multi-task regularizer couples the output weights of several tasks; the {name} model has one output.", nameof(options));
        }

        int[] widths = [data.FeatureCount, .. options.Hidden, outputs];
        var loss = data.IsClassification ? LossKind.CrossEntropy : LossKind.MeanSquaredError;
        return new ModelObjective<T>(data, options, new DenseNetwork<T>(widths, options.Bias, options.Activation), LossHead<T>.Create(loss, outputs));
    }

    /// <summary>
    /// Writes starting parameters: zeros for the linear models; for an MLP, Glorot-uniform weights
    /// (±√(6/(inputs + outputs))) drawn from <paramref name="seed"/>, and zero biases.
    /// </summary>
    public void InitialParameters(Span<T> w, ulong seed)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        w.Clear();
        if (_network.Layers == 1)
        {
            return;
        }

        var random = new SplitMix64(seed);
        for (int l = 0; l < _network.Layers; l++)
        {
            double limit = Math.Sqrt(6.0 / (_network.In(l) + _network.Out(l)));
            foreach (ref T weight in w.Slice(_network.WeightOffset(l), _network.In(l) * _network.Out(l)))
            {
                weight = T.CreateTruncating((2 * random.NextDouble() - 1) * limit);
            }
        }
    }

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
    {
        Check(w, lambda);
        _gradientPassesHeld = false;
        var x = Prepare(batch, ExampleWeightsOf(lambda), out var targets, out int rows);
        _network.Forward(w, x, rows);
        var losses = _perRow.AsSpan(0, rows);
        _loss.Losses(_network.Output(rows), targets, losses);
        T value = T.Zero;
        for (int i = 0; i < rows; i++)
        {
            value += _coefficients[i] * losses[i];
        }

        return value + RegularizerValue(w, lambda);
    }

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        Check(w, lambda);
        CheckLength(gradient.Length, ParameterCount, nameof(gradient), "parameters");
        var x = Prepare(batch, ExampleWeightsOf(lambda), out var targets, out int rows);
        _network.Forward(w, x, rows);
        T value = _loss.ValueAndDelta(_network.Output(rows), targets, _coefficients.AsSpan(0, rows), _network.OutputDelta(rows));
        _network.Backward(w, x, rows, gradient);
        w.CopyTo(_gradientW);
        lambda.CopyTo(_gradientLambda);
        _gradientBatch = batch;
        _gradientPassesHeld = true;
        foreach (var regularizer in _regularizers)
        {
            regularizer.AddGradient(w, lambda, gradient);
        }

        return value + RegularizerValue(w, lambda);
    }

    /// <summary>
    /// The network's passes (<see cref="DenseNetwork{T}.PassesLength"/>) when they are no larger than w, the gradient
    /// a step's record holds beside them: at a small batch they let a product skip the forward and back-propagation
    /// passes; over a large batch a linear model's outputs alone outweigh w, and it keeps none.
    /// </summary>
    public int PassesLength(int rows)
    {
        int length = _network.PassesLength(rows);
        return length <= ParameterCount ? length : 0;
    }

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient, Span<T> passes)
    {
        T value = Gradient(w, lambda, batch, gradient);
        int rows = batch.Count(_data.Count);
        int length = PassesLength(rows);
        if (length > 0)
        {
            CheckPasses(passes.Length, length, rows);
            _network.SavePasses(rows, passes);
        }

        return value;
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
            _gradientPassesHeld = false;

            // ∇J is linear in the example weights: its derivative along λ̇ is the gradient weighted by λ̇. A direction
            // that moves no example weight (l2 only, say) skips the passes and keeps the gradient's.
            var x = Prepare(batch, ExampleWeightsOf(lambdaDot), out var targets, out int rows);
            _network.Forward(w, x, rows);
            _loss.ValueAndDelta(_network.Output(rows), targets, _coefficients.AsSpan(0, rows), _network.OutputDelta(rows));
            _network.Backward(w, x, rows, result);
        }
        else
        {
            result.Clear();
        }

        foreach (var regularizer in _regularizers)
        {
            regularizer.AddCrossTangent(w, lambda, lambdaDot, result);
        }
    }

    public void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            _gradientPassesHeld = false;
            var x = Prepare(batch, ReadOnlySpan<T>.Empty, out var targets, out int rows);
            _network.ForwardWithTangent(w, v, x, rows, forwardDone: false);
            AddExampleWeightAdjoints(batch, targets, rows, lambdaBar);
        }

        foreach (var regularizer in _regularizers)
        {
            regularizer.AddCrossAdjoint(w, lambda, v, lambdaBar);
        }
    }

    /// <summary>
    /// H·v and (∂∇J/∂λ)ᵀ·v from one R-forward pass (pass an empty <paramref name="lambdaBar"/> for H·v alone).
    /// </summary>
    public void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
        => HessianVectorAndCrossAdjoint(w, lambda, batch, v, result, lambdaBar, ReadOnlySpan<T>.Empty);

    /// <summary>
    /// H·v and (∂∇J/∂λ)ᵀ·v, from the <paramref name="passes"/> of <see cref="Gradient(ReadOnlySpan{T}, ReadOnlySpan{T}, Batch, Span{T}, Span{T})"/>
    /// at the same point when this objective keeps them (<see cref="PassesLength"/> > 0), else as without them.
    /// </summary>
    public void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar, ReadOnlySpan<T> passes)
    {
        Check(w, lambda);
        CheckLength(v.Length, ParameterCount, nameof(v), "parameters");
        CheckLength(result.Length, ParameterCount, nameof(result), "parameters");
        if (!lambdaBar.IsEmpty)
        {
            CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        }

        var x = Prepare(batch, ExampleWeightsOf(lambda), out var targets, out int rows);
        int stored = passes.IsEmpty ? 0 : PassesLength(rows);

        // Handed-out passes take the place of the held ones: the point of the last gradient is compared only without them.
        bool atGradientPoint = stored == 0 && _gradientPassesHeld && batch == _gradientBatch && w.SequenceEqual(_gradientW) && lambda.SequenceEqual(_gradientLambda);
        if (stored > 0)
        {
            // The gradient's passes put back as they were: its forward pass, and for a deep network its δ.
            CheckPasses(passes.Length, stored, rows);
            _network.RestorePasses(rows, passes);
            if (_network.Layers > 1)
            {
                _loss.ValueAndDelta(_network.Output(rows), targets, _coefficients.AsSpan(0, rows), _network.OutputDelta(rows));
            }
        }
        else if (!atGradientPoint)
        {
            // Away from the gradient's point the forward pass is redone as Gradient does it (x·W₀, then x·V₀ apart,
            // not the fused x·[W₀ V₀]): a GEMM's rounding may depend on its width, and the product must not depend on
            // whether the passes were reused. Checkpointed hypergradients rely on it to match full storage bit for bit.
            _network.Forward(w, x, rows);
        }

        _network.ForwardWithTangent(w, v, x, rows, forwardDone: true);
        if (_network.Layers > 1 && !atGradientPoint && stored == 0)
        {
            // The hidden layers' second derivatives need δ of every layer (not the gradient itself).
            _loss.ValueAndDelta(_network.Output(rows), targets, _coefficients.AsSpan(0, rows), _network.OutputDelta(rows));
            _network.Backward(w, x, rows, Span<T>.Empty);
        }

        _gradientPassesHeld = atGradientPoint;

        _loss.HessianTimes(_network.Output(rows), _network.OutputTangent(rows), targets, _coefficients.AsSpan(0, rows), _network.OutputDeltaTangent(rows));
        _network.TangentBackward(w, v, x, rows, result);
        foreach (var regularizer in _regularizers)
        {
            regularizer.AddHessianVector(w, lambda, v, result);
        }

        if (lambdaBar.IsEmpty)
        {
            return;
        }

        if (_exampleWeights >= 0)
        {
            AddExampleWeightAdjoints(batch, targets, rows, lambdaBar);
        }

        foreach (var regularizer in _regularizers)
        {
            regularizer.AddCrossAdjoint(w, lambda, v, lambdaBar);
        }
    }

    public void LambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar), "hyperparameters");
        if (_exampleWeights >= 0)
        {
            _gradientPassesHeld = false;
            var x = Prepare(batch, ReadOnlySpan<T>.Empty, out var targets, out int rows);
            _network.Forward(w, x, rows);
            var losses = _perRow.AsSpan(0, rows);
            _loss.Losses(_network.Output(rows), targets, losses);
            T scale = T.One / T.CreateTruncating(rows);
            for (int i = 0; i < rows; i++)
            {
                lambdaBar[_exampleWeights + batch.IndexAt(i)] += scale * losses[i];
            }
        }

        foreach (var regularizer in _regularizers)
        {
            regularizer.AddLambdaGradient(w, lambda, lambdaBar);
        }
    }

    /// <summary>
    /// The mean loss (no example weights, no regularizers) and, for a classifier, the accuracy of the model with
    /// parameters <paramref name="w"/> on <paramref name="data"/> (a validation or test set).
    /// </summary>
    public (double Loss, double Accuracy) Evaluate(ReadOnlySpan<T> w, Dataset<T> data)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _data.FeatureCount || data.ClassCount > _data.ClassCount || data.IsClassification != _data.IsClassification)
        {
            throw new ArgumentException(
                $"{data.Source} ({data.FeatureCount} features, {(data.IsClassification ? data.ClassCount + " classes" : "regression")}) does not fit a model trained on {_data.Source} ({_data.FeatureCount} features, {(_data.IsClassification ? _data.ClassCount + " classes" : "regression")}).",
                nameof(data));
        }

        _gradientPassesHeld = false;
        double loss = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += EvaluationChunk)
        {
            int rows = Math.Min(EvaluationChunk, data.Count - start);
            _network.Forward(w, data.Features.AsSpan(start * data.FeatureCount, rows * data.FeatureCount), rows);
            var targets = new Targets<T>(
                data.Labels is null ? ReadOnlySpan<int>.Empty : data.Labels.AsSpan(start, rows),
                data.Targets is null ? ReadOnlySpan<T>.Empty : data.Targets.AsSpan(start, rows));
            var losses = Workspace.Grow(ref _perRow, rows);
            _loss.Losses(_network.Output(rows), targets, losses);
            for (int i = 0; i < rows; i++)
            {
                loss += double.CreateTruncating(losses[i]);
                correct += _loss.IsCorrect(_network.Output(rows), targets, i) ? 1 : 0;
            }
        }

        return data.Count == 0 ? (0, 0) : (loss / data.Count, data.IsClassification ? (double)correct / data.Count : double.NaN);
    }

    /// <summary>
    /// The batch's rows (the data set itself for the full batch, else gathered), its targets, and the coefficients
    /// cᵢ = wᵢ/B with wᵢ from <paramref name="exampleWeights"/> (indexed by example) or 1 when it is empty.
    /// </summary>
    private ReadOnlySpan<T> Prepare(Batch batch, ReadOnlySpan<T> exampleWeights, out Targets<T> targets, out int rows)
    {
        rows = batch.Count(_data.Count);
        if (rows == 0)
        {
            throw new ArgumentException($"The batch is empty; {_data.Source} has {_data.Count} examples.", nameof(batch));
        }

        batch.Validate(_data.Count);
        var coefficients = Workspace.Grow(ref _coefficients, rows);
        Workspace.Grow(ref _perRow, rows);
        T scale = T.One / T.CreateTruncating(rows);
        for (int i = 0; i < rows; i++)
        {
            coefficients[i] = exampleWeights.IsEmpty ? scale : scale * exampleWeights[batch.IndexAt(i)];
        }

        int d = _data.FeatureCount;
        if (batch.IsFull)
        {
            targets = new Targets<T>(_data.Labels, _data.Targets);
            return _data.Features;
        }

        var x = Workspace.Grow(ref _rows, rows * d);
        var labels = _data.Labels is null ? Span<int>.Empty : Workspace.Grow(ref _labels, rows);
        var values = _data.Targets is null ? Span<T>.Empty : Workspace.Grow(ref _targets, rows);
        for (int i = 0; i < rows; i++)
        {
            int index = batch.IndexAt(i);
            _data.Row(index).CopyTo(x.Slice(i * d, d));
            if (!labels.IsEmpty)
            {
                labels[i] = _data.Labels![index];
            }
            else
            {
                values[i] = _data.Targets![index];
            }
        }

        targets = new Targets<T>(labels, values);
        return x;
    }

    /// <summary>λ̄ᵢ += (1/B)·⟨∂ℓᵢ/∂z, ż⟩ for the batch's examples, after a forward pass with tangent.</summary>
    private void AddExampleWeightAdjoints(Batch batch, in Targets<T> targets, int rows, Span<T> lambdaBar)
    {
        var directional = _perRow.AsSpan(0, rows);
        _loss.Directional(_network.Output(rows), _network.OutputTangent(rows), targets, directional);
        T scale = T.One / T.CreateTruncating(rows);
        for (int i = 0; i < rows; i++)
        {
            lambdaBar[_exampleWeights + batch.IndexAt(i)] += scale * directional[i];
        }
    }

    private ReadOnlySpan<T> ExampleWeightsOf(ReadOnlySpan<T> lambda)
        => _exampleWeights < 0 ? ReadOnlySpan<T>.Empty : lambda.Slice(_exampleWeights, _data.Count);

    private T RegularizerValue(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        T value = T.Zero;
        foreach (var regularizer in _regularizers)
        {
            value += regularizer.Value(w, lambda);
        }

        return value;
    }

    private void CheckPasses(int length, int expected, int rows)
    {
        if (length < expected)
        {
            throw new ArgumentException(
                $"passes has length {length}; this {Options.Model.ToString().ToLowerInvariant()} objective's passes over {rows} rows take {expected}.", "passes");
        }
    }

    private void Check(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        CheckLength(w.Length, ParameterCount, nameof(w), "parameters");
        CheckLength(lambda.Length, Hyperparameters.Count, nameof(lambda), "hyperparameters");
    }

    private void CheckLength(int length, int expected, string name, string what)
    {
        if (length != expected)
        {
            throw new ArgumentException(
                $"{name} has length {length}; this {Options.Model.ToString().ToLowerInvariant()} objective has {expected} {what}.", name);
        }
    }
}
