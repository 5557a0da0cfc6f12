using System;
using System.Runtime.CompilerServices;

namespace AutoHypergrad.Tapes;

/// <summary>
/// A stack of values that generated adjoint code pushes during its forward sweep and pops, in reverse order,
/// during its reverse sweep: values a loop carries from one iteration to the next, and snapshots of spans before
/// they are overwritten. Tapes are pooled per thread, so that steady-state calls allocate nothing.
/// </summary>
/// <typeparam name="T">An unmanaged element type (double, float, int, bool).</typeparam>
public sealed class Tape<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static Tape<T>? s_free;

    private T[] _items = new T[256];
    private int _count;
    private Tape<T>? _next;

    private Tape()
    {
    }

    /// <summary>The number of values on the tape.</summary>
    public int Count => _count;

    /// <summary>A tape from this thread's pool (a new one when the pool is empty), empty.</summary>
    public static Tape<T> Rent()
    {
        var tape = s_free;
        if (tape is null)
        {
            return new Tape<T>();
        }

        s_free = tape._next;
        tape._next = null;
        return tape;
    }

    /// <summary>Empties the tape and gives it back to this thread's pool; it keeps its capacity.</summary>
    public void Return()
    {
        _count = 0;
        _next = s_free;
        s_free = this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if (_count == _items.Length)
        {
            Grow(1);
        }

        _items[_count++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        if (_count == 0)
        {
            ThrowEmpty();
        }

        return _items[--_count];
    }

    /// <summary>Pushes a copy of <paramref name="values"/> (a snapshot of a span about to be overwritten).</summary>
    public void PushRange(ReadOnlySpan<T> values)
    {
        if (_count + values.Length > _items.Length)
        {
            Grow(values.Length);
        }

        values.CopyTo(_items.AsSpan(_count));
        _count += values.Length;
    }

    /// <summary>Pops the last <paramref name="destination"/>.Length values pushed by <see cref="PushRange"/> into it.</summary>
    public void PopRange(Span<T> destination)
    {
        if (destination.Length > _count)
        {
            ThrowEmpty();
        }

        _count -= destination.Length;
        _items.AsSpan(_count, destination.Length).CopyTo(destination);
    }

    private void Grow(int extra)
    {
        var capacity = Math.Max(_items.Length * 2, _count + extra);
        Array.Resize(ref _items, capacity);
    }

    private static void ThrowEmpty()
        => throw new InvalidOperationException("The tape has fewer values than the reverse sweep pops: the forward and reverse sweeps disagree.");
}
