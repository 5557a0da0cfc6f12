using System;
using System.Numerics.Tensors;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// [Differentiable(Order = 2)] methods that call other Order = 2 methods and the TensorPrimitives reductions: their
/// HessianVector differentiates each call's tangent with the callee's generated (or hand-written) TangentAdjoint.
/// Every method here, helpers included, is checked like <see cref="SecondOrderCases"/> (tangent against finite
/// differences, adjoint against tangent, H·v against differences of the gradient, TangentAdjoint against the
/// HessianVector and the Adjoint).
/// </summary>
public static partial class SecondOrderCallCases
{
    // ---- A Huber loss with its helper extracted ----

    /// <summary>The Huber function of one residual: ½r² inside [−δ, δ], δ(|r| − ½δ) outside.</summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [SmoothWhere(nameof(HuberIsSmooth))]
    [At(0.3, 1.0)]
    [At(-1.7, 0.8)]
    public static double Huber(double r, [Hyper] double delta)
    {
        double a = Math.Abs(r);
        if (a <= delta)
        {
            return 0.5 * r * r;
        }

        return delta * (a - 0.5 * delta);
    }

    public static bool HuberIsSmooth(double r, double delta) => Kinks.Apart(Math.Abs(r), delta);

    /// <summary><see cref="SecondOrderCases.HuberSum"/> with its helper extracted: a call inside a loop.</summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [Lengths(5)]
    [SmoothWhere(nameof(HuberSumIsSmooth))]
    [At(0.2, -1.8, 1.6, -0.3, 0.9, 1.0)]
    [At(1.9, -1.9, 0.1, -0.1, 0.6, 0.75)]
    public static double HuberSum(ReadOnlySpan<double> r, [Hyper] double delta)
    {
        double s = 0;
        for (int i = 0; i < r.Length; i++)
        {
            s += Huber(r[i], delta);
        }

        return s;
    }

    public static bool HuberSumIsSmooth(ReadOnlySpan<double> r, double delta)
    {
        foreach (double ri in r)
        {
            if (!HuberIsSmooth(ri, delta))
            {
                return false;
            }
        }

        return true;
    }

    // ---- Nested calls: Outer calls Middle calls Inner ----

    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double Inner(double x, double y)
    {
        return x * y + 0.5 * Math.Sin(x) * y * y;
    }

    /// <summary>Calls <see cref="Inner"/> twice with different arguments, the second on the first's result.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double Middle(double x, double y)
    {
        double t = Inner(x, y);
        return Math.Tanh(t) + Inner(y, 0.5 * t) * x;
    }

    /// <summary>Three levels: Outer → Middle → Inner, Middle twice, once on its own result.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1, 1)]
    public static double Outer(double a, double b)
    {
        double u = Middle(a, b);
        return Middle(0.5 * b, 0.3 * u) + a * u;
    }

    // ---- A call in a branch, and a value discarded ----

    /// <summary>A different call on each side of a branch on the inputs.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(CallInBranchIsSmooth))]
    [At(1.0, -0.5)]
    [At(-1.0, 0.5)]
    public static double CallInBranch(double x, double y)
    {
        double s;
        if (x > y)
        {
            s = Inner(x, y) * y;
        }
        else
        {
            s = Math.Exp(0.3 * Inner(y, x));
        }

        return s + x * Huber(y, 1.0);
    }

    public static bool CallInBranchIsSmooth(double x, double y) => Kinks.Apart(x, y) && HuberIsSmooth(y, 1.0);

    /// <summary>A call whose value is discarded: it contributes nothing.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double DiscardedCall(double x, double y)
    {
        Inner(x, y);
        return Inner(y, x) * x;
    }

    // ---- Span and array helpers ----

    /// <summary>A dot product written out: the span helper of a loss.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    public static double Dot(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    /// <summary>
    /// <see cref="SecondOrderCases.LogisticLoss"/> through the <see cref="Dot"/> helper, with the features [NoDiff] data
    /// passed where the helper's parameter is active.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(label), 0, 1)]
    [Lengths(4)]
    [At(1.0, -0.5, 0.5, 0.25, 1.0, 0.5, -1.0, 0.5, 1.0, 0.5)]
    [At(-1.0, -0.5, 0.5, 0.25, 1.0, 0.5, 1.0, 0.5, 0.0, -0.5)]
    public static double LogisticLoss(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> features, [NoDiff] double label, double bias)
    {
        double z = Dot(w, features) + bias;
        double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        return softplus - label * z;
    }

    /// <summary>(x·y)² / (1 + x·x): the span helper twice, once with the same span for both arguments.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    public static double SpanHelperTwice(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double xy = Dot(x, y);
        double xx = Dot(x, x);
        return xy * xy / (1 + xx);
    }

    /// <summary>An array helper: Σ sin(aᵢ·s).</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    public static double SinSum(double[] a, double s)
    {
        double r = 0;
        for (int i = 0; i < a.Length; i++)
        {
            r += Math.Sin(a[i] * s);
        }

        return r;
    }

    /// <summary>The array helper called twice, once with a constant argument.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    public static double CallsArrayHelper(double[] a, double s)
    {
        return SinSum(a, s) * s + SinSum(a, 0.5);
    }

    // ---- TensorPrimitives reductions ----

    /// <summary>Dot, Sum and SumOfSquares, combined nonlinearly so that every second derivative counts.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(5)]
    public static double TensorReductions(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double d = TensorPrimitives.Dot(x, y);
        double s = TensorPrimitives.Sum(x);
        double q = TensorPrimitives.SumOfSquares(y);
        return d * s + Math.Log(1 + q) + Math.Sin(d);
    }

    /// <summary>
    /// Ridge regression's penalty and a data term through TensorPrimitives: Dot with [NoDiff] data and SumOfSquares
    /// of the weights scaled by the hyperparameter.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(l2), 0.01, 1)]
    [Lengths(4)]
    public static double TensorRidge(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x, [NoDiff] double y, [Hyper] double l2)
    {
        double r = TensorPrimitives.Dot(w, x) - y;
        return r * r + l2 * TensorPrimitives.SumOfSquares(w);
    }

    /// <summary>TensorPrimitives.Max (the reduction): m² + m·Σx, away from ties for the maximum.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(4)]
    [SmoothWhere(nameof(MaxIsUnique))]
    public static double TensorMax(ReadOnlySpan<double> x)
    {
        double m = TensorPrimitives.Max(x);
        return m * m + m * TensorPrimitives.Sum(x);
    }

    public static bool MaxIsUnique(ReadOnlySpan<double> x)
    {
        int k = TensorPrimitives.IndexOfMax(x);
        for (int i = 0; i < x.Length; i++)
        {
            if (i != k && !Kinks.Apart(x[i], x[k]))
            {
                return false;
            }
        }

        return true;
    }
}
