using System;

namespace AutoHypergrad.Objectives;

/// <summary>
/// A training objective whose adjoints of some loss blocks are kept in parts, each process adding only its own
/// entries (the per-example blocks of data sharded across processes): a hypergradient over it is complete once those
/// entries are gathered, which <see cref="AutoHypergrad.BilevelProblem{T}"/>'s engines do at the end of each computation.
/// </summary>
public interface IPartitionedAdjoints
{
    /// <summary>Whether the adjoints of loss block <paramref name="block"/> are kept in parts.</summary>
    bool IsPartitioned(string block);

    /// <summary>
    /// Completes <paramref name="adjoint"/>, the whole of block <paramref name="block"/>'s part of a hypergradient
    /// that holds this process's entries (and zeros elsewhere): every process calls it, and each gets every entry.
    /// </summary>
    void Gather(string block, Span<double> adjoint);
}
