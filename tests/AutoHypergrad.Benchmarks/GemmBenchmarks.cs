using System;
using System.Numerics;
using AutoHypergrad.LinearAlgebra;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoHypergrad.Benchmarks;

/// <summary>The products of <see cref="GemmBenchmarks"/>, the shapes of the experiments.</summary>
public enum GemmShape
{
    /// <summary>X·W: (5000×784)·(784×10), a batch through a 784 × 10 layer.</summary>
    Forward,

    /// <summary>Xᵀ·R: (784×5000)·(5000×10), the weight gradient (A = X transposed).</summary>
    WeightGradient,

    /// <summary>X·W1: (60000×784)·(784×1000), the training set through a 1000-unit hidden layer.</summary>
    HiddenLayer,

    /// <summary>(1024×1024)·(1024×1024).</summary>
    Square,
}

/// <summary>
/// C ← A·B at the experiments' shapes: the managed GEMM (<see cref="ManagedBlas"/>, the baseline of each category)
/// against OpenBLAS (<see cref="Blas"/> with <see cref="BlasProvider.OpenBlas"/>), in double and in float, both on
/// all processors. The CLI's <c>bench gemm</c> measures the same products with a table in GFLOP/s; here,
/// BenchmarkDotNet's statistics. Setup checks that both implementations agree within rounding before anything is
/// timed, and fails if OpenBLAS does not load (install Debian's libopenblas0).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
public class GemmBenchmarks
{
    private GemmOperands<double> doubles = null!;
    private GemmOperands<float> floats = null!;

    [Params(GemmShape.Forward, GemmShape.WeightGradient, GemmShape.HiddenLayer, GemmShape.Square)]
    public GemmShape Shape { get; set; }

    [GlobalSetup(Targets = [nameof(ManagedDouble), nameof(OpenBlasDouble)])]
    public void SetupDouble()
    {
        Blas.Use(BlasProvider.OpenBlas);
        doubles = new GemmOperands<double>(Shape);
    }

    [GlobalSetup(Targets = [nameof(ManagedFloat), nameof(OpenBlasFloat)])]
    public void SetupFloat()
    {
        Blas.Use(BlasProvider.OpenBlas);
        floats = new GemmOperands<float>(Shape);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("double")]
    public void ManagedDouble() => doubles.Managed();

    [Benchmark]
    [BenchmarkCategory("double")]
    public void OpenBlasDouble() => doubles.OpenBlas();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("float")]
    public void ManagedFloat() => floats.Managed();

    [Benchmark]
    [BenchmarkCategory("float")]
    public void OpenBlasFloat() => floats.OpenBlas();

    /// <summary>The operands of one shape (α = 1, β = 0), filled from a seeded generator.</summary>
    private sealed class GemmOperands<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        /// <summary>Rows of C compared between the two implementations in setup.</summary>
        private const int CheckedRows = 64;

        private readonly bool transposeA;
        private readonly int m;
        private readonly int n;
        private readonly int k;
        private readonly T[] a;
        private readonly T[] b;
        private readonly T[] c;

        public GemmOperands(GemmShape shape)
        {
            (transposeA, m, n, k) = shape switch
            {
                GemmShape.Forward => (false, 5000, 10, 784),
                GemmShape.WeightGradient => (true, 784, 10, 5000),
                GemmShape.HiddenLayer => (false, 60000, 1000, 784),
                _ => (false, 1024, 1024, 1024),
            };
            var random = new Random(20261130);
            a = Fill(random, (long)m * k);
            b = Fill(random, (long)k * n);
            c = new T[(long)m * n];
            Check();
        }

        private int Lda => transposeA ? m : k;

        public void Managed() => ManagedBlas.Gemm(transposeA, false, m, n, k, T.One, a, Lda, b, n, T.Zero, c, n);

        public void OpenBlas() => Blas.Gemm(transposeA, false, m, n, k, T.One, a, Lda, b, n, T.Zero, c, n);

        /// <summary>
        /// Both results within twice the bound γ_(k+2)·(|A|·|B|) of each other on the first rows (each is within
        /// γ_(k+2)·(|A|·|B|) of the exact product): a wrong product fails the benchmark instead of producing a number.
        /// </summary>
        private void Check()
        {
            OpenBlas();
            T[] native = (T[])c.Clone();
            Managed();
            double u = double.CreateChecked(T.BitIncrement(T.One) - T.One) / 2;
            double gamma = (k + 2) * u / (1 - ((k + 2) * u));
            for (int i = 0; i < Math.Min(m, CheckedRows); i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        T x = transposeA ? a[((long)p * m) + i] : a[((long)i * k) + p];
                        magnitude += Math.Abs(double.CreateChecked(x) * double.CreateChecked(b[((long)p * n) + j]));
                    }

                    double difference = Math.Abs(double.CreateChecked(c[(i * n) + j]) - double.CreateChecked(native[(i * n) + j]));
                    if (!(difference <= 2 * gamma * magnitude))
                    {
                        throw new InvalidOperationException(
                            $"{typeof(T).Name} {m}×{n}×{k}: C[{i}, {j}] is {c[(i * n) + j]} (managed) and {native[(i * n) + j]} (OpenBLAS), " +
                            $"more than 2·γ_(k+2)·(|A||B|) = {2 * gamma * magnitude:G3} apart.");
                    }
                }
            }
        }

        private static T[] Fill(Random random, long length)
        {
            var data = new T[length];
            for (long i = 0; i < length; i++)
            {
                data[i] = T.CreateTruncating((random.NextDouble() * 2) - 1);
            }

            return data;
        }
    }
}
