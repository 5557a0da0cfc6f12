using System;

namespace AutoHypergrad.Cuda;

/// <summary>The memory traffic of a generated kernel, counted from its parameters, for bandwidth figures.</summary>
public static class KernelTraffic
{
    /// <summary>
    /// The bytes each element moves at least once: a per-element input read (1 value), per-element state read and
    /// written (2), per-element tangents in k directions read (k) or read and written (2k); the uniform values and
    /// accumulators move once per launch or block, nothing per element.
    /// </summary>
    public static long BytesPerElement(CudaKernelSignature kernel, int elementSize, int directions)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        long values = 0;
        foreach (var p in kernel.Parameters)
        {
            values += p.Role switch
            {
                CudaParameterRole.ElementInput => 1,
                CudaParameterRole.ElementState => 2,
                CudaParameterRole.ElementInputDirections => directions,
                CudaParameterRole.ElementDirections => 2L * directions,
                _ => 0,
            };
        }

        return values * elementSize;
    }
}
