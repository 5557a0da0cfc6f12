using System;
using AutoHypergrad.Cuda;

namespace AutoHypergrad.Testing;

/// <summary>Launches a kernel of a loaded module with cuLaunchKernel's convention: a pointer to each argument's value, in order.</summary>
internal static unsafe class KernelLaunch
{
    /// <summary>Launches <paramref name="kernel"/> of <paramref name="module"/> on <paramref name="n"/> elements.</summary>
    /// <param name="module">The loaded module.</param>
    /// <param name="kernel">One of its kernels.</param>
    /// <param name="n">The number of elements.</param>
    /// <param name="arguments">One per kernel parameter: <c>long</c>, <c>int</c>, <c>double</c>, <c>float</c> or a device pointer (<see cref="IntPtr"/>).</param>
    public static void Launch(ILoadedModule module, CudaKernelSignature kernel, long n, object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(arguments);
        if (kernel.Parameters.Count != arguments.Length)
        {
            throw new ArgumentException($"{kernel.Name} takes {kernel.Parameters.Count} arguments, not {arguments.Length}.", nameof(arguments));
        }

        long* slots = stackalloc long[arguments.Length];
        IntPtr* pointers = stackalloc IntPtr[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            slots[i] = 0;
            switch (arguments[i])
            {
                case long value: slots[i] = value; break;
                case int value: *(int*)(slots + i) = value; break;
                case double value: *(double*)(slots + i) = value; break;
                case float value: *(float*)(slots + i) = value; break;
                case IntPtr value: *(IntPtr*)(slots + i) = value; break;
                default: throw new ArgumentException($"Argument {i} of {kernel.Name} has type {arguments[i].GetType().Name}.", nameof(arguments));
            }

            pointers[i] = (IntPtr)(slots + i);
        }

        module.Launch(kernel, n, pointers);
    }
}
