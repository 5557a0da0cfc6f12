using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

[assembly: AutoHypergrad.ProvidesDerivatives(typeof(AutoHypergrad.Derivatives.TensorPrimitivesDerivatives))]

namespace AutoHypergrad.Derivatives;

/// <summary>
/// Hand-written tangents and adjoints of <see cref="TensorPrimitives"/> operations, for [Differentiable] methods that
/// call them. Each pair follows the contract of the README, extended to spans: a read-only span <c>x</c> is followed
/// by <c>xDot</c> (tangent) or <c>Span&lt;T&gt; xBar</c> (adjoint, accumulated with <c>+=</c>); a scalar <c>y</c> by
/// <c>yDot</c> or <c>ref T yBar</c> (accumulated); a written <c>destination</c> by <c>destinationDot</c> (written
/// with the tangent of the output) or, in the adjoint, <c>destination</c> is passed read-only with its input values
/// and is followed by <c>destinationBar</c>, which holds the adjoint of the output on entry and the adjoint of the
/// input on exit.
/// </summary>
/// <remarks>
/// <para>
/// Second order: the reductions (<c>Dot</c>, <c>Sum</c>, <c>SumOfSquares</c>, <c>Max</c>) also have a
/// <c>{Name}TangentAdjoint</c>, the adjoint of their tangent's Tangent as a function of the inputs and their tangents,
/// which a [Differentiable(Order = 2)] method's HessianVector calls: each input <c>x</c> is followed by
/// <c>Span&lt;T&gt; xBar</c>, <c>xDot</c> and <c>Span&lt;T&gt; xDotBar</c>, then the adjoint <c>resultBar</c> of the
/// tangent; it adds resultBar·H·xDot to xBar and resultBar·∇f to xDotBar.
/// </para>
/// <para>
/// Each tangent computes the primal too: it writes <c>destination</c> (or returns the value) exactly as the
/// <see cref="TensorPrimitives"/> method does, by calling it.
/// </para>
/// <para>
/// Lengths: a derivative span whose length differs from its primal's throws an <see cref="ArgumentException"/> naming
/// it. As in <see cref="TensorPrimitives"/>, inputs must have equal lengths and <c>destination</c> may be longer than
/// the inputs: only its first <c>x.Length</c> elements are written, so only those of <c>destinationDot</c> are written
/// and only those of <c>destinationBar</c> are set to the input's adjoint (zero, since the operation overwrites them);
/// the rest are left as they are, which is their derivative.
/// </para>
/// <para>
/// In place: as <see cref="TensorPrimitives"/> allows <c>destination</c> to be the same memory as an input (for
/// example <c>MultiplyAdd(g, -lr, w, w)</c>), a derivative span of the destination may be the same memory as the
/// input's (<c>destinationDot</c> as <c>wDot</c>, <c>destinationBar</c> as <c>wBar</c>); the results are then those of
/// the in-place call. Spans that overlap without starting at the same element are refused, as by
/// <see cref="TensorPrimitives"/>.
/// </para>
/// <para>
/// No method allocates. Those that need scratch space use a small buffer on the stack, except the adjoint of
/// <see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/>, which rents one from
/// <see cref="ArrayPool{T}.Shared"/> and returns it.
/// </para>
/// </remarks>
public static class TensorPrimitivesDerivatives
{
    // ---------------------------------------------------------------------------------------------------------
    // Reductions
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Tangent of <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>: x·yDot + xDot·y.</summary>
    /// <returns>The dot product and its tangent.</returns>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Dot))]
    public static (T Value, T Tangent) DotTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        SameLength(yDot.Length, y.Length, nameof(yDot), nameof(y));
        T value = TensorPrimitives.Dot(x, y);
        return (value, TensorPrimitives.Dot(xDot, y) + TensorPrimitives.Dot(x, yDot));
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>: xBar += resultBar·y, yBar += resultBar·x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Dot))]
    public static void DotAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        SameLength(yBar.Length, y.Length, nameof(yBar), nameof(y));
        InputLength(y.Length, x.Length, nameof(y));
        TensorPrimitives.MultiplyAdd(y, resultBar, xBar, xBar);
        TensorPrimitives.MultiplyAdd(x, resultBar, yBar, yBar);
    }

    /// <summary>
    /// Adjoint of the tangent of <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, t = xDot·y + x·yDot:
    /// xBar += resultBar·yDot, xDotBar += resultBar·y, yBar += resultBar·xDot, yDotBar += resultBar·x.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Dot))]
    public static void DotTangentAdjoint<T>(
        ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> xDot, Span<T> xDotBar,
        ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> yDot, Span<T> yDotBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        SameLength(xDotBar.Length, x.Length, nameof(xDotBar), nameof(x));
        SameLength(yBar.Length, y.Length, nameof(yBar), nameof(y));
        SameLength(yDot.Length, y.Length, nameof(yDot), nameof(y));
        SameLength(yDotBar.Length, y.Length, nameof(yDotBar), nameof(y));
        InputLength(y.Length, x.Length, nameof(y));
        TensorPrimitives.MultiplyAdd(yDot, resultBar, xBar, xBar);
        TensorPrimitives.MultiplyAdd(y, resultBar, xDotBar, xDotBar);
        TensorPrimitives.MultiplyAdd(xDot, resultBar, yBar, yBar);
        TensorPrimitives.MultiplyAdd(x, resultBar, yDotBar, yDotBar);
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>: the sum of xDot.</summary>
    /// <returns>The sum and its tangent.</returns>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Sum))]
    public static (T Value, T Tangent) SumTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        return (TensorPrimitives.Sum(x), TensorPrimitives.Sum(xDot));
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>: xBar += resultBar.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Sum))]
    public static void SumAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        TensorPrimitives.Add(xBar, resultBar, xBar);
    }

    /// <summary>
    /// Adjoint of the tangent of <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>, t = Σ xDot, linear in x:
    /// xBar is unchanged (H = 0), xDotBar += resultBar.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Sum))]
    public static void SumTangentAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> xDot, Span<T> xDotBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        SameLength(xDotBar.Length, x.Length, nameof(xDotBar), nameof(x));
        TensorPrimitives.Add(xDotBar, resultBar, xDotBar);
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.SumOfSquares{T}(ReadOnlySpan{T})"/>: 2·x·xDot.</summary>
    /// <returns>The sum of squares and its tangent.</returns>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.SumOfSquares))]
    public static (T Value, T Tangent) SumOfSquaresTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        T dot = TensorPrimitives.Dot(x, xDot);
        return (TensorPrimitives.SumOfSquares(x), dot + dot);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.SumOfSquares{T}(ReadOnlySpan{T})"/>: xBar += 2·resultBar·x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.SumOfSquares))]
    public static void SumOfSquaresAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        TensorPrimitives.MultiplyAdd(x, resultBar + resultBar, xBar, xBar);
    }

    /// <summary>
    /// Adjoint of the tangent of <see cref="TensorPrimitives.SumOfSquares{T}(ReadOnlySpan{T})"/>, t = 2·x·xDot:
    /// xBar += 2·resultBar·xDot (H = 2I), xDotBar += 2·resultBar·x.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.SumOfSquares))]
    public static void SumOfSquaresTangentAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> xDot, Span<T> xDotBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        SameLength(xDotBar.Length, x.Length, nameof(xDotBar), nameof(x));
        T twice = resultBar + resultBar;
        TensorPrimitives.MultiplyAdd(xDot, twice, xBar, xBar);
        TensorPrimitives.MultiplyAdd(x, twice, xDotBar, xDotBar);
    }

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>: the tangent of the element returned, the
    /// first maximum (as <see cref="TensorPrimitives.IndexOfMax{T}(ReadOnlySpan{T})"/> finds it).
    /// </summary>
    /// <remarks>
    /// Ties go to the first index of the maximum, and +0 counts as greater than −0, as in
    /// <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>. If <paramref name="x"/> holds a NaN, the value is the
    /// first NaN and the tangent is that element's tangent. An empty <paramref name="x"/> throws, as the primal does.
    /// </remarks>
    /// <returns>The maximum and its tangent.</returns>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static (T Value, T Tangent) MaxTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        T value = TensorPrimitives.Max(x);
        return (value, xDot[TensorPrimitives.IndexOfMax(x)]);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>: resultBar is added to the element of xBar at
    /// the first index of the maximum (the first NaN, if any; see <see cref="MaxTangent{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>).
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        if (x.IsEmpty)
        {
            throw new ArgumentException("x must not be empty: TensorPrimitives.Max of an empty span throws.", nameof(x));
        }

        xBar[TensorPrimitives.IndexOfMax(x)] += resultBar;
    }

    /// <summary>
    /// Adjoint of the tangent of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>, t = xDot[k] for k the first
    /// index of the maximum (see <see cref="MaxTangent{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>): xBar is unchanged
    /// (H = 0 away from ties), xDotBar[k] += resultBar.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxTangentAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> xDot, Span<T> xDotBar, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        SameLength(xBar.Length, x.Length, nameof(xBar), nameof(x));
        SameLength(xDot.Length, x.Length, nameof(xDot), nameof(x));
        SameLength(xDotBar.Length, x.Length, nameof(xDotBar), nameof(x));
        if (x.IsEmpty)
        {
            throw new ArgumentException("x must not be empty: TensorPrimitives.Max of an empty span throws.", nameof(x));
        }

        xDotBar[TensorPrimitives.IndexOfMax(x)] += resultBar;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Add
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Tangent of <see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot + yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Add))]
    public static void AddTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        TensorPrimitives.Add(xDot, yDot, destinationDot);
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: xBar += g, yBar += g, for g the adjoint of the output.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Add))]
    public static void AddAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        AccumulateSumOrDifference(g, xBar, yBar, subtract: false);
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, T, Span{T})"/>: destinationDot = xDot + yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Add))]
    public static void AddTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, T y, T yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckUnaryTangent(x, xDot, destination, destinationDot);
        TensorPrimitives.Add(xDot, yDot, destinationDot);
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, T, Span{T})"/>: xBar += g, yBar += Σg.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Add))]
    public static void AddAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T y, ref T yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        yBar += TensorPrimitives.Sum<T>(g);
        if (Aliases(xBar, g, nameof(xBar)))
        {
            return; // xBar = g: the adjoint passes through unchanged
        }

        TensorPrimitives.Add(xBar, g, xBar);
        g.Clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Subtract
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Tangent of <see cref="TensorPrimitives.Subtract{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot − yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        TensorPrimitives.Subtract(xDot, yDot, destinationDot);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Subtract{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: xBar += g, yBar −= g.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        AccumulateSumOrDifference(g, xBar, yBar, subtract: true);
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Subtract{T}(ReadOnlySpan{T}, T, Span{T})"/>: destinationDot = xDot − yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, T y, T yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckUnaryTangent(x, xDot, destination, destinationDot);
        TensorPrimitives.Subtract(xDot, yDot, destinationDot);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Subtract{T}(ReadOnlySpan{T}, T, Span{T})"/>: xBar += g, yBar −= Σg.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T y, ref T yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        yBar -= TensorPrimitives.Sum<T>(g);
        if (Aliases(xBar, g, nameof(xBar)))
        {
            return; // xBar = g
        }

        TensorPrimitives.Add(xBar, g, xBar);
        g.Clear();
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Subtract{T}(T, ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot − yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractTangent<T>(T x, T xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckUnaryTangent(y, yDot, destination, destinationDot, nameof(y), nameof(yDot));
        TensorPrimitives.Subtract(xDot, yDot, destinationDot);
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Subtract{T}(T, ReadOnlySpan{T}, Span{T})"/>: xBar += Σg, yBar −= g.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Subtract))]
    public static void SubtractAdjoint<T>(T x, ref T xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(y, yBar, destination, destinationBar, nameof(y), nameof(yBar));
        xBar += TensorPrimitives.Sum<T>(g);
        if (Aliases(yBar, g, nameof(yBar)))
        {
            TensorPrimitives.Negate<T>(g, g); // yBar = −g
            return;
        }

        TensorPrimitives.Subtract(yBar, g, yBar);
        g.Clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Multiply
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Tangent of <see cref="TensorPrimitives.Multiply{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot·y + x·yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Multiply))]
    public static void MultiplyTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < n; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, n - start);
            Span<T> product = buffer[..length];
            TensorPrimitives.Multiply(x.Slice(start, length), yDot.Slice(start, length), product);
            TensorPrimitives.MultiplyAdd(xDot.Slice(start, length), y.Slice(start, length), product, destinationDot.Slice(start, length));
        }

        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Multiply{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: xBar += g·y, yBar += g·x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Multiply))]
    public static void MultiplyAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        if (!Aliases(xBar, g, nameof(xBar)) && !Aliases(yBar, g, nameof(yBar)))
        {
            MultiplyAccumulate(g, x, xBar, y, yBar);
            g.Clear();
            return;
        }

        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < g.Length; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, g.Length - start);
            MultiplyAccumulate(
                MoveOut(g.Slice(start, length), buffer),
                x.Slice(start, length), xBar.Slice(start, length), y.Slice(start, length), yBar.Slice(start, length));
        }
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Multiply{T}(ReadOnlySpan{T}, T, Span{T})"/>: destinationDot = xDot·y + x·yDot.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Multiply))]
    public static void MultiplyTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, T y, T yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckUnaryTangent(x, xDot, destination, destinationDot);
        Span<T> dot = destinationDot[..n];
        TensorPrimitives.Multiply(xDot, y, dot); // reads xDot before anything writes dot (which may be xDot)
        TensorPrimitives.MultiplyAdd(x, yDot, dot, dot);
        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Multiply{T}(ReadOnlySpan{T}, T, Span{T})"/>: xBar += g·y, yBar += g·x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Multiply))]
    public static void MultiplyAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T y, ref T yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        yBar += TensorPrimitives.Dot<T>(x, g);
        if (Aliases(xBar, g, nameof(xBar)))
        {
            TensorPrimitives.Multiply<T>(g, y, g); // xBar = g·y
            return;
        }

        TensorPrimitives.MultiplyAdd<T>(g, y, xBar, xBar);
        g.Clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // MultiplyAdd: destination = x·y + addend
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>:
    /// destinationDot = xDot·y + x·yDot + addendDot.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddTangent<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, ReadOnlySpan<T> addend, ReadOnlySpan<T> addendDot,
        Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        SameLength(addendDot.Length, addend.Length, nameof(addendDot), nameof(addend));
        InputLength(addend.Length, n, nameof(addend));
        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < n; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, n - start);
            Span<T> partial = buffer[..length];
            TensorPrimitives.MultiplyAdd(x.Slice(start, length), yDot.Slice(start, length), addendDot.Slice(start, length), partial);
            TensorPrimitives.MultiplyAdd(xDot.Slice(start, length), y.Slice(start, length), partial, destinationDot.Slice(start, length));
        }

        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>:
    /// xBar += g·y, yBar += g·x, addendBar += g.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddAdjoint<T>(
        ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> addend, Span<T> addendBar,
        ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        SameLength(addendBar.Length, addend.Length, nameof(addendBar), nameof(addend));
        InputLength(addend.Length, x.Length, nameof(addend));
        bool xAliased = Aliases(xBar, g, nameof(xBar));
        bool yAliased = Aliases(yBar, g, nameof(yBar));
        bool addendAliased = Aliases(addendBar, g, nameof(addendBar));
        if (!xAliased && !yAliased && !addendAliased)
        {
            MultiplyAccumulate(g, x, xBar, y, yBar);
            TensorPrimitives.Add(addendBar, g, addendBar);
            g.Clear();
            return;
        }

        if (addendAliased && !xAliased && !yAliased)
        {
            // The usual in-place update (destination = addend): addendBar = g passes through.
            TensorPrimitives.MultiplyAdd(g, y, xBar, xBar);
            TensorPrimitives.MultiplyAdd(g, x, yBar, yBar);
            return;
        }

        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < g.Length; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, g.Length - start);
            ReadOnlySpan<T> gChunk = MoveOut(g.Slice(start, length), buffer);
            MultiplyAccumulate(gChunk, x.Slice(start, length), xBar.Slice(start, length), y.Slice(start, length), yBar.Slice(start, length));
            Span<T> addendBarChunk = addendBar.Slice(start, length);
            TensorPrimitives.Add(addendBarChunk, gChunk, addendBarChunk);
        }
    }

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>:
    /// destinationDot = xDot·y + x·yDot + addendDot.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddTangent<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, T y, T yDot, ReadOnlySpan<T> addend, ReadOnlySpan<T> addendDot,
        Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckUnaryTangent(x, xDot, destination, destinationDot);
        SameLength(addendDot.Length, addend.Length, nameof(addendDot), nameof(addend));
        InputLength(addend.Length, n, nameof(addend));
        Span<T> dot = destinationDot[..n];
        TensorPrimitives.MultiplyAdd(xDot, y, addendDot, dot); // reads xDot and addendDot, either of which dot may be
        TensorPrimitives.MultiplyAdd(x, yDot, dot, dot);
        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>:
    /// xBar += g·y, yBar += Σ g·x, addendBar += g.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddAdjoint<T>(
        ReadOnlySpan<T> x, Span<T> xBar, T y, ref T yBar, ReadOnlySpan<T> addend, Span<T> addendBar,
        ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        SameLength(addendBar.Length, addend.Length, nameof(addendBar), nameof(addend));
        InputLength(addend.Length, x.Length, nameof(addend));
        yBar += TensorPrimitives.Dot<T>(x, g);
        bool xAliased = Aliases(xBar, g, nameof(xBar));
        bool addendAliased = Aliases(addendBar, g, nameof(addendBar));
        if (xAliased && addendAliased)
        {
            TensorPrimitives.Multiply<T>(g, y + T.One, g); // the same memory receives g·y + g
        }
        else if (xAliased)
        {
            TensorPrimitives.Add<T>(addendBar, g, addendBar);
            TensorPrimitives.Multiply<T>(g, y, g);
        }
        else if (addendAliased)
        {
            TensorPrimitives.MultiplyAdd<T>(g, y, xBar, xBar); // addendBar = g passes through
        }
        else
        {
            TensorPrimitives.MultiplyAdd<T>(g, y, xBar, xBar);
            TensorPrimitives.Add<T>(addendBar, g, addendBar);
            g.Clear();
        }
    }

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>:
    /// destinationDot = xDot·y + x·yDot + addendDot.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddTangent<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, T addend, T addendDot,
        Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < n; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, n - start);
            Span<T> partial = buffer[..length];
            TensorPrimitives.MultiplyAdd(x.Slice(start, length), yDot.Slice(start, length), addendDot, partial);
            TensorPrimitives.MultiplyAdd(xDot.Slice(start, length), y.Slice(start, length), partial, destinationDot.Slice(start, length));
        }

        TensorPrimitives.MultiplyAdd(x, y, addend, destination);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>:
    /// xBar += g·y, yBar += g·x, addendBar += Σg.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.MultiplyAdd))]
    public static void MultiplyAddAdjoint<T>(
        ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, T addend, ref T addendBar,
        ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        addendBar += TensorPrimitives.Sum<T>(g);
        MultiplyAdjoint(x, xBar, y, yBar, destination, destinationBar);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Exp, Log
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Tangent of <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot·exp(x).</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Exp))]
    public static void ExpTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckUnaryTangent(x, xDot, destination, destinationDot);
        TensorPrimitives.Exp(x, destination);
        TensorPrimitives.Multiply<T>(xDot, destination[..n], destinationDot);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>: xBar += g·exp(x).</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Exp))]
    public static void ExpAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        bool aliased = Aliases(xBar, g, nameof(xBar));
        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < g.Length; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, g.Length - start);
            Span<T> exp = buffer[..length];
            TensorPrimitives.Exp(x.Slice(start, length), exp);
            Span<T> gChunk = g.Slice(start, length);
            if (aliased)
            {
                TensorPrimitives.Multiply<T>(gChunk, exp, gChunk);
            }
            else
            {
                Span<T> xBarChunk = xBar.Slice(start, length);
                TensorPrimitives.MultiplyAdd<T>(gChunk, exp, xBarChunk, xBarChunk);
            }
        }

        if (!aliased)
        {
            g.Clear();
        }
    }

    /// <summary>Tangent of <see cref="TensorPrimitives.Log{T}(ReadOnlySpan{T}, Span{T})"/>: destinationDot = xDot / x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Log))]
    public static void LogTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        CheckUnaryTangent(x, xDot, destination, destinationDot);
        TensorPrimitives.Divide(xDot, x, destinationDot);
        TensorPrimitives.Log(x, destination);
    }

    /// <summary>Adjoint of <see cref="TensorPrimitives.Log{T}(ReadOnlySpan{T}, Span{T})"/>: xBar += g / x.</summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Log))]
    public static void LogAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        if (Aliases(xBar, g, nameof(xBar)))
        {
            TensorPrimitives.Divide<T>(g, x, g);
            return;
        }

        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < g.Length; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, g.Length - start);
            Span<T> quotient = buffer[..length];
            TensorPrimitives.Divide<T>(g.Slice(start, length), x.Slice(start, length), quotient);
            Span<T> xBarChunk = xBar.Slice(start, length);
            TensorPrimitives.Add<T>(xBarChunk, quotient, xBarChunk);
        }

        g.Clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Element-wise Max
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: the tangent of the
    /// operand selected, element by element.
    /// </summary>
    /// <remarks>
    /// x[i] is selected where x[i] ≥ y[i] (ties, and +0 against −0 either way, go to x, as the generator's rule for
    /// <c>Math.Max</c> does) or where x[i] is NaN; y[i] elsewhere. So where an operand is NaN the result is that NaN
    /// and its tangent that operand's (x's when both are NaN).
    /// </remarks>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckBinaryTangent(x, xDot, y, yDot, destination, destinationDot);
        Span<T> dot = destinationDot[..n];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> selectsX = SelectsX(new Vector<T>(x[i..]), new Vector<T>(y[i..]));
                Vector.ConditionalSelect(selectsX, new Vector<T>(xDot[i..]), new Vector<T>(yDot[i..])).CopyTo(dot[i..]);
            }
        }

        for (; i < n; i++)
        {
            dot[i] = SelectsX(x[i], y[i]) ? xDot[i] : yDot[i];
        }

        TensorPrimitives.Max(x, y, destination);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>: g[i] goes to
    /// xBar[i] or yBar[i], whichever operand is selected (see <see cref="MaxTangent{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>).
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckBinaryAdjoint(x, xBar, y, yBar, destination, destinationBar);
        Aliases(xBar, g, nameof(xBar));
        Aliases(yBar, g, nameof(yBar));

        // Element by element: read g, clear it, then accumulate, so that any of the bars may be destinationBar.
        int n = g.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> gi = new(g[i..]);
                Vector<T> selectsX = SelectsX(new Vector<T>(x[i..]), new Vector<T>(y[i..]));
                Vector<T>.Zero.CopyTo(g[i..]);
                (new Vector<T>(xBar[i..]) + Vector.ConditionalSelect(selectsX, gi, Vector<T>.Zero)).CopyTo(xBar[i..]);
                (new Vector<T>(yBar[i..]) + Vector.ConditionalSelect(selectsX, Vector<T>.Zero, gi)).CopyTo(yBar[i..]);
            }
        }

        for (; i < n; i++)
        {
            T gi = g[i];
            g[i] = T.Zero;
            if (SelectsX(x[i], y[i]))
            {
                xBar[i] += gi;
            }
            else
            {
                yBar[i] += gi;
            }
        }
    }

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, T, Span{T})"/>: xDot[i] where x[i] is selected
    /// (x[i] ≥ y or x[i] NaN), yDot elsewhere.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, T y, T yDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckUnaryTangent(x, xDot, destination, destinationDot);
        Span<T> dot = destinationDot[..n];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> yVector = new(y);
            Vector<T> yDotVector = new(yDot);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> selectsX = SelectsX(new Vector<T>(x[i..]), yVector);
                Vector.ConditionalSelect(selectsX, new Vector<T>(xDot[i..]), yDotVector).CopyTo(dot[i..]);
            }
        }

        for (; i < n; i++)
        {
            dot[i] = SelectsX(x[i], y) ? xDot[i] : yDot;
        }

        TensorPrimitives.Max(x, y, destination);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, T, Span{T})"/>: g[i] goes to xBar[i] where x[i]
    /// is selected (x[i] ≥ y or x[i] NaN), and to yBar elsewhere.
    /// </summary>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.Max))]
    public static void MaxAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, T y, ref T yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        Aliases(xBar, g, nameof(xBar));
        int n = g.Length;
        int i = 0;
        T toY = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> yVector = new(y);
            Vector<T> toYVector = Vector<T>.Zero;
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> gi = new(g[i..]);
                Vector<T> selectsX = SelectsX(new Vector<T>(x[i..]), yVector);
                Vector<T>.Zero.CopyTo(g[i..]);
                (new Vector<T>(xBar[i..]) + Vector.ConditionalSelect(selectsX, gi, Vector<T>.Zero)).CopyTo(xBar[i..]);
                toYVector += Vector.ConditionalSelect(selectsX, Vector<T>.Zero, gi);
            }

            toY = Vector.Sum(toYVector);
        }

        for (; i < n; i++)
        {
            T gi = g[i];
            g[i] = T.Zero;
            if (SelectsX(x[i], y))
            {
                xBar[i] += gi;
            }
            else
            {
                toY += gi;
            }
        }

        yBar += toY;
    }

    // ---------------------------------------------------------------------------------------------------------
    // SoftMax
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Tangent of <see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/>: with s = softmax(x),
    /// destinationDot = s·(xDot − Σ s·xDot).
    /// </summary>
    /// <remarks>
    /// destination must have the length of x: given a longer destination, System.Numerics.Tensors 10.0.0's SoftMax
    /// adds destination's extra elements into the normalizing sum and divides them too, so the derivatives refuse it
    /// rather than differentiate that.
    /// </remarks>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.SoftMax))]
    public static void SoftMaxTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, Span<T> destination, Span<T> destinationDot)
        where T : IFloatingPointIeee754<T>
    {
        int n = CheckUnaryTangent(x, xDot, destination, destinationDot);
        SoftMaxDestinationLength(destination.Length, n);
        TensorPrimitives.SoftMax(x, destination);
        ReadOnlySpan<T> s = destination[..n];
        T mean = TensorPrimitives.Dot(s, xDot);
        TensorPrimitives.AddMultiply(xDot, -mean, s, destinationDot);
    }

    /// <summary>
    /// Adjoint of <see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/>: with s = softmax(x),
    /// xBar += s·(g − Σ s·g). Recomputes s in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <remarks>destination must have the length of x (see <see cref="SoftMaxTangent{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>).</remarks>
    [DerivativeOf(typeof(TensorPrimitives), nameof(TensorPrimitives.SoftMax))]
    public static void SoftMaxAdjoint<T>(ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> g = CheckUnaryAdjoint(x, xBar, destination, destinationBar);
        SoftMaxDestinationLength(destination.Length, x.Length);
        bool aliased = Aliases(xBar, g, nameof(xBar));
        int n = x.Length;
        T[] rented = ArrayPool<T>.Shared.Rent(n);
        try
        {
            Span<T> s = rented.AsSpan(0, n);
            TensorPrimitives.SoftMax(x, s);
            T mean = TensorPrimitives.Dot<T>(s, g);
            if (aliased)
            {
                TensorPrimitives.AddMultiply<T>(g, -mean, s, g);
            }
            else
            {
                TensorPrimitives.AddMultiply<T>(g, -mean, s, s);
                TensorPrimitives.Add<T>(xBar, s, xBar);
                g.Clear();
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Scratch space on the stack for chunked work (256 elements: 2 KiB of doubles).</summary>
    [InlineArray(256)]
    private struct Chunk<T>
    {
        private T element;
    }

    /// <summary>
    /// The adjoint of x ± y: xBar += g, yBar ±= g, then g (the destination's adjoint) = 0. Where a Bar is g itself (an
    /// in-place call), g is moved out chunk by chunk through a stack buffer first.
    /// </summary>
    private static void AccumulateSumOrDifference<T>(Span<T> g, Span<T> xBar, Span<T> yBar, bool subtract)
        where T : IFloatingPointIeee754<T>
    {
        if (!Aliases(xBar, g, nameof(xBar)) && !Aliases(yBar, g, nameof(yBar)))
        {
            Accumulate(g, xBar, yBar, subtract);
            g.Clear();
            return;
        }

        Chunk<T> chunk = default;
        Span<T> buffer = chunk;
        for (int start = 0; start < g.Length; start += buffer.Length)
        {
            int length = Math.Min(buffer.Length, g.Length - start);
            Accumulate(MoveOut(g.Slice(start, length), buffer), xBar.Slice(start, length), yBar.Slice(start, length), subtract);
        }

        static void Accumulate(ReadOnlySpan<T> g, Span<T> xBar, Span<T> yBar, bool subtract)
        {
            TensorPrimitives.Add(xBar, g, xBar);
            if (subtract)
            {
                TensorPrimitives.Subtract(yBar, g, yBar);
            }
            else
            {
                TensorPrimitives.Add(yBar, g, yBar);
            }
        }
    }

    private static void MultiplyAccumulate<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> xBar, ReadOnlySpan<T> y, Span<T> yBar)
        where T : IFloatingPointIeee754<T>
    {
        TensorPrimitives.MultiplyAdd(g, y, xBar, xBar);
        TensorPrimitives.MultiplyAdd(g, x, yBar, yBar);
    }

    /// <summary>Copies <paramref name="g"/> into the start of <paramref name="buffer"/>, clears it, and returns the copy.</summary>
    private static ReadOnlySpan<T> MoveOut<T>(Span<T> g, Span<T> buffer)
        where T : IFloatingPointIeee754<T>
    {
        Span<T> copy = buffer[..g.Length];
        g.CopyTo(copy);
        g.Clear();
        return copy;
    }

    /// <summary>True where x is the operand <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>'s derivative follows.</summary>
    private static bool SelectsX<T>(T x, T y)
        where T : IFloatingPointIeee754<T>
        => x >= y || T.IsNaN(x);

    private static Vector<T> SelectsX<T>(Vector<T> x, Vector<T> y)
        => Vector.GreaterThanOrEqual(x, y) | ~Vector.Equals(x, x);

    /// <summary>
    /// Whether an input's adjoint is the same memory as the output's (an in-place call); throws where the two overlap
    /// without starting at the same element, which <see cref="TensorPrimitives"/> refuses for the primal spans too.
    /// </summary>
    private static bool Aliases<T>(ReadOnlySpan<T> bar, ReadOnlySpan<T> outputBar, string name)
    {
        if (!bar.Overlaps(outputBar, out int offset))
        {
            return false;
        }

        if (offset != 0)
        {
            throw new ArgumentException($"{name} and destinationBar overlap without starting at the same element.", name);
        }

        return true;
    }

    private static void SameLength(int derivativeLength, int primalLength, string derivativeName, string primalName)
    {
        if (derivativeLength != primalLength)
        {
            throw new ArgumentException(
                $"{derivativeName} has length {derivativeLength}; {primalName} has length {primalLength}: they must be equal.",
                derivativeName);
        }
    }

    private static void InputLength(int length, int xLength, string name)
    {
        if (length != xLength)
        {
            throw new ArgumentException($"{name} has length {length}; x has length {xLength}: the inputs must have equal lengths.", name);
        }
    }

    private static void DestinationLength(int destinationLength, int inputLength)
    {
        if (destinationLength < inputLength)
        {
            throw new ArgumentException(
                $"destination has length {destinationLength}, shorter than the inputs' {inputLength}.", "destination");
        }
    }

    private static void SoftMaxDestinationLength(int destinationLength, int inputLength)
    {
        if (destinationLength != inputLength)
        {
            throw new ArgumentException(
                $"destination has length {destinationLength}; x has length {inputLength}: the SoftMax derivatives need them equal "
                + "(given a longer destination, TensorPrimitives.SoftMax 10.0.0 also rescales the elements past x.Length).",
                "destination");
        }
    }

    private static int CheckUnaryTangent<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> destination, ReadOnlySpan<T> destinationDot,
        string xName = "x", string xDotName = "xDot")
    {
        SameLength(xDot.Length, x.Length, xDotName, xName);
        SameLength(destinationDot.Length, destination.Length, nameof(destinationDot), nameof(destination));
        DestinationLength(destination.Length, x.Length);
        return x.Length;
    }

    private static int CheckBinaryTangent<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xDot, ReadOnlySpan<T> y, ReadOnlySpan<T> yDot, ReadOnlySpan<T> destination, ReadOnlySpan<T> destinationDot)
    {
        SameLength(yDot.Length, y.Length, nameof(yDot), nameof(y));
        InputLength(y.Length, x.Length, nameof(y));
        return CheckUnaryTangent(x, xDot, destination, destinationDot);
    }

    /// <summary>Checks the lengths and returns the part of destinationBar that the operation writes.</summary>
    private static Span<T> CheckUnaryAdjoint<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xBar, ReadOnlySpan<T> destination, Span<T> destinationBar,
        string xName = "x", string xBarName = "xBar")
    {
        SameLength(xBar.Length, x.Length, xBarName, xName);
        SameLength(destinationBar.Length, destination.Length, nameof(destinationBar), nameof(destination));
        DestinationLength(destination.Length, x.Length);
        return destinationBar[..x.Length];
    }

    private static Span<T> CheckBinaryAdjoint<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> xBar, ReadOnlySpan<T> y, ReadOnlySpan<T> yBar, ReadOnlySpan<T> destination, Span<T> destinationBar)
    {
        SameLength(yBar.Length, y.Length, nameof(yBar), nameof(y));
        InputLength(y.Length, x.Length, nameof(y));
        return CheckUnaryAdjoint(x, xBar, destination, destinationBar);
    }
}
