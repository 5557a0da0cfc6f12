using System;

namespace AutoHypergrad.SelfTuning;

/// <summary>
/// The perturbation ε ~ p(ε | σ) = N(0, diag σ²) that STNs add to the hyperparameters while fitting the
/// best-response approximation (MacKay et al., "Self-Tuning Networks", ICLR 2019, §4.3), parametrized by log σ so that
/// σ stays positive. Samples are reparametrized, ε = σ ⊙ z with z ~ N(0, I), so gradients reach σ.
/// </summary>
public static class GaussianPerturbation
{
    private static readonly double HalfLogTwoPiE = 0.5 * (1 + Math.Log(2 * Math.PI));

    /// <summary>H[N(0, diag σ²)] = Σᵢ log σᵢ + (d/2)(1 + log 2π).</summary>
    public static double Entropy(ReadOnlySpan<double> logSigma)
    {
        double sum = 0;
        foreach (double l in logSigma)
        {
            sum += l;
        }

        return sum + logSigma.Length * HalfLogTwoPiE;
    }

    /// <summary>Adds α·∂H/∂(log σ) = α·1 to each component of <paramref name="gradient"/>.</summary>
    public static void AddEntropyGradient(ReadOnlySpan<double> logSigma, double alpha, Span<double> gradient)
    {
        if (gradient.Length != logSigma.Length)
        {
            throw new ArgumentException($"gradient has {gradient.Length} values; logSigma has {logSigma.Length}.", nameof(gradient));
        }

        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] += alpha;
        }
    }

    /// <summary>One standard normal draw (Box–Muller).</summary>
    public static double NextStandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
