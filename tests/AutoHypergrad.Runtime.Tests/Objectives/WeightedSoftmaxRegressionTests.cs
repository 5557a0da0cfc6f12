using System;
using System.Linq;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Objectives;

/// <summary>
/// The fused softmax objective against <see cref="ModelObjective{T}"/> (the same J by GEMMs and back-propagation),
/// against finite differences, and against itself: every product the same bits on every call. The shapes cover every
/// path of the kernels: rows past several blocks and a partial one, features in 2-vector groups, single vectors and
/// a scalar tail (91 features: 16 + 8 + 3 per double group tail, 83: 64 + 16 + 3 in float), and class counts padded
/// to the register blocks (7 and 12 classes).
/// </summary>
public sealed class WeightedSoftmaxRegressionTests
{
    /// <summary>
    /// The two compute the same sums in different orders (rows by blocks, features by vector lanes): the rounding of
    /// a sum of n terms is at most n·ε of the sum of magnitudes, n ≤ 300 rows × 83 features here, so 1e-12 of the
    /// largest entry bounds it with room (ε = 1.1e-16).
    /// </summary>
    private const double Rounding = 1e-12;

    [Theory]
    [InlineData(300, 37, 7)]
    [InlineData(300, 83, 10)]
    [InlineData(130, 91, 12)]
    [InlineData(5, 8, 2)]
    public void Every_product_equals_the_model_objective_in_double(int rows, int features, int classes)
    {
        var data = Data(rows, features, classes, seed: rows + features);
        var options = new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights };
        var reference = ModelObjective<double>.Create(data, options);
        var fused = WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true);
        Assert.Equal(reference.ParameterCount, fused.ParameterCount);
        Assert.Equal(reference.Hyperparameters.Blocks, fused.Hyperparameters.Blocks);

        var random = new Random(3);
        var w = Vector(random, reference.ParameterCount, 0.3);
        var v = Vector(random, reference.ParameterCount, 1);
        var lambda = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var lambdaDot = Vector(random, rows, 1);
        var partial = Batch.Of(Enumerable.Range(0, Math.Max(1, rows / 2)).Select(i => (i * 7) % rows).Append(0).ToArray());
        foreach (var batch in new[] { Batch.Full, partial })
        {
            CloseInEveryProduct(reference, fused, w, lambda, batch, v, lambdaDot);
        }
    }

    /// <summary>
    /// Every product of <paramref name="actual"/> within <see cref="Rounding"/> of <paramref name="expected"/>'s on
    /// <paramref name="batch"/>: J, ∇J (and J from it), H·v, both cross products, ∂J/∂λ, and the fused H·v and cross
    /// adjoint call against the separate products.
    /// </summary>
    private static void CloseInEveryProduct(
        IObjective<double> expected, IObjective<double> actual, double[] w, double[] lambda, Batch batch, double[] v, double[] lambdaDot)
    {
        string what = batch.IsFull ? "full batch" : "partial batch";
        Close(expected.Value(w, lambda, batch), actual.Value(w, lambda, batch), $"{what}: J");
        Close(Gradient(expected, w, lambda, batch, out double value), Gradient(actual, w, lambda, batch, out double actualValue), $"{what}: ∇J");
        Close(value, actualValue, $"{what}: J from Gradient");
        Close(Product(expected.HessianVector, w, lambda, batch, v), Product(actual.HessianVector, w, lambda, batch, v), $"{what}: H·v");
        Close(Product(expected.CrossTangent, w, lambda, batch, lambdaDot), Product(actual.CrossTangent, w, lambda, batch, lambdaDot), $"{what}: cross tangent");
        Close(Adjoint(expected.CrossAdjoint, w, lambda, batch, v), Adjoint(actual.CrossAdjoint, w, lambda, batch, v), $"{what}: cross adjoint");
        Close(LambdaGradient(expected, w, lambda, batch), LambdaGradient(actual, w, lambda, batch), $"{what}: ∂J/∂λ");

        var (hv, bar) = Fused(actual, w, lambda, batch, v);
        Close(Product(expected.HessianVector, w, lambda, batch, v), hv, $"{what}: H·v of the fused call");
        Close(Adjoint(expected.CrossAdjoint, w, lambda, batch, v), bar, $"{what}: cross adjoint of the fused call");
    }

    [Fact]
    public void Without_example_weights_it_is_the_mean_loss()
    {
        var data = Data(150, 37, 4, seed: 9);
        var reference = ModelObjective<double>.Create(data, new ModelOptions(ModelKind.Softmax));
        var fused = WeightedSoftmaxRegression<double>.Create(data, exampleWeights: false);
        Assert.Equal(0, fused.Hyperparameters.Count);
        var w = Vector(new Random(4), fused.ParameterCount, 0.3);
        Close(Gradient(reference, w, [], Batch.Full, out double expected), Gradient(fused, w, [], Batch.Full, out double actual), "∇J");
        Close(expected, actual, "J");
    }

    [Fact]
    public void Every_product_passes_the_finite_difference_checks()
    {
        var data = Data(40, 11, 3, seed: 2);
        var fused = WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true);
        var random = new Random(8);
        var w = Vector(random, fused.ParameterCount, 0.5);
        var lambda = Enumerable.Range(0, data.Count).Select(_ => 0.2 + random.NextDouble()).ToArray();
        var results = ObjectiveChecker.Run("fused softmax", fused, w, lambda, Batch.Of([3, 1, 4, 1, 5, 9, 2, 6, 35]), seed: 1);
        foreach (string check in new[] { "gradient", "Hessian-vector product", "cross tangent (∂∇J/∂λ)·λ̇", "cross adjoint (∂∇J/∂λ)ᵀ·v", "∂J/∂λ" })
        {
            Assert.Contains(results, r => r.Check == check);
        }

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
    }

    [Fact]
    public void Float_agrees_with_the_float_model_objective_to_float_rounding()
    {
        var data = Data(300, 83, 10, seed: 5).Convert<float>();
        var reference = ModelObjective<float>.Create(data, new ModelOptions(ModelKind.Softmax) { Hyperparameters = LossHyperparameters.ExampleWeights });
        var fused = WeightedSoftmaxRegression<float>.Create(data, exampleWeights: true);
        var random = new Random(6);
        var w = Vector(random, fused.ParameterCount, 0.3).Select(x => (float)x).ToArray();
        var lambda = Enumerable.Range(0, data.Count).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = new float[fused.ParameterCount];
        var actual = new float[fused.ParameterCount];
        reference.Gradient(w, lambda, Batch.Full, expected);
        fused.Gradient(w, lambda, Batch.Full, actual);

        // Float rounding over sums of a few hundred terms: ε = 6e-8, n·ε ≈ 2e-5.
        Close(expected.Select(x => (double)x).ToArray(), actual.Select(x => (double)x).ToArray(), "float ∇J", 1e-4);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 3)]
    public void Every_result_is_the_same_bits_on_every_call_and_wherever_the_arrays_lie(bool single, int threads)
    {
        if (single)
        {
            SameBits<float>(threads);
        }
        else
        {
            SameBits<double>(threads);
        }
    }

    /// <summary>
    /// On 2 and 3 threads (the 300 rows are 5 blocks: runs of 2 + 3 and 1 + 2 + 2 blocks) every product adds the
    /// threads' partial sums in another order than one thread: the same rounding bound as against the model objective.
    /// A partial batch that asks for example adjoints runs on one thread, so those equal one thread's to the bit.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void On_several_threads_every_product_equals_one_thread_to_rounding(int threads)
    {
        var data = Data(300, 83, 10, seed: 11);
        var one = WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true);
        var several = WeightedSoftmaxRegression<double>.Create(data, exampleWeights: true, threads);
        Assert.Equal(threads, several.Threads);
        var random = new Random(6);
        var w = Vector(random, one.ParameterCount, 0.3);
        var v = Vector(random, one.ParameterCount, 1);
        var lambda = Enumerable.Range(0, data.Count).Select(_ => random.NextDouble()).ToArray();
        var lambdaDot = Vector(random, data.Count, 1);
        var partial = Batch.Of(Enumerable.Range(0, 200).Select(i => (i * 7) % data.Count).ToArray());
        foreach (var batch in new[] { Batch.Full, partial })
        {
            CloseInEveryProduct(one, several, w, lambda, batch, v, lambdaDot);
        }

        Assert.Equal(LambdaGradient(one, w, lambda, partial), LambdaGradient(several, w, lambda, partial));
        Assert.Equal(Adjoint(one.CrossAdjoint, w, lambda, partial, v), Adjoint(several.CrossAdjoint, w, lambda, partial, v));
    }

    private static void SameBits<T>(int threads)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var source = Data(300, 83, 10, seed: 7);
        var data = source.Convert<T>();

        // A second copy of the data in its own array: another address, another alignment modulo the vector width.
        var copy = new Dataset<T>(data.Features.ToArray(), data.Count, data.FeatureCount, data.Labels!.ToArray(), null, data.ClassCount, "copy");
        var first = WeightedSoftmaxRegression<T>.Create(data, exampleWeights: true, threads);
        var second = WeightedSoftmaxRegression<T>.Create(copy, exampleWeights: true, threads);
        var random = new Random(1);
        int n = first.ParameterCount, m = data.Count;

        // Every argument once at offset 0 and once at offset 1 of a longer array.
        T[] Draw(int length, double scale) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating((random.NextDouble() - 0.5) * scale)).ToArray();
        T[] Shifted(T[] values) => [T.Zero, .. values];
        var w = Draw(n, 0.5);
        var v = Draw(n, 1);
        var lambda = Draw(m, 1);
        var ws = Shifted(w).AsSpan(1);
        var vs = Shifted(v).AsSpan(1);
        var lambdas = Shifted(lambda).AsSpan(1);

        var results = new T[4][];
        for (int run = 0; run < 4; run++)
        {
            var objective = run % 2 == 0 ? first : second;
            ReadOnlySpan<T> wr = run < 2 ? w : ws, vr = run < 2 ? v : vs, lr = run < 2 ? lambda : lambdas;
            var gradient = new T[n + 1];
            var hv = new T[n + 1];
            var bar = new T[m + 1];
            var tangent = new T[n];
            T value = objective.Gradient(wr, lr, Batch.Full, gradient.AsSpan(run % 2, n));
            objective.HessianVectorAndCrossAdjoint(wr, lr, Batch.Full, vr, hv.AsSpan(run % 2, n), bar.AsSpan(run % 2, m));
            objective.CrossTangent(wr, lr, Batch.Full, lr, tangent);
            T plain = objective.Value(wr, lr, Batch.Full);
            results[run] = [value, plain, .. gradient.AsSpan(run % 2, n), .. hv.AsSpan(run % 2, n), .. bar.AsSpan(run % 2, m), .. tangent];
        }

        for (int run = 1; run < 4; run++)
        {
            for (int i = 0; i < results[0].Length; i++)
            {
                Assert.True(results[0][i].Equals(results[run][i]) || (T.IsNaN(results[0][i]) && T.IsNaN(results[run][i])), $"run {run}, entry {i}: {results[run][i]} vs {results[0][i]}");
            }
        }

        Assert.Contains(results[0], x => x != T.Zero);
    }

    private static Dataset<double> Data(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * features).Select(_ => random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        return new Dataset<double>(x, rows, features, labels, null, classes, $"random {classes}-class");
    }

    private static double[] Vector(Random random, int length, double scale)
        => Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 2 * scale).ToArray();

    private static double[] Gradient(IObjective<double> objective, double[] w, double[] lambda, Batch batch, out double value)
    {
        var gradient = new double[objective.ParameterCount];
        value = objective.Gradient(w, lambda, batch, gradient);
        return gradient;
    }

    private delegate void ProductCall(ReadOnlySpan<double> w, ReadOnlySpan<double> lambda, Batch batch, ReadOnlySpan<double> direction, Span<double> result);

    private static double[] Product(ProductCall call, double[] w, double[] lambda, Batch batch, double[] direction)
    {
        var result = new double[w.Length];
        call(w, lambda, batch, direction, result);
        return result;
    }

    private static double[] Adjoint(ProductCall call, double[] w, double[] lambda, Batch batch, double[] v)
    {
        // Accumulated onto a nonzero start, as the engines do.
        var result = Enumerable.Repeat(0.25, lambda.Length).ToArray();
        call(w, lambda, batch, v, result);
        return result;
    }

    private static double[] LambdaGradient(IObjective<double> objective, double[] w, double[] lambda, Batch batch)
    {
        var result = Enumerable.Repeat(0.25, lambda.Length).ToArray();
        objective.LambdaGradient(w, lambda, batch, result);
        return result;
    }

    private static (double[] HessianVector, double[] LambdaBar) Fused(IObjective<double> objective, double[] w, double[] lambda, Batch batch, double[] v)
    {
        var hv = new double[w.Length];
        var bar = Enumerable.Repeat(0.25, lambda.Length).ToArray();
        objective.HessianVectorAndCrossAdjoint(w, lambda, batch, v, hv, bar);
        return (hv, bar);
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(actual - expected) <= Rounding * Math.Abs(expected), $"{what}: {actual:R}, expected {expected:R}.");

    private static void Close(double[] expected, double[] actual, string what, double tolerance = Rounding)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, $"{what}: the reference is 0, which tests nothing.");
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / scale;
            Assert.True(error <= tolerance, $"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (relative error {error:E2}).");
        }
    }
}
