using System;
using System.Linq;
using AutoHypergrad.Outer;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// Random search, the baseline of the hypergradient methods: its draws keep to their ranges and follow the seed alone,
/// a logarithmic range is uniform in the logarithm, and the best trial is the first of the lowest value.
/// </summary>
public sealed class RandomSearchTests
{
    private static readonly SearchRange[] Ranges = [new("dropout", 0.0, 0.8, Logarithmic: false), new("l2", 1e-6, 1e-2, Logarithmic: true)];

    [Fact]
    public void Draws_keep_to_their_ranges_and_a_logarithmic_range_is_uniform_in_the_logarithm()
    {
        const int trials = 4000;
        var result = new RandomSearch(Ranges, seed: 7).Run((drawn, _) => drawn, _ => 0, budgetSeconds: double.PositiveInfinity, maxTrials: trials);

        var dropout = result.Trials.Select(t => t.Hyperparameters["dropout"]).ToArray();
        var logL2 = result.Trials.Select(t => Math.Log10(t.Hyperparameters["l2"])).ToArray();
        Assert.Equal(trials, result.Trials.Count);
        Assert.All(dropout, d => Assert.True(d > 0 && d <= 0.8, $"dropout {d}"));
        Assert.All(logL2, l => Assert.True(l >= -6 && l <= -2, $"log10 l2 {l}"));

        // The mean of n uniform draws on an interval of width a has standard deviation a/√(12n): 5 of them is 0.0058·a here.
        double tolerance = 5 / Math.Sqrt(12.0 * trials);
        Assert.InRange(dropout.Average(), 0.4 - (0.8 * tolerance), 0.4 + (0.8 * tolerance));
        Assert.InRange(logL2.Average(), -4 - (4 * tolerance), -4 + (4 * tolerance));
    }

    [Fact]
    public void One_seed_draws_the_same_values_in_the_same_order_and_another_seed_others()
    {
        double[] Draws(int seed) => new RandomSearch(Ranges, seed).Run((drawn, _) => drawn, _ => 0, double.PositiveInfinity, maxTrials: 20)
            .Trials.SelectMany(t => new[] { t.Hyperparameters["dropout"], t.Hyperparameters["l2"] }).ToArray();

        Assert.Equal(Draws(3), Draws(3));
        Assert.NotEqual(Draws(3), Draws(4));
    }

    [Fact]
    public void The_best_trial_is_the_first_of_the_lowest_value_and_a_non_finite_value_ranks_last()
    {
        int seen = 0;
        var result = new RandomSearch(Ranges, seed: 11).Run(
            (drawn, index) => index == 0 ? double.NaN : Math.Round(Math.Pow(drawn["dropout"] - 0.3, 2) + Math.Pow(Math.Log10(drawn["l2"]) + 4, 2), 1),
            value => value,
            double.PositiveInfinity,
            maxTrials: 200,
            progress: trial => Assert.Equal(seen++, trial.Index));

        double lowest = result.Trials.Min(t => t.Value);
        Assert.Equal(200, seen);
        Assert.Equal(double.PositiveInfinity, result.Trials[0].Value);
        Assert.Equal(lowest, result.Best.Value);
        Assert.Equal(result.Trials.First(t => t.Value == lowest).Index, result.Best.Index);
        Assert.True(result.Trials.Count(t => t.Value == lowest) > 1, "the rounded values should tie, to test which one is kept");
    }

    [Fact]
    public void A_spent_budget_still_runs_one_trial()
    {
        var result = new RandomSearch(Ranges, seed: 1).Run((drawn, _) => drawn["l2"], value => value, budgetSeconds: 0);

        Assert.Single(result.Trials);
        Assert.Same(result.Trials[0], result.Best);
    }

    [Theory]
    [InlineData(0.5, 0.5, false, "not a finite interval with Low < High")]
    [InlineData(0.0, 1.0, true, "and Low > 0")]
    public void An_empty_or_non_positive_logarithmic_range_is_refused_with_its_name(double low, double high, bool logarithmic, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new RandomSearch([new SearchRange("rate", low, high, logarithmic)], seed: 1));

        Assert.Contains("'rate'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
