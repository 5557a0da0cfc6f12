using System;
using System.IO;
using AutoHypergrad.Domains;
using AutoHypergrad.Outer;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>The outer loop: hypersteps in the domains, early stopping, and resuming from its checkpoint.</summary>
public sealed class OuterLoopTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autohypergrad-outer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_run_interrupted_at_any_iteration_and_resumed_ends_with_the_same_bits()
    {
        var uninterrupted = Optimize(path: null, iterations: 8, stopAt: -1);
        for (int stopAt = 0; stopAt < 8; stopAt += 3)
        {
            string path = Path.Combine(_directory, $"stop{stopAt}.json");
            Assert.Throws<SimulatedKill>(() => Optimize(path, iterations: 8, stopAt));
            var resumed = Optimize(path, iterations: 8, stopAt: -1);

            Assert.Equal(stopAt, resumed.ResumedFrom);
            Assert.Equal(uninterrupted.Lambda, resumed.Lambda);
            Assert.Equal(uninterrupted.BestLambda, resumed.BestLambda);
            Assert.Equal(uninterrupted.History.Count, resumed.History.Count);
            for (int k = 0; k < uninterrupted.History.Count; k++)
            {
                Assert.Equal(uninterrupted.History[k].Value, resumed.History[k].Value);
            }
        }
    }

    [Fact]
    public void A_finished_run_resumes_to_its_result_without_computing_again()
    {
        string path = Path.Combine(_directory, "done.json");
        var first = Optimize(path, iterations: 4, stopAt: -1);
        var again = Optimize(path, iterations: 4, stopAt: 0);
        Assert.Equal(4, again.ResumedFrom);
        Assert.Equal(first.Lambda, again.Lambda);
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused_with_its_path()
    {
        string path = Path.Combine(_directory, "other.json");
        Optimize(path, iterations: 2, stopAt: -1, fingerprint: "run A");
        var error = Assert.Throws<InvalidDataException>(() => Optimize(path, iterations: 2, stopAt: -1, fingerprint: "run B"));
        Assert.Contains(path, error.Message);
        Assert.Contains("run A", error.Message);
    }

    [Fact]
    public void Adam_on_lr_and_mu_lowers_the_validation_error_and_stays_in_the_domains()
    {
        var result = Optimize(path: null, iterations: 15, stopAt: -1);
        Assert.True(result.BestValue < result.History[0].Value, $"f went from {result.History[0].Value} to {result.BestValue}.");
        Assert.True(result.Lambda[0] > 0);
        Assert.InRange(result.Lambda[1], 0, 0.99);
    }

    [Fact]
    public void Early_stopping_stops_after_its_patience_and_returns_the_best_lambda()
    {
        // A learning rate of the outer loop that overshoots: f gets worse after the first steps.
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Sgd", ["lr"]);
        var engine = new ReverseHypergradient<double>(dynamics, response);
        var domains = new DomainMap(1, [new DomainBlock("lr", 0, 1, Domain.Positive(PositiveMethod.Log))]);
        var updater = new HyperparameterUpdater(domains, new HyperSgd(50), lambda);
        var result = new HyperparameterOptimization(l => engine.Compute(l), updater, new OuterOptions(40, Patience: 3)).Run();

        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 40);
        Assert.Equal(result.History.Count - 4, result.BestIteration);
        Assert.Equal(result.BestValue, result.History[result.BestIteration].Value);
    }

    [Fact]
    public void A_start_outside_its_domain_is_refused_naming_the_block_and_the_entry_or_the_sum()
    {
        var domains = new DomainMap(4, [new DomainBlock("lr", 0, 1, Domain.Positive()), new DomainBlock("weights", 1, 3, Domain.CappedSimplex(2))]);
        var sum = Assert.Throws<ArgumentException>(() => domains.ToFree([0.1, 1, 1, 1]));
        Assert.Contains("'weights' (sum 3)", sum.Message);
        var entry = Assert.Throws<ArgumentException>(() => domains.ToFree([0.1, 0.5, 1.5, 0]));
        Assert.Contains("'weights'[1] = 1.5", entry.Message);
        var scalar = Assert.Throws<ArgumentException>(() => domains.ToFree([-1, 0, 0, 0]));
        Assert.Contains("'lr' = -1", scalar.Message);
    }

    private static OuterResult Optimize(string? path, int iterations, int stopAt, string fingerprint = "momentum lr mu")
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Momentum", ["lr", "mu"]);
        var engine = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(4));
        var domains = new DomainMap(2, [new DomainBlock("lr", 0, 1, Domain.Positive(PositiveMethod.Projection)), new DomainBlock("mu", 1, 1, Domain.Box(0, 0.99))]);
        var updater = new HyperparameterUpdater(domains, new HyperAdam(0.02), lambda);
        var loop = new HyperparameterOptimization(l => engine.Compute(l), updater, new OuterOptions(iterations, CheckpointPath: path, Fingerprint: fingerprint));
        return loop.Run((iteration, _) =>
        {
            if (iteration.Iteration == stopAt)
            {
                throw new SimulatedKill();
            }
        });
    }

    private sealed class SimulatedKill : Exception;
}
