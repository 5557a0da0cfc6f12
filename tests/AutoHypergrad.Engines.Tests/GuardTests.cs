using System;
using System.Collections.Generic;
using AutoHypergrad.Dynamics;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>A NaN or an infinity stops every engine with the step, the quantity and the hyperparameters named.</summary>
public sealed class GuardTests
{
    [Theory]
    [InlineData("reverse")]
    [InlineData("checkpointed")]
    [InlineData("forward")]
    [InlineData("fd")]
    public void A_diverging_run_stops_with_the_step_the_quantity_and_the_hyperparameters(string engine)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Sgd", ["lr"], steps: 200);
        lambda[0] = 1e150;
        Func<HypergradientResult> run = engine switch
        {
            "reverse" => () => new ReverseHypergradient<double>(dynamics, response).Compute(lambda),
            "checkpointed" => () => new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(3)).Compute(lambda),
            "forward" => () => new ForwardHypergradient<double>(dynamics, response).Compute(lambda),
            _ => () => new FiniteDifferenceHypergradient<double>(dynamics, response).Compute(lambda),
        };

        var error = Assert.Throws<NonFiniteValueException>(() => run());
        Assert.StartsWith("Step ", error.Where);
        Assert.Contains("of 200", error.Message);
        Assert.Contains("w[", error.Message);
        Assert.Contains("lr=1E+150", error.Message);
    }

    [Fact]
    public void A_run_that_diverges_because_of_a_fixed_hyperparameter_names_it_with_the_tuned_ones()
    {
        // Momentum with μ = 50, fixed: the velocity grows about 50-fold a step and overflows within 200; lr alone is tuned.
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Momentum", ["lr"], steps: 200, optimizerValues: new Dictionary<string, double> { ["mu"] = 50 });

        var error = Assert.Throws<NonFiniteValueException>(() => new ReverseHypergradient<double>(dynamics, response).Compute(lambda));

        Assert.Contains("(hyperparameters: tuned lr=0.3; fixed mu=50, wd=0.01)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_guard_finds_the_first_non_finite_value_in_vectors_and_tails()
    {
        for (int length = 1; length < 70; length += 3)
        {
            for (int at = 0; at < length; at += 5)
            {
                var values = new double[length];
                values[at] = double.NegativeInfinity;
                Assert.Equal(at, FiniteGuard.FirstNonFinite<double>(values));
                values[at] = double.NaN;
                Assert.Equal(at, FiniteGuard.FirstNonFinite<double>(values));
            }

            Assert.Equal(-1, FiniteGuard.FirstNonFinite<double>(new double[length]));
        }
    }
}
