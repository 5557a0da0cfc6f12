using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>A test point: the value of every parameter by position (integers as doubles), plus its origin.</summary>
internal sealed record TestPoint(double[] Values, string Origin)
{
    public string Describe(CaseMethod method) =>
        Origin + " (" + string.Join(", ", method.Parameters.Select(p => p.Name + " = " + Format(Values[p.Position]))) + ")";

    public static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Draws reproducible test points for a case: first its explicit [At] points, then random points uniform in its
/// [Domain] box that satisfy its [SmoothWhere] predicate. Integer parameters get 3, bool parameters true; NoDiff reals
/// are drawn from the box like the active ones. For float cases every value is rounded to float, so the float method
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
            if (!p.IsReal)
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
            Type[] types = method.Parameters.Select(p => p.Type).ToArray();
            predicate = primal.DeclaringType!.GetMethod(
                predicateName, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, binder: null, types, modifiers: null);
            if (predicate is null || predicate.ReturnType != typeof(bool))
            {
                throw new InvalidOperationException(
                    $"{method.Id}: [SmoothWhere] needs 'static bool {predicateName}({string.Join(", ", types.Select(t => t.Name))})' in {primal.DeclaringType!.Name}.");
            }
        }
    }

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
        method.ActiveInputs.Select(p =>
        {
            (double min, double max) = boxes[p.Position];
            double scale = Math.Min(1.0, (max - min) / 2);
            if (scale == 0)
            {
                scale = 1.0;
            }

            return CaseMethod.Representable(p.Type, scale * Uniform(random, -1, 1));
        }).ToArray();

    /// <summary>Random adjoints of the outputs, uniform in [-1, 1].</summary>
    public double[] OutputAdjoints(Random random) =>
        Enumerable.Range(0, method.OutputCount).Select(_ => CaseMethod.Representable(method.RealType, Uniform(random, -1, 1))).ToArray();

    /// <summary>Random initial values for the Bars of the active inputs, of magnitude in [0.5, 1] (clearly nonzero).</summary>
    public double[] InitialBars(Random random) =>
        method.ActiveInputs.Select(p =>
        {
            double magnitude = Uniform(random, 0.5, 1);
            return CaseMethod.Representable(p.Type, random.Next(2) == 0 ? -magnitude : magnitude);
        }).ToArray();

    public bool IsSmooth(double[] values) =>
        predicate is null || (bool)predicate.Invoke(null, method.BoxArguments(values))!;

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
        CaseParameter[] reals = method.Parameters.Where(p => p.IsReal).ToArray();
        if (at.Values.Length != reals.Length)
        {
            throw new InvalidOperationException(
                $"{method.Id}: [At] #{index} has {at.Values.Length} values for {reals.Length} real parameters ({string.Join(", ", reals.Select(p => p.Name))}).");
        }

        double[] values = DefaultValues();
        for (int i = 0; i < reals.Length; i++)
        {
            CaseParameter p = reals[i];
            (double min, double max) = boxes[p.Position];
            if (at.Values[i] < min || at.Values[i] > max)
            {
                throw new InvalidOperationException($"{method.Id}: [At] #{index} puts {p.Name} = {at.Values[i]} outside its box [{min}, {max}].");
            }

            values[p.Position] = CaseMethod.Representable(p.Type, at.Values[i]);
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
            foreach (CaseParameter p in method.Parameters.Where(p => p.IsReal))
            {
                (double min, double max) = boxes[p.Position];
                values[p.Position] = CaseMethod.Representable(p.Type, Uniform(random, min, max));
            }

            if (IsSmooth(values))
            {
                return new TestPoint(values, $"random #{index}");
            }
        }

        throw new InvalidOperationException($"{method.Id}: no point of the box satisfies [SmoothWhere] in {MaxDrawsPerPoint} draws.");
    }

    private double[] DefaultValues() =>
        method.Parameters.Select(p => p.Type == typeof(int) ? FixedInteger : p.Type == typeof(bool) ? 1.0 : 0.0).ToArray();

    private static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();
}
