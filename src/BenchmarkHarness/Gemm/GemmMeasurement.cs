using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using AutoHypergrad.LinearAlgebra;

namespace AutoHypergrad.BenchmarkHarness.Gemm;

/// <summary>How long and how often each product is timed.</summary>
/// <param name="TargetSeconds">The least time one sample (a batch of calls) takes.</param>
/// <param name="Samples">Samples per implementation, interleaved; the median is reported.</param>
public sealed record GemmTimingSettings(double TargetSeconds, int Samples)
{
    public static GemmTimingSettings Full { get; } = new(0.25, 7);

    public static GemmTimingSettings Quick { get; } = new(0.02, 3);
}

/// <summary>One row of the table: a product in one precision, managed against OpenBLAS.</summary>
public sealed record GemmRow(
    string Product,
    string Shape,
    string Precision,
    int M,
    int N,
    int K,
    bool TransposeA,
    bool TransposeB,
    double ManagedMilliseconds,
    double ManagedGflops,
    double? OpenBlasMilliseconds,
    double? OpenBlasGflops,
    double? ManagedOverOpenBlas,
    double ManagedPercentOfPeak,
    double? OpenBlasPercentOfPeak,
    double? AgreementOverBound);

/// <summary>Times one <see cref="GemmCase"/>: operands allocated once, a check that both implementations agree, then interleaved samples.</summary>
public static class GemmMeasurement
{
    /// <summary>Rows of C whose agreement is checked (all of them up to this many).</summary>
    private const int CheckedRows = 1024;

    public static GemmRow Measure<T>(GemmCase product, GemmTimingSettings settings, bool openBlas, double peakGflops, Action<string> status)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        string precision = typeof(T) == typeof(float) ? "float" : "double";
        status($"{product.Name}, {precision}: allocating");
        var random = new Random(20261130);
        GemmOperands<T> operands = GemmOperands<T>.Create(product, random);

        double? agreement = null;
        if (openBlas)
        {
            status($"{product.Name}, {precision}: checking agreement");
            agreement = operands.Agreement();
        }

        status($"{product.Name}, {precision}: timing");
        (double managed, double? native) = Time(operands.RunManaged, openBlas ? operands.RunOpenBlas : null, settings);
        double Gflops(double seconds) => product.Flops / seconds / 1e9;
        return new GemmRow(
            product.Name, product.Shape, precision, product.M, product.N, product.K, product.TransposeA, product.TransposeB,
            managed * 1e3, Gflops(managed), native * 1e3, native is null ? null : Gflops(native.Value),
            native is null ? null : native.Value / managed,
            100 * Gflops(managed) / peakGflops, native is null ? null : 100 * Gflops(native.Value) / peakGflops,
            agreement);
    }

    /// <summary>
    /// After a call, OpenBLAS's worker threads spin for about 0.1 s (2^28 cycles, its default THREAD_TIMEOUT) before
    /// they sleep, and .NET's thread-pool threads spin briefly too: the other implementation, timed meanwhile, would
    /// share its cores with them. Every batch is followed by this pause.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Median seconds per call of each: two warm-up calls each, a batch size calibrated on the slower to take at
    /// least the target time, then samples that alternate between the two (each batch followed by a pause that lets
    /// the threads of the one just timed go idle), so that a change of load on the machine affects both alike.
    /// </summary>
    private static (double Managed, double? OpenBlas) Time(Action managed, Action? openBlas, GemmTimingSettings settings)
    {
        for (int i = 0; i < 2; i++)
        {
            managed();
            openBlas?.Invoke();
        }

        long calls = 1;
        while (true)
        {
            double elapsed = Math.Max(Batch(managed, calls), openBlas is null ? 0 : Batch(openBlas, calls));
            if (elapsed >= settings.TargetSeconds)
            {
                break;
            }

            calls = (long)Math.Ceiling(calls * Math.Clamp(settings.TargetSeconds * 1.1 / Math.Max(elapsed, 1e-6), 2, 1000));
        }

        var managedSamples = new double[settings.Samples];
        var openBlasSamples = new double[settings.Samples];
        Thread.Sleep(Settle);
        for (int s = 0; s < settings.Samples; s++)
        {
            managedSamples[s] = Batch(managed, calls) / calls;
            Thread.Sleep(Settle);
            if (openBlas is not null)
            {
                openBlasSamples[s] = Batch(openBlas, calls) / calls;
                Thread.Sleep(Settle);
            }
        }

        return (Median(managedSamples), openBlas is null ? null : Median(openBlasSamples));
    }

    private static double Batch(Action action, long calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (long c = 0; c < calls; c++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[(n / 2) - 1] + values[n / 2]);
    }

    /// <summary>The operands of one product, C ← A·B (α = 1, β = 0), and the calls on them.</summary>
    private sealed class GemmOperands<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly GemmCase product;
        private readonly T[] a;
        private readonly T[] b;
        private readonly T[] c;
        private readonly int lda;
        private readonly int ldb;

        private GemmOperands(GemmCase product, T[] a, T[] b, T[] c, int lda, int ldb)
        {
            this.product = product;
            this.a = a;
            this.b = b;
            this.c = c;
            this.lda = lda;
            this.ldb = ldb;
        }

        public static GemmOperands<T> Create(GemmCase product, Random random)
        {
            if (product.IsGemv)
            {
                // A is m × n; x has n elements (m transposed), y the other count.
                return new GemmOperands<T>(
                    product, Fill(random, (long)product.M * product.N), Fill(random, product.TransposeA ? product.M : product.N),
                    new T[product.TransposeA ? product.N : product.M], product.N, 0);
            }

            return new GemmOperands<T>(
                product, Fill(random, (long)product.M * product.K), Fill(random, (long)product.K * product.N),
                new T[(long)product.M * product.N], product.TransposeA ? product.M : product.K, product.TransposeB ? product.K : product.N);
        }

        public void RunManaged() => Run(c, managed: true);

        public void RunOpenBlas() => Run(c, managed: false);

        /// <summary>
        /// max over the first rows of C of |C_managed − C_OpenBLAS| / (2·γ_(k+2)·(|A|·|B|)): each result is within
        /// γ_(k+2)·(|A|·|B|) of the exact one, so a value above 1 means one of them is wrong.
        /// </summary>
        public double Agreement()
        {
            T[] managed = new T[c.Length], native = new T[c.Length];
            Run(managed, managed: true);
            Run(native, managed: false);

            // |A|·|B| over the checked rows (all columns), with the managed code.
            bool gemv = product.IsGemv;
            int inner = gemv ? (product.TransposeA ? product.M : product.N) : product.K;
            int rows = gemv ? managed.Length : Math.Min(product.M, CheckedRows);
            int cols = gemv ? 1 : product.N;
            T[] magnitude = new T[(long)rows * cols];
            T[] absA = Abs(a), absB = Abs(b);
            if (gemv)
            {
                ManagedBlas.Gemv(product.TransposeA, product.M, product.N, T.One, absA, lda, absB, T.Zero, magnitude);
            }
            else
            {
                // Rows [0, rows) of op(A): a prefix of A (not transposed) or of each of its rows (transposed, lda = m).
                ManagedBlas.Gemm(product.TransposeA, product.TransposeB, rows, cols, product.K, T.One, absA, lda, absB, ldb, T.Zero, magnitude, cols);
            }

            double u = double.CreateChecked(T.BitIncrement(T.One) - T.One) / 2;
            double gamma = (inner + 2) * u / (1 - ((inner + 2) * u));
            double worst = 0;
            for (int i = 0; i < magnitude.Length; i++)
            {
                double difference = Math.Abs(double.CreateChecked(managed[i]) - double.CreateChecked(native[i]));
                double bound = 2 * gamma * double.CreateChecked(magnitude[i]);
                double ratio = difference == 0 ? 0 : difference / bound;
                worst = double.IsNaN(ratio) ? double.PositiveInfinity : Math.Max(worst, ratio);
            }

            return worst;
        }

        private void Run(T[] result, bool managed)
        {
            if (product.IsGemv)
            {
                if (managed)
                {
                    ManagedBlas.Gemv(product.TransposeA, product.M, product.N, T.One, a, lda, b, T.Zero, result);
                }
                else
                {
                    Blas.Gemv(product.TransposeA, product.M, product.N, T.One, a, lda, b, T.Zero, result);
                }

                return;
            }

            if (managed)
            {
                ManagedBlas.Gemm(product.TransposeA, product.TransposeB, product.M, product.N, product.K, T.One, a, lda, b, ldb, T.Zero, result, product.N);
            }
            else
            {
                Blas.Gemm(product.TransposeA, product.TransposeB, product.M, product.N, product.K, T.One, a, lda, b, ldb, T.Zero, result, product.N);
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

        private static T[] Abs(T[] values)
        {
            var result = new T[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                result[i] = T.Abs(values[i]);
            }

            return result;
        }
    }
}
