namespace AutoHypergrad.SelfTuning;

/// <summary>The elementwise parts of the STN layers, differentiated by the generator.</summary>
public static partial class StnElementwise
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

    /// <summary>
    /// One output unit's share of the L2 penalty c·‖Ŵ(λ)‖² of an STN dense layer at one example's λ: row k of
    /// Ŵ(λ) is W_elem[k] + s·W_hyper[k] with s = (V λ)_k, so its squared norm is a + 2·s·b + s²·q with
    /// a = ‖W_elem[k]‖², b = ⟨W_elem[k], W_hyper[k]⟩ and q = ‖W_hyper[k]‖²; penalty ← penalty + c·(a + 2sb + s²q).
    /// </summary>
    [Differentiable]
    public static void WeightDecay(ref double penalty, double c, double s, double a, double b, double q)
    {
        penalty = penalty + c * (a + 2 * s * b + s * s * q);
    }
}
