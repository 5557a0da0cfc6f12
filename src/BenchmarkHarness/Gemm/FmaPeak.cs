using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace AutoHypergrad.BenchmarkHarness.Gemm;

/// <summary>
/// The machine's measured floating-point peak: twelve independent chains of vector fused multiply-adds (enough to
/// hide the latency on two FMA pipes), nothing else in the loop, on 1 and on N threads at once.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 12;

    /// <summary>GFLOP/s of <typeparamref name="T"/> FMAs on <paramref name="threads"/> threads (2 flops per lane per FMA).</summary>
    public static double GigaflopsPerSecond<T>(int threads, double seconds)
        where T : struct
    {
        long iterations = 1_000_000;
        Run<T>(iterations);
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            Run<T>(iterations);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (elapsed >= seconds / 4)
            {
                iterations = (long)(iterations * (seconds / elapsed));
                break;
            }

            iterations *= 4;
        }

        double best = 0;
        for (int repetition = 0; repetition < 3; repetition++)
        {
            long start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Run<T>(iterations));
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * iterations * Chains * 2.0 * Lanes<T>() / elapsed / 1e9);
        }

        return best;
    }

    /// <summary>The vector width the peak is measured with.</summary>
    public static string Width => Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256";

    private static int Lanes<T>()
        where T : struct
        => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;

    private static double Run<T>(long iterations)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.IsHardwareAccelerated ? Chains512(iterations, 1.0000001, 0.999999) : Chains256(iterations, 1.0000001, 0.999999);
        }

        return Vector512.IsHardwareAccelerated ? Chains512(iterations, 1.0001f, 0.9999f) : Chains256(iterations, 1.0001f, 0.9999f);
    }

    // Every accumulator is a local with no call in the loop, so that all twelve stay in registers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains512(long iterations, double x, double y)
    {
        Vector512<double> vx = Vector512.Create(x), vy = Vector512.Create(y);
        Vector512<double> c0 = vx, c1 = vy, c2 = vx + vy, c3 = vx - vy, c4 = vx * vy, c5 = vx * vx;
        Vector512<double> c6 = vy * vy, c7 = vx + vx, c8 = vy + vy, c9 = vx * 3, c10 = vy * 3, c11 = vx * 5;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, vx, vy);
            c1 = Vector512.FusedMultiplyAdd(c1, vx, vy);
            c2 = Vector512.FusedMultiplyAdd(c2, vx, vy);
            c3 = Vector512.FusedMultiplyAdd(c3, vx, vy);
            c4 = Vector512.FusedMultiplyAdd(c4, vx, vy);
            c5 = Vector512.FusedMultiplyAdd(c5, vx, vy);
            c6 = Vector512.FusedMultiplyAdd(c6, vx, vy);
            c7 = Vector512.FusedMultiplyAdd(c7, vx, vy);
            c8 = Vector512.FusedMultiplyAdd(c8, vx, vy);
            c9 = Vector512.FusedMultiplyAdd(c9, vx, vy);
            c10 = Vector512.FusedMultiplyAdd(c10, vx, vy);
            c11 = Vector512.FusedMultiplyAdd(c11, vx, vy);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains512(long iterations, float x, float y)
    {
        Vector512<float> vx = Vector512.Create(x), vy = Vector512.Create(y);
        Vector512<float> c0 = vx, c1 = vy, c2 = vx + vy, c3 = vx - vy, c4 = vx * vy, c5 = vx * vx;
        Vector512<float> c6 = vy * vy, c7 = vx + vx, c8 = vy + vy, c9 = vx * 3, c10 = vy * 3, c11 = vx * 5;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, vx, vy);
            c1 = Vector512.FusedMultiplyAdd(c1, vx, vy);
            c2 = Vector512.FusedMultiplyAdd(c2, vx, vy);
            c3 = Vector512.FusedMultiplyAdd(c3, vx, vy);
            c4 = Vector512.FusedMultiplyAdd(c4, vx, vy);
            c5 = Vector512.FusedMultiplyAdd(c5, vx, vy);
            c6 = Vector512.FusedMultiplyAdd(c6, vx, vy);
            c7 = Vector512.FusedMultiplyAdd(c7, vx, vy);
            c8 = Vector512.FusedMultiplyAdd(c8, vx, vy);
            c9 = Vector512.FusedMultiplyAdd(c9, vx, vy);
            c10 = Vector512.FusedMultiplyAdd(c10, vx, vy);
            c11 = Vector512.FusedMultiplyAdd(c11, vx, vy);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains256(long iterations, double x, double y)
    {
        Vector256<double> vx = Vector256.Create(x), vy = Vector256.Create(y);
        Vector256<double> c0 = vx, c1 = vy, c2 = vx + vy, c3 = vx - vy, c4 = vx * vy, c5 = vx * vx;
        Vector256<double> c6 = vy * vy, c7 = vx + vx, c8 = vy + vy, c9 = vx * 3, c10 = vy * 3, c11 = vx * 5;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, vx, vy);
            c1 = Vector256.FusedMultiplyAdd(c1, vx, vy);
            c2 = Vector256.FusedMultiplyAdd(c2, vx, vy);
            c3 = Vector256.FusedMultiplyAdd(c3, vx, vy);
            c4 = Vector256.FusedMultiplyAdd(c4, vx, vy);
            c5 = Vector256.FusedMultiplyAdd(c5, vx, vy);
            c6 = Vector256.FusedMultiplyAdd(c6, vx, vy);
            c7 = Vector256.FusedMultiplyAdd(c7, vx, vy);
            c8 = Vector256.FusedMultiplyAdd(c8, vx, vy);
            c9 = Vector256.FusedMultiplyAdd(c9, vx, vy);
            c10 = Vector256.FusedMultiplyAdd(c10, vx, vy);
            c11 = Vector256.FusedMultiplyAdd(c11, vx, vy);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains256(long iterations, float x, float y)
    {
        Vector256<float> vx = Vector256.Create(x), vy = Vector256.Create(y);
        Vector256<float> c0 = vx, c1 = vy, c2 = vx + vy, c3 = vx - vy, c4 = vx * vy, c5 = vx * vx;
        Vector256<float> c6 = vy * vy, c7 = vx + vx, c8 = vy + vy, c9 = vx * 3, c10 = vy * 3, c11 = vx * 5;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, vx, vy);
            c1 = Vector256.FusedMultiplyAdd(c1, vx, vy);
            c2 = Vector256.FusedMultiplyAdd(c2, vx, vy);
            c3 = Vector256.FusedMultiplyAdd(c3, vx, vy);
            c4 = Vector256.FusedMultiplyAdd(c4, vx, vy);
            c5 = Vector256.FusedMultiplyAdd(c5, vx, vy);
            c6 = Vector256.FusedMultiplyAdd(c6, vx, vy);
            c7 = Vector256.FusedMultiplyAdd(c7, vx, vy);
            c8 = Vector256.FusedMultiplyAdd(c8, vx, vy);
            c9 = Vector256.FusedMultiplyAdd(c9, vx, vy);
            c10 = Vector256.FusedMultiplyAdd(c10, vx, vy);
            c11 = Vector256.FusedMultiplyAdd(c11, vx, vy);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
