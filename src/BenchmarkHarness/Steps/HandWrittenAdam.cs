using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>
/// Adam with L2 weight decay written by hand: the primal step, its tangent and its adjoint, with the same contract as
/// the generated span drivers. The uniform work (bias corrections, their derivatives, reciprocals) is done once
/// outside the loop; inside it, divisions by uniform values are multiplications by reciprocals, and only the branch
/// of <c>epsInsideSqrt</c> that is taken is computed.
/// <code>
/// d = g + wd·w;  m ← β₁m + (1−β₁)d;  v ← β₂v + (1−β₂)d²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);  w ← w − lr·m̂/(√v̂ + ε)
/// </code>
/// </summary>
public static class HandWrittenAdam
{
    public static void Step(
        Span<double> w, Span<double> m, Span<double> v, ReadOnlySpan<double> g,
        double lr, double beta1, double beta2, double eps, double wd, double t, bool epsInsideSqrt)
    {
        int n = w.Length;
        Check.SameLength(n, m.Length, nameof(m));
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, g.Length, nameof(g));
        double c1 = 1.0 - beta1, c2 = 1.0 - beta2;
        double stepSize = lr / (1.0 - Math.Pow(beta1, t));
        double inv2 = 1.0 / (1.0 - Math.Pow(beta2, t));
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double gr = ref MemoryMarshal.GetReference(g);
        Vector512<double> vwd = Vector512.Create(wd), vb1 = Vector512.Create(beta1), vc1 = Vector512.Create(c1);
        Vector512<double> vb2 = Vector512.Create(beta2), vc2 = Vector512.Create(c2), vinv2 = Vector512.Create(inv2);
        Vector512<double> veps = Vector512.Create(eps), vnstep = Vector512.Create(-stepSize);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> mv = Vector512.FusedMultiplyAdd(vb1, Vector512.LoadUnsafe(ref mr, (nuint)i), vc1 * d);
            Vector512<double> vv = Vector512.FusedMultiplyAdd(vb2, Vector512.LoadUnsafe(ref vr, (nuint)i), vc2 * d * d);
            Vector512<double> den = epsInsideSqrt
                ? Vector512.Sqrt(Vector512.FusedMultiplyAdd(vv, vinv2, veps))
                : Vector512.Sqrt(vv * vinv2) + veps;
            mv.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            Vector512.FusedMultiplyAdd(vnstep, mv / den, wv).StoreUnsafe(ref wr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            m[i] = Math.FusedMultiplyAdd(beta1, m[i], c1 * d);
            v[i] = Math.FusedMultiplyAdd(beta2, v[i], c2 * d * d);
            double den = epsInsideSqrt ? Math.Sqrt(Math.FusedMultiplyAdd(v[i], inv2, eps)) : Math.Sqrt(v[i] * inv2) + eps;
            w[i] = Math.FusedMultiplyAdd(-stepSize, m[i] / den, w[i]);
        }
    }

    public static void StepTangent(
        Span<double> w, Span<double> wDot, Span<double> m, Span<double> mDot, Span<double> v, Span<double> vDot,
        ReadOnlySpan<double> g, ReadOnlySpan<double> gDot,
        double lr, double lrDot, double beta1, double beta1Dot, double beta2, double beta2Dot,
        double eps, double epsDot, double wd, double wdDot, double t, bool epsInsideSqrt)
    {
        int n = w.Length;
        Check.SameLength(n, wDot.Length, nameof(wDot));
        Check.SameLength(n, m.Length, nameof(m));
        Check.SameLength(n, mDot.Length, nameof(mDot));
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, vDot.Length, nameof(vDot));
        Check.SameLength(n, g.Length, nameof(g));
        Check.SameLength(n, gDot.Length, nameof(gDot));
        var u = new AdamUniforms(beta1, beta1Dot, beta2, beta2Dot, t);
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double wdr = ref MemoryMarshal.GetReference(wDot);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double mdr = ref MemoryMarshal.GetReference(mDot);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double vdr = ref MemoryMarshal.GetReference(vDot);
        ref double gr = ref MemoryMarshal.GetReference(g);
        ref double gdr = ref MemoryMarshal.GetReference(gDot);
        Vector512<double> vwd = Vector512.Create(wd), vwdDot = Vector512.Create(wdDot);
        Vector512<double> vb1 = Vector512.Create(beta1), vb1Dot = Vector512.Create(beta1Dot);
        Vector512<double> vc1 = Vector512.Create(u.C1), vc1Dot = Vector512.Create(-beta1Dot);
        Vector512<double> vb2 = Vector512.Create(beta2), vb2Dot = Vector512.Create(beta2Dot);
        Vector512<double> vc2 = Vector512.Create(u.C2), vc2Dot = Vector512.Create(-beta2Dot);
        Vector512<double> vinv1 = Vector512.Create(u.Inv1), vbc1Dot = Vector512.Create(u.Bc1Dot);
        Vector512<double> vinv2 = Vector512.Create(u.Inv2), vbc2Dot = Vector512.Create(u.Bc2Dot);
        Vector512<double> veps = Vector512.Create(eps), vepsDot = Vector512.Create(epsDot);
        Vector512<double> vlr = Vector512.Create(lr), vlrDot = Vector512.Create(lrDot), half = Vector512.Create(0.5);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> wDotV = Vector512.LoadUnsafe(ref wdr, (nuint)i);
            Vector512<double> mv = Vector512.LoadUnsafe(ref mr, (nuint)i);
            Vector512<double> vv = Vector512.LoadUnsafe(ref vr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));
            Vector512<double> dDot = Vector512.FusedMultiplyAdd(
                vwd, wDotV, Vector512.FusedMultiplyAdd(vwdDot, wv, Vector512.LoadUnsafe(ref gdr, (nuint)i)));
            Vector512<double> mDotV = Vector512.FusedMultiplyAdd(vb1Dot, mv, Vector512.FusedMultiplyAdd(
                vb1, Vector512.LoadUnsafe(ref mdr, (nuint)i), Vector512.FusedMultiplyAdd(vc1Dot, d, vc1 * dDot)));
            mv = Vector512.FusedMultiplyAdd(vb1, mv, vc1 * d);
            Vector512<double> t3 = vc2 * d;
            Vector512<double> t3Dot = Vector512.FusedMultiplyAdd(vc2Dot, d, vc2 * dDot);
            Vector512<double> vDotV = Vector512.FusedMultiplyAdd(vb2Dot, vv, Vector512.FusedMultiplyAdd(
                vb2, Vector512.LoadUnsafe(ref vdr, (nuint)i), Vector512.FusedMultiplyAdd(t3Dot, d, t3 * dDot)));
            vv = Vector512.FusedMultiplyAdd(vb2, vv, t3 * d);
            Vector512<double> mHat = mv * vinv1;
            Vector512<double> mHatDot = (mDotV - mHat * vbc1Dot) * vinv1;
            Vector512<double> vHat = vv * vinv2;
            Vector512<double> vHatDot = (vDotV - vHat * vbc2Dot) * vinv2;
            Vector512<double> den, denDot;
            if (epsInsideSqrt)
            {
                den = Vector512.Sqrt(vHat + veps);
                denDot = (vHatDot + vepsDot) * (half / den);
            }
            else
            {
                Vector512<double> s = Vector512.Sqrt(vHat);
                den = s + veps;
                denDot = Vector512.FusedMultiplyAdd(vHatDot, half / s, vepsDot);
            }

            Vector512<double> rden = Vector512<double>.One / den;
            Vector512<double> step = vlr * mHat * rden;
            Vector512<double> stepDot = (Vector512.FusedMultiplyAdd(vlrDot, mHat, vlr * mHatDot) - step * denDot) * rden;
            (wv - step).StoreUnsafe(ref wr, (nuint)i);
            (wDotV - stepDot).StoreUnsafe(ref wdr, (nuint)i);
            mv.StoreUnsafe(ref mr, (nuint)i);
            mDotV.StoreUnsafe(ref mdr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            vDotV.StoreUnsafe(ref vdr, (nuint)i);
        }

        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            double dDot = Math.FusedMultiplyAdd(wd, wDot[i], Math.FusedMultiplyAdd(wdDot, w[i], gDot[i]));
            double mDotS = Math.FusedMultiplyAdd(beta1Dot, m[i], Math.FusedMultiplyAdd(beta1, mDot[i], Math.FusedMultiplyAdd(-beta1Dot, d, u.C1 * dDot)));
            double mS = Math.FusedMultiplyAdd(beta1, m[i], u.C1 * d);
            double t3 = u.C2 * d;
            double t3Dot = Math.FusedMultiplyAdd(-beta2Dot, d, u.C2 * dDot);
            double vDotS = Math.FusedMultiplyAdd(beta2Dot, v[i], Math.FusedMultiplyAdd(beta2, vDot[i], Math.FusedMultiplyAdd(t3Dot, d, t3 * dDot)));
            double vS = Math.FusedMultiplyAdd(beta2, v[i], t3 * d);
            double mHat = mS * u.Inv1, mHatDot = (mDotS - mHat * u.Bc1Dot) * u.Inv1;
            double vHat = vS * u.Inv2, vHatDot = (vDotS - vHat * u.Bc2Dot) * u.Inv2;
            double den, denDot;
            if (epsInsideSqrt)
            {
                den = Math.Sqrt(vHat + eps);
                denDot = (vHatDot + epsDot) * (0.5 / den);
            }
            else
            {
                double s = Math.Sqrt(vHat);
                den = s + eps;
                denDot = Math.FusedMultiplyAdd(vHatDot, 0.5 / s, epsDot);
            }

            double rden = 1.0 / den;
            double step = lr * mHat * rden;
            double stepDot = (Math.FusedMultiplyAdd(lrDot, mHat, lr * mHatDot) - step * denDot) * rden;
            w[i] -= step;
            wDot[i] -= stepDot;
            m[i] = mS;
            mDot[i] = mDotS;
            v[i] = vS;
            vDot[i] = vDotS;
        }
    }

    public static void StepAdjoint(
        ReadOnlySpan<double> w, Span<double> wBar, ReadOnlySpan<double> m, Span<double> mBar,
        ReadOnlySpan<double> v, Span<double> vBar, ReadOnlySpan<double> g, Span<double> gBar,
        double lr, ref double lrBar, double beta1, ref double beta1Bar, double beta2, ref double beta2Bar,
        double eps, ref double epsBar, double wd, ref double wdBar, double t, bool epsInsideSqrt)
    {
        int n = w.Length;
        Check.SameLength(n, wBar.Length, nameof(wBar));
        Check.SameLength(n, m.Length, nameof(m));
        Check.SameLength(n, mBar.Length, nameof(mBar));
        Check.SameLength(n, v.Length, nameof(v));
        Check.SameLength(n, vBar.Length, nameof(vBar));
        Check.SameLength(n, g.Length, nameof(g));
        Check.SameLength(n, gBar.Length, nameof(gBar));
        var u = new AdamUniforms(beta1, 0, beta2, 0, t);
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double wbr = ref MemoryMarshal.GetReference(wBar);
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double mbr = ref MemoryMarshal.GetReference(mBar);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double vbr = ref MemoryMarshal.GetReference(vBar);
        ref double gr = ref MemoryMarshal.GetReference(g);
        ref double gbr = ref MemoryMarshal.GetReference(gBar);
        Vector512<double> vwd = Vector512.Create(wd), vb1 = Vector512.Create(beta1), vc1 = Vector512.Create(u.C1);
        Vector512<double> vb2 = Vector512.Create(beta2), vc2 = Vector512.Create(u.C2), vtwoC2 = Vector512.Create(2 * u.C2);
        Vector512<double> vinv1 = Vector512.Create(u.Inv1), vinv2 = Vector512.Create(u.Inv2);
        Vector512<double> veps = Vector512.Create(eps), vlr = Vector512.Create(lr), half = Vector512.Create(0.5);
        Vector512<double> accLr = Vector512<double>.Zero, accB1 = Vector512<double>.Zero, accB1Hat = Vector512<double>.Zero;
        Vector512<double> accB2 = Vector512<double>.Zero, accB2Hat = Vector512<double>.Zero;
        Vector512<double> accEps = Vector512<double>.Zero, accWd = Vector512<double>.Zero;
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> wv = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<double> mv = Vector512.LoadUnsafe(ref mr, (nuint)i);
            Vector512<double> vv = Vector512.LoadUnsafe(ref vr, (nuint)i);
            Vector512<double> wBarV = Vector512.LoadUnsafe(ref wbr, (nuint)i);
            Vector512<double> d = Vector512.FusedMultiplyAdd(vwd, wv, Vector512.LoadUnsafe(ref gr, (nuint)i));

            // Forward: the primal, keeping the intermediates.
            Vector512<double> mHat = Vector512.FusedMultiplyAdd(vb1, mv, vc1 * d) * vinv1;
            Vector512<double> vHat = Vector512.FusedMultiplyAdd(vb2, vv, vc2 * d * d) * vinv2;
            Vector512<double> s = Vector512.Sqrt(epsInsideSqrt ? vHat + veps : vHat);
            Vector512<double> rden = Vector512<double>.One / (epsInsideSqrt ? s : s + veps);
            Vector512<double> step = vlr * mHat * rden;

            // Reverse.
            Vector512<double> q = -wBarV * rden;
            accLr = Vector512.FusedMultiplyAdd(q, mHat, accLr);
            Vector512<double> mHatBar = vlr * q;
            Vector512<double> denBar = -step * q;
            Vector512<double> vHatBar;
            if (epsInsideSqrt)
            {
                vHatBar = denBar * half * rden;
                accEps += vHatBar;
            }
            else
            {
                vHatBar = denBar * (half / s);
                accEps += denBar;
            }

            accB2Hat = Vector512.FusedMultiplyAdd(vHat, vHatBar, accB2Hat);
            accB1Hat = Vector512.FusedMultiplyAdd(mHat, mHatBar, accB1Hat);
            Vector512<double> vBarOut = Vector512.FusedMultiplyAdd(vHatBar, vinv2, Vector512.LoadUnsafe(ref vbr, (nuint)i));
            Vector512<double> mBarOut = Vector512.FusedMultiplyAdd(mHatBar, vinv1, Vector512.LoadUnsafe(ref mbr, (nuint)i));
            accB2 = Vector512.FusedMultiplyAdd(vBarOut, Vector512.FusedMultiplyAdd(-d, d, vv), accB2);
            accB1 = Vector512.FusedMultiplyAdd(mBarOut, mv - d, accB1);
            Vector512<double> dBar = Vector512.FusedMultiplyAdd(vtwoC2 * d, vBarOut, vc1 * mBarOut);
            (vb2 * vBarOut).StoreUnsafe(ref vbr, (nuint)i);
            (vb1 * mBarOut).StoreUnsafe(ref mbr, (nuint)i);
            (Vector512.LoadUnsafe(ref gbr, (nuint)i) + dBar).StoreUnsafe(ref gbr, (nuint)i);
            accWd = Vector512.FusedMultiplyAdd(dBar, wv, accWd);
            Vector512.FusedMultiplyAdd(vwd, dBar, wBarV).StoreUnsafe(ref wbr, (nuint)i);
        }

        double sLr = Vector512.Sum(accLr), sB1 = Vector512.Sum(accB1), sB1Hat = Vector512.Sum(accB1Hat);
        double sB2 = Vector512.Sum(accB2), sB2Hat = Vector512.Sum(accB2Hat), sEps = Vector512.Sum(accEps), sWd = Vector512.Sum(accWd);
        for (; i < n; i++)
        {
            double d = Math.FusedMultiplyAdd(wd, w[i], g[i]);
            double mHat = Math.FusedMultiplyAdd(beta1, m[i], u.C1 * d) * u.Inv1;
            double vHat = Math.FusedMultiplyAdd(beta2, v[i], u.C2 * d * d) * u.Inv2;
            double s = Math.Sqrt(epsInsideSqrt ? vHat + eps : vHat);
            double rden = 1.0 / (epsInsideSqrt ? s : s + eps);
            double step = lr * mHat * rden;
            double q = -wBar[i] * rden;
            sLr = Math.FusedMultiplyAdd(q, mHat, sLr);
            double mHatBar = lr * q;
            double denBar = -step * q;
            double vHatBar;
            if (epsInsideSqrt)
            {
                vHatBar = denBar * 0.5 * rden;
                sEps += vHatBar;
            }
            else
            {
                vHatBar = denBar * (0.5 / s);
                sEps += denBar;
            }

            sB2Hat = Math.FusedMultiplyAdd(vHat, vHatBar, sB2Hat);
            sB1Hat = Math.FusedMultiplyAdd(mHat, mHatBar, sB1Hat);
            double vBarOut = Math.FusedMultiplyAdd(vHatBar, u.Inv2, vBar[i]);
            double mBarOut = Math.FusedMultiplyAdd(mHatBar, u.Inv1, mBar[i]);
            sB2 = Math.FusedMultiplyAdd(vBarOut, Math.FusedMultiplyAdd(-d, d, v[i]), sB2);
            sB1 = Math.FusedMultiplyAdd(mBarOut, m[i] - d, sB1);
            double dBar = Math.FusedMultiplyAdd(2 * u.C2 * d, vBarOut, u.C1 * mBarOut);
            vBar[i] = beta2 * vBarOut;
            mBar[i] = beta1 * mBarOut;
            gBar[i] += dBar;
            sWd = Math.FusedMultiplyAdd(dBar, w[i], sWd);
            wBar[i] = Math.FusedMultiplyAdd(wd, dBar, wBar[i]);
        }

        // d(1 − βᵗ)/dβ = −tβᵗ⁻¹, and ∂m̂/∂(1 − β₁ᵗ) = −m̂/(1 − β₁ᵗ): Σ m̂·m̄̂ times a uniform factor.
        lrBar += sLr;
        beta1Bar += sB1 + sB1Hat * u.Inv1 * u.K1;
        beta2Bar += sB2 + sB2Hat * u.Inv2 * u.K2;
        epsBar += sEps;
        wdBar += sWd;
    }

    /// <summary>The values every element shares: 1 − β, the bias corrections' reciprocals and derivatives.</summary>
    private readonly struct AdamUniforms
    {
        public AdamUniforms(double beta1, double beta1Dot, double beta2, double beta2Dot, double t)
        {
            C1 = 1.0 - beta1;
            C2 = 1.0 - beta2;
            Inv1 = 1.0 / (1.0 - Math.Pow(beta1, t));
            Inv2 = 1.0 / (1.0 - Math.Pow(beta2, t));
            K1 = t * Math.Pow(beta1, t - 1.0);
            K2 = t * Math.Pow(beta2, t - 1.0);
            Bc1Dot = -beta1Dot * K1;
            Bc2Dot = -beta2Dot * K2;
        }

        public double C1 { get; }

        public double C2 { get; }

        public double Inv1 { get; }

        public double Inv2 { get; }

        /// <summary>t·β₁ᵗ⁻¹ = −d(1 − β₁ᵗ)/dβ₁.</summary>
        public double K1 { get; }

        public double K2 { get; }

        public double Bc1Dot { get; }

        public double Bc2Dot { get; }
    }
}
