using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.Cuda;

/// <summary>
/// The hand-written CUDA C of <see cref="CudaSoftmaxRegression{T}"/>: one source text, instantiated per element type
/// (kernel names end in <c>_double</c> or <c>_float</c>, so that the two host builds never share a symbol). The
/// products over the features (z = X·W, Xᵀ·Δ) and the reductions over the rows (Σ of the losses, the column sums of
/// Δ) are GEMMs on the device (<see cref="IKernelDevice.Gemm{T}"/>), deterministic; these kernels do the rest:
/// <list type="bullet">
/// <item><see cref="Gather"/>: the batch's rows of X, one thread per element.</item>
/// <item><see cref="Head"/>: the loss head, one thread per row, from z (and ż) without the bias, which it adds: the
/// row's weighted loss cᵢℓᵢ, Δ = cᵢ(pᵢ − e_yᵢ) or Δ̇ = cᵢ(diag pᵢ − pᵢpᵢᵀ)żᵢ, and the row's example adjoint, ℓᵢ/B or
/// ⟨pᵢ − e_yᵢ, żᵢ⟩/B, with cᵢ = weight/B, per <see cref="SoftmaxPassOutputs"/>. The arithmetic is
/// <see cref="WeightedSoftmaxRegression{T}"/>'s head, operation for operation.</item>
/// <item><see cref="ScatterAdd"/>: the example adjoints added to λ̄ at the rows' example indices, one round of
/// launches per occurrence (a batch may repeat an index): within a round every index is distinct, so no two threads
/// write one element, and repeated indices are added in batch order, the same bits on every run.</item>
/// </list>
/// Under <c>AUTOHYPERGRAD_HOST</c> the text also defines <c>{kernel}_host(void** args)</c> entries with
/// cuLaunchKernel's argument convention, as the generated modules do, so that it compiles as host C++ for the tests.
/// </summary>
public sealed class SoftmaxRegressionKernels
{
    private static readonly Lazy<SoftmaxRegressionKernels> DoubleKernels = new(() => new SoftmaxRegressionKernels("double"));
    private static readonly Lazy<SoftmaxRegressionKernels> SingleKernels = new(() => new SoftmaxRegressionKernels("float"));

    private SoftmaxRegressionKernels(string real)
    {
        Gather = Signature($"ahg_softmax_gather_{real}", ("long long", "rows"), ("int", "features"), ("const int*", "indices"), ($"const {real}*", "x"), ($"{real}*", "batchRows"));
        Head = Signature(
            $"ahg_softmax_head_{real}",
            ("long long", "rows"), ("int", "classes"), ("int", "outputs"), (real, "scale"), ("const int*", "indices"), ("const int*", "labels"),
            ($"const {real}*", "weights"), ($"const {real}*", "z"), ($"const {real}*", "bias"), ($"const {real}*", "zDot"), ($"const {real}*", "biasDot"),
            ($"{real}*", "loss"), ($"{real}*", "delta"), ($"{real}*", "rowAdjoint"));
        ScatterAdd = Signature(
            $"ahg_softmax_scatter_add_{real}",
            ("long long", "rows"), ("int", "round"), ("const int*", "indices"), ("const int*", "rounds"), ($"const {real}*", "rowAdjoint"), ($"{real}*", "exampleAdjoints"));
        var source = new StringBuilder(Body(real));
        source.AppendLine().AppendLine("#ifdef AUTOHYPERGRAD_HOST");
        foreach (var kernel in new[] { Gather, Head, ScatterAdd })
        {
            var arguments = _declarations[kernel.Name].Select((type, k) => $"*({type}*)args[{k}]");
            source.AppendLine($"extern \"C\" void {kernel.Name}_host(void** args) {{ {kernel.Name}({string.Join(", ", arguments)}); }}");
        }

        source.AppendLine("#endif");
        Program = new CudaProgram($"SoftmaxRegression ({real})", source.ToString(), [Gather, Head, ScatterAdd]);
    }

    /// <summary>The kernels in <typeparamref name="T"/>, float or double.</summary>
    public static SoftmaxRegressionKernels Of<T>()
        => typeof(T) == typeof(double) ? DoubleKernels.Value
            : typeof(T) == typeof(float) ? SingleKernels.Value
            : throw new NotSupportedException($"The softmax kernels exist for float and double, not {typeof(T).Name}.");

    /// <summary>The program a device loads.</summary>
    public CudaProgram Program { get; }

    /// <summary>batchRows[r·d + j] = x[indices[r]·d + j], over rows·features elements.</summary>
    public CudaKernelSignature Gather { get; }

    /// <summary>The loss head, over the batch's rows.</summary>
    public CudaKernelSignature Head { get; }

    /// <summary>exampleAdjoints[index of row i] += rowAdjoint[i] for the rows whose occurrence is <c>round</c> (all when <c>rounds</c> is null).</summary>
    public CudaKernelSignature ScatterAdd { get; }

    private readonly Dictionary<string, string[]> _declarations = new(StringComparer.Ordinal);

    private CudaKernelSignature Signature(string name, params (string Type, string Name)[] parameters)
    {
        _declarations[name] = parameters.Select(p => p.Type).ToArray();
        return new CudaKernelSignature(name, parameters.Select(p => new CudaParameter(p.Name, ElementType(p.Type), Role(p.Type), p.Name, CudaDerivative.Value)).ToArray());
    }

    private static string ElementType(string declaration) => declaration.Replace("const ", "", StringComparison.Ordinal).TrimEnd('*');

    private static CudaParameterRole Role(string declaration)
        => declaration == "long long" ? CudaParameterRole.Count
            : !declaration.EndsWith('*') ? CudaParameterRole.Uniform
            : declaration.StartsWith("const ", StringComparison.Ordinal) ? CudaParameterRole.ElementInput
            : CudaParameterRole.ElementState;

    /// <summary>The kernels' text in <paramref name="real"/>; the head's <c>outputs</c> bits are <see cref="SoftmaxPassOutputs"/>'s.</summary>
    private static string Body(string real) => $$"""
        // Softmax regression's loss head, hand-written CUDA C (AutoHypergrad.Cuda, SoftmaxRegressionKernels.cs), in
        // {{real}}: one thread per row (per element for the gather) in grid-stride loops. The products over the
        // features and the sums over the rows are GEMMs, not here.
        #define AHG_VALUE {{(int)SoftmaxPassOutputs.Value}}
        #define AHG_GRADIENT {{(int)SoftmaxPassOutputs.Gradient}}
        #define AHG_HESSIAN_VECTOR {{(int)SoftmaxPassOutputs.HessianVector}}
        #define AHG_CROSS_ADJOINT {{(int)SoftmaxPassOutputs.CrossAdjoint}}
        #define AHG_HYPER_GRADIENT {{(int)SoftmaxPassOutputs.LambdaGradient}}

        static __device__ __forceinline__ {{real}} ahg_exp({{real}} x) { return {{(real == "float" ? "expf" : "exp")}}(x); }
        static __device__ __forceinline__ {{real}} ahg_log({{real}} x) { return {{(real == "float" ? "logf" : "log")}}(x); }

        // p_j = e^{z_j − max} / Σ e^{z − max}: recomputed where needed rather than kept, since a thread has no array
        // of K values and K (the classes) is small.
        static __device__ __forceinline__ {{real}} ahg_probability_{{real}}(const {{real}}* z, const {{real}}* bias, int j, {{real}} max, {{real}} sum)
        {
            return ahg_exp(z[j] + bias[j] - max) / sum;
        }

        extern "C" __global__ void ahg_softmax_gather_{{real}}(long long rows, int features, const int* __restrict__ indices, const {{real}}* __restrict__ x, {{real}}* __restrict__ batchRows)
        {
            long long count = rows * features;
            for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < count; e += (long long)blockDim.x * gridDim.x)
            {
                long long r = e / features;
                batchRows[e] = x[(long long)indices[r] * features + (e - r * features)];
            }
        }

        // Row i of the batch is example index = indices[i] (i when indices is null), with label y and coefficient
        // c = scale·weights[index] (scale = 1/B; scale alone when weights is null). z and zDot hold X_b·W and X_b·V
        // without the bias, which is added here (bias and biasDot). The outputs not asked for are not touched.
        extern "C" __global__ void ahg_softmax_head_{{real}}(long long rows, int classes, int outputs, {{real}} scale, const int* __restrict__ indices, const int* __restrict__ labels, const {{real}}* __restrict__ weights, const {{real}}* __restrict__ z, const {{real}}* __restrict__ bias, const {{real}}* __restrict__ zDot, const {{real}}* __restrict__ biasDot, {{real}}* __restrict__ loss, {{real}}* __restrict__ delta, {{real}}* __restrict__ rowAdjoint)
        {
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < rows; i += (long long)blockDim.x * gridDim.x)
            {
                long long index = indices != 0 ? (long long)indices[i] : i;
                int y = labels[index];
                {{real}} c = weights != 0 ? scale * weights[index] : scale;
                const {{real}}* zi = z + i * classes;

                // Stable log-sum-exp: ℓ = max + log Σ e^{z − max} − z_y.
                {{real}} max = zi[0] + bias[0];
                for (int j = 1; j < classes; j++)
                {
                    {{real}} value = zi[j] + bias[j];
                    max = value > max ? value : max;
                }

                {{real}} sum = ({{real}})0;
                for (int j = 0; j < classes; j++)
                {
                    sum += ahg_exp(zi[j] + bias[j] - max);
                }

                if ((outputs & (AHG_VALUE | AHG_HYPER_GRADIENT)) != 0)
                {
                    {{real}} l = max + ahg_log(sum) - (zi[y] + bias[y]);
                    if ((outputs & AHG_VALUE) != 0)
                    {
                        loss[i] = c * l;
                    }

                    if ((outputs & AHG_HYPER_GRADIENT) != 0)
                    {
                        rowAdjoint[i] = scale * l;
                    }
                }

                {{real}}* di = delta != 0 ? delta + i * classes : 0;
                if ((outputs & AHG_GRADIENT) != 0)
                {
                    for (int j = 0; j < classes; j++)
                    {
                        di[j] = c * ahg_probability_{{real}}(zi, bias, j, max, sum);
                    }

                    di[y] -= c;
                }

                if ((outputs & (AHG_HESSIAN_VECTOR | AHG_CROSS_ADJOINT)) != 0)
                {
                    // ∇²ℓ·ż = p ⊙ (ż − p·ż); ⟨∂ℓ/∂z, ż⟩ = p·ż − ż_y.
                    const {{real}}* zdi = zDot + i * classes;
                    {{real}} pDot = ({{real}})0;
                    for (int j = 0; j < classes; j++)
                    {
                        pDot += ahg_probability_{{real}}(zi, bias, j, max, sum) * (zdi[j] + biasDot[j]);
                    }

                    if ((outputs & AHG_HESSIAN_VECTOR) != 0)
                    {
                        for (int j = 0; j < classes; j++)
                        {
                            di[j] = c * ahg_probability_{{real}}(zi, bias, j, max, sum) * ((zdi[j] + biasDot[j]) - pDot);
                        }
                    }

                    if ((outputs & AHG_CROSS_ADJOINT) != 0)
                    {
                        rowAdjoint[i] = scale * (pDot - (zdi[y] + biasDot[y]));
                    }
                }
            }
        }

        // One round: the rows whose occurrence of their example index is `round` (every row when rounds is null).
        // Within a round the indices are distinct, so each element of exampleAdjoints has one writer.
        extern "C" __global__ void ahg_softmax_scatter_add_{{real}}(long long rows, int round, const int* __restrict__ indices, const int* __restrict__ rounds, const {{real}}* __restrict__ rowAdjoint, {{real}}* __restrict__ exampleAdjoints)
        {
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < rows; i += (long long)blockDim.x * gridDim.x)
            {
                if (rounds == 0 || rounds[i] == round)
                {
                    exampleAdjoints[indices != 0 ? (long long)indices[i] : i] += rowAdjoint[i];
                }
            }
        }
        """;
}
