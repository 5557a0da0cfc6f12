using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace AutoHypergrad.Objectives;

/// <summary>One named block of the loss hyperparameters: λ[Offset .. Offset + Length).</summary>
/// <param name="Name">The name a user gives on the command line (<c>l2</c>, <c>weights</c>, …).</param>
/// <param name="Offset">Where the block starts in λ.</param>
/// <param name="Length">How many values it has (1 for a scalar).</param>
/// <param name="DefaultValue">The value every entry starts at unless the user sets it.</param>
/// <param name="Description">What it is, for help and reports.</param>
/// <param name="Domain">Where its values may lie; the outer loop keeps a tuned block there.</param>
public sealed record HyperparameterBlock(string Name, int Offset, int Length, double DefaultValue, string Description, HyperparameterDomain Domain = HyperparameterDomain.Unconstrained);

/// <summary>The loss hyperparameters λ of an objective: consecutive named blocks.</summary>
public sealed class HyperparameterLayout
{
    /// <summary>No hyperparameters (a validation objective, say).</summary>
    public static HyperparameterLayout Empty { get; } = new([]);

    private HyperparameterLayout(IReadOnlyList<HyperparameterBlock> blocks)
    {
        Blocks = blocks;
        Count = blocks.Sum(b => b.Length);
    }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<HyperparameterBlock> Blocks { get; }

    /// <summary>The length of λ.</summary>
    public int Count { get; }

    /// <summary>The block named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is none; the message lists the names there are.</exception>
    public HyperparameterBlock this[string name]
        => Find(name) ?? throw new ArgumentException(
            $"No loss hyperparameter '{name}'; this objective has {(Blocks.Count == 0 ? "none" : string.Join(", ", Blocks.Select(b => b.Name)))}.",
            nameof(name));

    /// <summary>The block named <paramref name="name"/>, or null.</summary>
    public HyperparameterBlock? Find(string name) => Blocks.FirstOrDefault(b => b.Name == name);

    /// <summary>A new λ with every block at its default.</summary>
    public T[] Defaults<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var lambda = new T[Count];
        foreach (var block in Blocks)
        {
            lambda.AsSpan(block.Offset, block.Length).Fill(T.CreateChecked(block.DefaultValue));
        }

        return lambda;
    }

    /// <summary>Builds a layout block by block.</summary>
    public sealed class Builder
    {
        private readonly List<HyperparameterBlock> _blocks = [];
        private int _count;

        /// <summary>Appends a block and returns its offset.</summary>
        public int Add(string name, int length, double defaultValue, string description, HyperparameterDomain domain = HyperparameterDomain.Unconstrained)
        {
            if (_blocks.Any(b => b.Name == name))
            {
                throw new ArgumentException($"A loss hyperparameter named '{name}' is already in the layout.", nameof(name));
            }

            _blocks.Add(new HyperparameterBlock(name, _count, length, defaultValue, description, domain));
            _count += length;
            return _count - length;
        }

        public HyperparameterLayout Build() => _blocks.Count == 0 ? Empty : new HyperparameterLayout(_blocks.ToArray());
    }
}
