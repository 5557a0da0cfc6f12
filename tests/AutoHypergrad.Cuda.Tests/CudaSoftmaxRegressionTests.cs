using System;
using System.Runtime.InteropServices;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Checking;
using AutoHypergrad.Objectives.Models;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// <see cref="CudaSoftmaxRegression{T}"/> through <see cref="HostDevice"/> (its kernels compiled as host C++, the
/// GEMMs the reference triple loop): against <see cref="WeightedSoftmaxRegression{T}"/> on the same data, against
/// finite differences, against itself (same bits on every call, and with the spans in managed memory), and its
/// argument errors.
/// </summary>
public sealed class CudaSoftmaxRegressionTests(ITestOutputHelper output)
{
    /// <summary>
    /// The bound on the difference of the two objectives, relative to a product's largest entry. They compute the
    /// same formulas (the head's operations are the same, in the same order) but sum in other orders: z = x·W over the
    /// d features (vector lanes there, in order here), Xᵀ·Δ and the bias's column sums over the B rows (register-
    /// blocked rank updates with fused multiply-adds there, in order here), and exp and log come from
    /// TensorPrimitives there and glibc here (each within about 1 ulp). A sum of n terms computed in any order is
    /// within n·u of the sum of the terms' magnitudes (u the unit roundoff, FMAs included), and the chain
    /// z → softmax → Δ → Xᵀ·Δ composes at most n = B·d such roundings per entry of a product (the softmax and its
    /// derivatives have slopes at most 1); two sides: 2·B·d·u. The sums of magnitudes exceed the product's largest
    /// entry by the cancellation of pᵢ − e_yᵢ and of the rows' signs, which for these data (x ∈ [0, 1), |w| ≤ 0.3) is
    /// below 10: the bound is 20·B·d·u, with B the larger batch (the full one, 37 rows; the partial one has 12), so
    /// 1.1e−12 in double (u = 2⁻⁵³) for the 13 features here, and 5.7e−4 in float (u = 2⁻²⁴).
    /// </summary>
    public static double Bound(int rows, int features, double unitRoundoff) => 20.0 * rows * features * unitRoundoff;

    private const int Rows = 37, Features = 13, Classes = 4;

    /// <summary>A batch with a repeated index (1, three times) and the last example.</summary>
    private static readonly int[] Repeated = [3, 1, 4, 1, 5, 9, 2, 6, 36, 1, 0, 17];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_product_matches_the_host_objective_in_double(bool exampleWeights)
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 5);
        var reference = WeightedSoftmaxRegression<double>.Create(data, exampleWeights);
        using var device = new HostDevice();
        using var cuda = CudaSoftmaxRegression<double>.Create(device, data, exampleWeights);
        var arguments = SoftmaxAgreement.Arguments<double>.Draw(reference, seed: 3);
        double bound = Bound(Rows, Features, Math.Pow(2, -53));
        foreach (var batch in new[] { Batch.Full, Batch.Of(Repeated) })
        {
            string what = $"weights {(exampleWeights ? "on" : "off")}, {(batch.IsFull ? "full batch" : "batch with a repeated index")}";
            double error = SoftmaxAgreement.AssertAgree(reference, cuda, arguments, batch, bound, what);
            output.WriteLine($"{what}: largest relative error {error:E2} (bound {bound:E2})");
        }
    }

    [Fact]
    public void Float_matches_the_float_host_objective()
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 6).Convert<float>();
        var reference = WeightedSoftmaxRegression<float>.Create(data, exampleWeights: true);
        using var device = new HostDevice();
        using var cuda = CudaSoftmaxRegression<float>.Create(device, data, exampleWeights: true);
        var arguments = SoftmaxAgreement.Arguments<float>.Draw(reference, seed: 4);
        double bound = Bound(Rows, Features, Math.Pow(2, -24));
        foreach (var batch in new[] { Batch.Full, Batch.Of(Repeated) })
        {
            double error = SoftmaxAgreement.AssertAgree(reference, cuda, arguments, batch, bound, $"float, {(batch.IsFull ? "full batch" : "partial batch")}");
            output.WriteLine($"float, {(batch.IsFull ? "full batch" : "partial batch")}: largest relative error {error:E2} (bound {bound:E2})");
        }
    }

    [Fact]
    public void Every_product_passes_the_finite_difference_checks()
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 2);
        using var device = new HostDevice();
        using var cuda = CudaSoftmaxRegression<double>.Create(device, data, exampleWeights: true);
        var arguments = SoftmaxAgreement.Arguments<double>.Draw(cuda, seed: 8);
        foreach (var batch in new[] { Batch.Full, Batch.Of(Repeated) })
        {
            var results = ObjectiveChecker.Run("CUDA softmax", cuda, arguments.W, arguments.Lambda, batch, seed: 1);
            foreach (string check in new[] { "gradient", "Hessian-vector product", "cross tangent (∂∇J/∂λ)·λ̇", "cross adjoint (∂∇J/∂λ)ᵀ·v", "∂J/∂λ" })
            {
                Assert.Contains(results, r => r.Check == check);
            }

            Assert.All(results, r => Assert.True(r.Passed, $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_result_is_the_same_bits_on_every_call(bool single)
    {
        if (single)
        {
            SameBits<float>();
        }
        else
        {
            SameBits<double>();
        }
    }

    [Fact]
    public unsafe void Spans_in_managed_memory_give_the_same_bits_as_host_arrays()
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 9);
        using var device = new HostDevice();
        using var cuda = CudaSoftmaxRegression<double>.Create(device, data, exampleWeights: true);
        var a = SoftmaxAgreement.Arguments<double>.Draw(cuda, seed: 10);
        int n = cuda.ParameterCount, m = cuda.Hyperparameters.Count;
        var pointers = new System.Collections.Generic.List<IntPtr>();
        Span<double> Managed(int length)
        {
            var pointer = device.AllocateManaged((long)length * sizeof(double));
            pointers.Add(pointer);
            return new Span<double>((void*)pointer, length);
        }

        try
        {
            foreach (var batch in new[] { Batch.Full, Batch.Of(Repeated) })
            {
                var expected = SoftmaxAgreement.Products(cuda, a, batch);
                Span<double> w = Managed(n), v = Managed(n), lambda = Managed(m), lambdaDot = Managed(m);
                a.W.CopyTo(w);
                a.V.CopyTo(v);
                a.Lambda.CopyTo(lambda);
                a.LambdaDot.CopyTo(lambdaDot);
                Span<double> gradient = Managed(n), hv = Managed(n), tangent = Managed(n), sharedHv = Managed(n);
                Span<double> adjoint = Managed(m), hyper = Managed(m), sharedAdjoint = Managed(m);
                adjoint.Fill(0.25);
                hyper.Fill(0.25);
                sharedAdjoint.Fill(0.25);
                Assert.True(device.IsManaged((IntPtr)Address(w), (long)n * sizeof(double)));
                double value = cuda.Value(w, lambda, batch);
                double gradientValue = cuda.Gradient(w, lambda, batch, gradient);
                cuda.HessianVector(w, lambda, batch, v, hv);
                cuda.CrossTangent(w, lambda, batch, lambdaDot, tangent);
                cuda.CrossAdjoint(w, lambda, batch, v, adjoint);
                cuda.LambdaGradient(w, lambda, batch, hyper);
                cuda.HessianVectorAndCrossAdjoint(w, lambda, batch, v, sharedHv, sharedAdjoint);
                double[] actual = [value, gradientValue, .. gradient, .. hv, .. tangent, .. adjoint, .. hyper, .. sharedHv, .. sharedAdjoint];
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                device.Free(pointer);
            }
        }
    }

    [Fact]
    public void Wrong_lengths_name_the_argument()
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 1);
        using var device = new HostDevice();
        using var cuda = CudaSoftmaxRegression<double>.Create(device, data, exampleWeights: true);
        int n = cuda.ParameterCount, m = cuda.Hyperparameters.Count;
        double[] w = new double[n], lambda = new double[m], shortW = new double[n - 1], shortLambda = new double[m + 1];
        void Throws(string name, int length, int expected, Action call)
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Equal(name, error.ParamName);
            Assert.StartsWith($"{name} has length {length}; this softmax objective has {expected} ", error.Message, StringComparison.Ordinal);
        }

        Throws("w", n - 1, n, () => cuda.Value(shortW, lambda, Batch.Full));
        Throws("lambda", m + 1, m, () => cuda.Value(w, shortLambda, Batch.Full));
        Throws("gradient", n - 1, n, () => cuda.Gradient(w, lambda, Batch.Full, new double[n - 1]));
        Throws("v", n - 1, n, () => cuda.HessianVector(w, lambda, Batch.Full, shortW, new double[n]));
        Throws("result", n + 1, n, () => cuda.HessianVector(w, lambda, Batch.Full, w, new double[n + 1]));
        Throws("lambdaDot", m + 1, m, () => cuda.CrossTangent(w, lambda, Batch.Full, shortLambda, new double[n]));
        Throws("result", n - 1, n, () => cuda.CrossTangent(w, lambda, Batch.Full, lambda, new double[n - 1]));
        Throws("v", n - 1, n, () => cuda.CrossAdjoint(w, lambda, Batch.Full, shortW, new double[m]));
        Throws("lambdaBar", m + 1, m, () => cuda.CrossAdjoint(w, lambda, Batch.Full, w, shortLambda));
        Throws("lambdaBar", m + 1, m, () => cuda.LambdaGradient(w, lambda, Batch.Full, shortLambda));
        Throws("lambdaBar", m + 1, m, () => cuda.HessianVectorAndCrossAdjoint(w, lambda, Batch.Full, w, new double[n], shortLambda));

        var empty = Assert.Throws<ArgumentException>(() => cuda.Value(w, lambda, Batch.Of([])));
        Assert.Equal("batch", empty.ParamName);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => cuda.Value(w, lambda, Batch.Of([0, Rows])));
        Assert.Equal("batch", outside.ParamName);
        var regression = new Dataset<double>(new double[4], 2, 2, null, [0.5, 1.5], 0, "targets");
        var notClasses = Assert.Throws<ArgumentException>(() => CudaSoftmaxRegression<double>.Create(device, regression, exampleWeights: true));
        Assert.Equal("data", notClasses.ParamName);
        Assert.StartsWith("Softmax regression needs class labels of at least two classes; targets has regression targets.", notClasses.Message, StringComparison.Ordinal);
    }

    private static unsafe double* Address(Span<double> values) => (double*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(values));

    private static void SameBits<T>()
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var data = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 7).Convert<T>();
        using var device = new HostDevice();
        using var first = CudaSoftmaxRegression<T>.Create(device, data, exampleWeights: true);
        using var second = CudaSoftmaxRegression<T>.Create(device, data, exampleWeights: true);
        var arguments = SoftmaxAgreement.Arguments<T>.Draw(first, seed: 1);
        var other = SoftmaxAgreement.Arguments<T>.Draw(first, seed: 2);
        foreach (var batch in new[] { Batch.Full, Batch.Of(Repeated) })
        {
            var expected = SoftmaxAgreement.Products(first, arguments, batch);
            Assert.Contains(expected, x => x != T.Zero);

            // Other arguments and another batch in between: nothing of an earlier call reaches a later one.
            SoftmaxAgreement.Products(first, other, batch.IsFull ? Batch.Of([5, 2]) : Batch.Full);
            Assert.Equal(expected, SoftmaxAgreement.Products(first, arguments, batch));
            Assert.Equal(expected, SoftmaxAgreement.Products(second, arguments, batch));
        }
    }
}
