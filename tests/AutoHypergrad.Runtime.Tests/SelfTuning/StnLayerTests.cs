using System;
using System.Linq;
using AutoHypergrad.Domains;
using AutoHypergrad.SelfTuning;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.SelfTuning;

/// <summary>
/// The STN dense layer's backward pass, the entropy of the perturbation and the hyperparameters' reparametrizations,
/// each against central differences in double.
/// </summary>
public class StnLayerTests
{
    private const int In = 3, Out = 4, H = 2, Rows = 5;

    [Fact]
    public void BackwardMatchesCentralDifferencesForEveryInput()
    {
        var random = new Random(7);
        var layer = new StnDenseLayer(In, Out, H);
        double[] phi = new double[layer.ParameterCount];
        layer.Initialize(phi, random);
        for (int i = 0; i < phi.Length; i++)
        {
            phi[i] += 0.3 * (2 * random.NextDouble() - 1); // non-zero biases too
        }

        double[] x = Random(random, Rows * In), lambda = Random(random, Rows * H), weights = Random(random, Rows * Out);
        // L = Σ Y ⊙ G, so Ȳ = G.
        double Loss()
        {
            double[] y = new double[Rows * Out];
            layer.Forward(phi, x, lambda, Rows, y);
            return y.Select((v, k) => v * weights[k]).Sum();
        }

        Loss();
        double[] phiBar = new double[phi.Length], xBar = new double[x.Length], lambdaBar = new double[lambda.Length];
        layer.Backward(phi, x, lambda, Rows, weights, phiBar, xBar, lambdaBar);

        double worst = Math.Max(CentralDifferences.Worst(phi, phiBar, Loss), Math.Max(CentralDifferences.Worst(x, xBar, Loss), CentralDifferences.Worst(lambda, lambdaBar, Loss)));
        // Y is bilinear in (φ, X) and in (φ, Λ): central differences are exact up to rounding, ~1e-10 at h = 1e-5.
        Assert.True(worst < 1e-8, $"worst error {worst:E2}");
    }

    [Fact]
    public void EntropyIsTheSumOfTheOneDimensionalEntropiesAndItsGradientIsOne()
    {
        double[] logSigma = [-1.2, 0.0, 0.7];
        double expected = logSigma.Sum(l => 0.5 * Math.Log(2 * Math.PI * Math.E * Math.Exp(2 * l)));
        Assert.Equal(expected, GaussianPerturbation.Entropy(logSigma), 12);

        double[] gradient = new double[3];
        GaussianPerturbation.AddEntropyGradient(logSigma, 1.0, gradient);
        double worst = CentralDifferences.Worst(logSigma, gradient, () => GaussianPerturbation.Entropy(logSigma));
        Assert.True(worst < 1e-9, $"worst error {worst:E2}");
    }

    [Theory]
    [InlineData(StnHyperparameterKind.DropoutRate, 0.3)]
    [InlineData(StnHyperparameterKind.WeightDecay, 1e-4)]
    [InlineData(StnHyperparameterKind.InputNoise, 0.25)]
    public void ReparametrizationsRoundTripAndTheirDerivativesMatchCentralDifferences(StnHyperparameterKind kind, double value)
    {
        var hyper = new StnHyperparameter(kind.ToString(), kind);
        double u = hyper.FreeOf(value);
        Assert.Equal(value, hyper.ValueOf(u), 1e-14 * Math.Max(1, value));
        double step = 1e-5, difference = (hyper.ValueOf(u + step) - hyper.ValueOf(u - step)) / (2 * step);
        Assert.True(Math.Abs(hyper.Derivative(u) - difference) <= 1e-8 * Math.Max(1, Math.Abs(difference)), $"{kind}: {hyper.Derivative(u)} vs {difference}");
    }

    [Fact]
    public void UnitIntervalIsTheLogitReparametrization()
    {
        Domain domain = Domain.UnitInterval;
        double[] rates = [1e-6, 0.1, 0.5, 0.9, 1 - 1e-6], free = new double[5], back = new double[5];
        domain.ToFree(rates, free);
        Assert.Equal(Math.Log(0.1 / 0.9), free[1], 14);
        domain.FromFree(free, back);
        for (int i = 0; i < rates.Length; i++)
        {
            Assert.Equal(rates[i], back[i], 1e-12);
        }

        Assert.False(domain.Contains([0.0], out _));
        Assert.False(domain.Contains([1.0], out _));
    }

    private static double[] Random(Random random, int n) => Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).ToArray();

}
