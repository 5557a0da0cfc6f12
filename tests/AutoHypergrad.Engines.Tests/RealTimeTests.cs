using System.Linq;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Outer;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>Real-time HO: its hypersteps use the forward-mode hypergradient of the run so far.</summary>
public sealed class RealTimeTests
{
    [Fact]
    public void One_hyperstep_at_the_end_uses_the_forward_hypergradient()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Momentum", ["lr", "mu"], steps: 12);
        var forward = new ForwardHypergradient<double>(dynamics, response).Compute(lambda);

        var domains = new DomainMap(2, [new DomainBlock("lr", 0, 1, Domain.Positive(PositiveMethod.Projection)), new DomainBlock("mu", 1, 1, Domain.Box(0, 0.99))]);
        var updater = new HyperparameterUpdater(domains, new HyperSgd(0.01), lambda);
        var result = new RealTimeHyperparameterOptimization<double>(dynamics, response, updater, interval: 12).Run();

        var update = Assert.Single(result.Updates);
        Assert.Equal(12, update.Step);
        Assert.Equal(forward.Value, update.Value);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(forward.Gradient[i], update.Hypergradient[i], 1e-12 * forward.Gradient.Max(System.Math.Abs));
            Assert.Equal(lambda[i] - 0.01 * update.Hypergradient[i], result.Lambda[i], 1e-15);
        }
    }

    [Fact]
    public void Hypersteps_every_few_steps_lower_the_validation_error_and_respect_the_domains()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Sgd", ["lr", "wd"], steps: 60);
        double before = new FiniteDifferenceHypergradient<double>(dynamics, response).Value(lambda);
        var domains = new DomainMap(2, [new DomainBlock("lr", 0, 1, Domain.Positive(PositiveMethod.Log)), new DomainBlock("wd", 1, 1, Domain.NonNegative)]);
        var updater = new HyperparameterUpdater(domains, new HyperSgd(0.5), lambda);
        var result = new RealTimeHyperparameterOptimization<double>(dynamics, response, updater, interval: 5).Run();

        Assert.Equal(12, result.Updates.Count);
        Assert.All(result.Updates, u => Assert.True(u.Lambda[0] > 0 && u.Lambda[1] >= 0, $"λ = ({u.Lambda[0]}, {u.Lambda[1]}) left its domain."));
        double after = response.Value(result.State, result.Lambda);
        Assert.True(after < before, $"E went from {before} to {after} under real-time HO.");
    }
}
