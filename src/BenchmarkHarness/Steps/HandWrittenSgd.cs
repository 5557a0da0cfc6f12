using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>SGD with weight decay, written by hand: w ← w − lr·(g + wd·w).</summary>
public static class HandWrittenSgd
{
    public static void Step(Span<double> w, ReadOnlySpan<double> g, double lr, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, g.Length, nameof(g));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512.FusedMultiplyAdd(vnlr, d, wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            w[i] = Math.FusedMultiplyAdd(-lr, d, w[i]);
        }
    }
}

/// <summary>Argument checks shared by the hand-written kernels (the generated ones make the same).</summary>
public static class Check
{
    public static void SameLength(int expected, int actual, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual}; w has length {expected}: they must be equal.", name);
        }
    }
}
