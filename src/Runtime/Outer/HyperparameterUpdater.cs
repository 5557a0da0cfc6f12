using System;

namespace AutoHypergrad.Outer;

/// <summary>
/// One hyperstep on λ, in its domains: the hypergradient ∂f/∂λ is carried to the free variables u, the optimizer
/// steps u, u is projected, and λ = r(u). The outer loop and real-time HO both update λ through it.
/// </summary>
public sealed class HyperparameterUpdater
{
    private readonly double[] _freeGradient;

    /// <summary>An updater starting from <paramref name="lambda"/> (which must lie in its domains).</summary>
    public HyperparameterUpdater(DomainMap domains, IHyperOptimizer optimizer, ReadOnlySpan<double> lambda)
    {
        Domains = domains ?? throw new ArgumentNullException(nameof(domains));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        if (lambda.Length != domains.Count)
        {
            throw new ArgumentException($"λ has {lambda.Length} values; the domains cover {domains.Count}.", nameof(lambda));
        }

        Free = domains.ToFree(lambda);
        Lambda = lambda.ToArray();
        _freeGradient = new double[domains.Count];
    }

    /// <summary>The domains.</summary>
    public DomainMap Domains { get; }

    /// <summary>The optimizer of u.</summary>
    public IHyperOptimizer Optimizer { get; }

    /// <summary>The free variables u.</summary>
    public double[] Free { get; }

    /// <summary>λ = r(u), in its domains.</summary>
    public double[] Lambda { get; }

    /// <summary>One step along <paramref name="hypergradient"/> = ∂f/∂λ at <see cref="Lambda"/>.</summary>
    public void Step(ReadOnlySpan<double> hypergradient)
    {
        Domains.ChainGradient(Free, hypergradient, _freeGradient);
        Optimizer.Step(Free, _freeGradient);
        Domains.Project(Free);
        Domains.FromFree(Free, Lambda);
    }

    /// <summary>Restores u and the optimizer's state (from a checkpoint).</summary>
    public void Restore(ReadOnlySpan<double> free, ReadOnlySpan<double> optimizerState)
    {
        if (free.Length != Free.Length)
        {
            throw new ArgumentException($"The checkpoint's u has {free.Length} values; this run's λ has {Free.Length}.", nameof(free));
        }

        free.CopyTo(Free);
        Optimizer.LoadState(optimizerState);
        Domains.FromFree(Free, Lambda);
    }
}
