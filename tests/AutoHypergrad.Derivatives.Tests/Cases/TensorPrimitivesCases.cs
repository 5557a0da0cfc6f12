using System;
using System.Numerics.Tensors;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// [Differentiable] methods calling <see cref="TensorPrimitives"/>, whose derivatives are the hand-written pairs of
/// AutoHypergrad.Derivatives.TensorPrimitivesDerivatives in the runtime (found through its
/// [assembly: ProvidesDerivatives]): reductions, element-wise operations into stackalloc and array buffers, SoftMax,
/// MultiplyAdd (also in place), Max (reduction and element-wise, away from ties) and Log.
/// </summary>
public static partial class TensorPrimitivesCases
{
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        return TensorPrimitives.Dot(x, y) * 2 + TensorPrimitives.Sum(x);
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double Sum(ReadOnlySpan<double> x, double a)
    {
        double s = TensorPrimitives.Sum(x);
        return s * s * a;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static double SumOfSquares(ReadOnlySpan<double> x, double a)
    {
        return a * TensorPrimitives.SumOfSquares(x) + Math.Sqrt(1 + TensorPrimitives.SumOfSquares(x));
    }

    /// <summary>Exp into a stackalloc buffer, then Sum: the buffer's Bar carries the adjoint from Sum back to Exp.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(t), 0.5, 2)]
    [Lengths(4)]
    public static double ExpThenSum(ReadOnlySpan<double> x, double t)
    {
        Span<double> e = stackalloc double[x.Length];
        TensorPrimitives.Exp(x, e);
        return t * Math.Log(TensorPrimitives.Sum(e));
    }

    /// <summary>Exp into a local array (converted to a span at the call).</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double ExpIntoArray(ReadOnlySpan<double> x)
    {
        double[] e = new double[x.Length];
        TensorPrimitives.Exp(x, e);
        return TensorPrimitives.Dot(e, x);
    }

    /// <summary>SoftMax into a stackalloc buffer, then a weighted sum by Dot.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double SoftMaxWeighted(ReadOnlySpan<double> z, ReadOnlySpan<double> w)
    {
        Span<double> p = stackalloc double[z.Length];
        TensorPrimitives.SoftMax(z, p);
        return TensorPrimitives.Dot(p, w);
    }

    /// <summary>MultiplyAdd with three spans (x⊙y + z), then SumOfSquares.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double MultiplyAdd(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z)
    {
        Span<double> d = stackalloc double[x.Length];
        TensorPrimitives.MultiplyAdd(x, y, z, d);
        return TensorPrimitives.SumOfSquares(d);
    }

    /// <summary>An SGD step in place, w ← w − lr·g, by MultiplyAdd(g, −lr, w, w): destination and addend are the same span.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(lr), 0.01, 0.5)]
    [Lengths(4)]
    public static void SgdStepInPlace(Span<double> w, ReadOnlySpan<double> g, [Hyper] double lr)
    {
        TensorPrimitives.MultiplyAdd(g, -lr, w, w);
    }

    /// <summary>Add, Subtract and Multiply into scratch spans, then Sum.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    public static double AddSubtractMultiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Span<double> s = stackalloc double[x.Length];
        Span<double> d = stackalloc double[x.Length];
        Span<double> p = stackalloc double[x.Length];
        TensorPrimitives.Add(x, y, s);
        TensorPrimitives.Subtract(x, y, d);
        TensorPrimitives.Multiply(s, d, p);
        return TensorPrimitives.Sum(p);
    }

    /// <summary>The Max reduction: the derivative of the element taken, away from ties.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    [SmoothWhere(nameof(MaxIsSmooth))]
    [At(1.0, -1.0, 0.5, 1.5, 0.75)]
    public static double Max(ReadOnlySpan<double> x, double a)
    {
        double m = TensorPrimitives.Max(x);
        return m * m + a * m;
    }

    public static bool MaxIsSmooth(ReadOnlySpan<double> x, double a)
    {
        double largest = double.NegativeInfinity;
        foreach (double xi in x)
        {
            largest = Math.Max(largest, xi);
        }

        int near = 0;
        foreach (double xi in x)
        {
            near += Kinks.Apart(xi, largest) ? 0 : 1;
        }

        return near == 1;
    }

    /// <summary>Element-wise Max of two spans, away from ties.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Lengths(4)]
    [SmoothWhere(nameof(ElementwiseMaxIsSmooth))]
    public static double ElementwiseMax(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Span<double> m = stackalloc double[x.Length];
        TensorPrimitives.Max(x, y, m);
        return TensorPrimitives.SumOfSquares(m);
    }

    public static bool ElementwiseMaxIsSmooth(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!Kinks.Apart(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Log into a buffer, then a weighted Dot: Σ wᵢ log xᵢ, x kept away from 0.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Domain(nameof(x), 0.5, 2)]
    [Lengths(4)]
    public static double Log(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        Span<double> l = stackalloc double[x.Length];
        TensorPrimitives.Log(x, l);
        return TensorPrimitives.Dot(l, w);
    }

    /// <summary>float: the generic pairs instantiated at float, against the double twin.</summary>
    [Differentiable]
    [DoubleTwin(typeof(TensorPrimitivesCases), nameof(Dot))]
    [Domain(-2, 2)]
    [Lengths(5)]
    public static float DotFloat(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        return TensorPrimitives.Dot(x, y) * 2 + TensorPrimitives.Sum(x);
    }
}
