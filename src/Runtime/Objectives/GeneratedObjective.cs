using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;

namespace AutoHypergrad.Objectives;

/// <summary>One loss hyperparameter of an <c>[Objective]</c> loss: a block of λ and its value in a run.</summary>
/// <param name="Name">The loss parameter's name.</param>
/// <param name="Length">1 for a scalar; a span's length.</param>
/// <param name="Value">Its value (every entry of a block starts there) and whether it is tuned.</param>
/// <param name="Domain">Where it may lie, from its <c>[Hyper(Domain = …)]</c>.</param>
/// <param name="IsSpan">Whether the loss takes it as a span (of <paramref name="Length"/> values) rather than a scalar.</param>
public sealed record ObjectiveHyperparameter(string Name, int Length, HyperparameterValue Value, HyperparameterDomain Domain, bool IsSpan = false);

/// <summary>
/// The rows of one batch, for an objective over a <see cref="Dataset{T}"/>: the features (row-major, rows × columns)
/// and the targets (class indices as numbers for a classification set); empty for an objective over its own data.
/// </summary>
public readonly ref struct BatchRows<T>
{
    public BatchRows(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int count, int columns)
    {
        Features = features;
        Targets = targets;
        Count = count;
        Columns = columns;
    }

    public ReadOnlySpan<T> Features { get; }

    public ReadOnlySpan<T> Targets { get; }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>The number of features.</summary>
    public int Columns { get; }
}

/// <summary>
/// The objective the generator writes for an <c>[Objective]</c> loss (a <c>[Differentiable(Order = 2)]</c> method): its
/// <c>{Method}Objective</c> class derives from this one and supplies the loss, its generated adjoint and its generated
/// Hessian-vector product over (w, λ) on its data. The Hessian over (w, λ) together gives every product:
/// <code>
/// [H_ww H_wλ] [v]   [H·v + (∂∇_w J/∂λ)·λ̇ ]
/// [H_λw H_λλ] [λ̇] = [(∂∇_w J/∂λ)ᵀ·v + …]
/// </code>
/// so H·v is its w part along (v, 0), the cross tangent its w part along (0, λ̇), and the cross adjoint its λ part
/// along (v, 0) (the Hessian is symmetric). The adjoint gives ∇_w J and ∂J/∂λ. An objective over a
/// <see cref="Dataset{T}"/> evaluates any batch of it; one over its own data (any [NoDiff] parameters) takes full
/// batches only.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public abstract class GeneratedObjective<T> : IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Dataset<T>? _data;
    private readonly T[] _wScratch;
    private readonly T[] _lambdaScratch;

    // Zero directions: the w or λ half of (v, 0) and (0, λ̇). Never written.
    private readonly T[] _zeroW;
    private readonly T[] _zeroLambda;
    private T[] _rows = [];
    private T[] _targets = [];

    // Where each hyperparameter lies in λ; replaced, while a read past a span hyperparameter is measured, by a longer λ's.
    private int[] _offsets;
    private int[] _lengths;

    /// <param name="name">The loss, as "Type.Method", for messages.</param>
    /// <param name="parameterCount">The length of w.</param>
    /// <param name="hyperparameters">The loss hyperparameters, in the order of λ.</param>
    /// <param name="data">The data set batches index into; null for an objective over its own data (full batches only).</param>
    /// <exception cref="ArgumentException">A hyperparameter is tuned per step, or its value lies outside its domain.</exception>
    protected GeneratedObjective(string name, int parameterCount, IReadOnlyList<ObjectiveHyperparameter> hyperparameters, Dataset<T>? data)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        Name = name;
        _data = data;
        ParameterCount = parameterCount;
        var layout = new HyperparameterLayout.Builder();
        foreach (var h in hyperparameters)
        {
            if (h.Value.PerStep)
            {
                throw new ArgumentException($"{name}: '{h.Name}' is a loss hyperparameter; only an optimizer's can be tuned per step.", h.Name);
            }

            h.Domain.CheckContains(h.Value.Value, name, h.Name);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h.Length, h.Name + "Length");
            layout.Add(h.Name, h.Length, h.Value.Value, $"{h.Name} of {name}", h.Domain);
        }

        Hyperparameters = layout.Build();
        Declared = hyperparameters;
        _offsets = Hyperparameters.Blocks.Select(b => b.Offset).ToArray();
        _lengths = Hyperparameters.Blocks.Select(b => b.Length).ToArray();
        _wScratch = new T[parameterCount];
        _lambdaScratch = new T[Hyperparameters.Count];
        _zeroW = new T[parameterCount];
        _zeroLambda = new T[Hyperparameters.Count];
    }

    /// <summary>The loss, as "Type.Method".</summary>
    public string Name { get; }

    /// <summary>The loss hyperparameters with their values, tuned or not, and their domains.</summary>
    public IReadOnlyList<ObjectiveHyperparameter> Declared { get; }

    public int ParameterCount { get; }

    public HyperparameterLayout Hyperparameters { get; }

    /// <summary>The data set's size; 1 for an objective over its own data, which is one full batch.</summary>
    public int ExampleCount => _data?.Count ?? 1;

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
    {
        Check(w, lambda);
        var rows = Gather(batch);
        try
        {
            return Loss(w, lambda, rows);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        Check(w, lambda);
        CheckLength(gradient.Length, ParameterCount, nameof(gradient));
        var rows = Gather(batch);
        gradient.Clear();
        _lambdaScratch.AsSpan().Clear();
        try
        {
            Adjoint(w, gradient, lambda, _lambdaScratch, rows);
            return Loss(w, lambda, rows);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, rows, error) is { } readsPast)
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

    public void LambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
    {
        Check(w, lambda);
        CheckLength(lambdaBar.Length, Hyperparameters.Count, nameof(lambdaBar));
        var rows = Gather(batch);
        _wScratch.AsSpan().Clear();
        try
        {
            Adjoint(w, _wScratch, lambda, lambdaBar, rows);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    /// <summary>Writes the w part of H·(wV, λV) into <paramref name="wResult"/>, and its λ part into the cleared <paramref name="lambdaResult"/>.</summary>
    private void HessianTimes(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> wV, ReadOnlySpan<T> lambdaV, Span<T> wResult, Span<T> lambdaResult)
    {
        Check(w, lambda);
        CheckLength(wResult.Length, ParameterCount, "result");
        var rows = Gather(batch);
        wResult.Clear();
        lambdaResult.Clear();
        try
        {
            HessianVector(w, wV, wResult, lambda, lambdaV, lambdaResult, rows);
        }
        catch (IndexOutOfRangeException error) when (ReadsPast(w, lambda, rows, error) is { } readsPast)
        {
            throw readsPast;
        }
    }

    /// <summary>
    /// The error for a loss that indexes past w or one of its span hyperparameters: it reads more parameters than
    /// <see cref="ParameterCount"/>, or more of a span than its length. The loss is run again with w and every span
    /// hyperparameter padded with zeros, to find the shortest lengths it runs with, which name the highest index it reads
    /// of each. Null where padding does not cure it (the loss reads past its data): that IndexOutOfRangeException goes
    /// on as it was.
    /// </summary>
    private InvalidOperationException? ReadsPast(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, BatchRows<T> rows, IndexOutOfRangeException error)
    {
        int count = rows.Count, columns = rows.Columns;
        T[] wArray = w.ToArray(), lambdaArray = lambda.ToArray(), featureArray = rows.Features.ToArray(), targetArray = rows.Targets.ToArray();
        var spans = Enumerable.Range(0, Declared.Count).Where(i => Declared[i].IsSpan).ToArray();
        bool Runs(int wLength, int extra)
        {
            var paddedW = new T[wLength];
            wArray.CopyTo(paddedW, 0);
            var (offsets, lengths) = (_offsets, _lengths);
            var paddedLambda = new List<T>();
            _offsets = new int[offsets.Length];
            _lengths = new int[lengths.Length];
            for (int i = 0; i < offsets.Length; i++)
            {
                _offsets[i] = paddedLambda.Count;
                _lengths[i] = lengths[i] + (Declared[i].IsSpan ? extra : 0);
                paddedLambda.AddRange(lambdaArray.AsSpan(offsets[i], lengths[i]).ToArray());
                paddedLambda.AddRange(new T[_lengths[i] - lengths[i]]);
            }

            try
            {
                Loss(paddedW, paddedLambda.ToArray(), new BatchRows<T>(featureArray, targetArray, count, columns));
                return true;
            }
            catch (IndexOutOfRangeException)
            {
                return false;
            }
            finally
            {
                (_offsets, _lengths) = (offsets, lengths);
            }
        }

        // Lengths it runs with (both doubled until it does), then the shortest of each, one at a time.
        int p = ParameterCount, longW = p, longExtra = 0;
        do
        {
            longW = (2 * longW) + 16;
            longExtra = spans.Length == 0 ? 0 : (2 * longExtra) + 16;
            if (longW > 1 << 22)
            {
                return null;
            }
        }
        while (!Runs(longW, longExtra));

        int neededW = Shortest(p, longW, length => Runs(length, longExtra));
        int extra = Shortest(0, longExtra, e => Runs(neededW, e));
        var problems = new List<string>();
        if (neededW > p)
        {
            problems.Add($"w[{neededW - 1}], but the objective was created with parameterCount {p} (w[0] … w[{p - 1}]): create it with parameterCount {neededW}");
        }

        if (extra > 0)
        {
            problems.Add(spans.Length == 1
                ? $"{Declared[spans[0]].Name}[{Declared[spans[0]].Length + extra - 1}], but it has {Declared[spans[0]].Length} value(s): create it with {Declared[spans[0]].Name}Length {Declared[spans[0]].Length + extra}"
                : $"{extra} value(s) past the end of one of its span hyperparameters ({string.Join(", ", spans.Select(i => $"{Declared[i].Name}[{Declared[i].Length}]"))}): create them longer");
        }

        return problems.Count == 0 ? null : new InvalidOperationException($"{Name} reads {string.Join("; it also reads ", problems)}; or fix the loss's indexing.", error);
    }

    /// <summary>Where hyperparameter <paramref name="block"/> starts in λ (the generated code unpacks λ with it).</summary>
    protected int OffsetOf(int block) => _offsets[block];

    /// <summary>The length of hyperparameter <paramref name="block"/>: 1 for a scalar.</summary>
    protected int LengthOf(int block) => _lengths[block];

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

    /// <summary>J(w, λ) on <paramref name="rows"/> (or, without a data set, on the objective's own data): the loss.</summary>
    protected abstract T Loss(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, BatchRows<T> rows);

    /// <summary>Adds ∂J/∂w to <paramref name="wBar"/> and ∂J/∂λ to <paramref name="lambdaBar"/>: the loss's generated adjoint.</summary>
    protected abstract void Adjoint(ReadOnlySpan<T> w, Span<T> wBar, ReadOnlySpan<T> lambda, Span<T> lambdaBar, BatchRows<T> rows);

    /// <summary>Adds the Hessian over (w, λ) times (wV, λV) to (wHv, λHv): the loss's generated Hessian-vector product.</summary>
    protected abstract void HessianVector(
        ReadOnlySpan<T> w, ReadOnlySpan<T> wV, Span<T> wHv, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaV, Span<T> lambdaHv, BatchRows<T> rows);

    /// <summary>The batch's rows and targets (class indices as numbers for a classification set); nothing without a data set, which takes full batches only.</summary>
    private BatchRows<T> Gather(Batch batch)
    {
        if (_data is null)
        {
            if (!batch.IsFull)
            {
                throw new ArgumentException(
                    $"{Name} evaluates its whole data (its loss's [NoDiff] parameters), not a batch of it; for mini-batches give the loss the data parameters (features, targets, rows, columns) and construct its objective from a Dataset.",
                    nameof(batch));
            }

            return default;
        }

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

        if (batch.IsFull)
        {
            return new BatchRows<T>(_data.Features, gathered, rows, d);
        }

        var rowsOfBatch = Workspace.Grow(ref _rows, rows * d);
        for (int i = 0; i < rows; i++)
        {
            _data.Row(batch.IndexAt(i)).CopyTo(rowsOfBatch.Slice(i * d, d));
        }

        return new BatchRows<T>(rowsOfBatch, gathered, rows, d);
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
