using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.Objectives.Models;

/// <summary>The nonlinearity between the dense layers of an MLP.</summary>
public enum Activation
{
    Tanh,
    ReLU,
    Sigmoid,
}

/// <summary>An activation a = σ(z) with its first and second derivatives, written in terms of a where that is cheaper.</summary>
internal static class ActivationFunctions
{
    public static void Apply<T>(Activation activation, ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Tanh:
                TensorPrimitives.Tanh(z, a);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(z, a);
                break;
            default:
                TensorPrimitives.Max(z, T.Zero, a);
                break;
        }
    }

    /// <summary>
    /// result = x ⊙ σ′(z), a tangent or a gradient carried through the activation; vectorized, with each element's
    /// operations those of <see cref="First{T}(Activation, T, T)"/>, so its bits too.
    /// </summary>
    public static void TimesFirst<T>(Activation activation, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x, Span<T> result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= result.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (new Vector<T>(x[i..]) * First(activation, new Vector<T>(z[i..]), new Vector<T>(a[i..]))).CopyTo(result[i..]);
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] = x[i] * First(activation, z[i], a[i]);
        }
    }

    /// <summary>
    /// The R-operator's δ through the activation: rDelta = rDelta ⊙ σ′(z) + σ″(z) ⊙ ż ⊙ ∂J/∂a, vectorized with the
    /// scalar formula's operations in its order.
    /// </summary>
    public static void SecondOrderDelta<T>(Activation activation, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> zDot, ReadOnlySpan<T> gradA, Span<T> rDelta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= rDelta.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var va = new Vector<T>(a[i..]);
                var value = (new Vector<T>(rDelta[i..]) * First(activation, new Vector<T>(z[i..]), va))
                            + (Second(activation, va) * new Vector<T>(zDot[i..]) * new Vector<T>(gradA[i..]));
                value.CopyTo(rDelta[i..]);
            }
        }

        for (; i < rDelta.Length; i++)
        {
            rDelta[i] = rDelta[i] * First(activation, z[i], a[i]) + Second(activation, a[i]) * zDot[i] * gradA[i];
        }
    }

    /// <summary>σ′(z) from z and a = σ(z).</summary>
    public static T First<T>(Activation activation, T z, T a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => activation switch
        {
            Activation.Tanh => T.One - a * a,
            Activation.Sigmoid => a * (T.One - a),
            _ => z > T.Zero ? T.One : T.Zero,
        };

    /// <summary>σ″(z) from z and a = σ(z) (ReLU: 0, its derivative is piecewise constant).</summary>
    public static T Second<T>(Activation activation, T a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
        return activation switch
        {
            Activation.Tanh => -two * a * (T.One - a * a),
            Activation.Sigmoid => a * (T.One - a) * (T.One - two * a),
            _ => T.Zero,
        };
    }

    private static Vector<T> First<T>(Activation activation, Vector<T> z, Vector<T> a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => activation switch
        {
            Activation.Tanh => Vector<T>.One - (a * a),
            Activation.Sigmoid => a * (Vector<T>.One - a),
            _ => Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero),
        };

    private static Vector<T> Second<T>(Activation activation, Vector<T> a)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var two = new Vector<T>(T.CreateTruncating(2));
        return activation switch
        {
            Activation.Tanh => -two * a * (Vector<T>.One - (a * a)),
            Activation.Sigmoid => a * (Vector<T>.One - a) * (Vector<T>.One - (two * a)),
            _ => Vector<T>.Zero,
        };
    }
}
