using System;
using System.Collections.Generic;

namespace AutoHypergrad.Cuda;

/// <summary>
/// How the spans of a host interface (<see cref="Steps.IVectorizedStep{T}"/>, <see cref="Objectives.IObjective{T}"/>)
/// reach kernels: a span over managed memory (<see cref="IKernelDevice.AllocateManaged"/>, where the engines keep
/// device-resident state) is passed as it is; any other is copied into a device buffer kept under its name, grown
/// to fit, between calls. After the launches, <see cref="Return"/> makes each output visible to the host: a staged
/// one is copied back, a managed one is waited for. So the same operation runs on host arrays and on resident state,
/// and the copies happen only where the memory is the host's. One per kernel owner; not for concurrent use.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed unsafe class SpanStaging<T> : IDisposable
    where T : unmanaged
{
    private readonly IKernelDevice _device;
    private readonly Dictionary<string, DeviceBuffer<T>> _buffers = new(StringComparer.Ordinal);

    /// <summary>Staging on <paramref name="device"/>.</summary>
    public SpanStaging(IKernelDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <summary>The device the kernels run on.</summary>
    public IKernelDevice Device => _device;

    /// <summary>The device address of <paramref name="values"/>, which the kernels read (and may write): the span's own when managed, else a copy's under <paramref name="name"/>.</summary>
    public IntPtr In(string name, ReadOnlySpan<T> values) => Place(name, values, upload: true);

    /// <summary>The device address where the kernels write <paramref name="values"/> without reading them: the span's own when managed, else a buffer's under <paramref name="name"/> (not uploaded).</summary>
    public IntPtr Out(string name, ReadOnlySpan<T> values) => Place(name, values, upload: false);

    /// <summary>
    /// Makes the kernels' writes to <paramref name="values"/>, placed under <paramref name="name"/> by
    /// <see cref="In"/> or <see cref="Out"/>, visible to the host: copies the staged buffer back, or waits for the
    /// device when the span is managed.
    /// </summary>
    public void Return(string name, Span<T> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        if (IsManaged(values))
        {
            _device.Synchronize();
        }
        else
        {
            _buffers[name].Download(values);
        }
    }

    /// <summary>Whether <paramref name="values"/> lie in managed memory, where kernels use them as they are.</summary>
    public bool IsManaged(ReadOnlySpan<T> values) => _device.Holds(values);

    public void Dispose()
    {
        foreach (var buffer in _buffers.Values)
        {
            buffer.Dispose();
        }

        _buffers.Clear();
    }

    private IntPtr Place(string name, ReadOnlySpan<T> values, bool upload)
    {
        if (values.IsEmpty)
        {
            return IntPtr.Zero;
        }

        if (IsManaged(values))
        {
            return ManagedSpans.AddressOf(values);
        }

        if (!_buffers.TryGetValue(name, out var buffer) || buffer.Length < values.Length)
        {
            buffer?.Dispose();
            buffer = new DeviceBuffer<T>(_device, values.Length);
            _buffers[name] = buffer;
        }

        if (upload)
        {
            buffer.Upload(values);
        }

        return buffer.Pointer;
    }
}
