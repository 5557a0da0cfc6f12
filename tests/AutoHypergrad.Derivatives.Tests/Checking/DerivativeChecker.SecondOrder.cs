using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// The checks of the generated <c>{Name}HessianVector</c> of <c>[Differentiable(Order = 2)]</c> cases.
/// </summary>
/// <remarks>
/// <para>
/// Reference. H·v is the derivative of the gradient along v, so the reference is the central difference of the
/// gradient the generated Adjoint computes (itself checked by the first-order theories):
/// D(h) = (g(x + hv) − g(x − hv)) / 2h. Using the Adjoint rather than finite differences of finite differences keeps
/// one level of differencing, so the reference is as accurate as the first-order one.
/// </para>
/// <para>
/// Step and tolerance. The error of D(h) is truncation h²/6·|∂⁴f[v,v,v,·]| plus rounding ≈ k·ε·G/h, where G is the
/// magnitude of the terms the Adjoint sums (bounded by the sizes of the gradient and of H·v over all components, not
/// by the component itself, which may vanish by cancellation) and k ≲ 20. The sum is smallest near h = (3kεG/f⁗)^⅓ ≈
/// 1e-5 for f⁗ ~ G, the same h as the first-order check (directions are scaled to the boxes, components ≤ 1). With
/// the boxes keeping |f⁗| ≲ 50·G: truncation ≲ 1e-9·G and rounding ≲ 4.4e-10·G, so the tolerance is
/// 1e-8·max(1, ‖g‖∞, ‖D(h)‖∞), a few times that worst case (and ten times stricter than the 1e-7 relative agreement a
/// well-conditioned case must reach). As in the first-order check, D(h/2) must agree with D(h) within the same
/// tolerance; if not, the point is reported as a bad test point (too curved or near a kink), not as a generator bug.
/// H·v is compared with the Richardson extrapolation D(h/2) + (D(h/2) − D(h))/3, as the tangent is: the random
/// programs met functions curved enough (a cubed Pow of values of size 10) that D(h)'s own truncation neared the
/// tolerance.
/// </para>
/// <para>
/// Symmetry. H is symmetric, so wᵀ(Hv) = vᵀ(Hw) for any v, w; the two sides are sums of the same products in
/// different orders, equal up to roundoff: |wᵀHv − vᵀHw| ≤ 1e-12·(Σ|wᵢ(Hv)ᵢ| + Σ|vᵢ(Hw)ᵢ|) (≈ 4500 ε, as the
/// dot-product test). A dropped or doubled mixed term (∂²f/∂x∂y counted on one side only) breaks it at O(1).
/// </para>
/// <para>
/// Accumulation. The accumulators start at random nonzero values a; on exit they must hold a + Hv (Hv from a zero
/// start) to 1e-13·max(1, |aᵢ|, |(Hv)ᵢ|) (≈ 450 ε, the adds of the partial products), and exactly a for v = 0.
/// </para>
/// <para>
/// Float cases are compared with their double twin (itself checked as above): H·v within
/// 256·2⁻²⁴·max(1, ‖twin's H·v‖∞) (the float tolerance of the first-order twin check, relative to the vector's size
/// for the reason given for G), symmetry and accumulation with that float tolerance.
/// </para>
/// </remarks>
internal static partial class DerivativeChecker
{
    public const double HessianVectorStep = 1e-5;
    public const double HessianVectorTolerance = 1e-8;
    public const double DoubleSymmetryTolerance = 1e-12;

    /// <summary>H·v against finite differences of the gradient (double) or the double twin (float), symmetry and accumulation.</summary>
    /// <param name="method">The case.</param>
    /// <param name="doubleRoundoffTolerance">
    /// Null: <see cref="DoubleSymmetryTolerance"/> for the symmetry and <see cref="DoubleAccumulationTolerance"/> for the
    /// accumulation. The random-program tester passes <see cref="FiniteDifferenceTolerance"/> for both, to tell roundoff
    /// that cancellation amplified from a wrong Hessian-vector product; the symmetry's scale is then also at least what
    /// the finite-difference check vouches for, max(1, ‖g‖∞, ‖H·v‖∞, ‖H·w‖∞)·(‖w‖₁ + ‖v‖₁).
    /// </param>
    public static void CheckHessianVector(CaseMethod method, double? doubleRoundoffTolerance = null)
    {
        RequireGenerated(method);
        RequireHessianVector(method);
        CaseMethod? twin = null;
        if (method.IsFloat)
        {
            twin = DoubleTwinOf(method);
            RequireGenerated(twin);
            RequireHessianVector(twin);
        }

        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "hessian-vector"));
        double symmetryTolerance = method.IsFloat ? FloatTolerance : doubleRoundoffTolerance ?? DoubleSymmetryTolerance;
        double accumulationTolerance = method.IsFloat ? FloatTolerance : doubleRoundoffTolerance ?? DoubleAccumulationTolerance;
        var log = new FailureLog(method);
        int n = method.Inputs.Count;
        double[] zero = new double[n];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] v = sampler.Direction(random);
            double[] w = sampler.Direction(random);
            double[] initial = sampler.InitialBars(random);
            double[] hv = method.EvaluateHessianVector(point.Values, v, zero);
            double[] hw = method.EvaluateHessianVector(point.Values, w, zero);
            string where = $"{point.Describe(method)}, v = {FormatVector(v)}";

            if (twin is null)
            {
                CompareWithGradientDifferences(method, sampler, log, where, point.Values, v, hv);
            }
            else
            {
                double[] twinHv = twin.EvaluateHessianVector(point.Values, v, zero);
                double tolerance = FloatTolerance * Math.Max(1.0, MaxAbs(twinHv));
                for (int j = 0; j < n; j++)
                {
                    if (!(Math.Abs(hv[j] - twinHv[j]) <= tolerance))
                    {
                        log.Add($"{where}: (H·v) for {method.Inputs[j].Name} is {F(hv[j])} in float but {F(twinHv[j])} in the double twin " +
                            $"{twin.Id} (tolerance {F(tolerance)})");
                    }
                }
            }

            double wHv = 0, vHw = 0, magnitude = 0;
            for (int j = 0; j < n; j++)
            {
                wHv += w[j] * hv[j];
                vHw += v[j] * hw[j];
                magnitude += Math.Abs(w[j] * hv[j]) + Math.Abs(v[j] * hw[j]);
            }

            if (doubleRoundoffTolerance is not null && !method.IsFloat)
            {
                // At the tester's finite-difference-level arbitration: the difference check vouches for each (H·v)ⱼ to
                // within tolerance·max(1, ‖g‖∞, ‖H·v‖∞), so for wᵀHv to within that times ‖w‖₁; two values closer than
                // that cannot be told apart (a Hessian of 1e-53 computed from terms of size 1 is roundoff either way).
                double vouched = Math.Max(1.0, Math.Max(MaxAbs(method.Gradient(point.Values)), Math.Max(MaxAbs(hv), MaxAbs(hw))));
                magnitude = Math.Max(magnitude, vouched * (w.Sum(Math.Abs) + v.Sum(Math.Abs)));
            }

            if (!(Math.Abs(wHv - vHw) <= symmetryTolerance * magnitude))
            {
                // Only where the fixed tolerance is exceeded: the roundoff the two products carry here (RoundingNoise).
                double noise = method.IsFloat ? 0 : RoundingNoise.Allowance(RoundingNoise.Spread(point.Values, x =>
                [
                    Dot(w, method.EvaluateHessianVector(x, v, zero)),
                    Dot(v, method.EvaluateHessianVector(x, w, zero)),
                ]));
                if (!(Math.Abs(wHv - vHw) <= symmetryTolerance * magnitude + noise))
                {
                    log.Add($"{where}, w = {FormatVector(w)}: wᵀHv = {F(wHv)} but vᵀHw = {F(vHw)} (difference {F(Math.Abs(wHv - vHw))}, " +
                        $"tolerance {F(symmetryTolerance * magnitude)} plus measured roundoff {F(noise)}): H is not symmetric\n{DescribeHessian(method, point)}");
                }
            }

            double[] accumulated = method.EvaluateHessianVector(point.Values, v, initial);
            double[] unchanged = method.EvaluateHessianVector(point.Values, zero, initial);
            for (int j = 0; j < n; j++)
            {
                string name = method.Inputs[j].Name;
                double expected = initial[j] + hv[j];
                double tolerance = accumulationTolerance * Math.Max(1.0, Math.Max(Math.Abs(initial[j]), Math.Abs(hv[j])));
                if (!(Math.Abs(accumulated[j] - expected) <= tolerance))
                {
                    log.Add($"{where}: the accumulator of {name} goes from {F(initial[j])} to {F(accumulated[j])}; " +
                        $"H·v from zero is {F(hv[j])}, so it must accumulate to {F(expected)} (tolerance {F(tolerance)})");
                }

                if (!Same(unchanged[j], initial[j]))
                {
                    log.Add($"{point.Describe(method)}: with v = 0 the accumulator of {name} goes from {F(initial[j])} to {F(unchanged[j])}; it must not change");
                }
            }

            log.CountCheck();
        }

        log.AssertNone(twin is null
            ? "Hessian-vector product vs central differences of the gradient, symmetry, accumulation"
            : $"Hessian-vector product vs the double twin {twin!.Id}, symmetry, accumulation");
    }

    /// <summary>
    /// The HessianVector checks the lengths of its direction and accumulator spans: for each active span parameter p,
    /// a <c>pV</c> or a <c>pHv</c> one element shorter or longer than p makes it throw an
    /// <see cref="ArgumentException"/> whose ParamName is that parameter, without touching the other accumulators.
    /// </summary>
    public static void CheckHessianVectorLengthsAreChecked(CaseMethod method, bool directions = true, bool accumulators = true)
    {
        RequireHessianVector(method);
        Assert.True(method.HasActiveSequences, $"{method.Id} has no active span or array parameter.");
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "hessian-vector lengths"));
        TestPoint point = sampler.Points(random)[0];
        double[] v = sampler.Direction(random);
        double[] initial = sampler.InitialBars(random);
        var log = new FailureLog(method);
        foreach (CaseParameter p in method.Parameters.Where(p => p.IsActive && p.IsSequence))
        {
            foreach (int delta in new[] { -1, 1 })
            {
                int length = p.Length + delta;
                if (directions)
                {
                    Expect(p, p.Name + "V", length, slots => slots.Direction);
                }

                if (accumulators)
                {
                    Expect(p, p.Name + "Hv", length, slots => slots.Accumulator);
                }
            }

            log.CountCheck();
        }

        log.AssertNone("length checks of the Hessian-vector product's direction and accumulator spans");

        void Expect(CaseParameter p, string name, int wrong, Func<(int[] Direction, int[] Accumulator), int[]> which)
        {
            (object?[] args, int[] directionSlot, int[] accumulatorSlot) = method.HessianVectorArguments(point.Values, v, initial);
            args[which((directionSlot, accumulatorSlot))[p.Position]] = Array.CreateInstance(p.ElementType, wrong);
            string what = $"{name} of length {wrong} for {p.Name} of length {p.Length}";
            try
            {
                Invoker.Invoke(method.HessianVector!, args);
                log.Add($"{what}: no exception");
            }
            catch (ArgumentException e) when (e.ParamName == name)
            {
                // Thrown before anything was added: the other accumulators still hold their values on entry.
                foreach (CaseParameter q in method.Parameters.Where(q => q.IsActive && q.Name + "Hv" != name))
                {
                    object? slot = args[accumulatorSlot[q.Position]];
                    double[] after = q.IsSequence
                        ? ((Array)slot!).Cast<object>().Select(o => Convert.ToDouble(o, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
                        : [Convert.ToDouble(slot, System.Globalization.CultureInfo.InvariantCulture)];
                    int start = method.Inputs.ToList().FindIndex(c => c.Parameter == q);
                    if (!after.SequenceEqual(initial.Skip(start).Take(q.Length)))
                    {
                        log.Add($"{what}: threw, but only after changing {q.Name}Hv");
                    }
                }
            }
            catch (Exception e)
            {
                log.Add($"{what}: {e.GetType().Name} (ParamName {(e as ArgumentException)?.ParamName ?? "none"}): {e.Message}; " +
                    $"expected an ArgumentException whose ParamName is {name}");
            }
        }
    }

    /// <summary>
    /// <c>{Name}TangentAdjoint</c>, the adjoint of the tangent that a caller's HessianVector calls, against the
    /// HessianVector and the Adjoint (both checked on their own): with tangents v, Bars a, DotBars b and resultBar r
    /// on entry, the Bars must hold a + r·H·v and the DotBars b + r·∇f on exit. The two sides compute the same
    /// products, seeded with r instead of 1 and scaled, so they agree up to roundoff relative to the size of the
    /// vectors: 1e-11·max(1, |aⱼ|, ‖r·H·v‖∞, ‖r·∇f‖∞) in double (about 45 000 ε, room for the cancellation the
    /// sums of the Hessian-vector product allow; a missing or doubled term is off by O(1)), the float tolerance in
    /// float.
    /// </summary>
    public static void CheckTangentAdjoint(CaseMethod method)
    {
        RequireGenerated(method);
        RequireHessianVector(method);
        Assert.True(method.TangentAdjoint is not null,
            $"{method.Id}: the generated TangentAdjoint is missing or does not have the contract's signature:\n" +
            string.Join("\n", HessianVectorSignatureProblems(method)));
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "tangent-adjoint"));
        double relative = method.IsFloat ? FloatTolerance : 1e-11;
        var log = new FailureLog(method);
        int n = method.Inputs.Count;
        double[] zero = new double[n];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] v = sampler.Direction(random);
            double[] a = sampler.InitialBars(random);
            double[] b = sampler.InitialBars(random);
            double r = 0.5 + 1.5 * random.NextDouble();
            if (random.Next(2) == 0)
            {
                r = -r;
            }

            double[] hv = method.EvaluateHessianVector(point.Values, v, zero).Select(h => r * h).ToArray();
            double[] g = method.Gradient(point.Values).Select(gj => r * gj).ToArray();
            (double[] bars, double[] dotBars) = method.EvaluateTangentAdjoint(point.Values, v, a, b, r);
            double scale = Math.Max(1.0, Math.Max(MaxAbs(hv), MaxAbs(g)));
            string where = $"{point.Describe(method)}, xDot = {FormatVector(v)}, resultBar = {F(r)}";
            for (int j = 0; j < n; j++)
            {
                string name = method.Inputs[j].Name;
                double tolerance = relative * Math.Max(scale, Math.Max(Math.Abs(a[j]), Math.Abs(b[j])));
                if (!(Math.Abs(bars[j] - (a[j] + hv[j])) <= tolerance))
                {
                    log.Add($"{where}: the Bar of {name} goes from {F(a[j])} to {F(bars[j])}, but resultBar·(H·xDot) is {F(hv[j])} " +
                        $"(HessianVector), so it must reach {F(a[j] + hv[j])} (tolerance {F(tolerance)})");
                }

                if (!(Math.Abs(dotBars[j] - (b[j] + g[j])) <= tolerance))
                {
                    log.Add($"{where}: the DotBar of {name} goes from {F(b[j])} to {F(dotBars[j])}, but resultBar·∇f is {F(g[j])} " +
                        $"(Adjoint), so it must reach {F(b[j] + g[j])} (tolerance {F(tolerance)})");
                }
            }

            log.CountCheck();
        }

        log.AssertNone("TangentAdjoint vs resultBar·(H·xDot) from the HessianVector and resultBar·∇f from the Adjoint");
    }

    /// <summary>What is wrong with <c>{Name}HessianVector</c>: missing or misshapen for Order 2, present for Order 1.</summary>
    public static IReadOnlyList<string> HessianVectorSignatureProblems(CaseMethod method)
    {
        var problems = new List<string>();
        string name = method.Primal.Name + "HessianVector";
        MethodInfo[] found = method.MethodsNamed(name).ToArray();
        string tangentAdjointName = method.Primal.Name + "TangentAdjoint";
        MethodInfo[] tangentAdjoints = method.MethodsNamed(tangentAdjointName).ToArray();
        if (method.Order != 2)
        {
            if (found.Length > 0)
            {
                problems.Add($"{name} was generated for a method of Order = {method.Order}");
            }

            if (tangentAdjoints.Length > 0)
            {
                problems.Add($"{tangentAdjointName} was generated for a method of Order = {method.Order}");
            }

            return problems;
        }

        string[] tangentAdjointNames = method.ExpectedTangentAdjointParameterNames();
        if (method.TangentAdjoint is null)
        {
            Type[] tangentAdjointTypes = method.ExpectedTangentAdjointParameterTypes();
            string expectedTangentAdjoint = $"void {tangentAdjointName}({string.Join(", ", tangentAdjointTypes.Zip(tangentAdjointNames, (t, n) => Describe(t) + " " + n))})";
            problems.Add(tangentAdjoints.Length == 0
                ? $"no generated {expectedTangentAdjoint}"
                : $"expected {expectedTangentAdjoint}, found {string.Join("; ", tangentAdjoints.Select(Describe))}");
        }
        else
        {
            string?[] actual = method.TangentAdjoint.GetParameters().Select(p => p.Name).ToArray();
            if (!actual.SequenceEqual(tangentAdjointNames))
            {
                problems.Add($"{tangentAdjointName}'s parameters are named ({string.Join(", ", actual)}), expected ({string.Join(", ", tangentAdjointNames)})");
            }

            if (method.TangentAdjoint.ReturnType != typeof(void) || Accessibility(method.TangentAdjoint) != Accessibility(method.Primal))
            {
                problems.Add($"{tangentAdjointName} must return void and have {method.Primal.Name}'s accessibility");
            }
        }

        Type[] types = method.ExpectedHessianVectorParameterTypes();
        string[] names = method.ExpectedHessianVectorParameterNames();
        string expected = $"void {name}({string.Join(", ", types.Zip(names, (t, n) => Describe(t) + " " + n))})";
        MethodInfo? generated = method.HessianVector;
        if (generated is null)
        {
            problems.Add(found.Length == 0
                ? $"no generated {expected}"
                : $"expected {expected}, found {string.Join("; ", found.Select(Describe))}");
            return problems;
        }

        if (generated.ReturnType != typeof(void))
        {
            problems.Add($"{name} returns {Describe(generated.ReturnType)}, expected void");
        }

        string?[] actualNames = generated.GetParameters().Select(p => p.Name).ToArray();
        if (!actualNames.SequenceEqual(names))
        {
            problems.Add($"{name}'s parameters are named ({string.Join(", ", actualNames)}), expected ({string.Join(", ", names)})");
        }

        if (generated.GetParameters().Any(p => p.IsOut))
        {
            problems.Add($"{name} has out parameters; its accumulators are ref (scalars) or spans");
        }

        if (Accessibility(generated) != Accessibility(method.Primal))
        {
            problems.Add($"{name} is {Accessibility(generated)} but {method.Primal.Name} is {Accessibility(method.Primal)}");
        }

        return problems;
    }

    private static void RequireHessianVector(CaseMethod method)
    {
        Assert.True(method.HessianVector is not null,
            $"{method.Id}: the generated HessianVector is missing or does not have the contract's signature:\n" +
            string.Join("\n", HessianVectorSignatureProblems(method)));
    }

    private static void CompareWithGradientDifferences(CaseMethod method, PointSampler sampler, FailureLog log, string where, double[] values, double[] v, double[] hv)
    {
        double[] gradient = method.Gradient(values);
        double[] coarse = GradientDifference(method, values, v, HessianVectorStep);
        double[] fine = GradientDifference(method, values, v, HessianVectorStep / 2);
        double tolerance = HessianVectorTolerance * Math.Max(1.0, Math.Max(MaxAbs(gradient), MaxAbs(coarse)));
        bool? leavesPath = null;
        for (int j = 0; j < method.Inputs.Count; j++)
        {
            string what = $"{where}, (H·v) for {method.Inputs[j].Name}";
            if (!(Math.Abs(coarse[j] - fine[j]) <= tolerance))
            {
                log.Add($"{what}: finite differences of the gradient unreliable here (bad test point: near a kink or too curved): " +
                    $"D(h) = {F(coarse[j])}, D(h/2) = {F(fine[j])}, tolerance {F(tolerance)}");
            }
            else
            {
                // Richardson extrapolation, as for the tangent: the h² term of D(h)'s truncation cancels, which matters
                // for strongly curved functions (a cubed Pow of values of size 10), where D(h) alone is off by ~1e-8.
                double reference = Richardson(coarse[j], fine[j]);
                if (Math.Abs(hv[j] - reference) <= tolerance)
                {
                    continue;
                }

                if (leavesPath ??= sampler.LeavesPath(values, DifferencePoints(method, values, v, HessianVectorStep)))
                {
                    log.Add($"{what}: finite differences of the gradient unreliable here (bad test point: the difference points take another path " +
                        $"than the point; HessianVector {F(hv[j])}, differences {F(reference)})");
                }
                else
                {
                    log.Add($"{what}: HessianVector gives {F(hv[j])} but differences of the gradient {F(reference)} " +
                        $"(Richardson; D(h) = {F(coarse[j])}; error {F(Math.Abs(hv[j] - reference))}, tolerance {F(tolerance)})");
                }
            }
        }
    }

    /// <summary>(g(x + hv) − g(x − hv)) / 2h, g from the generated Adjoint.</summary>
    private static double[] GradientDifference(CaseMethod method, double[] values, double[] direction, double step)
    {
        double[] plus = method.Gradient(Shift(method, values, direction, step));
        double[] minus = method.Gradient(Shift(method, values, direction, -step));
        return plus.Zip(minus, (p, m) => (p - m) / (2 * step)).ToArray();
    }

    /// <summary>H column by column from the HessianVector (unit directions), to show where symmetry fails.</summary>
    private static string DescribeHessian(CaseMethod method, TestPoint point)
    {
        int n = method.Inputs.Count;
        var text = new System.Text.StringBuilder("    H[i, j] = ∂²f/∂(input i)∂(input j), column j from the HessianVector with v = e_j\n");
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            double[] unit = new double[n];
            unit[j] = 1;
            columns[j] = method.EvaluateHessianVector(point.Values, unit, new double[n]);
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double a = columns[j][i], b = columns[i][j];
                bool close = Math.Abs(a - b) <= DoubleSymmetryTolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
                string mark = close ? string.Empty : "   <-- differs";
                text.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"    H[{method.Inputs[i].Name}, {method.Inputs[j].Name}] = {F(columns[j][i])}, H[{method.Inputs[j].Name}, {method.Inputs[i].Name}] = {F(columns[i][j])}{mark}\n");
            }
        }

        return text.ToString();
    }

    private static double MaxAbs(IEnumerable<double> values) => values.Select(Math.Abs).DefaultIfEmpty(0).Max();
}
