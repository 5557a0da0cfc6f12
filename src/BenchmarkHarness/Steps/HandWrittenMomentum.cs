using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>Heavy-ball and Nesterov momentum with weight decay, written by hand.</summary>
public static class HandWrittenMomentum
{
    /// <summary>d = g + wd·w; v ← mu·v + d; w ← w − lr·v.</summary>
    public static void Step(Span<double> w, Span<double> v, ReadOnlySpan<double> g, double lr, double mu, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, g.Length, nameof(g));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), vmu = Vector512.Create(mu), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> vv = Vector512.FusedMultiplyAdd(vmu, Vector512.LoadUnsafe(ref vr, (nuint)i), d);
            vv.StoreUnsafe(ref vr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnlr, vv, wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            v[i] = Math.FusedMultiplyAdd(mu, v[i], d);
            w[i] = Math.FusedMultiplyAdd(-lr, v[i], w[i]);
        }
    }

    /// <summary>d = g + wd·w; v ← mu·v + d; w ← w − lr·(d + mu·v).</summary>
    public static void NesterovStep(Span<double> w, Span<double> v, ReadOnlySpan<double> g, double lr, double mu, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, g.Length, nameof(g));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), vmu = Vector512.Create(mu), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> vv = Vector512.FusedMultiplyAdd(vmu, Vector512.LoadUnsafe(ref vr, (nuint)i), d);
            vv.StoreUnsafe(ref vr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnlr, Vector512.FusedMultiplyAdd(vmu, vv, d), wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            v[i] = Math.FusedMultiplyAdd(mu, v[i], d);
            w[i] = Math.FusedMultiplyAdd(-lr, Math.FusedMultiplyAdd(mu, v[i], d), w[i]);
        }
    }
}
