using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>How long and how often each kernel is timed.</summary>
/// <param name="TargetSeconds">The least time one measurement (a batch of calls) takes.</param>
/// <param name="Samples">Measurements per kernel; the median is reported.</param>
/// <param name="TriadLength">Doubles per triad array.</param>
/// <param name="TriadRepetitions">Triad passes; the best is reported.</param>
public sealed record TimingSettings(double TargetSeconds, int Samples, int TriadLength, int TriadRepetitions)
{
    public static TimingSettings Full { get; } = new(0.05, 5, 20_000_000, 10);

    public static TimingSettings Quick { get; } = new(0.01, 3, 10_000_000, 5);
}

/// <summary>Stopwatch timing: warm-up, a batch of calls calibrated to the target time, the median of several batches.</summary>
public static class BenchTimer
{
    /// <summary>Nanoseconds per element of <paramref name="kernel"/> on <paramref name="buffers"/>.</summary>
    public static double NanosecondsPerElement(Action<StepBuffers> kernel, StepBuffers buffers, TimingSettings settings)
        => SecondsPerCall(() => kernel(buffers), settings) * 1e9 / buffers.Length;

    /// <summary>The median time of one call of <paramref name="call"/>, in seconds.</summary>
    public static double SecondsPerCall(Action call, TimingSettings settings)
    {
        // Warm-up: the code is compiled on its first call (tiered compilation is off) and the data is brought in.
        call();
        call();
        long calls = 1;
        while (true)
        {
            double elapsed = Time(call, calls);
            if (elapsed >= settings.TargetSeconds)
            {
                break;
            }

            double scale = settings.TargetSeconds * 1.1 / Math.Max(elapsed, 1e-7);
            calls = (long)Math.Ceiling(calls * Math.Clamp(scale, 2, 1000));
        }

        double[] perCall = new double[settings.Samples];
        for (int k = 0; k < perCall.Length; k++)
        {
            perCall[k] = Time(call, calls) / calls;
        }

        Array.Sort(perCall);
        return perCall.Length % 2 == 1
            ? perCall[perCall.Length / 2]
            : 0.5 * (perCall[perCall.Length / 2 - 1] + perCall[perCall.Length / 2]);
    }

    private static double Time(Action call, long calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (long c = 0; c < calls; c++)
        {
            call();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}

/// <summary>A STREAM-style triad a[i] = b[i] + s·c[i], single-threaded like the kernels: the memory bandwidth they face.</summary>
public static class Triad
{
    /// <summary>The best bandwidth of <paramref name="repetitions"/> passes over arrays of <paramref name="length"/> doubles, in bytes/s (3 × 8 bytes per element).</summary>
    public static double BytesPerSecond(int length, int repetitions)
    {
        double[] a = new double[length], b = new double[length], c = new double[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = i;
            c[i] = 0.5 * i;
        }

        double best = double.PositiveInfinity;
        for (int r = 0; r < repetitions + 1; r++)
        {
            long start = Stopwatch.GetTimestamp();
            Run(a, b, c, 3.0);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (r > 0)
            {
                best = Math.Min(best, elapsed);
            }
        }

        GC.KeepAlive(a);
        return 3.0 * sizeof(double) * length / best;
    }

    private static void Run(Span<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, double s)
    {
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double cr = ref MemoryMarshal.GetReference(c);
        Vector512<double> vs = Vector512.Create(s);
        int n = a.Length, i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512.FusedMultiplyAdd(vs, Vector512.LoadUnsafe(ref cr, (nuint)i), Vector512.LoadUnsafe(ref br, (nuint)i))
                .StoreUnsafe(ref ar, (nuint)i);
        }

        for (; i < n; i++)
        {
            a[i] = b[i] + s * c[i];
        }
    }
}
