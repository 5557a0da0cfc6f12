using System;
using System.Numerics.Tensors;
using H = AutoHypergrad.BenchmarkHarness.Steps.BenchHyper;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>
/// The primal steps as chains of TensorPrimitives calls, one pass over memory per call, with temporaries allocated
/// once in <see cref="StepBuffers"/>: what one would write without a generator or hand-written SIMD.
/// </summary>
public static class TensorPrimitivesChains
{
    /// <summary>How many double temporaries each chain needs.</summary>
    public const int Temporaries = 3;

    public static void Sgd(StepBuffers b)
    {
        Span<double> d = b.Temp[0];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.MultiplyAdd<double>(d, -H.Lr, b.W, b.W);
    }

    public static void Momentum(StepBuffers b)
    {
        Span<double> d = b.Temp[0];
        double[] v = b.State[0];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.MultiplyAdd<double>(v, H.Mu, d, v);
        TensorPrimitives.MultiplyAdd<double>(v, -H.Lr, b.W, b.W);
    }

    public static void Nesterov(StepBuffers b)
    {
        Span<double> d = b.Temp[0];
        double[] v = b.State[0];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.MultiplyAdd<double>(v, H.Mu, d, v);
        TensorPrimitives.MultiplyAdd<double>(v, H.Mu, d, d);
        TensorPrimitives.MultiplyAdd<double>(d, -H.Lr, b.W, b.W);
    }

    public static void Adam(StepBuffers b)
    {
        Span<double> d = b.Temp[0], x = b.Temp[1];
        double[] m = b.State[0], v = b.State[1];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        AdamMoments(d, m, v, x);
        AdamUpdate(m, v, x, b.W);
    }

    public static void AdamW(StepBuffers b)
    {
        Span<double> x = b.Temp[1];
        double[] m = b.State[0], v = b.State[1];
        AdamMoments(b.G, m, v, x);
        TensorPrimitives.Multiply<double>(b.W, 1.0 - H.Lr * H.Wd, b.W);
        AdamUpdate(m, v, x, b.W);
    }

    public static void RmsProp(StepBuffers b)
    {
        Span<double> d = b.Temp[0], x = b.Temp[1];
        double[] s = b.State[0];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.Multiply<double>(d, d, x);
        TensorPrimitives.Multiply<double>(s, H.Alpha, s);
        TensorPrimitives.MultiplyAdd<double>(x, 1.0 - H.Alpha, s, s);
        DivideBySqrtPlusEps(d, s, x);
        TensorPrimitives.MultiplyAdd<double>(x, -H.Lr, b.W, b.W);
    }

    public static void Adagrad(StepBuffers b)
    {
        Span<double> d = b.Temp[0], x = b.Temp[1];
        double[] s = b.State[0];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.MultiplyAdd<double>(d, d, s, s);
        DivideBySqrtPlusEps(d, s, x);
        TensorPrimitives.MultiplyAdd<double>(x, -H.Lr, b.W, b.W);
    }

    public static void Adadelta(StepBuffers b)
    {
        Span<double> d = b.Temp[0], x = b.Temp[1], y = b.Temp[2];
        double[] s = b.State[0], u = b.State[1];
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, b.G, d);
        TensorPrimitives.Multiply<double>(d, d, x);
        TensorPrimitives.Multiply<double>(s, H.Rho, s);
        TensorPrimitives.MultiplyAdd<double>(x, 1.0 - H.Rho, s, s);
        TensorPrimitives.Add<double>(u, H.Eps, x);
        TensorPrimitives.Add<double>(s, H.Eps, y);
        TensorPrimitives.Divide<double>(x, y, x);
        TensorPrimitives.Sqrt<double>(x, x);
        TensorPrimitives.Multiply<double>(x, d, x);
        TensorPrimitives.Multiply<double>(x, x, y);
        TensorPrimitives.Multiply<double>(u, H.Rho, u);
        TensorPrimitives.MultiplyAdd<double>(y, 1.0 - H.Rho, u, u);
        TensorPrimitives.MultiplyAdd<double>(x, -H.Lr, b.W, b.W);
    }

    public static void Lion(StepBuffers b)
    {
        Span<double> c = b.Temp[0], x = b.Temp[1];
        double[] m = b.State[0];
        TensorPrimitives.Multiply<double>(b.G, 1.0 - H.Beta1, x);
        TensorPrimitives.MultiplyAdd<double>(m, H.Beta1, x, c);
        TensorPrimitives.Sign<double>(c, b.IntTemp);
        TensorPrimitives.ConvertTruncating<int, double>(b.IntTemp, c);
        TensorPrimitives.MultiplyAdd<double>(b.W, H.Wd, c, c);
        TensorPrimitives.MultiplyAdd<double>(c, -H.Lr, b.W, b.W);
        TensorPrimitives.Multiply<double>(b.G, 1.0 - H.LionBeta2, x);
        TensorPrimitives.MultiplyAdd<double>(m, H.LionBeta2, x, m);
    }

    /// <summary>m ← β₁m + (1−β₁)d; v ← β₂v + (1−β₂)d².</summary>
    private static void AdamMoments(ReadOnlySpan<double> d, Span<double> m, Span<double> v, Span<double> x)
    {
        TensorPrimitives.Multiply<double>(m, H.Beta1, m);
        TensorPrimitives.MultiplyAdd<double>(d, 1.0 - H.Beta1, m, m);
        TensorPrimitives.Multiply<double>(d, d, x);
        TensorPrimitives.Multiply<double>(v, H.Beta2, v);
        TensorPrimitives.MultiplyAdd<double>(x, 1.0 - H.Beta2, v, v);
    }

    /// <summary>w ← w − lr/(1−β₁ᵗ)·m/(√(v/(1−β₂ᵗ)) + ε), ε outside the root (<see cref="BenchHyper.EpsInsideSqrt"/>).</summary>
    private static void AdamUpdate(ReadOnlySpan<double> m, ReadOnlySpan<double> v, Span<double> x, Span<double> w)
    {
        TensorPrimitives.Multiply<double>(v, 1.0 / (1.0 - Math.Pow(H.Beta2, H.T)), x);
        TensorPrimitives.Sqrt<double>(x, x);
        TensorPrimitives.Add<double>(x, H.Eps, x);
        TensorPrimitives.Divide<double>(m, x, x);
        TensorPrimitives.MultiplyAdd<double>(x, -H.Lr / (1.0 - Math.Pow(H.Beta1, H.T)), w, w);
    }

    /// <summary>x = d/(√s + ε).</summary>
    private static void DivideBySqrtPlusEps(ReadOnlySpan<double> d, ReadOnlySpan<double> s, Span<double> x)
    {
        TensorPrimitives.Sqrt<double>(s, x);
        TensorPrimitives.Add<double>(x, H.Eps, x);
        TensorPrimitives.Divide<double>(d, x, x);
    }
}
