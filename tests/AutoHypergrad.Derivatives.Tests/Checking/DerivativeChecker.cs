using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

using AutoHypergrad.Testing;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Checks the generated Tangent and Adjoint of a case numerically, at the points its <see cref="PointSampler"/> draws.
/// Each check gathers every discrepancy over all points and fails once with all of them (point, output, numbers).
/// </summary>
/// <remarks>
/// <para>
/// Tolerances, and why they are what they are.
/// </para>
/// <para>
/// Finite differences (double cases). The reference for J·ẋ is the central difference
/// D(h) = (F(x + hẋ) − F(x − hẋ)) / 2h with h = 1e-5 and ẋ scaled to the box of each input (components ≤ 1). Its error
/// is truncation h²/6·|∂³F[ẋ,ẋ,ẋ]| ≈ 1.7e-11·|F'''| plus rounding ≈ k·ε·|F|/h with ε = 2.2e-16 and k ≲ 20 operations,
/// i.e. ≈ 4e-10·|F|. The boxes keep |F'''| below ~50 (no input near a singularity of Log, Sqrt, a division, or
/// 1 − β^t), so the total is ≲ 1.5e-9 relative to scale = max(1, |F|, |D|). The tolerance is 1e-8·scale: a few times that
/// worst case, and eight orders of magnitude below what a wrong derivative rule, a dropped term or a wrong branch
/// produces (an O(scale) error). The bound is not taken on faith: at every point the checker also computes D(h/2) and
/// requires |D(h) − D(h/2)| (≈ ¾ of D(h)'s truncation error) to be within the same tolerance; if it is not, the point
/// is reported as a bad test point (too close to a kink or too curved), not as a generator bug. The tangent is compared
/// with the Richardson extrapolation D(h/2) + (D(h/2) − D(h))/3, whose h² term cancels (it is never less accurate than
/// D(h); the random-program tests met strongly curved functions where D(h)'s own truncation neared the tolerance).
/// </para>
/// <para>
/// Float cases are not checked by finite differences in float: with ε_f = 1.2e-7 the best step is h ≈ ε_f^(1/3) ≈ 5e-3
/// and the best achievable agreement ≈ 1e-4..1e-3, a tolerance loose enough to hide real bugs (a missing
/// 1e-3-sized term). Instead each float case names a double twin with the same mathematics; the twin is checked
/// against finite differences at 1e-8 above, and the float case's value, tangent and adjoint must equal the twin's at the
/// same (float-representable) point, direction and output adjoints to within 256 units of float roundoff,
/// 256·2^-24 ≈ 1.5e-5 relative to max(1, |twin's value|): a case body is ≲ 30 float operations with condition ≲ 5, whose
/// accumulated roundoff is ≲ 150·u_f, below that.
/// </para>
/// <para>
/// Dot-product test. ⟨J·ẋ, ȳ⟩ and ⟨ẋ, Jᵀ·ȳ⟩ are the same number computed along two different orders of operations, so
/// they agree up to roundoff of the terms summed: |⟨J·ẋ, ȳ⟩ − ⟨ẋ, Jᵀ·ȳ⟩| ≤ tol·(Σ|(J·ẋ)ᵢ·ȳᵢ| + Σ|ẋⱼ·(Jᵀ·ȳ)ⱼ|), with
/// tol = 1e-12 in double (≈ 4500 ε: far above the roundoff of a few dozen operations, far below any bug) and 1.5e-5 in
/// float (the float tolerance above). Where a derivative cancels by construction (its terms are much larger than it),
/// the two orders of operations differ by more; only where the fixed tolerance is exceeded, the check measures the
/// roundoff the two computations carry at that point (<see cref="RoundingNoise"/>: their spread over inputs moved by
/// a few ulps) and allows that on top.
/// </para>
/// <para>
/// Accumulation. Bar_after must equal Bar_before + g (g: the Bar from a zero start) up to the roundoff of adding the
/// generated code's partial adjoints one by one: 1e-13·max(1, |Bar_before|, |g|) in double (≈ 450 ε), the float
/// tolerance in float. Values that involve no arithmetic at all (the primal's outputs against the Tangent's, the ref
/// Bars, Bars when ȳ = 0) must be exactly equal.
/// </para>
/// </remarks>
internal static partial class DerivativeChecker
{
    public const double FiniteDifferenceStep = 1e-5;
    public const double FiniteDifferenceTolerance = 1e-8;
    public const double DoubleDotProductTolerance = 1e-12;
    public const double DoubleAccumulationTolerance = 1e-13;
    public const double FloatTolerance = 256 * 5.9604644775390625e-8; // 256 · 2^-24

    /// <summary>Tangent of the return value and of every ref output against central finite differences (double).</summary>
    public static void CheckTangentAgainstFiniteDifferences(CaseMethod method)
    {
        Assert.False(method.IsFloat, $"{method.Id} is a float case: it is compared with its double twin instead.");
        RequireGenerated(method);
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "finite differences"));
        var log = new FailureLog(method);
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] direction = sampler.Direction(random);
            double[] values = method.Evaluate(point.Values);
            double[] tangents = method.EvaluateTangent(point.Values, direction).Tangents;
            double[] coarse = CentralDifference(method, point.Values, direction, FiniteDifferenceStep);
            double[] fine = CentralDifference(method, point.Values, direction, FiniteDifferenceStep / 2);
            // Where the tangent disagrees with the differences: whether the difference points leave the point's path,
            // and the function's own rounding, each found once per point.
            bool? leavesPath = null;
            double[]? noise = null;
            for (int i = 0; i < method.OutputCount; i++)
            {
                double scale = Math.Max(1.0, Math.Max(Math.Abs(values[i]), Math.Abs(coarse[i])));
                double tolerance = FiniteDifferenceTolerance * scale;
                string where = $"{point.Describe(method)}, ẋ = {FormatVector(direction)}, output {method.OutputName(i)}";
                if (!(Math.Abs(coarse[i] - fine[i]) <= tolerance))
                {
                    log.Add($"{where}: finite differences unreliable here (bad test point: near a kink or too curved): " +
                        $"D(h) = {F(coarse[i])}, D(h/2) = {F(fine[i])}, tolerance {F(tolerance)}");
                    continue;
                }

                double reference = Richardson(coarse[i], fine[i]);
                double error = Math.Abs(tangents[i] - reference);
                if (error <= tolerance)
                {
                    continue;
                }

                if (leavesPath ??= sampler.LeavesPath(point.Values, DifferencePoints(method, point.Values, direction, FiniteDifferenceStep)))
                {
                    log.Add($"{where}: finite differences unreliable here (bad test point: the difference points take another path than the point; " +
                        $"tangent {F(tangents[i])}, finite differences {F(reference)})");
                }
                else if ((noise ??= FiniteDifferenceNoise(method, point.Values, direction, tangents))[i] is var rounding && error <= tolerance + rounding)
                {
                    log.Add($"{where}: finite differences unreliable here (bad test point: the function's own rounding, measured at the point, " +
                        $"puts {F(rounding)} of noise on the extrapolated difference; tangent {F(tangents[i])}, finite differences {F(reference)})");
                }
                else
                {
                    log.Add($"{where}: tangent {F(tangents[i])} but finite differences {F(reference)} (Richardson-extrapolated from " +
                        $"D(h) = {F(coarse[i])}, D(h/2) = {F(fine[i])}; error {F(error)}, tolerance {F(tolerance)})");
                }
            }

            log.CountCheck();
        }

        log.AssertNone("tangent vs central finite differences");
    }

    /// <summary>The dot-product test ⟨J·ẋ, ȳ⟩ = ⟨ẋ, Jᵀ·ȳ⟩ with random ẋ and ȳ.</summary>
    /// <param name="method">The case.</param>
    /// <param name="doubleTolerance">
    /// Null: <see cref="DoubleDotProductTolerance"/>. The random-program tester passes
    /// <see cref="FiniteDifferenceTolerance"/> to tell a derivative that cancels by construction (the two orders differ
    /// beyond roundoff, but both are right to within what finite differences can tell) from a wrong adjoint. With a
    /// tolerance given, the scale is also at least Σ|ȳᵢ|: the finite-difference check vouches for each output's
    /// tangent to within tolerance·max(1, …), so it cannot tell apart two values closer than that (a derivative of
    /// 1e-20 computed from terms of size 1 is roundoff either way).
    /// </param>
    public static void CheckAdjointAgainstTangent(CaseMethod method, double? doubleTolerance = null)
    {
        RequireGenerated(method);
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "dot product"));
        double tolerance = method.IsFloat ? FloatTolerance : doubleTolerance ?? DoubleDotProductTolerance;
        var log = new FailureLog(method);
        double[] zeroBars = new double[method.Inputs.Count];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] direction = sampler.Direction(random);
            double[] outputAdjoints = sampler.OutputAdjoints(random);
            double[] tangents = method.EvaluateTangent(point.Values, direction).Tangents;
            double[] bars = method.EvaluateAdjoint(point.Values, outputAdjoints, zeroBars).Bars;
            double forward = 0, reverse = 0, magnitude = 0;
            for (int i = 0; i < tangents.Length; i++)
            {
                forward += tangents[i] * outputAdjoints[i];
                magnitude += Math.Abs(tangents[i] * outputAdjoints[i]);
            }

            for (int j = 0; j < bars.Length; j++)
            {
                reverse += direction[j] * bars[j];
                magnitude += Math.Abs(direction[j] * bars[j]);
            }

            if (doubleTolerance is not null && !method.IsFloat)
            {
                magnitude = Math.Max(magnitude, outputAdjoints.Sum(Math.Abs));
            }

            if (!(Math.Abs(forward - reverse) <= tolerance * magnitude))
            {
                // Only where the fixed tolerance is exceeded: how much roundoff the two computations carry here.
                double noise = method.IsFloat ? 0 : RoundingNoise.Allowance(RoundingNoise.Spread(point.Values, x =>
                [
                    Dot(method.EvaluateTangent(x, direction).Tangents, outputAdjoints),
                    Dot(method.EvaluateAdjoint(x, outputAdjoints, zeroBars).Bars, direction),
                ]));
                if (!(Math.Abs(forward - reverse) <= tolerance * magnitude + noise))
                {
                    log.Add($"{point.Describe(method)}: <J·ẋ, ȳ> = {F(forward)} but <ẋ, Jᵀ·ȳ> = {F(reverse)} " +
                        $"(ẋ = {FormatVector(direction)}, ȳ = {FormatVector(outputAdjoints)}, J·ẋ = {FormatVector(tangents)}, " +
                        $"Jᵀ·ȳ = {FormatVector(bars)}, tolerance {F(tolerance * magnitude)} plus measured roundoff {F(noise)})\n" +
                        DescribeJacobians(method, point));
                }
            }

            log.CountCheck();
        }

        log.AssertNone("dot-product test (adjoint vs tangent)");
    }

    /// <summary>
    /// The Adjoint's calling contract: value Bars accumulate, ref Bars go from output adjoint to input adjoint whatever
    /// the value Bars held, zero output adjoints leave every value Bar as it was and every ref Bar zero, and the inputs
    /// passed by value are not changed.
    /// </summary>
    /// <param name="method">The case.</param>
    /// <param name="doubleAccumulationTolerance">
    /// Null: <see cref="DoubleAccumulationTolerance"/> for start + increment. The random-program tester passes
    /// <see cref="FiniteDifferenceTolerance"/> where that fails, to tell an increment summed from large terms that
    /// cancel ((x − x)·t with t ≈ 10⁵: start + ȳt − ȳt is the start only to roundoff of ȳt) from a Bar assigned with =
    /// instead of += (off by the start, O(1)). The exact checks (ref Bars, zero output adjoints) stay exact.
    /// </param>
    public static void CheckAdjointContract(CaseMethod method, double? doubleAccumulationTolerance = null)
    {
        RequireGenerated(method);
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "adjoint contract"));
        double tolerance = method.IsFloat ? FloatTolerance : doubleAccumulationTolerance ?? DoubleAccumulationTolerance;
        var log = new FailureLog(method);
        double[] zeroBars = new double[method.Inputs.Count];
        double[] zeroOutputs = new double[method.OutputCount];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] outputAdjoints = sampler.OutputAdjoints(random);
            double[] initial = sampler.InitialBars(random);
            (double[] fromZero, double[] valuesAfter) = method.EvaluateAdjoint(point.Values, outputAdjoints, zeroBars);
            double[] accumulated = method.EvaluateAdjoint(point.Values, outputAdjoints, initial).Bars;
            double[] untouched = method.EvaluateAdjoint(point.Values, zeroOutputs, initial).Bars;
            string where = $"{point.Describe(method)}, ȳ = {FormatVector(outputAdjoints)}";
            for (int j = 0; j < method.Inputs.Count; j++)
            {
                Coordinate c = method.Inputs[j];
                string bar = c.BarName;
                if (c.Parameter!.HasOutputBar)
                {
                    if (!Same(accumulated[j], fromZero[j]))
                    {
                        log.Add($"{where}: {bar} on exit is {F(fromZero[j])} when the value Bars start at 0 but " +
                            $"{F(accumulated[j])} when they start at {FormatVector(initial)}; a ref (or Span/array) Bar must not depend on them");
                    }

                    if (!Same(untouched[j], 0.0))
                    {
                        log.Add($"{point.Describe(method)}: with every output adjoint 0, {bar} on exit is {F(untouched[j])}, not 0");
                    }
                }
                else
                {
                    double expected = initial[j] + fromZero[j];
                    double scale = Math.Max(1.0, Math.Max(Math.Abs(initial[j]), Math.Abs(fromZero[j])));
                    if (!(Math.Abs(accumulated[j] - expected) <= tolerance * scale))
                    {
                        log.Add($"{where}: {bar} starting at {F(initial[j])} ends at {F(accumulated[j])}, " +
                            $"expected {F(initial[j])} + {F(fromZero[j])} = {F(expected)} (adjoints must accumulate with +=)");
                    }

                    if (!Same(untouched[j], initial[j]))
                    {
                        log.Add($"{point.Describe(method)}: with every output adjoint 0, {bar} went from {F(initial[j])} to {F(untouched[j])}");
                    }
                }
            }

            foreach (CaseParameter p in method.Parameters.Where(p => p.IsReal && !p.IsOut))
            {
                for (int e = 0; e < p.Length; e++)
                {
                    if (!Same(valuesAfter[p.Offset + e], point.Values[p.Offset + e]))
                    {
                        string name = p.IsSequence ? $"{p.Name}[{e}]" : p.Name;
                        log.Add($"{point.Describe(method)}: the Adjoint changed its argument {name} to {F(valuesAfter[p.Offset + e])}");
                    }
                }
            }

            log.CountCheck();
        }

        log.AssertNone("adjoint calling contract");
    }

    /// <summary>
    /// The Tangent's Value and ref outputs equal the primal's exactly; a zero direction gives zero tangents.
    /// </summary>
    public static void CheckTangentMatchesPrimal(CaseMethod method)
    {
        RequireGenerated(method);
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "primal"));
        var log = new FailureLog(method);
        double[] zeroDirection = new double[method.Inputs.Count];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] direction = sampler.Direction(random);
            double[] primal = method.Evaluate(point.Values);
            (double[] outputs, _) = method.EvaluateTangent(point.Values, direction);
            double[] zeroTangents = method.EvaluateTangent(point.Values, zeroDirection).Tangents;
            for (int i = 0; i < method.OutputCount; i++)
            {
                if (!Same(outputs[i], primal[i]))
                {
                    log.Add($"{point.Describe(method)}: output {method.OutputName(i)} is {F(primal[i])} from the primal but {F(outputs[i])} from the Tangent");
                }

                if (!Same(zeroTangents[i], 0.0))
                {
                    log.Add($"{point.Describe(method)}: with ẋ = 0 the tangent of {method.OutputName(i)} is {F(zeroTangents[i])}, not 0");
                }
            }

            log.CountCheck();
        }

        log.AssertNone("tangent's values vs primal");
    }

    /// <summary>
    /// The generated methods check the lengths of the derivative spans and arrays: for each active span/array
    /// parameter p, a <c>pDot</c> (Tangent) or <c>pBar</c> (Adjoint) one element shorter or longer than p makes them
    /// throw an <see cref="ArgumentException"/> whose ParamName is that derivative parameter.
    /// </summary>
    public static void CheckDerivativeLengthsAreChecked(CaseMethod method)
    {
        RequireGenerated(method);
        Assert.True(method.HasActiveSequences, $"{method.Id} has no active span or array parameter.");
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "lengths"));
        TestPoint point = sampler.Points(random)[0];
        double[] direction = sampler.Direction(random);
        double[] outputAdjoints = sampler.OutputAdjoints(random);
        double[] bars = new double[method.Inputs.Count];
        var log = new FailureLog(method);
        foreach (CaseParameter p in method.Parameters.Where(p => p.IsActive && p.IsSequence))
        {
            foreach (int delta in new[] { -1, 1 })
            {
                int length = p.Length + delta;
                (object?[] tangentArgs, _, int[] dotSlot) = method.TangentArguments(point.Values, direction);
                tangentArgs[dotSlot[p.Position]] = Array.CreateInstance(p.ElementType, length);
                Expect(p.Name + "Dot", length, () => Invoker.Invoke(method.Tangent!, tangentArgs));
                (object?[] adjointArgs, _, int[] barSlot) = method.AdjointArguments(point.Values, outputAdjoints, bars);
                adjointArgs[barSlot[p.Position]] = Array.CreateInstance(p.ElementType, length);
                Expect(p.Name + "Bar", length, () => Invoker.Invoke(method.Adjoint!, adjointArgs));

                void Expect(string name, int wrong, Action call)
                {
                    string what = $"{name} of length {wrong} for {p.Name} of length {p.Length}";
                    try
                    {
                        call();
                        log.Add($"{what}: no exception");
                    }
                    catch (ArgumentException e) when (e.ParamName == name)
                    {
                    }
                    catch (Exception e)
                    {
                        log.Add($"{what}: {e.GetType().Name} (ParamName {(e as ArgumentException)?.ParamName ?? "none"}): {e.Message}; " +
                            $"expected an ArgumentException whose ParamName is {name}");
                    }
                }
            }

            log.CountCheck();
        }

        log.AssertNone("length checks of the derivative spans and arrays");
    }

    /// <summary>A float case's value, tangent and adjoint against its double twin's.</summary>
    public static void CheckAgainstDoubleTwin(CaseMethod method)
    {
        Assert.True(method.IsFloat, $"{method.Id} is not a float case.");
        RequireGenerated(method);
        CaseMethod twin = DoubleTwinOf(method);
        RequireGenerated(twin);
        var sampler = new PointSampler(method);
        var random = new Random(PointSampler.SeedFor(method.Id, "double twin"));
        var log = new FailureLog(method);
        double[] zeroBars = new double[method.Inputs.Count];
        foreach (TestPoint point in sampler.Points(random))
        {
            double[] direction = sampler.Direction(random);
            double[] outputAdjoints = sampler.OutputAdjoints(random);
            (double[] values, double[] tangents) = method.EvaluateTangent(point.Values, direction);
            (double[] twinValues, double[] twinTangents) = twin.EvaluateTangent(point.Values, direction);
            double[] bars = method.EvaluateAdjoint(point.Values, outputAdjoints, zeroBars).Bars;
            double[] twinBars = twin.EvaluateAdjoint(point.Values, outputAdjoints, zeroBars).Bars;
            string where = $"{point.Describe(method)}, ẋ = {FormatVector(direction)}, ȳ = {FormatVector(outputAdjoints)}";
            for (int i = 0; i < method.OutputCount; i++)
            {
                Compare(log, where, $"value of {method.OutputName(i)}", values[i], twinValues[i]);
                Compare(log, where, $"tangent of {method.OutputName(i)}", tangents[i], twinTangents[i]);
            }

            for (int j = 0; j < method.Inputs.Count; j++)
            {
                Compare(log, where, method.Inputs[j].BarName, bars[j], twinBars[j]);
            }

            log.CountCheck();
        }

        log.AssertNone($"float case vs its double twin {twin.Id}");

        static void Compare(FailureLog log, string where, string what, double value, double twinValue)
        {
            double tolerance = FloatTolerance * Math.Max(1.0, Math.Abs(twinValue));
            if (!(Math.Abs(value - twinValue) <= tolerance))
            {
                log.Add($"{where}: {what} is {F(value)} in float but {F(twinValue)} in the double twin (tolerance {F(tolerance)})");
            }
        }
    }

    /// <summary>The float case's double twin, checked to have the same parameters.</summary>
    public static CaseMethod DoubleTwinOf(CaseMethod method)
    {
        DoubleTwinAttribute? attribute = method.Primal.GetCustomAttribute<DoubleTwinAttribute>();
        Assert.True(attribute is not null, $"{method.Id} is a float case without [DoubleTwin]: float cases are checked against a double twin.");
        // By name among the [Differentiable] methods: generated code may add overloads of the same name (span drivers).
        MethodInfo? twinMethod = attribute.Type
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => m.Name == attribute.Method && m.GetCustomAttribute<DifferentiableAttribute>() is not null);
        Assert.True(twinMethod?.GetCustomAttribute<DifferentiableAttribute>() is not null,
            $"{method.Id}: its twin {attribute.Type.Name}.{attribute.Method} is not a [Differentiable] method.");
        var twin = new CaseMethod(twinMethod!);
        Assert.True(twin.RealType == typeof(double), $"{method.Id}: its twin {twin.Id} is not a double case.");
        Assert.Equal(method.ReturnsValue, twin.ReturnsValue);
        Assert.Equal(
            method.Parameters.Select(p => (p.Name, p.Shape, p.IsRef, p.IsOut, p.IsActive, p.IsReal, p.IsReal ? null : p.ElementType, p.Length)),
            twin.Parameters.Select(p => (p.Name, p.Shape, p.IsRef, p.IsOut, p.IsActive, p.IsReal, p.IsReal ? null : p.ElementType, p.Length)));
        Assert.Equal(method.IntValues.OrderBy(i => i.Key).Select(i => (i.Key, string.Join(",", i.Value))),
            twin.IntValues.OrderBy(i => i.Key).Select(i => (i.Key, string.Join(",", i.Value))));
        return twin;
    }

    /// <summary>Every way the generated methods' signatures differ from docs/contract.md.</summary>
    public static IReadOnlyList<string> SignatureProblems(CaseMethod method)
    {
        var problems = new List<string>();
        if (method.RealType == typeof(void))
        {
            problems.Add($"{method.Id} mixes float and double; the checker handles one real type per case.");
            return problems;
        }

        CheckGenerated(
            method.Tangent, method.Primal.Name + "Tangent", method.ExpectedTangentParameterTypes(),
            method.ExpectedTangentParameterNames(), method.ExpectedTangentReturnType(),
            method.Parameters.SelectMany(p => p.IsActive ? new[] { p.IsOut, p.IsOut } : new[] { p.IsOut }).ToArray());
        CheckGenerated(
            method.Adjoint, method.Primal.Name + "Adjoint", method.ExpectedAdjointParameterTypes(),
            method.ExpectedAdjointParameterNames(), typeof(void),
            method.Parameters.SelectMany(p => !p.IsActive ? new[] { p.IsOut } : p.IsOut ? new[] { false } : new[] { false, false })
                .Concat(method.ReturnsValue ? [false] : Array.Empty<bool>()).ToArray());
        if (method.Tangent is not null && method.ReturnsValue)
        {
            IList<string?>? names = method.Tangent.ReturnParameter.GetCustomAttribute<TupleElementNamesAttribute>()?.TransformNames;
            if (names is null || !names.SequenceEqual(["Value", "Tangent"]))
            {
                problems.Add($"{method.Primal.Name}Tangent returns a tuple whose elements are named " +
                    $"({string.Join(", ", names ?? [])}), not (Value, Tangent)");
            }
        }

        problems.AddRange(HessianVectorSignatureProblems(method));
        return problems;

        void CheckGenerated(MethodInfo? generated, string name, Type[] types, string[] names, Type returnType, bool[] outs)
        {
            string expected = $"{name}({string.Join(", ", types.Zip(names, (t, n) => Describe(t) + " " + n))})";
            if (generated is null)
            {
                string[] found = method.MethodsNamed(name).Select(Describe).ToArray();
                problems.Add(found.Length == 0
                    ? $"no generated {expected}"
                    : $"expected {expected}, found {string.Join("; ", found)}");
                return;
            }

            if (generated.ReturnType != returnType)
            {
                problems.Add($"{name} returns {Describe(generated.ReturnType)}, expected {Describe(returnType)}");
            }

            string?[] actualNames = generated.GetParameters().Select(p => p.Name).ToArray();
            if (!actualNames.SequenceEqual(names))
            {
                problems.Add($"{name}'s parameters are named ({string.Join(", ", actualNames)}), expected ({string.Join(", ", names)})");
            }

            bool[] actualOuts = generated.GetParameters().Select(p => p.IsOut).ToArray();
            if (!actualOuts.SequenceEqual(outs))
            {
                problems.Add($"{name}'s out parameters are ({string.Join(", ", names.Where((_, i) => i < actualOuts.Length && actualOuts[i]))}), " +
                    $"expected ({string.Join(", ", names.Where((_, i) => outs[i]))})");
            }

            if (Accessibility(generated) != Accessibility(method.Primal))
            {
                problems.Add($"{name} is {Accessibility(generated)} but {method.Primal.Name} is {Accessibility(method.Primal)}");
            }
        }
    }

    private static void RequireGenerated(CaseMethod method)
    {
        IReadOnlyList<string> problems = SignatureProblems(method);
        Assert.True(method.Tangent is not null && method.Adjoint is not null,
            $"{method.Id}: the generated methods are missing or do not have the contract's signature:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// Richardson extrapolation of the central differences: D(h/2) + (D(h/2) − D(h))/3 cancels their h² truncation
    /// term, leaving O(h⁴) and the rounding, so the reference is at least as accurate as D(h) (the tolerance is unchanged).
    /// </summary>
    private static double Richardson(double coarse, double fine) => fine + ((fine - coarse) / 3);

    /// <summary>
    /// The rounding error the Richardson-extrapolated difference can carry from the function's own rounding. Each
    /// output is evaluated at x + e·ẋ for steps e from 1e-10 to 1e-8, far below h but thousands of ulps, so that every
    /// intermediate rounding lands afresh: f(x + e·ẋ) − f(x) − e·(tangent) is then that rounding (the tangent's own error
    /// enters only times e, and the curvature as e²·f″/2 ≤ 1e-16·f″). With δ the largest such value, D(h) is off by up
    /// to δ/h, D(h/2) by 2δ/h, and (4·D(h/2) − D(h))/3 by 3δ/h, times <see cref="RoundingNoise.Factor"/> for margin.
    /// Where an output is a small difference of large terms (−r − √(r² + ½) at r ≈ 10⁴ is about 10⁻⁵, each value
    /// rounded to 10⁻¹²) this exceeds the tolerance, and the differences cannot check the tangent there.
    /// </summary>
    private static double[] FiniteDifferenceNoise(CaseMethod method, double[] values, double[] direction, double[] tangents)
    {
        double[] center = method.Evaluate(values);
        double[] noise = new double[center.Length];
        foreach (double e in (double[])[1e-10, -3e-10, 1e-9, -3e-9, 1e-8, -1e-8])
        {
            double[] moved = method.Evaluate(Shift(method, values, direction, e));
            for (int i = 0; i < noise.Length; i++)
            {
                double rounding = Math.Abs(moved[i] - center[i] - (e * tangents[i]));
                noise[i] = double.IsNaN(rounding) ? double.PositiveInfinity : Math.Max(noise[i], rounding);
            }
        }

        return noise.Select(d => 3 * RoundingNoise.Factor * d / FiniteDifferenceStep).ToArray();
    }

    /// <summary>The points D(h) and D(h/2) evaluate: x ± h·ẋ and x ± h/2·ẋ.</summary>
    private static IEnumerable<double[]> DifferencePoints(CaseMethod method, double[] values, double[] direction, double step) =>
        [Shift(method, values, direction, step), Shift(method, values, direction, -step), Shift(method, values, direction, step / 2), Shift(method, values, direction, -step / 2)];

    private static double[] CentralDifference(CaseMethod method, double[] values, double[] direction, double step)
    {
        double[] plus = Shift(method, values, direction, step);
        double[] minus = Shift(method, values, direction, -step);
        double[] outputsPlus = method.Evaluate(plus);
        double[] outputsMinus = method.Evaluate(minus);
        return outputsPlus.Zip(outputsMinus, (p, m) => (p - m) / (2 * step)).ToArray();
    }

    private static double[] Shift(CaseMethod method, double[] values, double[] direction, double step)
    {
        double[] shifted = (double[])values.Clone();
        for (int j = 0; j < method.Inputs.Count; j++)
        {
            shifted[method.Inputs[j].Offset] += step * direction[j];
        }

        return shifted;
    }

    /// <summary>J from the Tangent (columns) and Jᵀ from the Adjoint (rows), to show where a dot-product test fails.</summary>
    private static string DescribeJacobians(CaseMethod method, TestPoint point)
    {
        int inputs = method.Inputs.Count;
        int outputs = method.OutputCount;
        var forward = new double[outputs, inputs];
        var reverse = new double[outputs, inputs];
        for (int j = 0; j < inputs; j++)
        {
            double[] unit = new double[inputs];
            unit[j] = 1;
            double[] column = method.EvaluateTangent(point.Values, unit).Tangents;
            for (int i = 0; i < outputs; i++)
            {
                forward[i, j] = column[i];
            }
        }

        for (int i = 0; i < outputs; i++)
        {
            double[] unit = new double[outputs];
            unit[i] = 1;
            double[] row = method.EvaluateAdjoint(point.Values, unit, new double[inputs]).Bars;
            for (int j = 0; j < inputs; j++)
            {
                reverse[i, j] = row[j];
            }
        }

        var text = new StringBuilder("    d(output)/d(input)   from Tangent   from Adjoint\n");
        for (int i = 0; i < outputs; i++)
        {
            for (int j = 0; j < inputs; j++)
            {
                string mark = Same(forward[i, j], reverse[i, j]) ? string.Empty : "   <-- differs";
                text.Append(CultureInfo.InvariantCulture,
                    $"    d({method.OutputName(i)})/d({method.Inputs[j].Name})   {F(forward[i, j])}   {F(reverse[i, j])}{mark}\n");
            }
        }

        return text.ToString();
    }

    private static string Accessibility(MethodInfo method) =>
        method.IsPublic ? "public" : method.IsAssembly ? "internal" : method.IsPrivate ? "private"
        : method.IsFamily ? "protected" : method.IsFamilyOrAssembly ? "protected internal" : "private protected";

    private static string Describe(MethodInfo method) =>
        $"{Describe(method.ReturnType)} {method.Name}({string.Join(", ", method.GetParameters().Select(p => (p.IsOut ? "out " + Describe(p.ParameterType.GetElementType()!) : Describe(p.ParameterType)) + " " + p.Name))})";

    private static string Describe(Type type) => CaseMethod.Describe(type);

    /// <summary>Exact equality (0 and -0 are equal; NaN equals nothing).</summary>
    private static bool Same(double a, double b) => a == b;

    private static string F(double value) => TestPoint.Format(value);

    private static string FormatVector(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(F)) + "]";

    /// <summary>Discrepancies of one check over all points of a case.</summary>
    private sealed class FailureLog(CaseMethod method)
    {
        private const int MaxReported = 20;
        private readonly List<string> failures = [];
        private int checks;

        public void Add(string failure) => failures.Add(failure);

        public void CountCheck() => checks++;

        public void AssertNone(string what)
        {
            Assert.True(checks > 0, $"{method.Id}: no point was checked.");
            string report = $"{method.Id}: {what} failed in {failures.Count} place(s) over {checks} point(s):\n" +
                string.Join("\n", failures.Take(MaxReported)) +
                (failures.Count > MaxReported ? $"\n... and {failures.Count - MaxReported} more" : string.Empty);
            Assert.True(failures.Count == 0, report);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
