using System.Collections.Generic;

namespace AutoHypergrad.BenchmarkHarness.Gemm;

/// <summary>One product timed by <c>bench gemm</c>: a GEMM (k &gt; 0) or, with <see cref="IsGemv"/>, a GEMV of A m × n.</summary>
/// <param name="Name">What it is in the experiments, e.g. "X·W (forward)".</param>
/// <param name="TransposeA">op(A) = Aᵀ.</param>
/// <param name="TransposeB">op(B) = Bᵀ (GEMM only).</param>
/// <param name="M">Rows of op(A) (GEMV: rows of A).</param>
/// <param name="N">Columns of op(B) (GEMV: columns of A).</param>
/// <param name="K">Inner dimension (GEMV: 0).</param>
public sealed record GemmCase(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    public bool IsGemv => K == 0;

    /// <summary>2mnk for GEMM, 2mn for GEMV.</summary>
    public double Flops => IsGemv ? 2.0 * M * N : 2.0 * M * N * K;

    /// <summary>"(5000×784)·(784×10)", as the product is written with op() applied.</summary>
    public string Shape => IsGemv
        ? (TransposeA ? $"({N}×{M})·({M})" : $"({M}×{N})·({N})")
        : $"({M}×{K})·({K}×{N})";

    /// <summary>
    /// The experiments' shapes: a 784-feature batch X (5000 × 784, MNIST-sized) times a 784 × 10 weight matrix W,
    /// the gradient Xᵀ·R with R 5000 × 10, the full training set times a 784 × 1000 hidden layer (6000 rows in
    /// --quick), a square 1024³ product, and the two GEMVs with 784-long vectors.
    /// </summary>
    public static IReadOnlyList<GemmCase> For(bool quick) =>
    [
        new("X·W (forward)", false, false, 5000, 10, 784),
        new("Xᵀ·R (weight gradient)", true, false, 784, 10, 5000),
        quick ? new("X·W1 (6000 rows, --quick)", false, false, 6000, 1000, 784) : new("X·W1 (hidden layer)", false, false, 60000, 1000, 784),
        new("square", false, false, 1024, 1024, 1024),
        new("X·w (GEMV)", false, false, 5000, 784, 0),
        new("Xᵀ·r (GEMV)", true, false, 5000, 784, 0),
    ];
}
