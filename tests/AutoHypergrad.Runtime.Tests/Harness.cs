using System;
using System.Linq;
using System.Numerics;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>Inputs of one call: span inputs, scalar inputs and destination (its input values).</summary>
public sealed class Point<T>
    where T : IFloatingPointIeee754<T>
{
    public Point(T[][] spans, T[] scalars, T[] destination)
    {
        Spans = spans;
        Scalars = scalars;
        Destination = destination;
    }

    public T[][] Spans { get; }

    public T[] Scalars { get; }

    public T[] Destination { get; }

    public Point<T> Clone() => new(Spans.Select(s => (T[])s.Clone()).ToArray(), (T[])Scalars.Clone(), (T[])Destination.Clone());

    /// <summary>this + h·direction, component by component.</summary>
    public Point<T> Step(Point<T> direction, double h)
    {
        T[] Move(T[] a, T[] d) => a.Zip(d, (ai, di) => ai + T.CreateChecked(h) * di).ToArray();
        return new(Spans.Zip(direction.Spans, Move).ToArray(), Move(Scalars, direction.Scalars), Move(Destination, direction.Destination));
    }

    /// <summary>Σ this·other over every component.</summary>
    public double Dot(Point<T> other)
    {
        double sum = 0;
        for (int k = 0; k < Spans.Length; k++)
        {
            sum += Harness.Dot(Spans[k], other.Spans[k]);
        }

        return sum + Harness.Dot(Scalars, other.Scalars) + Harness.Dot(Destination, other.Destination);
    }

    /// <summary>Σ |this·other| over every component: the scale of <see cref="Dot"/>.</summary>
    public double AbsDot(Point<T> other)
    {
        double sum = 0;
        for (int k = 0; k < Spans.Length; k++)
        {
            sum += Harness.AbsDot(Spans[k], other.Spans[k]);
        }

        return sum + Harness.AbsDot(Scalars, other.Scalars) + Harness.AbsDot(Destination, other.Destination);
    }
}

public static class Harness
{
    /// <summary>Destination lengths past the inputs' that the tests use: 0, and 3 (a tail the operation leaves alone).</summary>
    public static readonly int[] Extras = [0, 3];

    /// <summary>The destination lengths past the inputs' that <paramref name="op"/> accepts, of <see cref="Extras"/>.</summary>
    public static int[] ExtrasFor<T>(OpCase<T> op)
        where T : IFloatingPointIeee754<T>
        => op.Writes && !op.ExactDestination ? Extras : [0];

    public static double ToDouble<T>(T value)
        where T : IFloatingPointIeee754<T>
        => double.CreateChecked(value);

    public static double Dot<T>(T[] a, T[] b)
        where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += ToDouble(a[i]) * ToDouble(b[i]);
        }

        return sum;
    }

    public static double AbsDot<T>(T[] a, T[] b)
        where T : IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(ToDouble(a[i]) * ToDouble(b[i]));
        }

        return sum;
    }

    public static T[] Uniform<T>(Random random, int length, double low, double high)
        where T : IFloatingPointIeee754<T>
        => Enumerable.Range(0, length).Select(_ => T.CreateChecked(low + (high - low) * random.NextDouble())).ToArray();

    /// <summary>A point in the case's domain, with a destination <paramref name="extra"/> elements longer than the inputs.</summary>
    public static Point<T> Sample<T>(OpCase<T> op, Random random, int n, int extra)
        where T : IFloatingPointIeee754<T>
    {
        T[][] spans = op.Spans.Select(_ => Uniform<T>(random, n, op.Low, op.High)).ToArray();
        T[] scalars = Uniform<T>(random, op.Scalars.Length, op.Low, op.High);
        op.Separate?.Invoke(spans, scalars);
        T[] destination = op.Writes ? Uniform<T>(random, n + extra, -1, 1) : [];
        return new(spans, scalars, destination);
    }

    /// <summary>A direction (or a set of adjoints) shaped like <paramref name="point"/>, with entries in [−1, 1].</summary>
    public static Point<T> Direction<T>(Point<T> point, Random random)
        where T : IFloatingPointIeee754<T>
        => new(
            point.Spans.Select(s => Uniform<T>(random, s.Length, -1, 1)).ToArray(),
            Uniform<T>(random, point.Scalars.Length, -1, 1),
            Uniform<T>(random, point.Destination.Length, -1, 1));

    public static Point<T> ZerosLike<T>(Point<T> point)
        where T : IFloatingPointIeee754<T>
        => new(
            point.Spans.Select(s => new T[s.Length]).ToArray(),
            new T[point.Scalars.Length],
            new T[point.Destination.Length]);

    /// <summary>The primal: (value, destination after the call).</summary>
    public static (T Value, T[] Destination) RunPrimal<T>(OpCase<T> op, Point<T> point)
        where T : IFloatingPointIeee754<T>
    {
        Point<T> p = point.Clone();
        T value = op.Primal(p.Spans, p.Scalars, p.Destination);
        return (value, p.Destination);
    }

    /// <summary>The tangent: value, its tangent, destination after the call and destinationDot after the call.</summary>
    public static (T Value, T Tangent, T[] Destination, T[] DestinationDot) RunTangent<T>(OpCase<T> op, Point<T> point, Point<T> direction)
        where T : IFloatingPointIeee754<T>
    {
        Point<T> p = point.Clone();
        Point<T> d = direction.Clone();
        (T value, T tangent) = op.Tangent(p.Spans, d.Spans, p.Scalars, d.Scalars, p.Destination, d.Destination);
        return (value, tangent, p.Destination, d.Destination);
    }

    /// <summary>
    /// The adjoint with the input adjoints starting at <paramref name="start"/> (their Destination: the adjoint of the
    /// output) and the adjoint of the return value <paramref name="resultBar"/>; returns the adjoints after the call.
    /// </summary>
    public static Point<T> RunAdjoint<T>(OpCase<T> op, Point<T> point, Point<T> start, T resultBar)
        where T : IFloatingPointIeee754<T>
    {
        Point<T> p = point.Clone();
        Point<T> bars = start.Clone();
        op.Adjoint(p.Spans, bars.Spans, p.Scalars, bars.Scalars, p.Destination, bars.Destination, resultBar);
        return bars;
    }

    /// <summary>‖a − b‖₂ / ‖a‖₂, or ‖a − b‖₂ where a is zero.</summary>
    public static double RelativeError(double[] a, double[] b)
    {
        double difference = Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
        double scale = Math.Sqrt(a.Sum(x => x * x));
        return scale > 0 ? difference / scale : difference;
    }

    /// <summary>
    /// Asserts that the arrays agree within <paramref name="tolerance"/> relative to the larger magnitude of each pair,
    /// or to <paramref name="floor"/> where that is larger.
    /// </summary>
    public static void AssertClose<T>(T[] expected, T[] actual, double tolerance, string what, double floor = 1e-300)
        where T : IFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length)
        {
            throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length}, expected {expected.Length}");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double e = ToDouble(expected[i]);
            double a = ToDouble(actual[i]);
            double scale = Math.Max(Math.Max(Math.Abs(e), Math.Abs(a)), floor);
            if (!(Math.Abs(e - a) <= tolerance * scale || e == a))
            {
                throw new Xunit.Sdk.XunitException($"{what}[{i}] = {a:R}, expected {e:R}");
            }
        }
    }
}
