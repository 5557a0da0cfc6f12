using System;
using System.Linq;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Outer;
using AutoHypergrad.Objectives.Checking;
using Xunit;
using static AutoHypergrad.HyperparameterValue;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// The typed entry point: a user's [OptimizerStep] (through its generated factory) and [Objective] loss (through its
/// generated class) to every engine and the outer loop. The engines agree as in <see cref="EngineAgreementTests"/>:
/// reverse, truncated through every step, checkpointed and forward compute the same sums in other orders (1e-11 of the
/// largest entry over 12 steps); extrapolated central differences are exact to O(h⁴) plus rounding (1e-6).
/// </summary>
public sealed class BilevelProblemTests
{
    private const int Steps = 12;

    private static BilevelProblem<double> Problem(HyperparameterValue lr, HyperparameterValue mu, HyperparameterValue l2, BilevelOptions? options = null)
    {
        var train = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 5);
        var validation = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 6);
        return new BilevelProblem<double>(
            new UserLosses.SmoothHuberObjective(train, parameterCount: 6, l2: l2),
            UserSteps.HeavyBallOptimizer(lr: lr, mu: mu),
            new UserLosses.SmoothHuberObjective(validation, parameterCount: 6, l2: 0),
            Steps,
            options ?? new BilevelOptions { InitialWeights = [0.1, -0.1, 0.2, 0, 0.05, -0.2] });
    }

    [Fact]
    public void Every_engine_agrees_on_the_tuned_hyperparameters_of_a_users_step_and_loss()
    {
        var problem = Problem(Tune(0.3), TunePerStep(0.5), Tune(0.01), new BilevelOptions { TuneInitialWeights = true, BatchSize = 8, Seed = 3 });
        var reverse = problem.Hypergradient(Engine.Reverse);

        Assert.Equal(1 + Steps + 1 + 6, reverse.Gradient.Length);
        Assert.Equal("lr", reverse.Names[0]);
        Assert.Equal("l2", reverse.Names[1 + Steps]);
        Agreement.Close(reverse, problem.Hypergradient(Engine.Truncated(Steps)), 1e-11, "truncated through every step vs reverse");
        Agreement.Close(reverse, problem.Hypergradient(Engine.Checkpointed(slots: 3)), 1e-11, "checkpointed vs reverse");
        Agreement.Close(reverse, problem.Hypergradient(Engine.Forward), 1e-11, "forward vs reverse");
        Agreement.Close(problem.Hypergradient(Engine.FiniteDifferences), reverse, 1e-6, "reverse vs finite differences");
    }

    [Fact]
    public void A_built_in_model_and_a_library_optimizer_tune_their_loss_blocks_by_name_in_their_declared_domains()
    {
        var training = SoftmaxModel(Objectives.Models.LossHyperparameters.ExampleWeights | Objectives.Models.LossHyperparameters.L2, seed: 11);
        var validation = SoftmaxModel(Objectives.Models.LossHyperparameters.None, seed: 12);
        var random = new Random(5);
        var problem = new BilevelProblem<double>(
            training,
            Optimizers.Momentum.StepOptimizer(lr: Tune(0.3)),
            validation,
            Steps,
            new BilevelOptions { Tune = ["weights", "l2"], BatchSize = 8, InitialWeights = Enumerable.Range(0, training.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray() });
        var reverse = problem.Hypergradient(Engine.Reverse);

        Assert.Equal(["lr", "weights", "l2"], problem.Space.Tuned.Select(b => b.Name));
        Assert.Equal(["positive", "nonnegative", "nonnegative"], problem.Domains.Blocks.Select(b => b.Domain.ToString()));
        Agreement.Close(reverse, problem.Hypergradient(Engine.Forward), 1e-11, "forward vs reverse");
        Agreement.Close(problem.Hypergradient(Engine.FiniteDifferences), reverse, 1e-6, "reverse vs finite differences");
        var unknown = Assert.Throws<ArgumentException>(() => new BilevelProblem<double>(training, Optimizers.Momentum.StepOptimizer(), validation, Steps, new BilevelOptions { Tune = ["l3"] }));
        Assert.StartsWith("Unknown hyperparameter 'l3'; this run has lr, mu, wd, weights, l2, w0.", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_read_at_run_time_set_values_and_tune_in_their_order()
    {
        var training = SoftmaxModel(Objectives.Models.LossHyperparameters.ExampleWeights | Objectives.Models.LossHyperparameters.L2, seed: 11);
        var validation = SoftmaxModel(Objectives.Models.LossHyperparameters.None, seed: 12);
        var optimizer = Optimizers.Momentum.StepOptimizer().With(new System.Collections.Generic.Dictionary<string, double> { ["lr"] = 0.2, ["mu"] = 0.5 });
        var problem = new BilevelProblem<double>(
            training, optimizer, validation, Steps, new BilevelOptions { Tune = ["l2", "lr:per-step"], LossValues = new System.Collections.Generic.Dictionary<string, double> { ["l2"] = 0.03 } });

        Assert.Equal(["l2", "lr"], problem.Space.Tuned.Select(b => b.Name));
        Assert.Equal(1 + Steps, problem.Space.Count);
        Assert.Equal([0.03, .. Enumerable.Repeat(0.2, Steps)], problem.InitialHyperparameters);
        Assert.Equal(0.5, problem.Space.OptimizerValues[1]);
        Agreement.Close(problem.Hypergradient(Engine.FiniteDifferences), problem.Hypergradient(Engine.Reverse), 1e-6, "reverse vs finite differences");

        var misspelled = Assert.Throws<ArgumentException>(() => optimizer.With(new System.Collections.Generic.Dictionary<string, double> { ["momentum"] = 0.9 }));
        Assert.StartsWith("Momentum has no hyperparameter or option 'momentum'; it has lr, mu, wd", misspelled.Message, StringComparison.Ordinal);
        var block = Assert.Throws<ArgumentException>(() => new BilevelProblem<double>(
            training, optimizer, validation, Steps, new BilevelOptions { Tune = ["l2"], LossValues = new System.Collections.Generic.Dictionary<string, double> { ["l1"] = 1 } }));
        Assert.StartsWith("LossValues names 'l1', which is not a loss hyperparameter of the training objective; it has weights, l2.", block.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_at_the_training_optimum_has_the_implicit_engine_and_HOAG_and_no_run()
    {
        var training = SoftmaxModel(Objectives.Models.LossHyperparameters.L2, seed: 11);
        var validation = SoftmaxModel(Objectives.Models.LossHyperparameters.None, seed: 12);
        var options = new BilevelOptions { Tune = ["l2"], LossValues = new System.Collections.Generic.Dictionary<string, double> { ["l2"] = 0.1 } };
        var problem = BilevelProblem<double>.AtOptimum(training, validation, options);
        var implicitOptions = new Implicit.ImplicitOptions(Tolerance: 1e-10);

        var byHand = new Implicit.ImplicitHypergradient<double>(training, problem.Space, new Dynamics.ValidationError<double>(validation), implicitOptions).Compute(problem.InitialHyperparameters);
        var implicitResult = problem.Hypergradient(Engine.ImplicitAtOptimum(implicitOptions));
        var hoag = problem.Hoag(new Implicit.HoagOptions(Iterations: 8), implicitOptions);

        Assert.Null(problem.Optimizer);
        Assert.Null(problem.Dynamics);
        Assert.Equal(byHand.Hypergradient.Value, implicitResult.Value);
        Assert.Equal(byHand.Hypergradient.Gradient, implicitResult.Gradient);
        Assert.Equal(8, hoag.History.Count);
        Assert.True(hoag.BestValue < hoag.History[0].Value, $"HOAG: f from {hoag.History[0].Value} to {hoag.BestValue}");
        Assert.True(hoag.Lambda[0] >= 0, $"l2 = {hoag.Lambda[0]}");
        var reverse = Assert.Throws<InvalidOperationException>(() => problem.Hypergradient(Engine.Reverse));
        Assert.StartsWith("Engine.Reverse differentiates a training run, and this problem is at the training optimum (no optimizer)", reverse.Message, StringComparison.Ordinal);
        var w0 = Assert.Throws<ArgumentException>(() => BilevelProblem<double>.AtOptimum(training, validation, options with { TuneInitialWeights = true }));
        Assert.StartsWith("A problem at the training optimum has no run", w0.Message, StringComparison.Ordinal);
    }

    private static Objectives.Models.ModelObjective<double> SoftmaxModel(Objectives.Models.LossHyperparameters hyperparameters, int seed)
        => Objectives.Models.ModelObjective<double>.Create(
            BuiltInObjectiveChecks.SyntheticData(3, seed),
            new Objectives.Models.ModelOptions(Objectives.Models.ModelKind.Softmax) { Hyperparameters = hyperparameters });

    [Fact]
    public void Fixed_values_are_fixed_and_the_defaults_of_Hyper_fill_what_is_left_out()
    {
        var optimizer = UserSteps.HeavyBallOptimizer(lr: Tune(0.3));
        var problem = Problem(Tune(0.3), 0.8, 0.01);

        Assert.Equal([0.3, 0.9], optimizer.ValuesArray());
        Assert.Equal(HyperparameterDomain.UnitInterval, optimizer.Hyperparameter("mu").Domain);
        Assert.Equal(["lr"], problem.Space.Tuned.Select(b => b.Name));
        Assert.Equal([0.3, 0.8], problem.Space.OptimizerValues);
        Assert.Equal([0.01], problem.Space.LossValues);
        Assert.Equal("tuned lr=0.3; fixed mu=0.8, l2=0.01", problem.Space.Describe(problem.InitialHyperparameters));
    }

    [Fact]
    public void Nothing_tuned_is_a_training_run_and_one_clear_error_when_differentiated()
    {
        var problem = Problem(0.3, 0.9, 0.01);
        var error = Assert.Throws<InvalidOperationException>(() => problem.Hypergradient(Engine.Reverse));

        Assert.Equal(6, problem.Train([]).Length);
        Assert.Throws<InvalidOperationException>(() => problem.Optimize(Engine.Forward, new HyperAdam(0.1), new OuterOptions(Iterations: 1)));
        Assert.StartsWith("Nothing is tuned: give a hyperparameter of UserSteps or of the training objective as HyperparameterValue.Tune(start)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_training_run_trains_at_the_given_lambda_and_refuses_to_be_differentiated_in_one_clear_error()
    {
        var tuned = Problem(Tune(0.3), 0.5, 0.01);
        var run = BilevelProblem<double>.TrainingRun(tuned.Training, UserSteps.HeavyBallOptimizer(lr: Tune(0.3), mu: 0.5), Steps, tuned.Options);

        // The same w_T as the problem with a response, at another λ than the start.
        Assert.Null(run.Response);
        Assert.Equal(tuned.Train([0.2]), run.Train([0.2]));
        foreach (var attempt in new Action[]
                 {
                     () => run.Hypergradient(Engine.Reverse),
                     () => run.Optimize(Engine.Forward, new HyperAdam(0.1), new OuterOptions(Iterations: 1)),
                     () => run.RealTime(new HyperAdam(0.1), 2),
                 })
        {
            var error = Assert.Throws<InvalidOperationException>(attempt);
            Assert.Contains("this problem is a training run without one (BilevelProblem.TrainingRun)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Training_that_diverges_is_one_error_naming_the_entry_and_every_hyperparameter()
    {
        var problem = Problem(Tune(0.3), 0.5, 0.01);

        var error = Assert.Throws<NonFiniteValueException>(() => problem.Train([1e300]));

        Assert.StartsWith($"The run of {Steps} steps: the state w[", error.Message, StringComparison.Ordinal);
        Assert.Contains("lr=1E+300", error.Message, StringComparison.Ordinal);
        Assert.Contains("mu=0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_outside_its_declared_domain_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => UserSteps.HeavyBallOptimizer(lr: Tune(-0.1)));

        Assert.StartsWith("UserSteps: lr = -0.1 is outside its domain (Positive).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_outer_loop_lowers_the_validation_error_and_keeps_each_hyperparameter_in_its_domain()
    {
        var problem = Problem(Tune(0.3), Tune(0.5), Tune(0.01));
        int reported = 0;

        var result = problem.Optimize(Engine.Reverse, new HyperAdam(learningRate: 0.05), new OuterOptions(Iterations: 15), (_, _) => reported++);

        Assert.Equal(15, reported);
        Assert.True(result.BestValue < 0.9 * result.History[0].Value, $"f went from {result.History[0].Value} to {result.BestValue}");
        Assert.True(result.Lambda[0] > 0 && result.Lambda[1] is >= 0 and < 1 && result.Lambda[2] >= 0, string.Join(", ", result.Lambda));
    }

    [Fact]
    public void Real_time_optimization_and_hypergradient_descent_run_from_the_same_problem()
    {
        var problem = Problem(Tune(0.3), 0.5, 0.01);

        var realTime = problem.RealTime(new HyperSgd(0.01), interval: 4);
        var descent = problem.HypergradientDescent(Online.LearningRateOptimizer.Plain(1e-3));

        Assert.Equal(Steps / 4, realTime.Updates.Count);
        Assert.True(realTime.Lambda[0] > 0);
        Assert.Equal(Steps, descent.LearningRates.Length);
    }
}

/// <summary>The [OptimizerStep] of <see cref="BilevelProblemTests"/>, with the defaults and domains of its [Hyper] attributes.</summary>
internal static partial class UserSteps
{
    /// <summary>Heavy-ball momentum: v ← μv + g, w ← w − lr·v.</summary>
    [Differentiable, OptimizerStep]
    internal static void HeavyBall(ref double w, ref double v, double g,
        [Hyper(Default = 0.1, Domain = HyperparameterDomain.Positive)] double lr,
        [Hyper(Default = 0.9, Domain = HyperparameterDomain.UnitInterval)] double mu)
    {
        v = (mu * v) + g;
        w -= lr * v;
    }
}
