using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>A point at which a step is checked: the active inputs x and the passive values, in signature order.</summary>
internal sealed record StepPoint(double[] X, object[] Passive);

/// <summary>The optimizers under test and random points for them.</summary>
internal static class OptimizerCases
{
    public static readonly Type[] Types =
    [
        typeof(Sgd), typeof(Momentum), typeof(Nesterov), typeof(Adam), typeof(AdamW),
        typeof(RmsProp), typeof(Adagrad), typeof(Adadelta), typeof(Lion),
        typeof(SgdPerParameter), typeof(MomentumPerParameter), typeof(AdamPerParameter),
    ];

    /// <summary>Random states per optimizer (and per epsInsideSqrt setting).</summary>
    public const int PointsPerCase = 6;

    /// <summary>Every optimizer; Adam and AdamW once per epsInsideSqrt setting.</summary>
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (Type type in Types)
        {
            data.Add(type.Name, false);
            if (new StepMethod(type, typeof(double)).Passive.Any(p => p.Name == "epsInsideSqrt"))
            {
                data.Add(type.Name, true);
            }
        }

        return data;
    }

    public static Type Get(string name) => Types.Single(t => t.Name == name);

    /// <summary>
    /// Random points where the step is smooth and well conditioned: second-moment states in [0.05, 1] (positive),
    /// decay rates in [0.5, 0.99], t an integer in [1, 10], eps log-uniform in [1e-8, 1e-3]; for Lion, |c| ≥ 0.01 so
    /// that no finite-difference step crosses sign's jump.
    /// </summary>
    public static IEnumerable<StepPoint> Points(StepMethod step, bool epsInsideSqrt, int seed)
    {
        var random = new Random(seed);
        int produced = 0;
        while (produced < PointsPerCase)
        {
            double[] x = step.Active.Select(p => Draw(p.Name!, random)).ToArray();
            object[] passive = step.Passive.Select(p => p.Name switch
            {
                "t" => (object)(double)random.Next(1, 11),
                "epsInsideSqrt" => epsInsideSqrt,
                _ => throw new InvalidOperationException($"No values for passive parameter '{p.Name}'."),
            }).ToArray();

            if (step.Optimizer == typeof(Lion) && Math.Abs(LionDirection(step, x)) < 0.01)
            {
                continue;
            }

            produced++;
            yield return new StepPoint(x, passive);
        }
    }

    /// <summary>Lion's c = beta1·m + (1 − beta1)·g.</summary>
    public static double LionDirection(StepMethod step, double[] x)
    {
        double Get(string name) => x[Array.IndexOf(step.ActiveNames, name)];
        return Get("beta1") * Get("m") + (1 - Get("beta1")) * Get("g");
    }

    /// <summary>Rounds every double of the point to float, so that float and double steps see the same inputs.</summary>
    public static StepPoint ToFloat(StepPoint point) => new(
        point.X.Select(v => (double)(float)v).ToArray(),
        point.Passive.Select(v => v is double d ? (object)(double)(float)d : v).ToArray());

    /// <summary>A random value for the step parameter or state slot named <paramref name="name"/>, in its range above.</summary>
    public static double Draw(string name, Random random) => name switch
    {
        "w" or "g" => Uniform(random, -1, 1),
        "m" => Uniform(random, -0.5, 0.5),
        "v" or "s" or "u" => Uniform(random, 0.05, 1),
        "lr" => Uniform(random, 0.01, 0.1),
        "mu" or "beta1" or "beta2" or "alpha" or "rho" => Uniform(random, 0.5, 0.99),
        "eps" => Math.Pow(10, Uniform(random, -8, -3)),
        "wd" => Uniform(random, 0, 0.1),
        _ => throw new InvalidOperationException($"No values for active parameter '{name}'."),
    };

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
