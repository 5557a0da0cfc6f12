using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Helpers for [SmoothWhere] predicates: how far a test point must stay from a kink.</summary>
internal static class Kinks
{
    /// <summary>
    /// Minimum distance to a kink. Finite differences move inputs by at most h = 1e-5 (times a direction component ≤ 1)
    /// and intermediate quantities by a few times that, so 1e-3 keeps both stencils on one side of every kink.
    /// </summary>
    public const double Margin = 1e-3;

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are at least <see cref="Margin"/> apart.</summary>
    public static bool Apart(double a, double b) => Math.Abs(a - b) > Margin;

    /// <summary>True when every value is at least <see cref="Margin"/> away from zero.</summary>
    public static bool AwayFromZero(params double[] values) => Array.TrueForAll(values, v => Math.Abs(v) > Margin);
}
