using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Steps;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// The per-parameter-learning-rate optimizers are their uniform counterparts when every lrᵢ is the same lr: the step,
/// its tangents (lrᵢ's direction j the same for every i) and every adjoint but lr's equal to the bit, through the
/// vectorized steps, in double and float; lr's adjoint, summed over the elements, is the uniform one's within the
/// rounding of a sum of n terms (the uniform driver adds it up lane by lane). And the layout helper's offsets.
/// </summary>
public sealed class PerParameterOptimizerTests
{
    private const int K = 3;

    public static TheoryData<string, string, bool, int> Pairs()
    {
        var data = new TheoryData<string, string, bool, int>();
        foreach ((string perParameter, string uniform) in new[] { ("SgdPerParameter", "Sgd"), ("MomentumPerParameter", "Momentum"), ("AdamPerParameter", "Adam") })
        {
            foreach (bool epsInsideSqrt in perParameter == "AdamPerParameter" ? new[] { false, true } : [false])
            {
                foreach (int n in new[] { 0, 1, 37, 1001 })
                {
                    data.Add(perParameter, uniform, epsInsideSqrt, n);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Double_with_equal_learning_rates_is_the_uniform_optimizer(string perParameter, string uniform, bool epsInsideSqrt, int n)
        => EqualRatesAreUniform<double>(perParameter, uniform, epsInsideSqrt, n);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Single_with_equal_learning_rates_is_the_uniform_optimizer(string perParameter, string uniform, bool epsInsideSqrt, int n)
        => EqualRatesAreUniform<float>(perParameter, uniform, epsInsideSqrt, n);

    [Fact]
    public void Each_weight_takes_its_own_learning_rate()
    {
        double[] w = [1, 2, 3], g = [0.5, -0.5, 1];
        SgdPerParameter.StepOptimizer().Step<double>().Step(w, g, [0.1, 0.2, 0.3, 0.0], new StepOptions(1));
        Assert.Equal([1 - 0.05, 2 + 0.1, 3 - 0.3], w);

        // ∂w′ᵢ/∂lrᵢ = −(gᵢ + wd·wᵢ), and nothing from the other elements' rates.
        double[] wBar = [1, 1, 1], gBar = new double[3], hyperparameterAdjoints = new double[4];
        SgdPerParameter.StepOptimizer().Step<double>().Adjoint([1, 2, 3], wBar, g, gBar, [0.1, 0.2, 0.3, 0.0], hyperparameterAdjoints, new StepOptions(1));
        Assert.Equal([-0.5, 0.5, -1], hyperparameterAdjoints[..3]);

        // ∂w′ᵢ/∂wd = −lrᵢ·wᵢ, summed: wd is shared.
        Assert.Equal(-(0.1 * 1) - (0.2 * 2) - (0.3 * 3), hyperparameterAdjoints[3], 15);
    }

    [Fact]
    public void The_layout_helper_counts_uniform_values_once_and_per_element_ones_n_times()
    {
        IVectorizedStep<double> adam = AdamPerParameter.StepOptimizer().Step<double>();
        const int n = 10, k = 4;
        Assert.Equal([true, false, false, false, false], adam.PerElement);
        Assert.Equal(4 + n, VectorizedStepLayout.HyperparameterLength(adam, n));
        Assert.Equal([0, n, n + 1, n + 2, n + 3], Enumerable.Range(0, 5).Select(h => VectorizedStepLayout.HyperparameterOffset(adam, h, n)));
        Assert.Equal([n, 1, 1, 1, 1], Enumerable.Range(0, 5).Select(h => VectorizedStepLayout.HyperparameterSize(adam, h, n)));
        Assert.Equal(4 * k + k * n, VectorizedStepLayout.HyperparameterTangentLength(adam, n, k));
        Assert.Equal([0, k * n, k * n + k, k * n + 2 * k, k * n + 3 * k], Enumerable.Range(0, 5).Select(h => VectorizedStepLayout.HyperparameterTangentOffset(adam, h, n, k)));
        Assert.Equal([k * n, k, k, k, k], Enumerable.Range(0, 5).Select(h => VectorizedStepLayout.HyperparameterTangentSize(adam, h, n, k)));

        // Without per-element hyperparameters: m values, hyperparameter h at h, its directions at h·k.
        IVectorizedStep<float> momentum = Momentum.StepOptimizer().Step<float>();
        Assert.Equal(3, VectorizedStepLayout.HyperparameterLength(momentum, n));
        Assert.Equal(2, VectorizedStepLayout.HyperparameterOffset(momentum, 2, n));
        Assert.Equal(3 * k, VectorizedStepLayout.HyperparameterTangentLength(momentum, n, k));
        Assert.Equal(2 * k, VectorizedStepLayout.HyperparameterTangentOffset(momentum, 2, n, k));

        Assert.Throws<ArgumentOutOfRangeException>(() => VectorizedStepLayout.HyperparameterOffset(adam, 6, n));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorizedStepLayout.HyperparameterSize(adam, 5, n));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorizedStepLayout.HyperparameterLength(adam, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorizedStepLayout.HyperparameterTangentLength(adam, n, -1));
        Assert.Throws<OverflowException>(() => VectorizedStepLayout.HyperparameterTangentLength(adam, int.MaxValue / 2, 4));
    }

    private static void EqualRatesAreUniform<T>(string perParameterName, string uniformName, bool epsInsideSqrt, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Optimizer descriptor = Optimizers.Find(perParameterName);
        IVectorizedStep<T> perParameter = descriptor.Step<T>();
        IVectorizedStep<T> uniform = Optimizers.Find(uniformName).Step<T>();
        var random = new Random(StableSeed.Of(perParameterName, typeof(T).Name, n));
        int s = uniform.StateNames.Count;
        int m = uniform.HyperparameterNames.Count;
        Assert.Equal(0, uniform.HyperparameterNames.ToList().IndexOf("lr"));
        T Draw(string name) => T.CreateChecked(OptimizerCases.Draw(name, random));
        T Signed() => T.CreateChecked(2 * random.NextDouble() - 1);

        T[] state = uniform.StateNames.SelectMany(name => Enumerable.Range(0, n).Select(_ => Draw(name))).ToArray();
        T[] gradient = Enumerable.Range(0, n).Select(_ => Draw("g")).ToArray();
        T[] hyperparameters = uniform.HyperparameterNames.Select(Draw).ToArray();
        T[] stateTangents = Enumerable.Range(0, s * K * n).Select(_ => Signed()).ToArray();
        T[] gradientTangents = Enumerable.Range(0, K * n).Select(_ => Signed()).ToArray();
        T[] hyperparameterTangents = Enumerable.Range(0, m * K).Select(_ => Signed()).ToArray();
        T[] stateAdjoint = Enumerable.Range(0, s * n).Select(_ => Signed()).ToArray();
        var options = new StepOptions(3, new Dictionary<string, double> { ["epsInsideSqrt"] = epsInsideSqrt ? 1 : 0 });

        // lr first: n copies of its value, and of each direction of its tangent; the rest as they are.
        T[] packed = [.. Enumerable.Repeat(hyperparameters[0], n), .. hyperparameters.Skip(1)];
        T[] packedTangents = [.. Enumerable.Range(0, K).SelectMany(j => Enumerable.Repeat(hyperparameterTangents[j], n)), .. hyperparameterTangents.Skip(K)];
        Assert.Equal(VectorizedStepLayout.HyperparameterLength(perParameter, n), packed.Length);
        Assert.Equal(VectorizedStepLayout.HyperparameterTangentLength(perParameter, n, K), packedTangents.Length);

        T[] expected = state.ToArray(), actual = state.ToArray();
        uniform.Step(expected, gradient, hyperparameters, options);
        perParameter.Step(actual, gradient, packed, options);
        Bits.Identical(expected, actual, "Step: state");

        expected = state.ToArray();
        actual = state.ToArray();
        T[] expectedTangents = stateTangents.ToArray(), actualTangents = stateTangents.ToArray();
        uniform.Tangents(expected, expectedTangents, gradient, gradientTangents, hyperparameters, hyperparameterTangents, options);
        perParameter.Tangents(actual, actualTangents, gradient, gradientTangents, packed, packedTangents, options);
        Bits.Identical(expected, actual, "Tangents: state");
        Bits.Identical(expectedTangents, actualTangents, "Tangents: state tangents");

        T[] expectedStateAdjoint = stateAdjoint.ToArray(), actualStateAdjoint = stateAdjoint.ToArray();
        T[] expectedGradientAdjoint = new T[n], actualGradientAdjoint = new T[n];
        T[] expectedHyperparameterAdjoints = new T[m], actualHyperparameterAdjoints = new T[packed.Length];
        uniform.Adjoint(state, expectedStateAdjoint, gradient, expectedGradientAdjoint, hyperparameters, expectedHyperparameterAdjoints, options);
        perParameter.Adjoint(state, actualStateAdjoint, gradient, actualGradientAdjoint, packed, actualHyperparameterAdjoints, options);
        Bits.Identical(expectedStateAdjoint, actualStateAdjoint, "Adjoint: state adjoint");
        Bits.Identical(expectedGradientAdjoint, actualGradientAdjoint, "Adjoint: gradient adjoint");
        Bits.Identical(expectedHyperparameterAdjoints[1..], actualHyperparameterAdjoints[n..], "Adjoint: the uniform hyperparameters' adjoints");

        double sum = 0, magnitude = 0;
        foreach (T term in actualHyperparameterAdjoints.AsSpan(0, n))
        {
            sum += double.CreateChecked(term);
            magnitude += Math.Abs(double.CreateChecked(term));
        }

        double epsilon = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        double lrBar = double.CreateChecked(expectedHyperparameterAdjoints[0]);
        Assert.True(
            Math.Abs(sum - lrBar) <= (n + 1) * epsilon * (magnitude + Math.Abs(lrBar)),
            $"{perParameterName}: Σᵢ lrBarᵢ = {sum:R}, the uniform lrBar {lrBar:R}");
    }
}
