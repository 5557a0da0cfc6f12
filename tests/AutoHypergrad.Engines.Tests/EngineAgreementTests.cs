using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// reverse = forward = checkpointed = finite differences of the whole unrolled run, in double. Reverse and forward
/// compute the same sums in different orders: they agree to rounding (1e-11 of the largest entry over 12 steps).
/// Extrapolated central differences with h = 1e-5·max(|λ|, 1e-3) are exact to O(h⁴) plus rounding ε·|f|/h ≤ 1e-8
/// (h ≥ 1e-8): the 1e-6 holds with room, eps of Adam, RMSProp, Adagrad and Adadelta included.
/// </summary>
public sealed class EngineAgreementTests
{
    private const double Rounding = 1e-11;
    private const double FiniteDifference = 1e-6;

    [Theory]
    [MemberData(nameof(EngineProblems.OptimizerNames), MemberType = typeof(EngineProblems))]
    public void Every_engine_agrees_on_the_optimizer_hyperparameters(string optimizer)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>(optimizer, EngineProblems.AllOf(optimizer));
        AssertEnginesAgree(dynamics, response, lambda, optimizer);
    }

    [Theory]
    [InlineData("Sgd")]
    [InlineData("Momentum")]
    [InlineData("Adam")]
    public void Every_engine_agrees_on_example_weights_and_l2(string optimizer)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>(
            optimizer,
            ["lr", "weights", "l2"],
            loss: LossHyperparameters.ExampleWeights | LossHyperparameters.L2,
            adjustLoss: values => values[^1] = 0.05);
        AssertEnginesAgree(dynamics, response, lambda, $"{optimizer} with weights and l2");
    }

    [Theory]
    [InlineData("Momentum")]
    [InlineData("Adam")]
    public void Every_engine_agrees_on_a_per_step_learning_rate_schedule(string optimizer)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>(optimizer, ["lr:per-step", "wd"], steps: 10);
        Assert.Equal(11, lambda.Length);
        AssertEnginesAgree(dynamics, response, lambda, $"{optimizer} per-step lr");
    }

    [Fact]
    public void Every_engine_agrees_on_the_initial_weights_and_per_feature_l2()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>(
            "Nesterov", ["w0", "featureL2"], loss: LossHyperparameters.FeatureL2, adjustLoss: values => System.Array.Fill(values, 0.02));
        AssertEnginesAgree(dynamics, response, lambda, "Nesterov w0 and featureL2");
    }

    [Fact]
    public void Full_batch_runs_agree_too()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Momentum", ["lr", "mu"], batchSize: 0);
        AssertEnginesAgree(dynamics, response, lambda, "full-batch Momentum");
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void Every_engine_agrees_on_a_network_whose_reverse_steps_reuse_the_gradients_passes(Activation activation)
    {
        // 16 hidden units at batch 4: the passes (140 values) are no larger than w (147), so every step's record keeps them.
        var model = new ModelOptions(ModelKind.Mlp) { Hidden = [16], Activation = activation };
        var (dynamics, response, lambda) = EngineProblems.Create<double>(
            "Momentum", ["lr", "mu", "weights", "l2"], batchSize: 4, loss: LossHyperparameters.ExampleWeights | LossHyperparameters.L2,
            adjustLoss: values => values[^1] = 0.05, model: model);
        Assert.True(dynamics.StepRecordLength > dynamics.ParameterCount, $"a record of {dynamics.StepRecordLength} values for {dynamics.ParameterCount} parameters keeps no passes");
        AssertEnginesAgree(dynamics, response, lambda, $"an MLP ({activation}) with weights and l2");
    }

    private static void AssertEnginesAgree(IDynamics<double> dynamics, IResponseObjective<double> response, double[] lambda, string what)
    {
        var reverse = new ReverseHypergradient<double>(dynamics, response).Compute(lambda);
        var forward = new ForwardHypergradient<double>(dynamics, response).Compute(lambda);
        var chunked = new ForwardHypergradient<double>(dynamics, response, maxDirections: 2).Compute(lambda);
        var checkpointed = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(3)).Compute(lambda);
        var differences = new FiniteDifferenceHypergradient<double>(dynamics, response).Compute(lambda);

        Agreement.Close(reverse, forward, Rounding, $"{what}: forward vs reverse");
        Agreement.Close(reverse, chunked, Rounding, $"{what}: forward in chunks of 2 vs reverse");
        Agreement.Identical(reverse, checkpointed, $"{what}: checkpointed vs full reverse");
        Agreement.Close(differences, reverse, FiniteDifference, $"{what}: reverse vs finite differences");
        Assert.Equal(reverse.Names, forward.Names);
        Assert.Contains(reverse.Gradient, g => g != 0);
    }
}
