using System;

namespace AutoHypergrad.Cuda;

/// <summary>
/// The hand-written kernels of <see cref="CudaStateMemory{T}"/>: clear, add, and find the first non-finite value of
/// a state-sized vector, as a <see cref="CudaProgram"/> per element type. Grid-stride loops, one thread per element,
/// with host entries under AUTOHYPERGRAD_HOST as the generated modules have, so that the tests run them as host C++.
/// </summary>
internal static class StateKernels
{
    private const string Template = """
        // AutoHypergrad state kernels, element type ahg_real.
        extern "C" __global__ void ahg_state_clear_ahg_real(long long n, ahg_real* values)
        {
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)blockDim.x * gridDim.x)
            {
                values[i] = (ahg_real)0;
            }
        }

        extern "C" __global__ void ahg_state_add_ahg_real(long long n, const ahg_real* source, ahg_real* destination)
        {
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)blockDim.x * gridDim.x)
            {
                destination[i] = destination[i] + source[i];
            }
        }

        // The smallest index of a NaN or an infinity, by atomicMin into *first (set to n before the launch): the
        // result does not depend on the order the threads run in.
        extern "C" __global__ void ahg_state_first_non_finite_ahg_real(long long n, const ahg_real* values, int* first)
        {
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)blockDim.x * gridDim.x)
            {
                if (!isfinite(values[i]))
                {
                    atomicMin(first, (int)i);
                }
            }
        }

        #ifdef AUTOHYPERGRAD_HOST
        extern "C" void ahg_state_clear_ahg_real_host(void** args) { ahg_state_clear_ahg_real(*(long long*)args[0], *(ahg_real**)args[1]); }
        extern "C" void ahg_state_add_ahg_real_host(void** args) { ahg_state_add_ahg_real(*(long long*)args[0], *(const ahg_real**)args[1], *(ahg_real**)args[2]); }
        extern "C" void ahg_state_first_non_finite_ahg_real_host(void** args) { ahg_state_first_non_finite_ahg_real(*(long long*)args[0], *(const ahg_real**)args[1], *(int**)args[2]); }
        #endif
        """;

    /// <summary>The program for <paramref name="element"/>, <c>double</c> or <c>float</c>.</summary>
    public static Program For(string element) => element switch
    {
        "double" => Double,
        "float" => Single,
        _ => throw new NotSupportedException($"State kernels exist for double and float, not {element}."),
    };

    /// <summary>The kernels in double.</summary>
    public static Program Double { get; } = new("double");

    /// <summary>The kernels in float.</summary>
    public static Program Single { get; } = new("float");

    /// <summary>One element type's program and its three kernels.</summary>
    internal sealed class Program
    {
        public Program(string element)
        {
            CudaParameter Count() => new("n", "long long", CudaParameterRole.Count, "", CudaDerivative.Value);
            Clear = new($"ahg_state_clear_{element}", [Count(), new("values", element, CudaParameterRole.ElementState, "values", CudaDerivative.Value)]);
            Add = new($"ahg_state_add_{element}", [Count(), new("source", element, CudaParameterRole.ElementInput, "source", CudaDerivative.Value), new("destination", element, CudaParameterRole.ElementState, "destination", CudaDerivative.Value)]);
            FirstNonFinite = new($"ahg_state_first_non_finite_{element}", [Count(), new("values", element, CudaParameterRole.ElementInput, "values", CudaDerivative.Value), new("first", "int", CudaParameterRole.UniformAccumulator, "first", CudaDerivative.Value)]);
            Source = new CudaProgram($"StateKernels ({element})", Template.Replace("ahg_real", element, StringComparison.Ordinal), [Clear, Add, FirstNonFinite]);
        }

        public CudaProgram Source { get; }

        public CudaKernelSignature Clear { get; }

        public CudaKernelSignature Add { get; }

        public CudaKernelSignature FirstNonFinite { get; }
    }
}
