using System;
using System.Numerics;

namespace AutoHypergrad.Objectives.Models;

/// <summary>
/// The loss of each example given the network's outputs z (rows × outputs, row-major) and its label or target:
/// values, the output gradient δ = c·∂ℓ/∂z weighted by each row's coefficient c (1/B, or λᵢ/B with example
/// weights), and the product of the loss's Hessian in z with a tangent ż.
/// </summary>
internal abstract class LossHead<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    protected LossHead(int outputs) => Outputs = outputs;

    /// <summary>The number of network outputs per example.</summary>
    public int Outputs { get; }

    /// <summary>ℓᵢ for each row.</summary>
    public abstract void Losses(ReadOnlySpan<T> z, in Targets<T> targets, Span<T> losses);

    /// <summary>Σ cᵢℓᵢ; writes δᵢ = cᵢ ∂ℓᵢ/∂zᵢ.</summary>
    public abstract T ValueAndDelta(ReadOnlySpan<T> z, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> delta);

    /// <summary>Writes cᵢ ∇²ℓᵢ żᵢ.</summary>
    public abstract void HessianTimes(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> result);

    /// <summary>Writes ⟨∂ℓᵢ/∂zᵢ, żᵢ⟩ for each row.</summary>
    public abstract void Directional(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, Span<T> result);

    /// <summary>Whether row <paramref name="row"/>'s prediction is its label (classification heads).</summary>
    public abstract bool IsCorrect(ReadOnlySpan<T> z, in Targets<T> targets, int row);

    public static LossHead<T> Create(LossKind loss, int outputs)
        => loss == LossKind.MeanSquaredError ? new SquaredError(outputs)
            : outputs == 1 ? new LogisticCrossEntropy() : new SoftmaxCrossEntropy(outputs);

    private sealed class SquaredError : LossHead<T>
    {
        private static readonly T Two = T.CreateTruncating(2);

        public SquaredError(int outputs)
            : base(outputs)
        {
        }

        public override void Losses(ReadOnlySpan<T> z, in Targets<T> targets, Span<T> losses)
        {
            for (int i = 0; i < losses.Length; i++)
            {
                T r = z[i] - targets.Values[i];
                losses[i] = r * r;
            }
        }

        public override T ValueAndDelta(ReadOnlySpan<T> z, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> delta)
        {
            T sum = T.Zero;
            for (int i = 0; i < c.Length; i++)
            {
                T r = z[i] - targets.Values[i];
                sum += c[i] * r * r;
                delta[i] = Two * c[i] * r;
            }

            return sum;
        }

        public override void HessianTimes(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> result)
        {
            for (int i = 0; i < c.Length; i++)
            {
                result[i] = Two * c[i] * zDot[i];
            }
        }

        public override void Directional(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, Span<T> result)
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = Two * (z[i] - targets.Values[i]) * zDot[i];
            }
        }

        public override bool IsCorrect(ReadOnlySpan<T> z, in Targets<T> targets, int row) => false;
    }

    /// <summary>Two classes, one output z: p = σ(z), ℓ = log(1 + eᶻ) − y·z.</summary>
    private sealed class LogisticCrossEntropy : LossHead<T>
    {
        public LogisticCrossEntropy()
            : base(1)
        {
        }

        public override void Losses(ReadOnlySpan<T> z, in Targets<T> targets, Span<T> losses)
        {
            for (int i = 0; i < losses.Length; i++)
            {
                losses[i] = Softplus(z[i]) - Label(targets, i) * z[i];
            }
        }

        public override T ValueAndDelta(ReadOnlySpan<T> z, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> delta)
        {
            T sum = T.Zero;
            for (int i = 0; i < c.Length; i++)
            {
                T y = Label(targets, i);
                sum += c[i] * (Softplus(z[i]) - y * z[i]);
                delta[i] = c[i] * (Sigmoid(z[i]) - y);
            }

            return sum;
        }

        public override void HessianTimes(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> result)
        {
            for (int i = 0; i < c.Length; i++)
            {
                T p = Sigmoid(z[i]);
                result[i] = c[i] * p * (T.One - p) * zDot[i];
            }
        }

        public override void Directional(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, Span<T> result)
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (Sigmoid(z[i]) - Label(targets, i)) * zDot[i];
            }
        }

        public override bool IsCorrect(ReadOnlySpan<T> z, in Targets<T> targets, int row) => (z[row] > T.Zero ? 1 : 0) == targets.Labels[row];

        private static T Label(in Targets<T> targets, int row) => targets.Labels[row] == 0 ? T.Zero : T.One;

        /// <summary>log(1 + eᶻ) without overflow: max(z, 0) + log(1 + e^−|z|).</summary>
        private static T Softplus(T z) => T.Max(z, T.Zero) + T.LogP1(T.Exp(-T.Abs(z)));

        private static T Sigmoid(T z)
        {
            if (z >= T.Zero)
            {
                return T.One / (T.One + T.Exp(-z));
            }

            T e = T.Exp(z);
            return e / (T.One + e);
        }
    }

    /// <summary>K classes: p = softmax(z), ℓ = log Σ eᶻ − z_y.</summary>
    private sealed class SoftmaxCrossEntropy : LossHead<T>
    {
        public SoftmaxCrossEntropy(int outputs)
            : base(outputs)
        {
        }

        public override void Losses(ReadOnlySpan<T> z, in Targets<T> targets, Span<T> losses)
        {
            for (int i = 0; i < losses.Length; i++)
            {
                var row = z.Slice(i * Outputs, Outputs);
                losses[i] = LogSumExp(row) - row[targets.Labels[i]];
            }
        }

        public override T ValueAndDelta(ReadOnlySpan<T> z, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> delta)
        {
            T sum = T.Zero;
            for (int i = 0; i < c.Length; i++)
            {
                var row = z.Slice(i * Outputs, Outputs);
                var d = delta.Slice(i * Outputs, Outputs);
                int y = targets.Labels[i];
                T lse = LogSumExp(row);
                sum += c[i] * (lse - row[y]);
                for (int k = 0; k < Outputs; k++)
                {
                    d[k] = c[i] * T.Exp(row[k] - lse);
                }

                d[y] -= c[i];
            }

            return sum;
        }

        public override void HessianTimes(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, ReadOnlySpan<T> c, Span<T> result)
        {
            // ∇²ℓ = diag(p) − p pᵀ: (∇²ℓ)ż = p ⊙ (ż − p·ż).
            for (int i = 0; i < c.Length; i++)
            {
                var row = z.Slice(i * Outputs, Outputs);
                var dot = zDot.Slice(i * Outputs, Outputs);
                var r = result.Slice(i * Outputs, Outputs);
                T lse = LogSumExp(row);
                T pDot = T.Zero;
                for (int k = 0; k < Outputs; k++)
                {
                    r[k] = T.Exp(row[k] - lse);
                    pDot += r[k] * dot[k];
                }

                for (int k = 0; k < Outputs; k++)
                {
                    r[k] = c[i] * r[k] * (dot[k] - pDot);
                }
            }
        }

        public override void Directional(ReadOnlySpan<T> z, ReadOnlySpan<T> zDot, in Targets<T> targets, Span<T> result)
        {
            for (int i = 0; i < result.Length; i++)
            {
                var row = z.Slice(i * Outputs, Outputs);
                var dot = zDot.Slice(i * Outputs, Outputs);
                T lse = LogSumExp(row);
                T pDot = T.Zero;
                for (int k = 0; k < Outputs; k++)
                {
                    pDot += T.Exp(row[k] - lse) * dot[k];
                }

                result[i] = pDot - dot[targets.Labels[i]];
            }
        }

        public override bool IsCorrect(ReadOnlySpan<T> z, in Targets<T> targets, int row)
        {
            var values = z.Slice(row * Outputs, Outputs);
            int best = 0;
            for (int k = 1; k < Outputs; k++)
            {
                if (values[k] > values[best])
                {
                    best = k;
                }
            }

            return best == targets.Labels[row];
        }

        private static T LogSumExp(ReadOnlySpan<T> row)
        {
            T max = row[0];
            for (int k = 1; k < row.Length; k++)
            {
                max = T.Max(max, row[k]);
            }

            T sum = T.Zero;
            for (int k = 0; k < row.Length; k++)
            {
                sum += T.Exp(row[k] - max);
            }

            return max + T.Log(sum);
        }
    }
}

/// <summary>The labels (classification) or target values (regression) of a batch's rows, in row order.</summary>
internal readonly ref struct Targets<T>
{
    public Targets(ReadOnlySpan<int> labels, ReadOnlySpan<T> values)
    {
        Labels = labels;
        Values = values;
    }

    public ReadOnlySpan<int> Labels { get; }

    public ReadOnlySpan<T> Values { get; }
}
