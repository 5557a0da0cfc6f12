using System;

namespace AutoHypergrad.Objectives;

/// <summary>Buffers an objective keeps between calls: they grow to the largest batch seen and are reused.</summary>
internal static class Workspace
{
    /// <summary>The first <paramref name="length"/> elements of <paramref name="buffer"/>, reallocated first if it is shorter.</summary>
    public static Span<T> Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }

        return buffer.AsSpan(0, length);
    }
}
