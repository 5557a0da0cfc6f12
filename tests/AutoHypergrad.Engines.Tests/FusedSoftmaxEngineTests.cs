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

    /// <summary>
    /// On two threads (160 examples: three blocks of 64 rows, split 1 + 2), the engines agree as on one, checkpointed
    /// = full storage bit for bit, a second run gives the same bits, and the hypergradient equals one thread's to the
    /// rounding of the partial sums' other order (the bound of fused vs model objective above). With mini-batches,
    /// the passes that ask for example adjoints run on one thread.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    public void On_two_threads_the_engines_agree_and_repeat_to_the_bit(int batchSize)
    {
        var data = Wide(160);
        var (two, lambda) = Run(WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true, threads: 2), batchSize);
        var reverse = new ReverseHypergradient<double>(two.Dynamics, two.Response).Compute(lambda);
        Agreement.Identical(reverse, new ReverseHypergradient<double>(two.Dynamics, two.Response).Compute(lambda), "a second run on two threads");
        Agreement.Identical(reverse, new ReverseHypergradient<double>(two.Dynamics, two.Response, ReverseOptions.Checkpointed(3)).Compute(lambda), "checkpointed vs full reverse");
        Agreement.Close(reverse, new ForwardHypergradient<double>(two.Dynamics, two.Response).Compute(lambda), 1e-11, "forward vs reverse");
        Agreement.Close(new FiniteDifferenceHypergradient<double>(two.Dynamics, two.Response).Compute(lambda), reverse, 1e-6, "reverse vs finite differences");

        var (one, _) = Run(WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true), batchSize);
        Agreement.Close(new ReverseHypergradient<double>(one.Dynamics, one.Response).Compute(lambda), reverse, 1e-11, "two threads vs one");
        Assert.Contains(reverse.Gradient, g => g != 0);
    }

    private static Data.Dataset<double> Training() => BuiltInObjectiveChecks.SyntheticData(3, 11);

    /// <summary><paramref name="rows"/> random examples of 5 features in 3 classes (more than one block of the fused objective).</summary>
    private static Data.Dataset<double> Wide(int rows)
    {
        var random = new System.Random(13);
        var x = Enumerable.Range(0, rows * 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(3)).ToArray();
        return new Data.Dataset<double>(x, rows, 5, labels, null, 3, "random 3-class");
    }

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
