namespace AutoHypergrad.LinearAlgebra;

/// <summary>The implementation behind <see cref="Blas"/>.</summary>
public enum BlasProvider
{
    /// <summary>OpenBLAS's CBLAS interface (Debian's libopenblas0), loaded at run time.</summary>
    OpenBlas,

    /// <summary>The managed implementation, <see cref="ManagedBlas"/>.</summary>
    Managed,
}
