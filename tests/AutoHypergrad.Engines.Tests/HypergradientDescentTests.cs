using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// Hypergradient descent through the generated tangent against the seed's hand-derived algorithms (Baydin et al.
/// 2018, Algorithm 1: SGD-HD, SGDN-HD, Adam-HD), each with the three learning-rate optimizers, written out here.
/// </summary>
public sealed class HypergradientDescentTests
{
    private const int Steps = 30;
    private const double Mu = 0.9;
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    /// <summary>α_0 per optimizer, and β per learning-rate optimizer: α moves by a few percent over 30 steps.</summary>
    private static readonly Dictionary<string, double> InitialRates = new() { ["Sgd"] = 0.5, ["Nesterov"] = 0.1, ["Adam"] = 0.05 };

    public static TheoryData<string, string> Variants()
    {
        var data = new TheoryData<string, string>();
        foreach (string optimizer in InitialRates.Keys)
        {
            foreach (string rule in new[] { "hd", "hd-momentum", "hd-adam" })
            {
                data.Add(optimizer, rule);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_learning_rate_and_the_weights_follow_the_seeds_algorithm(string optimizer, string rule)
    {
        var problem = new Problem(optimizer);
        double beta = Beta(optimizer, rule);
        var result = problem.Engine(LearningRateOptimizer.Parse(rule, beta)).Run();
        var (rates, hypergradients, weights) = problem.Direct(rule, beta);

        Assert.True(Math.Abs(rates[^1] / rates[0] - 1) > 0.01, $"α moved only from {rates[0]} to {rates[^1]}: the test would prove little.");
        Assert.Equal(0.0, result.Hypergradients![0]);
        for (int t = 0; t < Steps; t++)
        {
            AssertClose(rates[t], result.LearningRates[t], $"α_{t + 1}");
            AssertClose(hypergradients[t], result.Hypergradients[t], $"h_{t + 1}", Math.Abs(hypergradients.Max(Math.Abs)));
        }

        double scale = weights.Max(Math.Abs);
        for (int i = 0; i < weights.Length; i++)
        {
            AssertClose(weights[i], result.State[i], $"w_T[{i}]", scale);
        }
    }

    [Theory]
    [InlineData("Sgd")]
    [InlineData("Nesterov")]
    [InlineData("Adam")]
    public void A_fixed_learning_rate_is_plain_training_bit_for_bit(string name)
    {
        var problem = new Problem(name);
        var result = problem.Engine(LearningRateOptimizer.None).Run();

        var state = new double[result.State.Length];
        problem.W0.CopyTo(state, 0);
        var gradient = new double[problem.ParameterCount];
        var hyper = problem.Space.OptimizerValues.ToArray();
        for (int t = 1; t <= Steps; t++)
        {
            double loss = problem.Objective.Gradient(state.AsSpan(0, problem.ParameterCount), [], problem.BatchAt(t), gradient);
            Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(result.Losses[t - 1]));
            problem.Descriptor.Step<double>().Step(state, gradient, hyper, new StepOptions(t));
        }

        Assert.Null(result.Hypergradients);
        Assert.All(result.LearningRates, rate => Assert.Equal(InitialRates[name], rate));
        Assert.Equal(state.Select(BitConverter.DoubleToInt64Bits), result.State.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("hd")]
    [InlineData("hd-momentum")]
    [InlineData("hd-adam")]
    public void A_huge_beta_keeps_the_learning_rate_in_its_domain(string rule)
    {
        const double Floor = 1e-6;
        const double Ceiling = 2;
        var problem = new Problem("Sgd");
        var options = new HypergradientDescentOptions { Floor = Floor, Ceiling = Ceiling };
        var result = problem.Engine(LearningRateOptimizer.Parse(rule, 1e6), options).Run();

        Assert.All(result.LearningRates, rate => Assert.InRange(rate, Floor, Ceiling));
        Assert.Contains(Floor, result.LearningRates);
        Assert.Contains(Ceiling, result.LearningRates);
    }

    [Fact]
    public void The_positive_floor_holds_without_a_ceiling()
    {
        var problem = new Problem("Sgd");
        var result = problem.Engine(LearningRateOptimizer.Plain(1e6)).Run();

        Assert.All(result.LearningRates, rate => Assert.True(rate >= Domains.Domain.DefaultFloor, $"α = {rate} left (0, ∞)."));
        Assert.Contains(Domains.Domain.DefaultFloor, result.LearningRates);
    }

    [Theory]
    [MemberData(nameof(EngineProblems.OptimizerNames), MemberType = typeof(EngineProblems))]
    public void Every_optimizer_adapts_its_learning_rate_and_reports_the_validation_loss(string name)
    {
        var problem = new Problem(name, rate: Optimizers.Optimizers.Find(name).Hyperparameter("lr").Default);
        var result = problem.Engine(LearningRateOptimizer.Adam(1e-4), new HypergradientDescentOptions { ValidationInterval = 10 }).Run();

        Assert.NotEqual(result.LearningRates[0], result.FinalLearningRate);
        Assert.Equal([10, 20, 30], result.Validation.Select(v => v.Step));
        Assert.All(result.Validation, v => Assert.True(double.IsFinite(v.Loss)));
        Assert.All(result.Losses, loss => Assert.True(double.IsFinite(loss)));
    }

    [Fact]
    public void A_start_outside_the_bounds_is_refused()
    {
        var problem = new Problem("Sgd");
        var error = Assert.Throws<ArgumentException>(() => problem.Engine(LearningRateOptimizer.Plain(1e-3), new HypergradientDescentOptions { Ceiling = 0.1 }));
        Assert.Contains("0.5", error.Message);
    }

    private static double Beta(string optimizer, string rule) => (optimizer, rule) switch
    {
        (_, "hd-adam") => 2e-3 * InitialRates[optimizer],
        ("Adam", _) => 1e-4,
        _ => 1e-2,
    };

    [Fact]
    public void Per_parameter_learning_rates_follow_sgd_hd_entry_by_entry()
    {
        // SgdPerParameter (wd = 0) with plain HD: h_i = −g_{t,i}·g_{t−1,i}, α_i ← α_i − β·h_i, w_i ← w_i − α_i·g_{t,i}.
        const double beta = 0.05;
        var problem = new Problem("SgdPerParameter", rate: 0.5);
        var result = problem.Engine(LearningRateOptimizer.Plain(beta)).Run();

        int n = problem.ParameterCount;
        var w = (double[])problem.W0.Clone();
        var alpha = Enumerable.Repeat(0.5, n).ToArray();
        var previous = new double[n];
        var g = new double[n];
        for (int t = 1; t <= Steps; t++)
        {
            problem.Objective.Gradient(w, [], problem.BatchAt(t), g);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double h = -g[i] * previous[i];
                sum += h;
                alpha[i] -= beta * h;
            }

            AssertClose(sum, result.Hypergradients![t - 1], $"Σh_{t}", 1);
            AssertClose(alpha.Average(), result.LearningRates[t - 1], $"mean α_{t}");
            for (int i = 0; i < n; i++)
            {
                w[i] -= alpha[i] * g[i];
            }

            g.CopyTo(previous, 0);
        }

        Assert.True(alpha.Max() - alpha.Min() > 1e-3, "The rates stayed equal: the test would not tell per-parameter from global.");
        for (int i = 0; i < n; i++)
        {
            AssertClose(w[i], result.State[i], $"w_T[{i}]", 1);
        }
    }

    private static void AssertClose(double expected, double actual, string what, double scale = 0)
    {
        double tolerance = 1e-12 * Math.Max(Math.Abs(expected), scale);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: {actual:R} by the engine, {expected:R} by the seed's algorithm.");
    }

    /// <summary>Softmax regression on 24 synthetic examples in batches of 8, no weight decay (the seed's algorithms have none).</summary>
    private sealed class Problem
    {
        private readonly BatchSchedule _batches;
        private readonly ValidationError<double> _validation;

        public Problem(string optimizer, double? rate = null)
        {
            Descriptor = Optimizers.Optimizers.Find(optimizer);
            Objective = ModelObjective<double>.Create(BuiltInObjectiveChecks.SyntheticData(3, 11), new ModelOptions(ModelKind.Softmax));
            _validation = new ValidationError<double>(ModelObjective<double>.Create(BuiltInObjectiveChecks.SyntheticData(3, 12), new ModelOptions(ModelKind.Softmax)));
            var random = new Random(5);
            W0 = Enumerable.Range(0, Objective.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
            var values = Descriptor.ValuesArray();
            values[0] = rate ?? InitialRates[Descriptor.Name];
            Space = HyperparameterSpace.Create(
                Descriptor.Hyperparameters.Select(h => h.Name).ToArray(), values, Objective.Hyperparameters, [], W0, Steps, [],
                Descriptor.Hyperparameters.Select(h => h.PerElement).ToArray());
            _batches = new BatchSchedule(Objective.ExampleCount, 8, seed: 3);
        }

        public Steps.Optimizer Descriptor { get; }

        public ModelObjective<double> Objective { get; }

        public HyperparameterSpace Space { get; }

        public double[] W0 { get; }

        public int ParameterCount => Objective.ParameterCount;

        public Batch BatchAt(int t) => _batches.At(t - 1);

        public HypergradientDescent<double> Engine(ILearningRateOptimizer rule, HypergradientDescentOptions? options = null)
            => new(Objective, Descriptor.Step<double>(), Space, _batches, rule, _validation, options);

        /// <summary>
        /// The seed's algorithm, by hand: g_t, h_t = g_t·∇_α u_{t−1}, α_t by the learning-rate rule, then the step u_t
        /// and ∇_α u_t of Algorithm 1 (SGD: −g_t; SGDN: −(g_t + μv_t); Adam: −m̂_t/(√v̂_t + ε)).
        /// </summary>
        public (double[] Rates, double[] Hypergradients, double[] Weights) Direct(string rule, double beta)
        {
            int n = ParameterCount;
            var w = (double[])W0.Clone();
            var g = new double[n];
            var du = new double[n];
            var v = new double[n];
            var m = new double[n];
            double alpha = Space.OptimizerValues[0];
            double velocity = 0, hm = 0, hv = 0;
            var rates = new double[Steps];
            var hypergradients = new double[Steps];
            for (int t = 1; t <= Steps; t++)
            {
                Objective.Gradient(w, [], BatchAt(t), g);
                double h = 0;
                for (int i = 0; i < n; i++)
                {
                    h += g[i] * du[i];
                }

                switch (rule)
                {
                    case "hd":
                        alpha -= beta * h;
                        break;
                    case "hd-momentum":
                        velocity = Mu * velocity + h;
                        alpha -= beta * (h + Mu * velocity);
                        break;
                    default:
                        hm = Beta1 * hm + (1 - Beta1) * h;
                        hv = Beta2 * hv + (1 - Beta2) * h * h;
                        alpha -= beta * (hm / (1 - Math.Pow(Beta1, t))) / (Math.Sqrt(hv / (1 - Math.Pow(Beta2, t))) + Epsilon);
                        break;
                }

                alpha = Math.Max(alpha, Domains.Domain.DefaultFloor);
                rates[t - 1] = alpha;
                hypergradients[t - 1] = h;
                for (int i = 0; i < n; i++)
                {
                    switch (Descriptor.Name)
                    {
                        case "Sgd":
                            du[i] = -g[i];
                            break;
                        case "Nesterov":
                            v[i] = Mu * v[i] + g[i];
                            du[i] = -(g[i] + Mu * v[i]);
                            break;
                        default:
                            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
                            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
                            du[i] = -(m[i] / (1 - Math.Pow(Beta1, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(Beta2, t))) + Epsilon);
                            break;
                    }

                    w[i] += alpha * du[i];
                }
            }

            return (rates, hypergradients, w);
        }
    }
}
