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
}
