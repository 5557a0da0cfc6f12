using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.Cuda;

/// <summary>
/// The engines' state memory on a device: every vector is managed memory (<see cref="IKernelDevice.AllocateManaged"/>),
/// which the generated vectorized steps and the device objectives use in place (<see cref="SpanStaging{T}"/> sees it is
/// managed), and which clears, adds and checks with kernels of its own (<see cref="StateKernels"/>). So
/// <code>
/// new TrainingDynamics&lt;T&gt;(deviceObjective, new CudaVectorizedStep&lt;T&gt;(device, optimizer), space, batches, options, new CudaStateMemory&lt;T&gt;(device))
/// </code>
/// runs Reverse-HG (full, truncated, checkpointed), forward mode and RTHO with the state, its trajectory, its tangents
/// and adjoints on the device, and moves only λ-sized values per step. An operation runs on the device when its output
/// is managed, and on the host otherwise; each has finished when it returns. A freed vector goes back to a pool by
/// length, so that a hypergradient after the first (Reverse-HG allocates T states and records each time) takes its
/// memory from there instead of from cuMemAllocManaged. Disposing this object frees every vector it holds, pooled or
/// still in use.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed unsafe class CudaStateMemory<T> : IStateMemory<T>, IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IKernelDevice _device;
    private readonly StateKernels.Program _kernels;
    private readonly ILoadedModule _module;
    private readonly HashSet<ManagedVector> _live = [];
    private readonly Dictionary<int, Stack<IntPtr>> _pool = [];
    private readonly DeviceBuffer<int> _first;

    /// <summary>State memory on <paramref name="device"/>; compiles (or finds) the state kernels for it.</summary>
    public CudaStateMemory(IKernelDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _kernels = Kernels;
        _module = device.Load(_kernels.Source);
        _first = new DeviceBuffer<int>(device, 1);
    }

    /// <summary>The kernels it loads, in <typeparamref name="T"/>.</summary>
    public static CudaProgram Program => Kernels.Source;

    private static StateKernels.Program Kernels
        => StateKernels.For(typeof(T) == typeof(double) ? "double" : typeof(T) == typeof(float) ? "float" : throw new NotSupportedException($"CUDA state memory holds float or double, not {typeof(T).Name}."));

    public string Description => $"CUDA managed memory on {_device.Description}";

    /// <summary>The vectors allocated and not yet freed.</summary>
    public int LiveVectors => _live.Count;

    public IMemoryOwner<T> Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var pointer = _pool.TryGetValue(length, out var free) && free.Count > 0 ? free.Pop() : _device.AllocateManaged((long)length * sizeof(T));
        var vector = new ManagedVector(this, pointer, length);
        _live.Add(vector);
        return vector;
    }

    public void Clear(Span<T> values)
    {
        if (!IsManaged(values))
        {
            values.Clear();
            return;
        }

        long n = values.Length;
        var pointer = Address(values);
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&n), (IntPtr)(&pointer) };
        Launch(_kernels.Clear, n, arguments);
    }

    public void Copy(ReadOnlySpan<T> source, Span<T> destination)
    {
        CheckLengths(source.Length, destination.Length);
        if (source.IsEmpty)
        {
            return;
        }

        long bytes = (long)source.Length * sizeof(T);
        switch (IsManaged(source), IsManaged(destination))
        {
            case (true, true):
                _device.CopyOnDevice(Address(destination), Address(source), bytes);
                _device.Synchronize();
                break;
            case (false, true):
                _device.CopyToDevice(Address(destination), MemoryMarshal.AsBytes(source));
                _device.Synchronize();
                break;
            case (true, false):
                _device.CopyToHost(Address(source), MemoryMarshal.AsBytes(destination));
                break;
            default:
                source.CopyTo(destination);
                break;
        }
    }

    public void Add(ReadOnlySpan<T> source, Span<T> destination)
    {
        CheckLengths(source.Length, destination.Length);
        if (!IsManaged(destination))
        {
            HostStateMemory<T>.Instance.Add(source, destination);
            return;
        }

        if (!IsManaged(source))
        {
            // A host source goes up once: into a vector of this memory, freed after the launch.
            using var staged = Allocate(source.Length);
            Copy(source, staged.Memory.Span);
            Add(staged.Memory.Span, destination);
            return;
        }

        long n = source.Length;
        var from = Address(source);
        var to = Address(destination);
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&n), (IntPtr)(&from), (IntPtr)(&to) };
        Launch(_kernels.Add, n, arguments);
    }

    public int FirstNonFinite(ReadOnlySpan<T> values)
    {
        if (!IsManaged(values))
        {
            return HostStateMemory<T>.Instance.FirstNonFinite(values);
        }

        long n = values.Length;
        int none = values.Length;
        _first.Upload([none]);
        var pointer = Address(values);
        var first = _first.Pointer;
        IntPtr* arguments = stackalloc IntPtr[] { (IntPtr)(&n), (IntPtr)(&pointer), (IntPtr)(&first) };
        _module.Launch(_kernels.FirstNonFinite, n, arguments);
        Span<int> index = stackalloc int[1];
        _first.Download(index);
        return index[0] < none ? index[0] : -1;
    }

    public void Dispose()
    {
        foreach (var vector in new List<ManagedVector>(_live))
        {
            ((IDisposable)vector).Dispose();
        }

        foreach (var free in _pool.Values)
        {
            while (free.Count > 0)
            {
                _device.Free(free.Pop());
            }
        }

        _first.Dispose();
    }

    private void Launch(CudaKernelSignature kernel, long elements, IntPtr* arguments)
    {
        _module.Launch(kernel, elements, arguments);
        _device.Synchronize();
    }

    private bool IsManaged(ReadOnlySpan<T> values) => _device.Holds(values);

    /// <summary>A freed vector's memory, into the pool of its length.</summary>
    private void Return(ManagedVector vector, IntPtr pointer, int length)
    {
        _live.Remove(vector);
        if (!_pool.TryGetValue(length, out var free))
        {
            free = new Stack<IntPtr>();
            _pool[length] = free;
        }

        free.Push(pointer);
    }

    private static IntPtr Address(ReadOnlySpan<T> values) => ManagedSpans.AddressOf(values);

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"The source has {source} values and the destination {destination}.", nameof(destination));
        }
    }

    /// <summary>A vector of managed memory, as the <see cref="Memory{T}"/> the engines hold.</summary>
    private sealed class ManagedVector(CudaStateMemory<T> owner, IntPtr pointer, int length) : MemoryManager<T>
    {
        private IntPtr _pointer = pointer;

        public override Span<T> GetSpan()
            => _pointer != IntPtr.Zero ? new Span<T>((void*)_pointer, length) : throw new ObjectDisposedException(nameof(CudaStateMemory<T>), "The vector was freed.");

        public override MemoryHandle Pin(int elementIndex = 0) => new((T*)_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (_pointer != IntPtr.Zero)
            {
                owner.Return(this, _pointer, length);
                _pointer = IntPtr.Zero;
            }
        }
    }
}
