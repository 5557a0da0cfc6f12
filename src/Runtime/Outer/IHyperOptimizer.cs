using System;

namespace AutoHypergrad.Outer;

/// <summary>
/// A first-order optimizer of the free hyperparameter variables u (see <see cref="DomainMap"/>): one step along a
/// hypergradient. Its state is a flat vector so that a checkpoint file can hold it.
/// </summary>
public interface IHyperOptimizer
{
    /// <summary>The name and settings, for reports (<c>adam(lr=0.005)</c>).</summary>
    string Describe();

    /// <summary>u ← u − step(gradient).</summary>
    void Step(Span<double> u, ReadOnlySpan<double> gradient);

    /// <summary>The optimizer's state (moments, step count), to save.</summary>
    double[] SaveState();

    /// <summary>Restores a state from <see cref="SaveState"/>.</summary>
    /// <exception cref="ArgumentException">The state has the wrong length.</exception>
    void LoadState(ReadOnlySpan<double> state);
}

/// <summary>Gradient descent on u: u ← u − lr·g.</summary>
/// <param name="LearningRate">lr &gt; 0.</param>
public sealed record HyperSgd(double LearningRate) : IHyperOptimizer
{
    public string Describe() => FormattableString.Invariant($"sgd(lr={LearningRate:G6})");

    public void Step(Span<double> u, ReadOnlySpan<double> gradient)
    {
        for (int i = 0; i < u.Length; i++)
        {
            u[i] -= LearningRate * gradient[i];
        }
    }

    public double[] SaveState() => [];

    public void LoadState(ReadOnlySpan<double> state)
    {
        if (!state.IsEmpty)
        {
            throw new ArgumentException($"SGD keeps no state; the checkpoint holds {state.Length} values.", nameof(state));
        }
    }
}

/// <summary>
/// Adam on u (Kingma &amp; Ba 2015), with bias correction: u ← u − lr·m̂/(√v̂ + ε), m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ).
/// With <see cref="EpsilonInsideSquareRoot"/>, the form of RFHO's Adam (the optimizer of λ in the authors' scripts for
/// Franceschi et al., 2017): u ← u − lr·√(1 − β2ᵗ)/(1 − β1ᵗ)·m/√(v + ε), ε inside the root and on the uncorrected v.
/// There ε = 10⁻⁸ is a floor of about 10⁻⁴ under √v (3·10⁻³ at the first step), which damps the steps of small
/// gradient entries; outside, ε = 10⁻⁸ damps almost nothing.
/// </summary>
public sealed class HyperAdam : IHyperOptimizer
{
    private double[] _m = [];
    private double[] _v = [];
    private int _t;

    /// <summary>Adam with learning rate <paramref name="learningRate"/> and the usual β1, β2, ε; ε inside the root where <paramref name="epsilonInsideSquareRoot"/>.</summary>
    public HyperAdam(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool epsilonInsideSquareRoot = false)
    {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(learningRate), FormattableString.Invariant($"Adam needs lr > 0, 0 ≤ β1, β2 < 1 and ε > 0; got lr={learningRate}, β1={beta1}, β2={beta2}, ε={epsilon}."));
        }

        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        EpsilonInsideSquareRoot = epsilonInsideSquareRoot;
    }

    public double LearningRate { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    /// <summary>Whether ε is added under the square root, to the uncorrected v (RFHO's and TensorFlow 1's form), rather than to √v̂.</summary>
    public bool EpsilonInsideSquareRoot { get; }

    public string Describe()
        => FormattableString.Invariant($"adam(lr={LearningRate:G6}, beta1={Beta1}, beta2={Beta2}, eps={Epsilon:G3}{(EpsilonInsideSquareRoot ? " inside the square root" : string.Empty)})");

    public void Step(Span<double> u, ReadOnlySpan<double> gradient)
    {
        if (_m.Length != u.Length)
        {
            _m = new double[u.Length];
            _v = new double[u.Length];
            _t = 0;
        }

        _t++;
        double correction1 = 1 - Math.Pow(Beta1, _t);
        double correction2 = 1 - Math.Pow(Beta2, _t);
        double rate = LearningRate * Math.Sqrt(correction2) / correction1;
        for (int i = 0; i < u.Length; i++)
        {
            _m[i] = Beta1 * _m[i] + (1 - Beta1) * gradient[i];
            _v[i] = Beta2 * _v[i] + (1 - Beta2) * gradient[i] * gradient[i];
            u[i] -= EpsilonInsideSquareRoot
                ? rate * _m[i] / Math.Sqrt(_v[i] + Epsilon)
                : LearningRate * (_m[i] / correction1) / (Math.Sqrt(_v[i] / correction2) + Epsilon);
        }
    }

    /// <summary>[t, m…, v…].</summary>
    public double[] SaveState() => [_t, .. _m, .. _v];

    public void LoadState(ReadOnlySpan<double> state)
    {
        if (state.Length % 2 != 1)
        {
            throw new ArgumentException($"An Adam state is [t, m…, v…] (odd length); the checkpoint holds {state.Length} values.", nameof(state));
        }

        int n = state.Length / 2;
        _t = (int)state[0];
        _m = state.Slice(1, n).ToArray();
        _v = state.Slice(1 + n, n).ToArray();
    }
}
