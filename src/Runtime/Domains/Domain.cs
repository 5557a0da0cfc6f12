using System;
using System.Globalization;

namespace AutoHypergrad.Domains;

/// <summary>
/// Where hyperparameters live, for an outer optimizer that takes gradient steps on them. The optimizer iterates on a
/// free variable u; the hyperparameters are λ = r(u), component by component, and after each step u is replaced by
/// its Euclidean projection onto a closed convex set C.
/// </summary>
/// <remarks>
/// <para>
/// Two kinds of domain fit this one shape. <b>Projections</b> have r = identity, so λ = u and the outer method is
/// projected gradient descent on C (a box, the simplex, the capped simplex of data hyper-cleaning).
/// <b>Reparametrizations</b> have C = ℝⁿ, so <see cref="Project"/> does nothing and the constraint is built into r
/// (λ = exp u, λ = log(1 + e^u)). Either way the outer step is u ← P_C(u − η·r'(u)ᵀ∇_λ f), with
/// r'(u)ᵀ∇_λ f from <see cref="ChainGradient"/>.
/// </para>
/// <para>
/// A domain applies to vectors of any length; spans passed together must have equal lengths. Values are checked
/// exactly (tolerance 0, NaN and ±∞ never contained) except sums: Σλ is compared with the radius R within
/// R·(10⁻¹² + n·2⁻⁵²), room for the rounding of an n-term sum and of the projection's threshold.
/// </para>
/// </remarks>
public abstract class Domain
{
    /// <summary>The floor of <see cref="Positive"/> by projection unless one is given.</summary>
    public const double DefaultFloor = 1e-12;

    /// <summary>The forms <see cref="Parse"/> accepts, for messages and command-line help.</summary>
    public const string AcceptedForms =
        "free, unconstrained, positive, positive:projection[:FLOOR], positive:log, positive:softplus, nonnegative, " +
        "box:LO:HI, capped-simplex:R, simplex, simplex:R";

    private protected Domain()
    {
    }

    /// <summary>ℝⁿ: λ = u, no projection (only finite values are contained).</summary>
    public static Domain Unconstrained { get; } = new BoxDomain(double.NegativeInfinity, double.PositiveInfinity, "free", "unconstrained");

    /// <summary>[0, ∞)ⁿ by projection: λ = u, u ← max(u, 0).</summary>
    public static Domain NonNegative { get; } = new BoxDomain(0, double.PositiveInfinity, "nonnegative", "nonnegative (projection onto [0, ∞))");

    /// <summary>Describes the set and the map in words, e.g. "positive (log reparametrization)".</summary>
    public abstract string Describe();

    /// <summary>Positive hyperparameters, by projection onto [floor, ∞) or by a reparametrization λ = r(u) &gt; 0.</summary>
    /// <param name="method">Projection (λ = u), log (λ = exp u) or softplus (λ = log(1 + e^u)).</param>
    /// <param name="floor">The lower bound of the projection; only the projection has one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="floor"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException">A floor other than <see cref="DefaultFloor"/> for a reparametrization.</exception>
    public static Domain Positive(PositiveMethod method = PositiveMethod.Projection, double floor = DefaultFloor)
    {
        if (method != PositiveMethod.Projection && floor != DefaultFloor)
        {
            throw new ArgumentException($"Only the projection has a floor; {method} was given floor = {Format(floor)}.", nameof(floor));
        }

        switch (method)
        {
            case PositiveMethod.Projection:
                if (!(floor > 0 && double.IsFinite(floor)))
                {
                    throw new ArgumentOutOfRangeException(nameof(floor), floor, "The floor must be positive and finite.");
                }

                string text = floor == DefaultFloor ? "positive" : $"positive:projection:{Format(floor)}";
                return new BoxDomain(floor, double.PositiveInfinity, text, $"positive (projection onto [{Format(floor)}, ∞))");
            case PositiveMethod.Log:
                return LogDomain.Instance;
            case PositiveMethod.Softplus:
                return SoftplusDomain.Instance;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method.");
        }
    }

    /// <summary>
    /// The open unit interval (0, 1) by the logit reparametrization λ = 1/(1 + e^−u): probabilities such as dropout
    /// rates (MacKay et al., "Self-Tuning Networks", ICLR 2019, tune them in logit space).
    /// </summary>
    public static Domain UnitInterval { get; } = LogisticDomain.Instance;

    /// <summary>The box [lower, upper]ⁿ by projection: λ = u, u ← min(max(u, lower), upper). Bounds may be infinite.</summary>
    /// <exception cref="ArgumentException">A bound is NaN, lower &gt; upper, or the box has no finite point.</exception>
    public static Domain Box(double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower > upper || lower == double.PositiveInfinity || upper == double.NegativeInfinity)
        {
            throw new ArgumentException($"The box [{Format(lower)}, {Format(upper)}] is empty: the bounds must satisfy lower ≤ upper with a finite point between them.", nameof(lower));
        }

        return new BoxDomain(lower, upper, $"box:{Format(lower)}:{Format(upper)}", $"box [{Format(lower)}, {Format(upper)}] (projection)");
    }

    /// <summary>
    /// The capped simplex {λ : 0 ≤ λᵢ ≤ 1, Σλᵢ ≤ R} by exact Euclidean projection: the weights of data hyper-cleaning
    /// (Franceschi et al. 2017), at most R of them (in mass) switched on. R ≥ n makes it the box [0, 1]ⁿ.
    /// </summary>
    /// <remarks>
    /// The projection is clip(u, 0, 1) when that sums to at most R, else clip(u − τ, 0, 1) with the τ &gt; 0 that makes
    /// the sum R: that sum is piecewise linear and nonincreasing in τ with breakpoints uᵢ − 1 and uᵢ, so sorting them
    /// finds the linear piece, on which τ solves exactly (O(n log n)).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is not positive and finite.</exception>
    public static Domain CappedSimplex(double radius) => new SimplexDomain(CheckRadius(radius), capped: true);

    /// <summary>
    /// The simplex {λ : λᵢ ≥ 0, Σλᵢ = R} by exact Euclidean projection: max(u − τ, 0) with Σ max(uᵢ − τ, 0) = R,
    /// τ found by sorting (Held, Wolfe and Crowder 1974; Duchi et al. 2008).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is not positive and finite.</exception>
    public static Domain Simplex(double radius = 1) => new SimplexDomain(CheckRadius(radius), capped: false);

    /// <summary>
    /// Reads a domain from the command line (invariant culture, case-insensitive): <c>free</c> or <c>unconstrained</c>,
    /// <c>positive</c> (projection) or <c>positive:projection:FLOOR</c>, <c>positive:log</c>, <c>positive:softplus</c>,
    /// <c>nonnegative</c>, <c>box:LO:HI</c>, <c>capped-simplex:R</c>, <c>simplex</c> (R = 1) or <c>simplex:R</c>.
    /// <see cref="ToString"/> writes one of these forms.
    /// </summary>
    /// <exception cref="FormatException">The text is none of these forms, or its numbers are not valid there; the message names the text.</exception>
    public static Domain Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        try
        {
            Domain? domain = parts switch
            {
                ["free" or "unconstrained"] => Unconstrained,
                ["positive"] or ["positive", "projection"] => Positive(),
                ["positive", "projection", var floor] => Positive(PositiveMethod.Projection, Number(floor)),
                ["positive", "log"] => Positive(PositiveMethod.Log),
                ["positive", "softplus"] => Positive(PositiveMethod.Softplus),
                ["nonnegative"] => NonNegative,
                ["box", var lower, var upper] => Box(Number(lower), Number(upper)),
                ["capped-simplex", var radius] => CappedSimplex(Number(radius)),
                ["simplex"] => Simplex(),
                ["simplex", var radius] => Simplex(Number(radius)),
                _ => null,
            };
            return domain ?? throw new FormatException($"'{text}' is not a domain. Accepted: {AcceptedForms}.");
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{text}' is not a valid domain: {e.Message} Accepted: {AcceptedForms}.", e);
        }

        double Number(string part) =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw new FormatException($"'{text}' is not a valid domain: '{part}' is not a number. Accepted: {AcceptedForms}.");
    }

    /// <summary>Whether the hyperparameter values λ lie in the domain.</summary>
    /// <param name="values">λ.</param>
    /// <param name="firstViolation">−1 if contained; else the index of the first value outside its bounds, or
    /// <c>values.Length</c> when every value is within bounds but the sum constraint fails.</param>
    public bool Contains(ReadOnlySpan<double> values, out int firstViolation)
    {
        firstViolation = FirstViolation(values);
        return firstViolation < 0;
    }

    /// <summary>The inverse map u = r⁻¹(λ): a free variable to start the outer optimizer from given hyperparameters.</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is outside the domain (the message names its index and value).</exception>
    public void ToFree(ReadOnlySpan<double> values, Span<double> free)
    {
        CheckLengths(values.Length, free.Length, nameof(free));
        int violation = FirstViolation(values);
        if (violation >= 0)
        {
            string what = violation < values.Length
                ? $"values[{violation}] = {Format(values[violation])} is"
                : $"The values sum to {Format(Sum(values))}, which is";
            throw new ArgumentException($"{what} outside the domain {Describe()}.", nameof(values));
        }

        Inverse(values, free);
    }

    /// <summary>The hyperparameters λ = r(u) of a free variable u. For projections r is the identity, so u should be
    /// projected first.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void FromFree(ReadOnlySpan<double> free, Span<double> values)
    {
        CheckLengths(free.Length, values.Length, nameof(values));
        Map(free, values);
    }

    /// <summary>
    /// The chain rule through r: ∂f/∂u = r'(u)ᵀ ∂f/∂λ. The map acts component by component, so r'(u) is diagonal and
    /// this is (∂f/∂u)ᵢ = r'(uᵢ)·(∂f/∂λ)ᵢ; for projections, a copy.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void ChainGradient(ReadOnlySpan<double> free, ReadOnlySpan<double> valueGradient, Span<double> freeGradient)
    {
        CheckLengths(free.Length, valueGradient.Length, nameof(valueGradient));
        CheckLengths(free.Length, freeGradient.Length, nameof(freeGradient));
        Chain(free, valueGradient, freeGradient);
    }

    /// <summary>
    /// Replaces u by its Euclidean projection onto C, argmin over y ∈ C of ‖y − u‖; a point already in the domain (as
    /// <see cref="Contains"/> decides) is left unchanged, so projecting twice changes nothing. No-op for reparametrizations.
    /// </summary>
    /// <exception cref="ArgumentException">A value to project is NaN or infinite (the message names its index), or the set is empty (a simplex of dimension 0).</exception>
    public abstract void Project(Span<double> free);

    /// <summary>The text <see cref="Parse"/> reads back as this domain.</summary>
    public abstract override string ToString();

    /// <summary>Numbers as <see cref="Parse"/> reads them: invariant culture, shortest round-trip form.</summary>
    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    internal static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }

    private protected abstract int FirstViolation(ReadOnlySpan<double> values);

    private protected abstract void Inverse(ReadOnlySpan<double> values, Span<double> free);

    private protected abstract void Map(ReadOnlySpan<double> free, Span<double> values);

    private protected abstract void Chain(ReadOnlySpan<double> free, ReadOnlySpan<double> valueGradient, Span<double> freeGradient);

    private static double CheckRadius(double radius) =>
        radius > 0 && double.IsFinite(radius) ? radius : throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be positive and finite.");

    private static void CheckLengths(int expected, int actual, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual}, expected {expected}.", name);
        }
    }
}
