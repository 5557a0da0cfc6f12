using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Distributed;

/// <summary>
/// A training objective over data sharded across the ranks of an MPI run: each rank holds its <see cref="Shard"/> of
/// the examples and an objective over them, w is replicated, and every product is this rank's part of the batch mean
/// followed by one <see cref="ReproducibleSum"/> over the ranks. To the engines it is the objective over all the data
/// (the same parameters, hyperparameter layout and example count), so every engine runs on it unchanged; the sums are
/// reassociated, not changed, and a given number of ranks gives the same bits every run.
/// </summary>
/// <remarks>
/// <para>
/// A loss hyperparameter block with one value per example (such as the example weights of hyper-cleaning) is sharded
/// with the data: each rank reads only its own examples' values of λ and λ̇. Its adjoints (<see cref="CrossAdjoint"/>,
/// <see cref="LambdaGradient"/>) are added on the rank that owns the example and nowhere else, so they cost no message;
/// <see cref="Gather"/> sums them over the ranks once, at the end (<see cref="AutoHypergrad.BilevelProblem{T}"/>'s
/// adjoint engines do so through <see cref="IPartitionedAdjoints"/>). The other blocks' adjoints are summed over the
/// ranks with the product they come with.
/// </para>
/// <para>
/// The mean over a batch of b examples, b_r of them on rank r, is Σ_r (b_r/b)·(mean over rank r's b_r): each rank
/// scales its part before the sum, so the result is the one-process mean up to the rounding of that reassociation.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class DataParallelObjective<T> : IObjective<T>, IPartitionedAdjoints
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly MpiSession _session;
    private readonly IObjective<T> _local;
    private readonly Shard _shard;
    private readonly (HyperparameterBlock Global, HyperparameterBlock Local, bool PerExample)[] _blocks;
    private readonly int _sharedCount;
    private readonly T[] _localLambda;
    private readonly T[] _localLambdaDot;
    private readonly T[] _localLambdaBar;
    private readonly T[] _message;

    /// <summary>
    /// The objective over <paramref name="data"/> (every rank passes the same) built by <paramref name="build"/> on this
    /// rank's shard of its examples.
    /// </summary>
    /// <exception cref="ArgumentException">There are more ranks than examples, or the shards' objectives disagree about which blocks are per example.</exception>
    public static DataParallelObjective<T> Over(MpiSession session, Dataset<T> data, Func<Dataset<T>, IObjective<T>> build)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(build);
        var shard = Shard.Of(data.Count, session.Rank, session.Size);
        return new DataParallelObjective<T>(session, build(data.Slice(shard.First, shard.Count)), data.Count, shard);
    }

    /// <summary>The objective whose rank-<see cref="MpiSession.Rank"/> part is <paramref name="local"/>, over <paramref name="shard"/> of <paramref name="exampleCount"/> examples.</summary>
    public DataParallelObjective(MpiSession session, IObjective<T> local, int exampleCount, Shard shard)
    {
        _session = session ?? throw new ArgumentNullException(nameof(session));
        _local = local ?? throw new ArgumentNullException(nameof(local));
        if (local.ExampleCount != shard.Count)
        {
            throw new ArgumentException($"The shard has {shard.Count} examples; its objective has {local.ExampleCount}.", nameof(local));
        }

        _shard = shard;
        ExampleCount = exampleCount;
        ParameterCount = local.ParameterCount;

        // A block is per example where it has one value per example of the shard on every rank: decided together, so
        // that a shared block whose length happens to equal one rank's shard is not taken for one.
        var localBlocks = local.Hyperparameters.Blocks;
        var votes = localBlocks.Select(b => b.Length == shard.Count ? T.One : T.Zero).ToArray();
        session.Allreduce<T>(votes);
        var builder = new HyperparameterLayout.Builder();
        _blocks = new (HyperparameterBlock, HyperparameterBlock, bool)[localBlocks.Count];
        for (int i = 0; i < localBlocks.Count; i++)
        {
            var block = localBlocks[i];
            int ranksPerExample = int.CreateTruncating(votes[i]);
            if (ranksPerExample != 0 && ranksPerExample != session.Size)
            {
                throw new ArgumentException(
                    $"Loss block '{block.Name}' has one value per example on {ranksPerExample} of {session.Size} ranks: a block must be per example on every rank or on none.",
                    nameof(local));
            }

            bool perExample = ranksPerExample == session.Size;
            int length = perExample ? exampleCount : block.Length;
            builder.Add(block.Name, length, block.DefaultValue, block.Description, block.Domain);
            _blocks[i] = (null!, block, perExample);
            _sharedCount += perExample ? 0 : block.Length;
        }

        Hyperparameters = builder.Build();
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i].Global = Hyperparameters.Blocks[i];
        }

        _localLambda = new T[local.Hyperparameters.Count];
        _localLambdaDot = new T[local.Hyperparameters.Count];
        _localLambdaBar = new T[local.Hyperparameters.Count];
        _message = new T[ParameterCount + _sharedCount + 1];
    }

    public int ParameterCount { get; }

    /// <summary>The layout of all the data: per-example blocks as long as <see cref="ExampleCount"/>, the others as the shard's objective has them.</summary>
    public HyperparameterLayout Hyperparameters { get; }

    public int ExampleCount { get; }

    /// <summary>This rank's examples.</summary>
    public Shard Shard => _shard;

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch)
    {
        var (local, scale) = Local(batch);
        _message[0] = local is { } b ? scale * _local.Value(w, Slice(lambda, _localLambda), b) : T.Zero;
        var message = _message.AsSpan(0, 1);
        _session.Allreduce(message);
        return message[0];
    }

    public T Gradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> gradient)
    {
        LocalPart(Product.Gradient, w, lambda, batch, []);
        var message = _message.AsSpan(0, ParameterCount + 1);
        _session.Allreduce(message);
        message[..ParameterCount].CopyTo(gradient);
        return message[ParameterCount];
    }

    public void HessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result)
    {
        LocalPart(Product.HessianVector, w, lambda, batch, v);
        SumOverW(result);
    }

    public void CrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> lambdaDot, Span<T> result)
    {
        LocalPart(Product.CrossTangent, w, lambda, batch, lambdaDot);
        SumOverW(result);
    }

    public void CrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> lambdaBar)
        => AddLambdaBar(LocalPart(Product.CrossAdjoint, w, lambda, batch, v), lambdaBar, [], []);

    public void LambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, Span<T> lambdaBar)
        => AddLambdaBar(LocalPart(Product.LambdaGradient, w, lambda, batch, []), lambdaBar, [], []);

    /// <summary>H·v and the cross adjoint in one call of the shard's objective and one message.</summary>
    public void HessianVectorAndCrossAdjoint(
        ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> v, Span<T> result, Span<T> lambdaBar)
        => AddLambdaBar(LocalPart(Product.HessianVectorAndCrossAdjoint, w, lambda, batch, v), lambdaBar, _message.AsSpan(0, ParameterCount), result);

    /// <summary>Whether <paramref name="block"/> has one value per example, kept by the rank that owns the example.</summary>
    public bool IsPartitioned(string block) => _blocks.Any(b => b.PerExample && b.Global.Name == block);

    /// <summary>Sums a per-example block's adjoint (this rank's entries, zeros elsewhere) over the ranks.</summary>
    public void Gather(string block, Span<double> adjoint)
    {
        if (!IsPartitioned(block))
        {
            throw new ArgumentException($"Loss block '{block}' is not per example: its adjoints are summed with every product.", nameof(block));
        }

        _session.Allreduce(adjoint);
    }

    private enum Product
    {
        Gradient,
        HessianVector,
        CrossTangent,
        CrossAdjoint,
        LambdaGradient,
        HessianVectorAndCrossAdjoint,
    }

    /// <summary>
    /// This rank's part of <paramref name="product"/> along <paramref name="direction"/> (v or λ̇): a vector over w at
    /// the start of the message buffer (for the gradient, J after it), scaled to the shard's share of the batch; λ̄ in
    /// the shard's layout, unscaled (<see cref="AddLambdaBar"/> scales it). Zeros where the shard has none of the batch.
    /// </summary>
    /// <returns>The shard's share of the batch, which scales its means.</returns>
    private T LocalPart(Product product, ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Batch batch, ReadOnlySpan<T> direction)
    {
        var (local, scale) = Local(batch);
        var overW = _message.AsSpan(0, ParameterCount);
        overW.Clear();
        _message[ParameterCount] = T.Zero;
        Array.Clear(_localLambdaBar);
        if (local is not { } b)
        {
            return scale;
        }

        var here = Slice(lambda, _localLambda);
        switch (product)
        {
            case Product.Gradient:
                _message[ParameterCount] = scale * _local.Gradient(w, here, b, overW);
                break;
            case Product.HessianVector:
                _local.HessianVector(w, here, b, direction, overW);
                break;
            case Product.CrossTangent:
                _local.CrossTangent(w, here, b, Slice(direction, _localLambdaDot), overW);
                break;
            case Product.CrossAdjoint:
                _local.CrossAdjoint(w, here, b, direction, _localLambdaBar);
                break;
            case Product.LambdaGradient:
                _local.LambdaGradient(w, here, b, _localLambdaBar);
                break;
            case Product.HessianVectorAndCrossAdjoint:
                _local.HessianVectorAndCrossAdjoint(w, here, b, direction, overW, _localLambdaBar);
                break;
        }

        Scale(overW, scale);
        return scale;
    }

    /// <summary>The message's vector over w summed over the ranks, into <paramref name="result"/>.</summary>
    private void SumOverW(Span<T> result)
    {
        var message = _message.AsSpan(0, ParameterCount);
        _session.Allreduce(message);
        message.CopyTo(result);
    }

    /// <summary>The shard's part of <paramref name="batch"/> (null where it has none) and the weight of its mean in the batch's.</summary>
    private (Batch? Local, T Scale) Local(Batch batch)
    {
        batch.Validate(ExampleCount);
        if (batch.IsFull)
        {
            return (Batch.Full, T.CreateTruncating((double)_shard.Count / ExampleCount));
        }

        var mine = new List<int>();
        foreach (int index in batch.Indices)
        {
            if (index >= _shard.First && index < _shard.End)
            {
                mine.Add(index - _shard.First);
            }
        }

        return mine.Count == 0 ? (null, T.Zero) : (Batch.Of(mine.ToArray()), T.CreateTruncating((double)mine.Count / batch.Indices.Length));
    }

    /// <summary>λ (or λ̇) of all the data in the shard's layout: its own examples' values of per-example blocks, the rest as they are.</summary>
    private ReadOnlySpan<T> Slice(ReadOnlySpan<T> global, T[] local)
    {
        foreach (var (g, l, perExample) in _blocks)
        {
            global.Slice(g.Offset + (perExample ? _shard.First : 0), l.Length).CopyTo(local.AsSpan(l.Offset, l.Length));
        }

        return local;
    }

    /// <summary>
    /// Adds the shard's λ̄ (scaled) to <paramref name="lambdaBar"/>: per-example entries at this rank's examples, the
    /// shared ones after a sum over the ranks, sent in one message behind <paramref name="product"/> (the start of the
    /// message buffer, empty for the adjoints alone), whose sum then goes to <paramref name="result"/>.
    /// </summary>
    private void AddLambdaBar(T scale, Span<T> lambdaBar, Span<T> product, Span<T> result)
    {
        int productLength = product.Length;
        int length = productLength;
        foreach (var (global, local, perExample) in _blocks)
        {
            var part = _localLambdaBar.AsSpan(local.Offset, local.Length);
            if (perExample)
            {
                var into = lambdaBar.Slice(global.Offset + _shard.First, local.Length);
                for (int i = 0; i < part.Length; i++)
                {
                    into[i] += scale * part[i];
                }
            }
            else
            {
                for (int i = 0; i < part.Length; i++)
                {
                    _message[length + i] = scale * part[i];
                }

                length += part.Length;
            }
        }

        if (length == 0)
        {
            return;
        }

        var message = _message.AsSpan(0, length);
        _session.Allreduce(message);
        message[..productLength].CopyTo(result);
        length = productLength;
        foreach (var (global, local, perExample) in _blocks)
        {
            if (!perExample)
            {
                var into = lambdaBar.Slice(global.Offset, global.Length);
                for (int i = 0; i < into.Length; i++)
                {
                    into[i] += message[length + i];
                }

                length += global.Length;
            }
        }
    }

    private static void Scale(Span<T> values, T scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }
}
