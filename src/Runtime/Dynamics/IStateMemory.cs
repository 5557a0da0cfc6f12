using System;
using System.Buffers;
using System.Numerics;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// Where a dynamics keeps its state-sized vectors, and the few operations the engines do on them: the state, its
/// tangents and adjoints, the stored trajectory of Reverse-HG, and the dynamics' own workspaces. On the CPU it is
/// ordinary arrays (<see cref="HostStateMemory{T}"/>); on a GPU (AutoHypergrad.Cuda's <c>CudaStateMemory</c>) it is
/// managed memory, which kernels use in place, so that a hypergradient runs without copying its state between host
/// and device; the engines then copy, clear, add and check vectors through this interface rather than with loops of
/// their own, which would move the memory to the host.
/// <para>
/// Every vector is still a <see cref="Span{T}"/> that host code may read and write (once the device work writing it
/// has finished, which every operation of the CUDA backend waits for before it returns), so an engine or objective
/// that does not use this interface stays correct, only slower. The operations are exact (copies, zeros, and one
/// addition per element), so a run gives the same bits on every memory.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IStateMemory<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The memory in words, for reports ("host", "CUDA managed memory on NVIDIA H200").</summary>
    string Description { get; }

    /// <summary><paramref name="length"/> values, contents unspecified; disposing the owner frees them.</summary>
    IMemoryOwner<T> Allocate(int length);

    /// <summary>
    /// Whether a block is freed with its last reference (managed arrays), so that a caller may keep blocks between
    /// uses without disposing them; false (the default) when only <see cref="IDisposable.Dispose"/> frees one.
    /// </summary>
    bool FreedWithLastReference => false;

    /// <summary>Sets every value of <paramref name="values"/> to +0.</summary>
    void Clear(Span<T> values);

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    void Copy(ReadOnlySpan<T> source, Span<T> destination);

    /// <summary><paramref name="destination"/>[i] += <paramref name="source"/>[i] (same length).</summary>
    void Add(ReadOnlySpan<T> source, Span<T> destination);

    /// <summary>The index of the first value of <paramref name="values"/> that is NaN or infinite, or −1.</summary>
    int FirstNonFinite(ReadOnlySpan<T> values);
}

/// <summary>State memory on the CPU: arrays, and vectorized loops.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class HostStateMemory<T> : IStateMemory<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private HostStateMemory()
    {
    }

    /// <summary>The one instance.</summary>
    public static HostStateMemory<T> Instance { get; } = new();

    public string Description => "host";

    /// <summary>An uninitialized array: a stored trajectory is written before it is read, and zeroing T states would cost a pass over them.</summary>
    public IMemoryOwner<T> Allocate(int length) => new ArrayOwner(GC.AllocateUninitializedArray<T>(length));

    /// <summary>True: a block is an array, which the garbage collector frees.</summary>
    public bool FreedWithLastReference => true;

    public void Clear(Span<T> values) => values.Clear();

    public void Copy(ReadOnlySpan<T> source, Span<T> destination) => Lengths(source, destination).CopyTo(destination);

    public void Add(ReadOnlySpan<T> source, Span<T> destination)
        => System.Numerics.Tensors.TensorPrimitives.Add(destination, Lengths(source, destination), destination);

    public int FirstNonFinite(ReadOnlySpan<T> values) => FiniteGuard.FirstNonFinite(values);

    private static ReadOnlySpan<T> Lengths(ReadOnlySpan<T> source, Span<T> destination)
        => source.Length == destination.Length
            ? source
            : throw new ArgumentException($"The source has {source.Length} values and the destination {destination.Length}.", nameof(destination));

    private sealed class ArrayOwner(T[] array) : IMemoryOwner<T>
    {
        public Memory<T> Memory => array;

        public void Dispose()
        {
        }
    }
}
