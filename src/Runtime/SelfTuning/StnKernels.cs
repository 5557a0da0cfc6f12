namespace AutoHypergrad.SelfTuning;

/// <summary>The elementwise parts of the STN layers, differentiated by the generator.</summary>
public static partial class StnKernels
{
    /// <summary>
    /// One output of an STN dense layer (MacKay et al., "Self-Tuning Networks", ICLR 2019, eq. 9):
    /// y ← y + s·u + t·bh, where y enters as (W_elem x + b_elem)ᵢ, u = (W_hyper x)ᵢ, s = (V λ)ᵢ, t = (C λ)ᵢ and
    /// bh = (b_hyper)ᵢ, so that y = (Ŵ(λ) x + b̂(λ))ᵢ.
    /// </summary>
    [Differentiable]
    public static void Modulate(ref double y, double u, double s, double t, double bh)
    {
        y = y + s * u + t * bh;
    }
}
