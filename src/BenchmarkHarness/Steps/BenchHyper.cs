namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>The hyperparameters (and tangent directions) every kernel of the benchmark runs with.</summary>
public static class BenchHyper
{
    public const double Lr = 1e-3, LrDot = 1.0;
    /// <summary>
    /// No weight decay in value (its multiplications are still done): with wd &gt; 0 the repeated steps drive
    /// d = g + wd·w to 0, and m and v decay into subnormal numbers after the ~10⁵ calls a measurement at 10³
    /// elements makes, which slows every floating-point operation on them by an order of magnitude.
    /// </summary>
    public const double Wd = 0.0, WdDot = 0.5;
    public const double Mu = 0.9, MuDot = 0.25;
    public const double Beta1 = 0.9, Beta1Dot = 0.125;
    public const double Beta2 = 0.999, Beta2Dot = 0.0625;
    public const double Eps = 1e-8, EpsDot = 1e-3;
    public const double Alpha = 0.99, AlphaDot = 0.125;
    public const double Rho = 0.9, RhoDot = 0.125;
    public const double LionBeta2 = 0.99;

    /// <summary>The step count t, for the bias corrections.</summary>
    public const double T = 10;

    public const bool EpsInsideSqrt = false;

    /// <summary>k, the number of directions the vector-mode tangent carries in <c>bench steps</c>.</summary>
    public const int Directions = 4;

    /// <summary>
    /// The hyperparameters' tangents in the k directions (one value each per direction): a hyperparameter's own
    /// direction (unit) in one of them, as forward-mode hypergradients seed them, and the tangent above in another.
    /// </summary>
    public static readonly double[] LrDots = [1, 0, 0, LrDot], WdDots = [0, 0, 0, WdDot], MuDots = [0, 1, 0, MuDot],
        Beta1Dots = [0, 1, 0, Beta1Dot], Beta2Dots = [0, 0, 1, Beta2Dot], EpsDots = [0, 0, 0, EpsDot],
        AlphaDots = [0, 1, 0, AlphaDot], RhoDots = [0, 1, 0, RhoDot];
}
