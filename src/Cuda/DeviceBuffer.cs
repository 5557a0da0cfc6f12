using System;
using System.Runtime.InteropServices;

namespace AutoHypergrad.Cuda;

/// <summary>An array of <typeparamref name="T"/> in device memory, which it owns and frees when disposed.</summary>
public sealed class DeviceBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly IKernelDevice _device;
    private IntPtr _pointer;

    /// <summary>Allocates <paramref name="length"/> elements (uninitialized) on <paramref name="device"/>.</summary>
    public unsafe DeviceBuffer(IKernelDevice device, long length)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _device = device;
        Length = length;
        _pointer = device.Allocate(Math.Max(1, length) * sizeof(T));
    }

    /// <summary>A buffer holding a copy of <paramref name="values"/>.</summary>
    public DeviceBuffer(IKernelDevice device, ReadOnlySpan<T> values)
        : this(device, values.Length)
    {
        Upload(values);
    }

    /// <summary>The number of elements.</summary>
    public long Length { get; }

    /// <summary>The device address of element 0.</summary>
    public IntPtr Pointer => _pointer != IntPtr.Zero ? _pointer : throw new ObjectDisposedException(nameof(DeviceBuffer<T>));

    /// <summary>The device address of element <paramref name="index"/>.</summary>
    public unsafe IntPtr At(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Length);
        return Pointer + (nint)(index * sizeof(T));
    }

    /// <summary>Copies <paramref name="values"/> to elements [<paramref name="offset"/>, offset + values.Length).</summary>
    public void Upload(ReadOnlySpan<T> values, long offset = 0)
    {
        CheckRange(offset, values.Length);
        _device.CopyToDevice(At(offset), MemoryMarshal.AsBytes(values));
    }

    /// <summary>Copies elements [<paramref name="offset"/>, offset + destination.Length) to <paramref name="destination"/>.</summary>
    public void Download(Span<T> destination, long offset = 0)
    {
        CheckRange(offset, destination.Length);
        _device.CopyToHost(At(offset), MemoryMarshal.AsBytes(destination));
    }

    /// <summary>The elements, copied to a new array.</summary>
    public T[] ToArray()
    {
        var values = new T[Length];
        Download(values);
        return values;
    }

    public void Dispose()
    {
        if (_pointer != IntPtr.Zero)
        {
            _device.Free(_pointer);
            _pointer = IntPtr.Zero;
        }
    }

    private void CheckRange(long offset, int count)
    {
        if (offset < 0 || offset + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Elements [{offset}, {offset + count}) are outside the buffer of {Length}.");
        }
    }
}
