using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Linq;
using AutoHypergrad.Domains;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Outer;

/// <summary>One block of λ and its domain.</summary>
/// <param name="Name">The block's name, for errors.</param>
/// <param name="Offset">Where it starts in λ.</param>
/// <param name="Length">Its length.</param>
/// <param name="Domain">Where its values may lie.</param>
public sealed record DomainBlock(string Name, int Offset, int Length, Domain Domain);

/// <summary>
/// The domains of all of λ, block by block: the outer optimizers iterate on free variables u with λ = r(u), and
/// project u after each step (see <see cref="Domain"/>). Every hyperstep goes through here, so no engine or outer
/// optimizer sees a λ outside its domain.
/// </summary>
public sealed class DomainMap
{
    /// <summary>A map over λ of length <paramref name="count"/>; the blocks must cover it without overlap.</summary>
    public DomainMap(int count, IReadOnlyList<DomainBlock> blocks)
    {
        var covered = new bool[count];
        foreach (var block in blocks)
        {
            if (block.Offset < 0 || block.Length < 0 || block.Offset + block.Length > count)
            {
                throw new ArgumentException($"The domain block '{block.Name}' [{block.Offset}, {block.Offset + block.Length}) lies outside λ of length {count}.", nameof(blocks));
            }

            for (int i = block.Offset; i < block.Offset + block.Length; i++)
            {
                if (covered[i])
                {
                    throw new ArgumentException($"The domain block '{block.Name}' overlaps another at λ[{i}].", nameof(blocks));
                }

                covered[i] = true;
            }
        }

        int missing = Array.IndexOf(covered, false);
        if (missing >= 0)
        {
            throw new ArgumentException($"No domain covers λ[{missing}].", nameof(blocks));
        }

        Count = count;
        Blocks = blocks;
    }

    /// <summary>
    /// The domains of the tuned blocks of <paramref name="space"/>: the one <paramref name="chosen"/> names, else the
    /// declared one (an optimizer hyperparameter's <c>[Hyper(Domain = …)]</c>, a loss block's
    /// <see cref="Objectives.HyperparameterBlock.Domain"/>; w_0 is unconstrained).
    /// </summary>
    /// <param name="space">What λ is.</param>
    /// <param name="optimizer">The run's optimizer; null for a run without one (only loss blocks and w_0 are tuned).</param>
    /// <param name="chosen">Domains other than the declared ones, by block name.</param>
    public static DomainMap Declared(HyperparameterSpace space, Optimizer? optimizer, IReadOnlyDictionary<string, Domain> chosen)
    {
        Domain DomainOf(TunedHyperparameter block)
            => chosen.TryGetValue(block.Name, out var domain) ? domain
             : block.Kind switch
             {
                 HyperparameterKind.Optimizer => optimizer!.Hyperparameters[block.Source].Domain.ToDomain(),
                 HyperparameterKind.Loss => space.LossLayout[block.Name].Domain.ToDomain(),
                 _ => Domain.Unconstrained,
             };

        return new DomainMap(space.Count, space.Tuned.Select(b => new DomainBlock(b.Name, b.Offset, b.Length, DomainOf(b))).ToArray());
    }

    /// <summary>The length of λ.</summary>
    public int Count { get; }

    /// <summary>The blocks.</summary>
    public IReadOnlyList<DomainBlock> Blocks { get; }

    /// <summary>u for λ.</summary>
    /// <exception cref="ArgumentException">λ lies outside a domain; the message names the block, the entry and the value.</exception>
    public double[] ToFree(ReadOnlySpan<double> lambda)
    {
        CheckContains(lambda);
        var u = new double[Count];
        foreach (var block in Blocks)
        {
            block.Domain.ToFree(lambda.Slice(block.Offset, block.Length), u.AsSpan(block.Offset, block.Length));
        }

        return u;
    }

    /// <summary>λ = r(u).</summary>
    public void FromFree(ReadOnlySpan<double> u, Span<double> lambda)
    {
        foreach (var block in Blocks)
        {
            block.Domain.FromFree(u.Slice(block.Offset, block.Length), lambda.Slice(block.Offset, block.Length));
        }
    }

    /// <summary>∂f/∂u = r'(u)ᵀ ∂f/∂λ.</summary>
    public void ChainGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> lambdaGradient, Span<double> freeGradient)
    {
        foreach (var block in Blocks)
        {
            block.Domain.ChainGradient(
                u.Slice(block.Offset, block.Length), lambdaGradient.Slice(block.Offset, block.Length), freeGradient.Slice(block.Offset, block.Length));
        }
    }

    /// <summary>Projects u onto the feasible set, block by block.</summary>
    public void Project(Span<double> u)
    {
        foreach (var block in Blocks)
        {
            block.Domain.Project(u.Slice(block.Offset, block.Length));
        }
    }

    /// <summary>Throws unless every block of λ lies in its domain.</summary>
    public void CheckContains(ReadOnlySpan<double> lambda)
    {
        foreach (var block in Blocks)
        {
            var values = lambda.Slice(block.Offset, block.Length);
            if (!block.Domain.Contains(values, out int entry))
            {
                // Contains reports values.Length when only a sum constraint fails.
                string where = entry == block.Length
                    ? FormattableString.Invariant($"The hyperparameter '{block.Name}' (sum {TensorPrimitives.Sum(values):G9})")
                    : FormattableString.Invariant($"The hyperparameter '{block.Name}'{(block.Length > 1 ? $"[{entry}]" : string.Empty)} = {values[entry]:G9}");
                throw new ArgumentException($"{where} is outside its domain, {block.Domain.Describe()}.");
            }
        }
    }
}
