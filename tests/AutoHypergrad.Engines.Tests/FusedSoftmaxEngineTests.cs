using System.Linq;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// The hyper-cleaning problem on the fused softmax objective: reverse = forward = finite differences of the whole
/// run, checkpointed = full storage bit for bit, and the same hypergradient as on <see cref="ModelObjective{T}"/>
/// (the tolerances of <see cref="EngineAgreementTests"/>).
/// </summary>
public sealed class FusedSoftmaxEngineTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Reverse_forward_checkpointed_and_finite_differences_agree_on_the_example_weights(int batchSize)
    {
        var (fused, lambda) = Run(WeightedSoftmaxRegression<double>.Create(Training(), exampleWeights: true), batchSize);
        var reverse = new ReverseHypergradient<double>(fused.Dynamics, fused.Response).Compute(lambda);
        var forward = new ForwardHypergradient<double>(fused.Dynamics, fused.Response).Compute(lambda);
        var checkpointed = new ReverseHypergradient<double>(fused.Dynamics, fused.Response, ReverseOptions.Checkpointed(3)).Compute(lambda);
        var differences = new FiniteDifferenceHypergradient<double>(fused.Dynamics, fused.Response).Compute(lambda);

        Agreement.Close(reverse, forward, 1e-11, "forward vs reverse");
        Agreement.Identical(reverse, checkpointed, "checkpointed vs full reverse");
        Agreement.Close(differences, reverse, 1e-6, "reverse vs finite differences");

        var (model, _) = Run(ModelObjective<double>.Create(Training(), new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights }), batchSize);
        Agreement.Close(new ReverseHypergradient<double>(model.Dynamics, model.Response).Compute(lambda), reverse, 1e-11, "fused vs model objective");
        Assert.Contains(reverse.Gradient, g => g != 0);
    }

    private static Data.Dataset<double> Training() => BuiltInObjectiveChecks.SyntheticData(3, 11);

    /// <summary>SGD for 12 steps tuning lr and the example weights, validated on another synthetic set.</summary>
    private static ((TrainingDynamics<double> Dynamics, ValidationError<double> Response), double[] Lambda) Run(IObjective<double> training, int batchSize)
    {
        var sgd = Optimizers.Optimizers.Find("sgd");
        var validation = ModelObjective<double>.Create(BuiltInObjectiveChecks.SyntheticData(3, 12), new ModelOptions(ModelKind.Softmax));
        var random = new System.Random(5);
        var w0 = Enumerable.Range(0, training.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var weights = Enumerable.Range(0, training.ExampleCount).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var space = HyperparameterSpace.Create(
            sgd.Hyperparameters.Select(h => h.Name).ToArray(), [0.5, 0.0], training.Hyperparameters, weights, w0, 12, ["lr", "weights"]);
        var batches = batchSize == 0 ? null : new BatchSchedule(training.ExampleCount, batchSize, seed: 3);
        var dynamics = new TrainingDynamics<double>(training, sgd.Step<double>(), space, batches);
        return ((dynamics, new ValidationError<double>(validation)), space.InitialValues());
    }
}
