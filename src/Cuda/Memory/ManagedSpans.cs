using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoHypergrad.Cuda;

/// <summary>Whether a span lies in a device's managed memory, and its address there.</summary>
public static unsafe class ManagedSpans
{
    /// <summary>Whether <paramref name="values"/> (not empty) lie in one managed allocation of <paramref name="device"/>, so that kernels use them as they are.</summary>
    public static bool Holds<T>(this IKernelDevice device, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(device);
        fixed (T* pointer = values)
        {
            return !values.IsEmpty && device.IsManaged((IntPtr)pointer, (long)values.Length * sizeof(T));
        }
    }

    /// <summary>The address of managed <paramref name="values"/>: outside the GC heap, so it never moves.</summary>
    public static IntPtr AddressOf<T>(ReadOnlySpan<T> values)
        where T : unmanaged
        => (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(values));
}
