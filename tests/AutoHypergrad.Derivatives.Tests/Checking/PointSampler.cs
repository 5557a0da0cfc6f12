using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// A test point: the input values of every parameter (integers as doubles, spans and arrays element by element, out
/// parameters none), each parameter's from its <see cref="CaseParameter.Offset"/> on, plus its origin.
/// </summary>
internal sealed record TestPoint(double[] Values, string Origin)
{
    public string Describe(CaseMethod method) =>
        Origin + " (" + string.Join(", ", method.Parameters.Where(p => !p.IsOut).Select(p => p.Name + " = " + (p.IsSequence
            ? "[" + string.Join(", ", Values.Skip(p.Offset).Take(p.Length).Select(Format)) + "]"
            : Format(Values[p.Offset])))) + ")";

    public static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Draws reproducible test points for a case: first its explicit [At] points, then random points uniform in its
/// [Domain] box that satisfy its [SmoothWhere] predicate. Every element of a real span or array is drawn from its
/// parameter's box. Integer parameters get their [Ints] values or 3, bool parameters true; NoDiff reals are drawn from
/// the box like the active ones; out parameters have no input values. For float cases every value is rounded to float, so the float method
/// and its double twin see the same inputs. The generator of random numbers is seeded from the case's name, so a
/// failure reproduces exactly.
/// </summary>
internal sealed class PointSampler
{
    /// <summary>Random points per case, on top of the explicit ones.</summary>
    public const int RandomPointCount = 12;

    public const int FixedInteger = 3;

    private const int MaxDrawsPerPoint = 10_000;

    private readonly CaseMethod method;
    private readonly (double Min, double Max)[] boxes;
    private readonly MethodInfo? predicate;
    private readonly MethodInfo? path;

    public PointSampler(CaseMethod method)
    {
        this.method = method;
        MethodInfo primal = method.Primal;
        DomainAttribute[] domains = primal.GetCustomAttributes<DomainAttribute>().ToArray();
        foreach (DomainAttribute domain in domains)
        {
            if (domain.Parameter is not null && method.Parameters.All(p => p.Name != domain.Parameter))
            {
                throw new InvalidOperationException($"{method.Id}: [Domain] names '{domain.Parameter}', which is not a parameter.");
            }

            if (!(domain.Min <= domain.Max))
            {
                throw new InvalidOperationException($"{method.Id}: empty [Domain] box [{domain.Min}, {domain.Max}].");
            }
        }

        boxes = method.Parameters.Select(p =>
        {
            if (!p.IsReal || p.IsOut)
            {
                return (0.0, 0.0);
            }

            DomainAttribute? domain = domains.FirstOrDefault(d => d.Parameter == p.Name) ?? domains.FirstOrDefault(d => d.Parameter is null);
            return domain is null
                ? throw new InvalidOperationException($"{method.Id}: no [Domain] box for parameter '{p.Name}'.")
                : (domain.Min, domain.Max);
        }).ToArray();

        string? predicateName = primal.GetCustomAttribute<SmoothWhereAttribute>()?.Predicate;
        if (predicateName is not null)
        {
            // The case's parameters other than out ones, by value; a span or array parameter may be taken as any span
            // or array of the same elements (a Span<double> case parameter as a ReadOnlySpan<double>).
            CaseParameter[] taken = method.Parameters.Where(p => !p.IsOut).ToArray();
            predicate = primal.DeclaringType!.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .FirstOrDefault(m => m.Name == predicateName && m.ReturnType == typeof(bool) && Fits(m.GetParameters(), taken));
            if (predicate is null)
            {
                throw new InvalidOperationException(
                    $"{method.Id}: [SmoothWhere] needs 'static bool {predicateName}({string.Join(", ", taken.Select(p => CaseMethod.Describe(p.Type)))})' in {primal.DeclaringType!.Name}.");
            }

            if (primal.GetCustomAttribute<PathWhereAttribute>()?.Function is { } pathName)
            {
                path = primal.DeclaringType!.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                    .FirstOrDefault(m => m.Name == pathName && m.ReturnType == typeof(long) && Fits(m.GetParameters(), taken))
                    ?? throw new InvalidOperationException($"{method.Id}: [PathWhere] needs 'static long {pathName}(…)' with the parameters of {predicateName}.");
            }
        }
    }

    private static bool Fits(ParameterInfo[] parameters, CaseParameter[] taken) =>
        parameters.Length == taken.Length && parameters.Zip(taken).All(pair =>
        {
            Type type = pair.First.ParameterType;
            CaseParameter p = pair.Second;
            ParameterShape shape = CaseParameter.ShapeOf(type);
            return p.IsSequence
                ? shape != ParameterShape.Scalar && (shape == ParameterShape.Array ? type.GetElementType() : type.GetGenericArguments()[0]) == p.ElementType
                : type == p.Type;
        });

    /// <summary>The box of the parameter at <paramref name="position"/>.</summary>
    public (double Min, double Max) Box(int position) => boxes[position];

    /// <summary>The explicit points, then <see cref="RandomPointCount"/> random ones.</summary>
    public IReadOnlyList<TestPoint> Points(Random random)
    {
        var points = new List<TestPoint>();
        int explicitIndex = 0;
        foreach (AtAttribute at in method.Primal.GetCustomAttributes<AtAttribute>())
        {
            points.Add(ExplicitPoint(at, explicitIndex++));
        }

        for (int i = 0; i < RandomPointCount; i++)
        {
            points.Add(RandomPoint(random, i));
        }

        return points;
    }

    /// <summary>
    /// A random direction over the active inputs: each component uniform in [-1, 1] times the half-width of the
    /// input's box (capped at 1), so that a step of h along it is small relative to the region the case lives in,
    /// whatever the scale of the parameter (a learning rate in [1e-3, 0.1] and a weight in [-2, 2] alike).
    /// </summary>
    public double[] Direction(Random random) =>
        method.Inputs.Select(c =>
        {
            CaseParameter p = c.Parameter!;
            (double min, double max) = boxes[p.Position];
            double scale = Math.Min(1.0, (max - min) / 2);
            if (scale == 0)
            {
                scale = 1.0;
            }

            return CaseMethod.Representable(p.ElementType, scale * Uniform(random, -1, 1));
        }).ToArray();

    /// <summary>Random adjoints of the outputs, uniform in [-1, 1].</summary>
    public double[] OutputAdjoints(Random random) =>
        Enumerable.Range(0, method.OutputCount).Select(_ => CaseMethod.Representable(method.RealType, Uniform(random, -1, 1))).ToArray();

    /// <summary>Random initial values for the Bars of the active inputs, of magnitude in [0.5, 1] (clearly nonzero).</summary>
    public double[] InitialBars(Random random) =>
        method.Inputs.Select(c =>
        {
            double magnitude = Uniform(random, 0.5, 1);
            return CaseMethod.Representable(c.Parameter!.ElementType, random.Next(2) == 0 ? -magnitude : magnitude);
        }).ToArray();

    public bool IsSmooth(double[] values) =>
        predicate is null || (bool)Invoker.Invoke(predicate, method.PredicateArguments(values))!;

    /// <summary>Whether any of <paramref name="others"/> takes another path than <paramref name="values"/> ([PathWhere]; false without one).</summary>
    public bool LeavesPath(double[] values, IEnumerable<double[]> others)
    {
        if (path is null)
        {
            return false;
        }

        long here = (long)Invoker.Invoke(path, method.PredicateArguments(values))!;
        return others.Any(o => (long)Invoker.Invoke(path, method.PredicateArguments(o))! != here);
    }

    /// <summary>A stable seed for a case (string.GetHashCode is randomized per process).</summary>
    public static int SeedFor(string id, string purpose)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (char c in id + "/" + purpose)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)(hash & 0x7fffffff);
        }
    }

    private TestPoint ExplicitPoint(AtAttribute at, int index)
    {
        CaseParameter[] reals = method.Parameters.Where(p => p.IsReal && !p.IsOut).ToArray();
        int count = reals.Sum(p => p.Length);
        if (at.Values.Length != count)
        {
            throw new InvalidOperationException(
                $"{method.Id}: [At] #{index} has {at.Values.Length} values for the {count} elements of the real parameters " +
                $"({string.Join(", ", reals.Select(p => p.IsSequence ? $"{p.Name}[{p.Length}]" : p.Name))}).");
        }

        double[] values = DefaultValues();
        int i = 0;
        foreach (CaseParameter p in reals)
        {
            (double min, double max) = boxes[p.Position];
            for (int e = 0; e < p.Length; e++, i++)
            {
                if (at.Values[i] < min || at.Values[i] > max)
                {
                    throw new InvalidOperationException($"{method.Id}: [At] #{index} puts {p.Name} = {at.Values[i]} outside its box [{min}, {max}].");
                }

                values[p.Offset + e] = CaseMethod.Representable(p.ElementType, at.Values[i]);
            }
        }

        var point = new TestPoint(values, $"[At] #{index}");
        return IsSmooth(values)
            ? point
            : throw new InvalidOperationException($"{method.Id}: {point.Describe(method)} fails its [SmoothWhere] predicate.");
    }

    private TestPoint RandomPoint(Random random, int index)
    {
        for (int draw = 0; draw < MaxDrawsPerPoint; draw++)
        {
            double[] values = DefaultValues();
            foreach (CaseParameter p in method.Parameters.Where(p => p.IsReal && !p.IsOut))
            {
                (double min, double max) = boxes[p.Position];
                for (int e = 0; e < p.Length; e++)
                {
                    values[p.Offset + e] = CaseMethod.Representable(p.ElementType, Uniform(random, min, max));
                }
            }

            if (IsSmooth(values))
            {
                return new TestPoint(values, $"random #{index}");
            }
        }

        throw new InvalidOperationException($"{method.Id}: no point of the box satisfies [SmoothWhere] in {MaxDrawsPerPoint} draws.");
    }

    private double[] DefaultValues()
    {
        double[] values = new double[method.ValueCount];
        foreach (CaseParameter p in method.Parameters.Where(p => !p.IsOut))
        {
            for (int e = 0; e < p.Length; e++)
            {
                values[p.Offset + e] =
                    p.ElementType == typeof(int) ? (method.IntValues.TryGetValue(p.Name, out int[]? ints) ? ints[e] : FixedInteger)
                    : p.ElementType == typeof(bool) ? 1.0
                    : 0.0;
            }
        }

        return values;
    }

    private static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();
}
