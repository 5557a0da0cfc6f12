using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.SelfTuning;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Runtime.Tests.SelfTuning;

/// <summary>
/// The MLP of STN layers: its φ-gradient and its hypergradient against central differences in double, its dropout
/// against the binomial distribution, its hyperparameters' domains, and the trainer on an overfitting problem.
/// </summary>
public class StnMlpTests(ITestOutputHelper output)
{
    private const int Features = 12, Classes = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingGradientMatchesCentralDifferences(bool regularized)
    {
        // Off: dropout 2e-22 and noise e^−50, so every mask keeps and scales by 1; l2 still on. On: dropout 0.2–0.4 and
        // noise 0.1–0.3 per row, with the masks and noise of one step held fixed (they are a function of the step).
        var model = Model(40, 30, batch: 8);
        double[] phi = Perturbed(model.InitialParameters(3), new Random(4));
        double[] rows = Rows(model, new Random(5), regularized);
        double[] gradient = new double[model.ParameterCount];
        model.TrainingLoss(phi, rows, gradient, step: 2);
        double worst = CentralDifferences.Worst(phi, gradient, () => model.TrainingLoss(phi, rows, new double[model.ParameterCount], step: 2));
        // The loss is smooth away from ReLU's kink (no pre-activation lies within h of 0 here): central differences at
        // h = 1e-5 are exact to O(h²)·f‴ + ε/h ≈ 1e-10.
        Assert.True(worst < 1e-7, $"worst error {worst:E2}");
    }

    [Fact]
    public void HypergradientIsTheResponseGradientOfTheValidationLoss()
    {
        // The validation loss has no regularizer, so dF/dλ_r has no direct part: it is the response through every
        // layer's Ŵ(λ_r) and b̂(λ_r), checked here in every entry of every row.
        var model = Model(40, 30, batch: 8);
        double[] phi = Perturbed(model.InitialParameters(3), new Random(4));
        double[] rows = Rows(model, new Random(6), regularized: true);
        double[] gradient = new double[rows.Length];
        model.ValidationLoss(phi, rows, gradient, step: 1);
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-4);
        double worst = CentralDifferences.Worst(rows, gradient, () => model.ValidationLoss(phi, rows, new double[rows.Length], step: 1));
        Assert.True(worst < 1e-7, $"worst error {worst:E2}");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.85)]
    public void DropoutDropsWithItsRateAndKeepsTheExpectation(double rate)
    {
        const int rows = 400, width = 250, n = rows * width;
        double[] gate = Enumerable.Repeat(1.0, n).ToArray();
        var random = new SplitMix64(17);
        StnMlp.Dropout(gate, Enumerable.Repeat(rate, rows).ToArray(), ref random);

        // The dropped count is Binomial(n, p): its fraction has standard deviation √(p(1 − p)/n). A kept entry is
        // 1/(1 − p), so the gate's mean, (kept/n)/(1 − p), has standard deviation √(p/((1 − p)n)) around 1. Bounds: 5σ.
        double dropped = gate.Count(g => g == 0) / (double)n;
        Assert.True(gate.All(g => g == 0 || Math.Abs(g - 1 / (1 - rate)) < 1e-15));
        Assert.True(Math.Abs(dropped - rate) <= 5 * Math.Sqrt(rate * (1 - rate) / n), $"dropped {dropped}, rate {rate}");
        Assert.True(Math.Abs(gate.Average() - 1) <= 5 * Math.Sqrt(rate / ((1 - rate) * n)), $"mean gate {gate.Average()}");
    }

    [Fact]
    public void EachRowDropsWithItsOwnRate()
    {
        const int width = 20000;
        double[] rates = [0.05, 0.3, 0.7], gate = Enumerable.Repeat(1.0, 3 * width).ToArray();
        var random = new SplitMix64(3);
        StnMlp.Dropout(gate, rates, ref random);
        for (int r = 0; r < 3; r++)
        {
            double dropped = gate.Skip(r * width).Take(width).Count(g => g == 0) / (double)width;
            Assert.True(Math.Abs(dropped - rates[r]) <= 5 * Math.Sqrt(rates[r] * (1 - rates[r]) / width), $"row {r}: dropped {dropped}");
        }
    }

    [Fact]
    public void ReparametrizationsKeepRatesInTheUnitIntervalAndScalesPositive()
    {
        var model = Model(40, 30, batch: 8);
        Assert.Equal(["dropout0", "dropout1", "dropout2", "l2", "inputNoise"], model.Hyperparameters.Select(h => h.Name));
        foreach (double u in Enumerable.Range(0, 121).Select(k => -30 + 0.5 * k))
        {
            double[] values = model.ValuesOf(Enumerable.Repeat(u, model.HyperparameterCount).ToArray());
            for (int l = 0; l < model.LayerCount; l++)
            {
                Assert.True(values[l] is > 0 and < 1, $"u = {u}: rate {values[l]}");
            }

            Assert.True(values[model.WeightDecayIndex] > 0 && values[model.InputNoiseIndex] > 0, $"u = {u}");
        }

        double[] start = model.ValuesOf(model.Initial());
        Assert.Equal(model.Options.InitialDropout, start[0], 1e-15);
        Assert.Equal(model.Options.InitialWeightDecay, start[model.WeightDecayIndex], 1e-18);
    }

    [Fact]
    public void OnATinyTrainingSetTuningBeatsTheFixedStartAndRaisesDropout()
    {
        // 40 training examples of a 12-feature problem with 20% of the labels flipped, a 64-64 MLP: with the starting
        // hyperparameters (dropout 0.05) the network memorizes the training set (validation loss 2.05 after 300 cycles);
        // more dropout helps the validation loss, and the response says so (measured: mean dropout 0.38, validation
        // loss 0.87). Validation batches of 100 of the 400 validation examples.
        var (model, validation) = Problem(40, 400, batch: 40, hidden: 64, flip: 0.2, validationBatch: 100);
        double[] start = model.Initial();
        var options = new SelfTuningOptions { ParameterLearningRate = 3e-3, HyperparameterLearningRate = 3e-2, Seed = 2 };
        double[] fixedPhi = model.InitialParameters(1), tunedPhi = model.InitialParameters(1);
        new SelfTuningTrainer(model, fixedPhi, start, options with { ValidationSteps = 0 }).Run(300);
        var trainer = new SelfTuningTrainer(model, tunedPhi, start, options);
        trainer.Run(300);
        double[] learned = model.ValuesOf(trainer.Hyperparameters);
        double fixedLoss = model.Evaluate(fixedPhi, start, validation).Loss, tunedLoss = model.Evaluate(tunedPhi, trainer.Hyperparameters, validation).Loss;
        output.WriteLine($"validation loss: fixed {fixedLoss:F4}, tuned {tunedLoss:F4}; hyperparameters {string.Join(", ", learned.Select(v => v.ToString("G4")))}");
        Assert.True(tunedLoss < fixedLoss, $"validation loss: fixed {fixedLoss}, tuned {tunedLoss}");
        double meanDropout = learned.Take(model.LayerCount).Average();
        Assert.True(meanDropout > 2 * model.Options.InitialDropout, $"dropout {meanDropout} from {model.Options.InitialDropout}");
    }

    private static StnMlp Model(int training, int validation, int batch) => Problem(training, validation, batch).Model;

    private static (StnMlp Model, Dataset<double> Validation) Problem(int training, int validation, int batch, int hidden = 5, double flip = 0, int? validationBatch = null)
    {
        var random = new Random(11);
        double[] teacher = Enumerable.Range(0, Features * Classes).Select(_ => Gaussian(random)).ToArray();
        Dataset<double> Make(int count, string name)
        {
            double[] x = Enumerable.Range(0, count * Features).Select(_ => Gaussian(random)).ToArray();
            int[] labels = new int[count];
            for (int r = 0; r < count; r++)
            {
                labels[r] = Enumerable.Range(0, Classes).MaxBy(k => Enumerable.Range(0, Features).Sum(j => x[r * Features + j] * teacher[k * Features + j]));
                if (name == "training" && random.NextDouble() < flip)
                {
                    labels[r] = (labels[r] + 1 + random.Next(Classes - 1)) % Classes;
                }
            }

            return new Dataset<double>(x, count, Features, labels, null, Classes, name);
        }

        var train = Make(training, "training");
        var valid = Make(validation, "validation");
        return (new StnMlp(train, valid, new StnMlpOptions { HiddenWidths = [hidden, hidden], TrainingBatchSize = batch, ValidationBatchSize = validationBatch ?? batch, Seed = 9 }), valid);
    }

    /// <summary>Rows of λ around the model's start: dropout 0.2–0.4 and noise 0.1–0.3 when regularized, off otherwise; l2 0.01–0.1.</summary>
    private static double[] Rows(StnMlp model, Random random, bool regularized)
    {
        int h = model.HyperparameterCount, n = model.TrainingBatchSize;
        double[] rows = new double[n * h];
        for (int r = 0; r < n; r++)
        {
            for (int l = 0; l < model.LayerCount; l++)
            {
                rows[r * h + l] = regularized ? model.Hyperparameters[l].FreeOf(0.2 + 0.2 * random.NextDouble()) : -50;
            }

            rows[r * h + model.WeightDecayIndex] = Math.Log(0.01 + 0.09 * random.NextDouble());
            rows[r * h + model.InputNoiseIndex] = regularized ? Math.Log(0.1 + 0.2 * random.NextDouble()) : -50;
        }

        return rows;
    }

    /// <summary>φ with every entry moved by up to ±0.3, so that the V, C, b blocks are not zero.</summary>
    private static double[] Perturbed(double[] phi, Random random) => phi.Select(v => v + 0.3 * (2 * random.NextDouble() - 1)).ToArray();


    private static double Gaussian(Random random) => GaussianPerturbation.NextStandardNormal(random);
}
