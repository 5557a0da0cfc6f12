using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>The primal steps of AdamW, RMSProp, Adagrad, Adadelta and Lion, written by hand (Vector512, scalar tail).</summary>
public static class HandWrittenAdaptive
{
    /// <summary>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lr·(m̂/(√v̂ + ε) + wd·w).</summary>
    public static void AdamWStep(
        Span<double> w, Span<double> m, Span<double> v, ReadOnlySpan<double> g,
        double lr, double beta1, double beta2, double eps, double wd, double t, bool epsInsideSqrt)
    {
        int n = w.Length;
        Check.SameLength(n, m.Length, nameof(m));
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, g.Length, nameof(g));
        double c1 = 1.0 - beta1, c2 = 1.0 - beta2, decay = 1.0 - lr * wd;
        double stepSize = lr / (1.0 - Math.Pow(beta1, t));
        double inv2 = 1.0 / (1.0 - Math.Pow(beta2, t));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vb1 = Vector512.Create(beta1), vc1 = Vector512.Create(c1), vdecay = Vector512.Create(decay);
        Vector512<double> vb2 = Vector512.Create(beta2), vc2 = Vector512.Create(c2), vinv2 = Vector512.Create(inv2);
        Vector512<double> veps = Vector512.Create(eps), vnstep = Vector512.Create(-stepSize);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> gv = Vector512.LoadUnsafe(ref gr, (nuint)i);
            Vector512<double> mv = Vector512.FusedMultiplyAdd(vb1, Vector512.LoadUnsafe(ref mr, (nuint)i), vc1 * gv);
            Vector512<double> vv = Vector512.FusedMultiplyAdd(vb2, Vector512.LoadUnsafe(ref vr, (nuint)i), vc2 * gv * gv);
            Vector512<double> den = epsInsideSqrt
                ? Vector512.Sqrt(Vector512.FusedMultiplyAdd(vv, vinv2, veps))
                : Vector512.Sqrt(vv * vinv2) + veps;
            mv.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnstep, mv / den, vdecay * Vector512.LoadUnsafe(ref wr, (nuint)i)).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            m[i] = Math.FusedMultiplyAdd(beta1, m[i], c1 * g[i]);
            v[i] = Math.FusedMultiplyAdd(beta2, v[i], c2 * g[i] * g[i]);
            double den = epsInsideSqrt ? Math.Sqrt(Math.FusedMultiplyAdd(v[i], inv2, eps)) : Math.Sqrt(v[i] * inv2) + eps;
            w[i] = Math.FusedMultiplyAdd(-stepSize, m[i] / den, decay * w[i]);
        }
    }

    /// <summary>d = g + wd·w; s ← αs + (1−α)d²; w ← w − lr·d/(√s + ε).</summary>
    public static void RmsPropStep(Span<double> w, Span<double> s, ReadOnlySpan<double> g, double lr, double alpha, double eps, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, s.Length, nameof(s));
        Check.SameLength(n, g.Length, nameof(g));
        double c = 1.0 - alpha;
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double sr = ref MemoryMarshal.GetReference(s);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), valpha = Vector512.Create(alpha), vc = Vector512.Create(c);
        Vector512<double> veps = Vector512.Create(eps), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> sv = Vector512.FusedMultiplyAdd(valpha, Vector512.LoadUnsafe(ref sr, (nuint)i), vc * d * d);
            sv.StoreUnsafe(ref sr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnlr, d / (Vector512.Sqrt(sv) + veps), wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            s[i] = Math.FusedMultiplyAdd(alpha, s[i], c * d * d);
            w[i] = Math.FusedMultiplyAdd(-lr, d / (Math.Sqrt(s[i]) + eps), w[i]);
        }
    }

    /// <summary>d = g + wd·w; s ← s + d²; w ← w − lr·d/(√s + ε).</summary>
    public static void AdagradStep(Span<double> w, Span<double> s, ReadOnlySpan<double> g, double lr, double eps, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, s.Length, nameof(s));
        Check.SameLength(n, g.Length, nameof(g));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double sr = ref MemoryMarshal.GetReference(s);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), veps = Vector512.Create(eps), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> sv = Vector512.FusedMultiplyAdd(d, d, Vector512.LoadUnsafe(ref sr, (nuint)i));
            sv.StoreUnsafe(ref sr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnlr, d / (Vector512.Sqrt(sv) + veps), wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            s[i] = Math.FusedMultiplyAdd(d, d, s[i]);
            w[i] = Math.FusedMultiplyAdd(-lr, d / (Math.Sqrt(s[i]) + eps), w[i]);
        }
    }

    /// <summary>d = g + wd·w; s ← ρs + (1−ρ)d²; δ = √((u + ε)/(s + ε))·d; u ← ρu + (1−ρ)δ²; w ← w − lr·δ.</summary>
    public static void AdadeltaStep(
        Span<double> w, Span<double> s, Span<double> u, ReadOnlySpan<double> g, double lr, double rho, double eps, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, s.Length, nameof(s));
        Check.SameLength(n, u.Length, nameof(u));
        Check.SameLength(n, g.Length, nameof(g));
        double c = 1.0 - rho;
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double sr = ref MemoryMarshal.GetReference(s);
        ref double ur = ref MemoryMarshal.GetReference(u);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), vrho = Vector512.Create(rho), vc = Vector512.Create(c);
        Vector512<double> veps = Vector512.Create(eps), vnlr = Vector512.Create(-lr);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> uv = Vector512.LoadUnsafe(ref ur, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> sv = Vector512.FusedMultiplyAdd(vrho, Vector512.LoadUnsafe(ref sr, (nuint)i), vc * d * d);
            Vector512<double> delta = Vector512.Sqrt((uv + veps) / (sv + veps)) * d;
            sv.StoreUnsafe(ref sr, (nuint)i);
            Vector512.FusedMultiplyAdd(vrho, uv, vc * delta * delta).StoreUnsafe(ref ur, (nuint)i);
            Vector512.FusedMultiplyAdd(vnlr, delta, wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            s[i] = Math.FusedMultiplyAdd(rho, s[i], c * d * d);
            double delta = Math.Sqrt((u[i] + eps) / (s[i] + eps)) * d;
            u[i] = Math.FusedMultiplyAdd(rho, u[i], c * delta * delta);
            w[i] = Math.FusedMultiplyAdd(-lr, delta, w[i]);
        }
    }

    /// <summary>c = β₁m + (1−β₁)g; w ← w − lr·(sign(c) + wd·w); m ← β₂m + (1−β₂)g.</summary>
    public static void LionStep(
        Span<double> w, Span<double> m, ReadOnlySpan<double> g, double lr, double beta1, double beta2, double wd)
    {
        int n = w.Length;
        Check.SameLength(n, m.Length, nameof(m));
        Check.SameLength(n, g.Length, nameof(g));
        double c1 = 1.0 - beta1, c2 = 1.0 - beta2;
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vb1 = Vector512.Create(beta1), vc1 = Vector512.Create(c1), vb2 = Vector512.Create(beta2);
        Vector512<double> vc2 = Vector512.Create(c2), vwd = Vector512.Create(wd), vnlr = Vector512.Create(-lr);
        Vector512<double> one = Vector512<double>.One, zero = Vector512<double>.Zero;
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> mv = Vector512.LoadUnsafe(ref mr, (nuint)i);
            Vector512<double> gv = Vector512.LoadUnsafe(ref gr, (nuint)i);
            Vector512<double> c = Vector512.FusedMultiplyAdd(vb1, mv, vc1 * gv);
            Vector512<double> sign = (Vector512.GreaterThan(c, zero) & one) - (Vector512.LessThan(c, zero) & one);
            Vector512.FusedMultiplyAdd(vnlr, Vector512.FusedMultiplyAdd(vwd, wv, sign), wv).StoreUnsafe(ref wr, (nuint)i);
            Vector512.FusedMultiplyAdd(vb2, mv, vc2 * gv).StoreUnsafe(ref mr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double c = Math.FusedMultiplyAdd(beta1, m[i], c1 * g[i]);
            w[i] = Math.FusedMultiplyAdd(-lr, Math.FusedMultiplyAdd(wd, w[i], Math.Sign(c)), w[i]);
            m[i] = Math.FusedMultiplyAdd(beta2, m[i], c2 * g[i]);
        }
    }
}
