using System;
using System.Numerics;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>
/// A training objective on the full batch at fixed loss hyperparameters λ_J, with w and the products in double: the
/// solvers accumulate in double whatever T the objective computes in. It counts the gradients and Hessian-vector
/// products it was asked for.
/// </summary>
internal sealed class ObjectiveInDouble<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IObjective<T> _objective;
    private readonly T[] _w;
    private readonly T[] _v;
    private readonly T[] _result;
    private T[] _lambda = [];

    public ObjectiveInDouble(IObjective<T> objective)
    {
        _objective = objective;
        int n = objective.ParameterCount;
        (_w, _v, _result) = (new T[n], new T[n], new T[n]);
    }

    public int ParameterCount => _w.Length;

    /// <summary>λ_J, in T.</summary>
    public ReadOnlySpan<T> Lambda => _lambda;

    public long Gradients { get; private set; }

    public long HessianProducts { get; private set; }

    /// <summary>The bytes of the buffers, for <see cref="EngineCost.PeakBytes"/>.</summary>
    public long Bytes => (3L * _w.Length + _lambda.Length) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    public void SetLambda(ReadOnlySpan<double> lambda) => _lambda = EngineVectors.Convert<T>(lambda);

    public double Value(ReadOnlySpan<double> w)
    {
        Load(w, _w);
        Gradients++;
        return double.CreateChecked(_objective.Value(_w, _lambda, Batch.Full));
    }

    /// <summary>Writes ∇_w J and returns J.</summary>
    public double Gradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        Load(w, _w);
        Gradients++;
        double value = double.CreateChecked(_objective.Gradient(_w, _lambda, Batch.Full, _result));
        Store(_result, gradient);
        return value;
    }

    /// <summary>H·v at <paramref name="w"/>.</summary>
    public void HessianVector(ReadOnlySpan<double> w, ReadOnlySpan<double> v, Span<double> result)
    {
        Load(w, _w);
        Load(v, _v);
        HessianProducts++;
        _objective.HessianVector(_w, _lambda, Batch.Full, _v, _result);
        Store(_result, result);
    }

    /// <summary>Adds (∂∇_w J/∂λ_J)ᵀ·v at <paramref name="w"/> to <paramref name="lambdaBar"/>.</summary>
    public void CrossAdjoint(ReadOnlySpan<double> w, ReadOnlySpan<double> v, Span<T> lambdaBar)
    {
        Load(w, _w);
        Load(v, _v);
        _objective.CrossAdjoint(_w, _lambda, Batch.Full, _v, lambdaBar);
    }

    private static void Load(ReadOnlySpan<double> source, Span<T> destination) => EngineVectors.Convert(source, destination);

    private static void Store(ReadOnlySpan<T> source, Span<double> destination) => EngineVectors.ToDouble(source, destination);
}
