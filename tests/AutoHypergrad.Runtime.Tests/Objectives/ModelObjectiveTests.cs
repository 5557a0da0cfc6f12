using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Runtime.Tests.Data;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Objectives;

/// <summary>The built-in models against closed forms, their options and errors, in float and on real MNIST.</summary>
public sealed class ModelObjectiveTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    [Fact]
    public void Linear_regression_Hessian_is_twice_the_Gram_matrix_of_the_batch_plus_l2()
    {
        // J = (1/B)·Σ(xᵢ·w + b − yᵢ)² + (l2/2)·‖w‖²  ⇒  H = (2/B)·[X 1]ᵀ[X 1] + l2·diag(1, …, 1, 0).
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 3);
        var objective = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Linear) { Hyperparameters = LossHyperparameters.L2 });
        int d = data.FeatureCount, n = d + 1;
        var batch = Batch.Of([3, 1, 4, 15, 9, 2, 6]);
        double l2 = 0.3;
        var w = Enumerable.Range(0, n).Select(i => 0.2 * i - 0.3).ToArray();
        var v = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1)).ToArray();
        var hv = new double[n];
        objective.HessianVector(w, [l2], batch, v, hv);

        var expected = new double[n];
        foreach (int index in batch.Indices)
        {
            var row = data.Row(index).ToArray().Append(1.0).ToArray();
            double xv = row.Zip(v, (a, b) => a * b).Sum();
            for (int j = 0; j < n; j++)
            {
                expected[j] += 2.0 / batch.Count(data.Count) * row[j] * xv;
            }
        }

        for (int j = 0; j < d; j++)
        {
            expected[j] += l2 * v[j];
        }

        for (int j = 0; j < n; j++)
        {
            Assert.Equal(expected[j], hv[j], 13);
        }
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.Mlp)]
    public void A_Hessian_vector_product_reuses_the_gradients_passes_only_at_the_same_point(ModelKind model)
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 3, seed: 4);
        var options = new ModelOptions(model) { Hidden = model == ModelKind.Mlp ? [5] : [], Hyperparameters = LossHyperparameters.ExampleWeights };
        var reusing = ModelObjective<double>.Create(data, options);
        var fresh = ModelObjective<double>.Create(data, options);
        var w = new double[reusing.ParameterCount];
        reusing.InitialParameters(w, 9);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] += Math.Sin(i);
        }

        var v = Enumerable.Range(0, w.Length).Select(i => Math.Cos(2 * i)).ToArray();
        var lambda = Enumerable.Range(0, data.Count).Select(i => 0.5 + 0.05 * i).ToArray();
        var batch = Batch.Of([2, 7, 1, 8, 20]);
        var gradient = new double[w.Length];
        var expected = new double[w.Length];
        var actual = new double[w.Length];
        fresh.HessianVector(w, lambda, batch, v, expected);

        // The same point: the passes of the gradient are reused, with the same bits.
        reusing.Gradient(w, lambda, batch, gradient);
        reusing.HessianVector(w, lambda, batch, v, actual);
        Assert.Equal(expected, actual);
        reusing.HessianVector(w, lambda, batch, v, actual);
        Assert.Equal(expected, actual);

        // Another λ, batch or w than the gradient's: nothing is reused.
        var otherLambda = lambda.Select(x => 2 * x).ToArray();
        reusing.Gradient(w, otherLambda, batch, gradient);
        reusing.HessianVector(w, lambda, batch, v, actual);
        Assert.Equal(expected, actual);
        reusing.Gradient(w, lambda, Batch.Of([2, 7, 1, 8, 21]), gradient);
        reusing.HessianVector(w, lambda, batch, v, actual);
        Assert.Equal(expected, actual);
        var moved = w.Select(x => x + 1e-3).ToArray();
        reusing.Gradient(moved, lambda, batch, gradient);
        reusing.HessianVector(w, lambda, batch, v, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.Mlp)]
    public void Hessian_vector_products_have_the_same_bits_with_and_without_the_gradients_passes_at_gemm_sizes(ModelKind model)
    {
        // Wide enough for the BLAS to block and vectorize its products, where a fused and a split first-layer GEMM
        // could round differently.
        const int rows = 400, features = 96, classes = 10;
        var random = new Random(3);
        var x = Enumerable.Range(0, rows * features).Select(_ => random.NextDouble() - 0.5).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        var data = new Dataset<double>(x, rows, features, labels, null, classes, "random");
        var options = new ModelOptions(model) { Hidden = model == ModelKind.Mlp ? [48] : [], Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 };
        var reusing = ModelObjective<double>.Create(data, options);
        var fresh = ModelObjective<double>.Create(data, options);
        var w = Enumerable.Range(0, reusing.ParameterCount).Select(i => 0.1 * Math.Sin(i)).ToArray();
        var v = Enumerable.Range(0, w.Length).Select(i => Math.Cos(2 * i)).ToArray();
        var lambda = reusing.Hyperparameters.Defaults<double>();
        lambda[^1] = 0.01;
        var expected = new double[w.Length];
        var expectedBar = new double[lambda.Length];
        fresh.HessianVectorAndCrossAdjoint(w, lambda, Batch.Full, v, expected, expectedBar);

        var actual = new double[w.Length];
        var actualBar = new double[lambda.Length];
        reusing.Gradient(w, lambda, Batch.Full, new double[w.Length]);
        reusing.HessianVectorAndCrossAdjoint(w, lambda, Batch.Full, v, actual, actualBar);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedBar, actualBar);
    }

    [Theory]
    [InlineData(ModelKind.Softmax, Activation.Tanh)]
    [InlineData(ModelKind.Mlp, Activation.Tanh)]
    [InlineData(ModelKind.Mlp, Activation.ReLU)]
    [InlineData(ModelKind.Mlp, Activation.Sigmoid)]
    public void Products_from_the_passes_a_gradient_handed_out_have_the_same_bits_long_after(ModelKind model, Activation activation)
    {
        // GEMM sizes, as above; a batch small enough for the passes to be kept (they are no larger than w).
        const int rows = 400, features = 96, classes = 10;
        var random = new Random(5);
        var x = Enumerable.Range(0, rows * features).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        var data = new Dataset<float>(x, rows, features, labels, null, classes, "random");
        var options = new ModelOptions(model)
        {
            Hidden = model == ModelKind.Mlp ? [48, 32] : [], Activation = activation, Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2,
        };
        var keeping = ModelObjective<float>.Create(data, options);
        var fresh = ModelObjective<float>.Create(data, options);
        var batch = Batch.Of([.. Enumerable.Range(0, 20).Select(i => (7 * i) % rows)]);
        int length = keeping.PassesLength(20);
        Assert.True(length > 0 && length <= keeping.ParameterCount, $"{length} values of passes for {keeping.ParameterCount} parameters");
        Assert.Equal(0, keeping.PassesLength(rows * 100)); // more than w: kept by none

        var w = Enumerable.Range(0, keeping.ParameterCount).Select(i => 0.1f * MathF.Sin(i)).ToArray();
        var v = Enumerable.Range(0, w.Length).Select(i => MathF.Cos(2 * i)).ToArray();
        var lambda = keeping.Hyperparameters.Defaults<float>();
        for (int i = 0; i < rows; i++)
        {
            lambda[i] = 0.5f + (i % 7 * 0.1f);
        }

        lambda[^1] = 0.01f;
        var gradient = new float[w.Length];
        var passes = new float[length + 3];
        keeping.Gradient(w, lambda, batch, gradient, passes);
        var expectedGradient = new float[w.Length];
        fresh.Gradient(w, lambda, batch, expectedGradient);
        Assert.Equal(expectedGradient, gradient);

        // Elsewhere in between, as a reverse pass is: another w, batch and λ move every workspace.
        keeping.Gradient(w.Select(value => value + 0.5f).ToArray(), lambda.Select(value => 2 * value).ToArray(), Batch.Of([1, 2, 3]), new float[w.Length], new float[length]);

        var expected = new float[w.Length];
        var expectedBar = new float[lambda.Length];
        fresh.HessianVectorAndCrossAdjoint(w, lambda, batch, v, expected, expectedBar);
        var actual = new float[w.Length];
        var actualBar = new float[lambda.Length];
        keeping.HessianVectorAndCrossAdjoint(w, lambda, batch, v, actual, actualBar, passes);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedBar, actualBar);
        Assert.Contains(actual, value => value != 0);

        var error = Assert.Throws<ArgumentException>(() => keeping.HessianVectorAndCrossAdjoint(w, lambda, batch, v, actual, actualBar, passes.AsSpan(0, length - 1)));
        Assert.Contains($"passes has length {length - 1}", error.Message);
        Assert.Contains($"take {length}", error.Message);
    }

    [Fact]
    public void Example_weights_select_examples_and_unit_weights_change_nothing()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 3, seed: 5);
        var plain = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Softmax));
        var weighted = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights });
        var w = Enumerable.Range(0, plain.ParameterCount).Select(i => Math.Cos(i)).ToArray();
        var ones = weighted.Hyperparameters.Defaults<double>();
        Assert.All(ones, x => Assert.Equal(1.0, x));
        var g1 = new double[w.Length];
        var g2 = new double[w.Length];
        Assert.Equal(plain.Gradient(w, [], Batch.Full, g1), weighted.Gradient(w, ones, Batch.Full, g2), 15);
        Assert.Equal(g1, g2);

        // Weight B on example 7 and 0 elsewhere: the full-batch gradient is example 7's own.
        var only7 = new double[data.Count];
        only7[7] = data.Count;
        weighted.Gradient(w, only7, Batch.Full, g2);
        plain.Gradient(w, [], Batch.Of([7]), g1);
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(g1[i], g2[i], 14);
        }
    }

    [Fact]
    public void Float_objective_agrees_with_double_to_float_precision()
    {
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 3, seed: 8);
        var options = new ModelOptions(ModelKind.Mlp) { Hidden = [6], Hyperparameters = LossHyperparameters.L2 | LossHyperparameters.ExampleWeights };
        var d = ModelObjective<double>.Create(data, options);
        var f = ModelObjective<float>.Create(data.Convert<float>(), options);
        var w = new double[d.ParameterCount];
        d.InitialParameters(w, 4);
        var v = Enumerable.Range(0, w.Length).Select(i => Math.Sin(3 * i)).ToArray();
        var lambda = d.Hyperparameters.Defaults<double>();
        lambda[d.Hyperparameters["l2"].Offset] = 0.1;
        var hvD = new double[w.Length];
        var hvF = new float[w.Length];
        d.HessianVector(w, lambda, Batch.Full, v, hvD);
        f.HessianVector(w.Select(x => (float)x).ToArray(), lambda.Select(x => (float)x).ToArray(), Batch.Full, v.Select(x => (float)x).ToArray(), hvF);
        double norm = Math.Sqrt(hvD.Sum(x => x * x));
        double error = Math.Sqrt(hvD.Zip(hvF, (a, b) => (a - b) * (a - b)).Sum());
        // A few dozen float roundings on each path: well under 1e-5 of the result's norm.
        Assert.True(error <= 1e-5 * norm, $"float H·v differs from double by {error / norm:E2} of its norm");
    }

    [Fact]
    public void Evaluate_reports_the_mean_loss_and_the_accuracy()
    {
        // Labels are 1 exactly where the first feature is positive: a steep logistic model on it is always right.
        var data = BuiltInObjectiveChecks.SyntheticData(classes: 2, seed: 9);
        var objective = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Logistic));
        var w = new double[objective.ParameterCount];
        w[0] = 50;
        var (loss, accuracy) = objective.Evaluate(w, data);
        Assert.Equal(1.0, accuracy);
        Assert.Equal(objective.Value(w, [], Batch.Full), loss, 14);

        w[0] = -50;
        Assert.Equal(0.0, objective.Evaluate(w, data).Accuracy);
    }

    [Fact]
    public void A_model_that_does_not_fit_the_data_is_refused_with_the_reason()
    {
        var classes = BuiltInObjectiveChecks.SyntheticData(classes: 3, seed: 1);
        var regression = BuiltInObjectiveChecks.SyntheticData(classes: 0, seed: 1);
        Assert.Contains("for regression", Assert.Throws<ArgumentException>(() => ModelObjective<double>.Create(classes, new ModelOptions(ModelKind.Linear))).Message);
        Assert.Contains("needs two classes", Assert.Throws<ArgumentException>(() => ModelObjective<double>.Create(classes, new ModelOptions(ModelKind.Logistic))).Message);
        Assert.Contains("needs class labels", Assert.Throws<ArgumentException>(() => ModelObjective<double>.Create(regression, new ModelOptions(ModelKind.Softmax))).Message);
        Assert.Contains("at least one hidden layer", Assert.Throws<ArgumentException>(() => ModelObjective<double>.Create(classes, new ModelOptions(ModelKind.Mlp))).Message);
        Assert.Contains("one output", Assert.Throws<ArgumentException>(() => ModelObjective<double>.Create(regression, new ModelOptions(ModelKind.Linear) { Hyperparameters = LossHyperparameters.MultiTask })).Message);

        var objective = ModelObjective<double>.Create(classes, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.L2 });
        Assert.Contains("has 18 parameters", Assert.Throws<ArgumentException>(() => objective.Value(new double[3], [0.1], Batch.Full)).Message);
        Assert.Contains("example index 99", Assert.Throws<ArgumentOutOfRangeException>(() => objective.Value(new double[18], [0.1], Batch.Of([1, 99]))).Message);
        Assert.Contains("this objective has l2", Assert.Throws<ArgumentException>(() => objective.Hyperparameters["rho"]).Message);
    }

    [Fact]
    public void Softmax_regression_on_real_MNIST_matches_finite_differences()
    {
        // The first 500 training images in double, a minibatch of 100, l2 and per-example weights.
        var data = mnist.Train.Slice(0, 500).Convert<double>();
        var objective = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights | LossHyperparameters.L2 });
        Assert.Equal(784 * 10 + 10, objective.ParameterCount);
        var check = BuiltInObjectiveChecks.At("softmax on MNIST", objective, seed: 3, new BatchSchedule(500, 100, seed: 1).At(2));
        Assert.All(check.Run(), r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
    }
}
