using System;

namespace AutoHypergrad.Engines.Online;

/// <summary>
/// How hypergradient descent moves the learning rate α along its hypergradient h_t = ∇f(θ_{t−1})·∂u_{t−1}/∂α
/// (Baydin et al., "Online Learning Rate Adaptation with Hypergradient Descent", ICLR 2018). The update is
/// elementwise over the rates, so one α (a global learning rate) and one per parameter take the same optimizer.
/// </summary>
public interface ILearningRateOptimizer
{
    /// <summary>The name on the command line: <c>none</c>, <c>hd</c>, <c>hd-momentum</c>, <c>hd-adam</c>.</summary>
    string Name { get; }

    /// <summary>Whether α moves at all; when it does not, training needs no tangent and no hypergradient.</summary>
    bool Adapts { get; }

    /// <summary>Starts a run of <paramref name="count"/> rates: the optimizer's own state back to zero.</summary>
    void Reset(int count);

    /// <summary>α ← update(α, h) in place, one call per training step.</summary>
    /// <exception cref="ArgumentException">The lengths differ from each other or from <see cref="Reset"/>'s count.</exception>
    void Step(Span<double> rates, ReadOnlySpan<double> hypergradients);
}

/// <summary>The learning-rate optimizers of hypergradient descent.</summary>
public static class LearningRateOptimizer
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public const string AcceptedNames = "none, hd, hd-momentum, hd-adam";

    /// <summary>α fixed: plain training, the baseline.</summary>
    public static ILearningRateOptimizer None { get; } = new FixedLearningRate();

    /// <summary>α ← α − β·h (SGD-HD, SGDN-HD, Adam-HD of the paper).</summary>
    public static ILearningRateOptimizer Plain(double beta) => new PlainHypergradientDescent(CheckBeta(beta));

    /// <summary>Nesterov momentum on α: v ← μv + h, α ← α − β(h + μv).</summary>
    public static ILearningRateOptimizer Momentum(double beta, double mu = 0.9)
    {
        if (!(mu >= 0 && mu < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(mu), mu, "The momentum must lie in [0, 1).");
        }

        return new MomentumHypergradientDescent(CheckBeta(beta), mu);
    }

    /// <summary>
    /// Adam on α: m ← β1·m + (1 − β1)·h, v ← β2·v + (1 − β2)·h², α ← α − β·m̂/(√v̂ + ε) with the bias-corrected
    /// m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
    /// </summary>
    public static ILearningRateOptimizer Adam(double beta, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(beta1 >= 0 && beta1 < 1 ? nameof(beta2) : nameof(beta1), "The decay rates must lie in [0, 1).");
        }

        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        }

        return new AdamHypergradientDescent(CheckBeta(beta), beta1, beta2, epsilon);
    }

    /// <summary>The optimizer named <paramref name="name"/> (one of <see cref="AcceptedNames"/>) with hyper-learning rate <paramref name="beta"/>.</summary>
    /// <exception cref="ArgumentException">The name is none of them.</exception>
    public static ILearningRateOptimizer Parse(string name, double beta) => name switch
    {
        "none" => None,
        "hd" => Plain(beta),
        "hd-momentum" => Momentum(beta),
        "hd-adam" => Adam(beta),
        _ => throw new ArgumentException($"'{name}' is not a learning-rate optimizer; the choices are {AcceptedNames}.", nameof(name)),
    };

    private static double CheckBeta(double beta)
        => beta > 0 && double.IsFinite(beta)
            ? beta
            : throw new ArgumentOutOfRangeException(nameof(beta), beta, "The hypergradient learning rate β must be positive and finite.");

    /// <summary>The rates' count, checked against the spans of one step.</summary>
    private abstract class Stateful : ILearningRateOptimizer
    {
        private int _count = -1;

        public abstract string Name { get; }

        public bool Adapts => true;

        public void Reset(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            _count = count;
            ResetState(count);
        }

        public void Step(Span<double> rates, ReadOnlySpan<double> hypergradients)
        {
            if (_count < 0)
            {
                throw new InvalidOperationException($"{Name}: Reset starts a run before the first Step.");
            }

            if (rates.Length != _count || hypergradients.Length != _count)
            {
                throw new ArgumentException(
                    $"{Name} was reset for {_count} rates; the step has {rates.Length} rates and {hypergradients.Length} hypergradients.", nameof(hypergradients));
            }

            Update(rates, hypergradients);
        }

        protected abstract void ResetState(int count);

        protected abstract void Update(Span<double> rates, ReadOnlySpan<double> hypergradients);
    }

    private sealed class FixedLearningRate : ILearningRateOptimizer
    {
        public string Name => "none";

        public bool Adapts => false;

        public void Reset(int count) => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        public void Step(Span<double> rates, ReadOnlySpan<double> hypergradients)
        {
        }
    }

    private sealed class PlainHypergradientDescent(double beta) : Stateful
    {
        public override string Name => "hd";

        protected override void ResetState(int count)
        {
        }

        protected override void Update(Span<double> rates, ReadOnlySpan<double> hypergradients)
        {
            for (int i = 0; i < rates.Length; i++)
            {
                rates[i] -= beta * hypergradients[i];
            }
        }
    }

    private sealed class MomentumHypergradientDescent(double beta, double mu) : Stateful
    {
        private double[] _velocity = [];

        public override string Name => "hd-momentum";

        protected override void ResetState(int count) => _velocity = new double[count];

        protected override void Update(Span<double> rates, ReadOnlySpan<double> hypergradients)
        {
            for (int i = 0; i < rates.Length; i++)
            {
                double h = hypergradients[i];
                _velocity[i] = mu * _velocity[i] + h;
                rates[i] -= beta * (h + mu * _velocity[i]);
            }
        }
    }

    private sealed class AdamHypergradientDescent(double beta, double beta1, double beta2, double epsilon) : Stateful
    {
        private double[] _m = [];
        private double[] _v = [];
        private int _t;

        public override string Name => "hd-adam";

        protected override void ResetState(int count)
        {
            _m = new double[count];
            _v = new double[count];
            _t = 0;
        }

        protected override void Update(Span<double> rates, ReadOnlySpan<double> hypergradients)
        {
            _t++;
            double correction1 = 1 - Math.Pow(beta1, _t);
            double correction2 = 1 - Math.Pow(beta2, _t);
            for (int i = 0; i < rates.Length; i++)
            {
                double h = hypergradients[i];
                _m[i] = beta1 * _m[i] + (1 - beta1) * h;
                _v[i] = beta2 * _v[i] + (1 - beta2) * h * h;
                double mHat = _m[i] / correction1;
                double vHat = _v[i] / correction2;
                rates[i] -= beta * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
    }
}
