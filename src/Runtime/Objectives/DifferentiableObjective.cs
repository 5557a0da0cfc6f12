using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;

namespace AutoHypergrad.Objectives;

/// <summary>A loss J(w, λ) on a batch, written as a <c>[Differentiable(Order = 2)]</c> method.</summary>
/// <param name="w">The model parameters.</param>
/// <param name="lambda">The loss hyperparameters.</param>
/// <param name="features">The batch's rows, row-major (rows × columns).</param>
/// <param name="targets">The batch's targets (regression) or class indices (classification), one per row.</param>
/// <param name="rows">The batch size.</param>
/// <param name="columns">The number of features.</param>
public delegate T DifferentiableLoss<T>(
    ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int rows, int columns);

/// <summary>The generated <c>{Name}Adjoint</c> of a <see cref="DifferentiableLoss{T}"/>: adds ∂J/∂w and ∂J/∂λ, scaled by resultBar.</summary>
public delegate void DifferentiableLossAdjoint<T>(
    ReadOnlySpan<T> w, Span<T> wBar, ReadOnlySpan<T> lambda, Span<T> lambdaBar, ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int rows, int columns, T resultBar);

/// <summary>The generated <c>{Name}HessianVector</c> of a <see cref="DifferentiableLoss{T}"/>: adds the Hessian over (w, λ) times (wV, lambdaV).</summary>
public delegate void DifferentiableLossHessianVector<T>(
    ReadOnlySpan<T> w, ReadOnlySpan<T> wV, Span<T> wHv, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaV, Span<T> lambdaHv,
    ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int rows, int columns);

/// <summary>
/// An objective from a user's <c>[Differentiable(Order = 2)]</c> loss and the two methods the generator writes
/// for it. The Hessian over (w, λ) together gives every product:
/// <code>
/// [H_ww H_wλ] [v]   [H·v + (∂∇_w J/∂λ)·λ̇ ]
/// [H_λw H_λλ] [λ̇] = [(∂∇_w J/∂λ)ᵀ·v + …]
/// </code>
/// so H·v is its w part along (v, 0), the cross tangent its w part along (0, λ̇), and the cross adjoint its λ part
/// along (v, 0) (the Hessian is symmetric). The adjoint gives ∇_w J and ∂J/∂λ.
/// </summary>
public sealed class DifferentiableObjective<T> : IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Dataset<T> _data;
    private readonly DifferentiableLoss<T> _loss;
    private readonly DifferentiableLossAdjoint<T> _adjoint;
    private readonly DifferentiableLossHessianVector<T> _hessianVector;
    private readonly T[] _wScratch;
    private readonly T[] _lambdaScratch;

    // Zero directions: the w or λ half of (v, 0) and (0, λ̇). Never written.
    private readonly T[] _zeroW;
    private readonly T[] _zeroLambda;
    private T[] _rows = [];
    private T[] _targets = [];

    /// <param name="data">The training set batches index into.</param>
    /// <param name="parameterCount">The length of w.</param>
    /// <param name="hyperparameters">The names and places of λ's blocks.</param>
    /// <param name="loss">The loss method.</param>
    /// <param name="adjoint">Its generated <c>{Name}Adjoint</c>.</param>
    /// <param name="hessianVector">Its generated <c>{Name}HessianVector</c>.</param>
    public DifferentiableObjective(
        Dataset<T> data,
        int parameterCount,
        HyperparameterLayout hyperparameters,
        DifferentiableLoss<T> loss,
        DifferentiableLossAdjoint<T> adjoint,
        DifferentiableLossHessianVector<T> hessianVector)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        _data = data;
        ParameterCount = parameterCount;
        Hyperparameters = hyperparameters ?? throw new ArgumentNullException(nameof(hyperparameters));
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _adjoint = adjoint ?? throw new ArgumentNullException(nameof(adjoint));
        _hessianVector = hessianVector ?? throw new ArgumentNullException(nameof(hessianVector));
        _wScratch = new T[parameterCount];
        _lambdaScratch = new T[hyperparameters.Count];
        _zeroW = new T[parameterCount];
        _zeroLambda = new T[hyperparameters.Count];
    }

    public int ParameterCount { get; }

    public HyperparameterLayout Hyperparameters { get; }

    public int ExampleCount => _data.Count;

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
    {
        Check(w, lambda);
        int rows = Gather(batch, out var features, out var targets);
        try
        {
            return _loss(w, lambda, features, targets, rows, _data.FeatureCount);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, features, targets, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        Check(w, lambda);
        CheckLength(gradient.Length, ParameterCount, nameof(gradient));
        int rows = Gather(batch, out var features, out var targets);
        gradient.Clear();
        _lambdaScratch.AsSpan().Clear();
        try
        {
            _adjoint(w, gradient, lambda, _lambdaScratch, features, targets, rows, _data.FeatureCount, T.One);
            return _loss(w, lambda, features, targets, rows, _data.FeatureCount);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, features, targets, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    public void HessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result)
    {
        CheckLength(v.Length, ParameterCount, nameof(v));
        HessianTimes(w, lambda, batch, v, _zeroLambda, result, _lambdaScratch);
    }

    public void CrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> lambdaDot, Span<T> result)
    {
        CheckLength(lambdaDot.Length, Hyperparameters.Count, nameof(lambdaDot));
        HessianTimes(w, lambda, batch, _zeroW, lambdaDot, result, _lambdaScratch);
    }

    public void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar)
        => HessianVectorAndCrossAdjoint(w, lambda, batch, v, _wScratch, lambdaBar);

    public void HessianVectorAndCrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
    {
        CheckLength(v.Length, ParameterCount, nameof(v));
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar));
        _lambdaScratch.AsSpan().Clear();
        HessianTimes(w, lambda, batch, v, _zeroLambda, result, _lambdaScratch);
        for (int i = 0; i < lambdaBar.Length; i++)
        {
            lambdaBar[i] += _lambdaScratch[i];
        }
    }

    public void HyperGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar));
        int rows = Gather(batch, out var features, out var targets);
        _wScratch.AsSpan().Clear();
        try
        {
            _adjoint(w, _wScratch, lambda, lambdaBar, features, targets, rows, _data.FeatureCount, T.One);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, features, targets, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    /// <summary>Writes the w part of H·(wV, λV) into <paramref name="wResult"/>, and its λ part into the cleared <paramref name="lambdaResult"/>.</summary>
    private void HessianTimes(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> wV, ReadOnlySpan<T> lambdaV, Span<T> wResult, Span<T> lambdaResult)
    {
        Check(w, lambda);
        CheckLength(wResult.Length, ParameterCount, "result");
        int rows = Gather(batch, out var features, out var targets);
        wResult.Clear();
        lambdaResult.Clear();
        try
        {
            _hessianVector(w, wV, wResult, lambda, lambdaV, lambdaResult, features, targets, rows, _data.FeatureCount);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, features, targets, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    /// <summary>
    /// The error for a loss that indexes past w or λ: it reads more parameters than <see cref="ParameterCount"/>, or
    /// more loss hyperparameters than the layout has. The loss is run again with w and λ padded with zeros, to find
    /// the shortest lengths it runs with, which name the highest index it reads of each. Null where padding does not
    /// cure it (the loss reads past its features or targets): that IndexOutOfRangeException goes on as it was.
    /// </summary>
    private InvalidOperationException? ReadsPast(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int rows, IndexOutOfRangeException error)
    {
        int d = _data.FeatureCount;
        T[] wArray = w.ToArray(), lambdaArray = lambda.ToArray(), featureArray = features.ToArray(), targetArray = targets.ToArray();
        bool Runs(int wLength, int lambdaLength)
        {
            var paddedW = new T[wLength];
            var paddedLambda = new T[lambdaLength];
            wArray.CopyTo(paddedW, 0);
            lambdaArray.CopyTo(paddedLambda, 0);
            try
            {
                _loss(paddedW, paddedLambda, featureArray, targetArray, rows, d);
                return true;
            }
            catch (IndexOutOfRangeException)
            {
                return false;
            }
        }

        // Lengths it runs with (both doubled until it does), then the shortest of each, one at a time.
        int p = ParameterCount, h = Hyperparameters.Count, longW = p, longLambda = h;
        do
        {
            longW = (2 * longW) + 16;
            longLambda = (2 * longLambda) + 16;
            if (longW > 1 << 22)
            {
                return null;
            }
        }
        while (!Runs(longW, longLambda));

        int neededW = Shortest(p, longW, length => Runs(length, longLambda));
        int neededLambda = Shortest(h, longLambda, length => Runs(neededW, length));
        var problems = new List<string>();
        if (neededW > p)
        {
            problems.Add($"w[{neededW - 1}], but the objective was created with parameterCount {p} (w[0] … w[{p - 1}]): create it with parameterCount {neededW}");
        }

        if (neededLambda > h)
        {
            var blocks = string.Join(", ", Hyperparameters.Blocks.Select(b => b.Length == 1 ? b.Name : $"{b.Name}[{b.Length}]"));
            problems.Add($"lambda[{neededLambda - 1}], but its hyperparameter layout has {h} value(s) ({(h == 0 ? "none" : blocks)}): declare the missing ones in the HyperparameterLayout");
        }

        return problems.Count == 0 ? null : new InvalidOperationException($"The loss reads {string.Join("; it also reads ", problems)}; or fix the loss's indexing.", error);
    }

    /// <summary>The shortest length in [<paramref name="given"/>, <paramref name="runs"/>] for which <paramref name="succeeds"/> holds, by bisection (it holds at <paramref name="runs"/>).</summary>
    private static int Shortest(int given, int runs, Func<int, bool> succeeds)
    {
        if (succeeds(given))
        {
            return given;
        }

        int fails = given;
        while (runs - fails > 1)
        {
            int middle = fails + ((runs - fails) / 2);
            if (succeeds(middle))
            {
                runs = middle;
            }
            else
            {
                fails = middle;
            }
        }

        return runs;
    }

    /// <summary>The batch's rows and targets (class indices as numbers for a classification set).</summary>
    private int Gather(Batch batch, out ReadOnlySpan<T> features, out ReadOnlySpan<T> targets)
    {
        int rows = batch.Count(_data.Count);
        if (rows == 0)
        {
            throw new ArgumentException($"The batch is empty; {_data.Source} has {_data.Count} examples.", nameof(batch));
        }

        batch.Validate(_data.Count);
        int d = _data.FeatureCount;
        var gathered = Workspace.Grow(ref _targets, rows);
        for (int i = 0; i < rows; i++)
        {
            int index = batch.IndexAt(i);
            gathered[i] = _data.Targets is { } values ? values[index] : T.CreateTruncating(_data.Labels![index]);
        }

        targets = gathered;
        if (batch.IsFull)
        {
            features = _data.Features;
            return rows;
        }

        var rowsOfBatch = Workspace.Grow(ref _rows, rows * d);
        for (int i = 0; i < rows; i++)
        {
            _data.Row(batch.IndexAt(i)).CopyTo(rowsOfBatch.Slice(i * d, d));
        }

        features = rowsOfBatch;
        return rows;
    }

    private void Check(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        CheckLength(w.Length, ParameterCount, nameof(w));
        CheckLength(lambda.Length, Hyperparameters.Count, nameof(lambda));
    }

    private void CheckLength(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has length {length}; expected {expected}.", name);
        }
    }
}
