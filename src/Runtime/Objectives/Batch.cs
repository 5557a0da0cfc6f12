using System;

namespace AutoHypergrad.Objectives;

/// <summary>
/// The examples an objective is evaluated on: all of them, or the ones at the given indices of its data set. A
/// batch is a value: the reverse engines replay a run by asking a <see cref="BatchSchedule"/> for the same steps.
/// </summary>
public readonly struct Batch : IEquatable<Batch>
{
    private readonly int[]? _indices;

    private Batch(int[]? indices) => _indices = indices;

    /// <summary>Every example.</summary>
    public static Batch Full => default;

    /// <summary>The examples at <paramref name="indices"/> (kept, not copied: do not change them afterwards).</summary>
    public static Batch Of(int[] indices) => new(indices ?? throw new ArgumentNullException(nameof(indices)));

    /// <summary>Whether this is the whole data set.</summary>
    public bool IsFull => _indices is null;

    /// <summary>The indices of a partial batch (empty for the full batch).</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>How many examples, out of <paramref name="exampleCount"/>.</summary>
    public int Count(int exampleCount) => _indices?.Length ?? exampleCount;

    /// <summary>The index in the data set of the batch's <paramref name="position"/>-th example.</summary>
    public int IndexAt(int position) => _indices is null ? position : _indices[position];

    /// <summary>Checks every index against the data set's size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <paramref name="exampleCount"/>).</exception>
    public void Validate(int exampleCount)
    {
        if (_indices is null)
        {
            return;
        }

        for (int i = 0; i < _indices.Length; i++)
        {
            if ((uint)_indices[i] >= (uint)exampleCount)
            {
                throw new ArgumentOutOfRangeException(
                    "batch", $"Batch position {i} holds example index {_indices[i]}; the data set has {exampleCount} examples.");
            }
        }
    }

    public bool Equals(Batch other) => _indices is null ? other._indices is null : other._indices is not null && Indices.SequenceEqual(other.Indices);

    public override bool Equals(object? obj) => obj is Batch other && Equals(other);

    public override int GetHashCode() => _indices is null ? 0 : HashCode.Combine(_indices.Length, _indices.Length > 0 ? _indices[0] : 0);

    public static bool operator ==(Batch left, Batch right) => left.Equals(right);

    public static bool operator !=(Batch left, Batch right) => !left.Equals(right);
}
