using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using AutoHypergrad.Derivatives.Tests;
using AutoHypergrad.Testing;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// The numeric checks of one compiled program. The derivative checks are the Derivatives tests' own
/// (<see cref="DerivativeChecker"/> over a <see cref="CaseMethod"/>, with their tolerances); the span drivers and the
/// vector-mode tangents of an elementwise method are compared bit for bit with the scalar methods here.
/// </summary>
public static class Checks
{
    /// <summary>Lengths that take every path of a span driver: the scalar method alone (1), Vector128 (2, 3), Vector256
    /// (4–7), Vector512 (8+), each with and without a scalar tail, where the machine accelerates that width.</summary>
    public static readonly int[] DriverLengths = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31];

    public const int Directions = 3;

    public static string AcceleratedWidths =>
        $"Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, " +
        $"Vector256 {(Vector256.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, " +
        $"Vector128 {(Vector128.IsHardwareAccelerated ? "accelerated" : "not accelerated")}";

    /// <summary>Runs the checks of <paramref name="which"/> (null: all) on every [Differentiable] method of the program.</summary>
    public static List<Finding> Run(Prog prog, Type type, string? which = null)
    {
        var findings = new List<Finding>();
        foreach (var m in prog.Methods)
        {
            MethodInfo primal = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Single(mi => mi.Name == m.Name && mi.GetCustomAttribute<DifferentiableAttribute>() is not null && !IsFloatTwin(mi));
            var cm = new CaseMethod(primal);
            string who = prog.Main == m ? string.Empty : $" (in callee {m.Name})";
            void Check(string cls, Action check)
            {
                if (which is not null && which != cls)
                {
                    return;
                }

                if (Classify(cls, check) is { } f)
                {
                    findings.Add(f with { Message = f.Message + who });
                }
            }

            Check(Classes.WrongTangent, () => DerivativeChecker.CheckTangentMatchesPrimal(cm));
            Check(Classes.WrongTangent, () => DerivativeChecker.CheckTangentAgainstFiniteDifferences(cm));
            Check(Classes.WrongAdjoint, () => Arbitrated(
                () => DerivativeChecker.CheckAdjointAgainstTangent(cm),
                () => DerivativeChecker.CheckAdjointAgainstTangent(cm, DerivativeChecker.FiniteDifferenceTolerance)));
            Check(Classes.WrongAdjoint, () => Arbitrated(
                () => DerivativeChecker.CheckAdjointContract(cm),
                () => DerivativeChecker.CheckAdjointContract(cm, DerivativeChecker.FiniteDifferenceTolerance)));
            if (m.Order == 2)
            {
                Check(Classes.WrongHvp, () => Arbitrated(
                    () => DerivativeChecker.CheckHessianVector(cm),
                    () => DerivativeChecker.CheckHessianVector(cm, DerivativeChecker.FiniteDifferenceTolerance)));
            }

            if (m.Elementwise)
            {
                Check(Classes.SpanDriverMismatch, () => SpanDrivers(m, type));
                Check(Classes.VectorModeMismatch, () => VectorMode(m, type));
            }

            if (m.OptimizerStep)
            {
                Check(Classes.VectorizedStepMismatch, () => VectorizedStep(m, type));
            }
        }

        // A class checked by several checks is reported once per program (the first).
        return findings.GroupBy(f => f.Id).Select(g => g.First()).ToList();
    }

    /// <summary>
    /// A check at roundoff tolerance (the dot-product test; the Hessian's symmetry and accumulation), arbitrated where
    /// it fails: if the same check passes at the finite-difference tolerance (1e-8 of the terms, which any wrong rule,
    /// dropped term or wrong branch exceeds by orders of magnitude), the two computations differ by roundoff that the
    /// program's own cancellation amplified (x⁸ then u²/(u² + 1); h −= cos h where 1 + sin h ≈ 0), not by a wrong
    /// derivative. That is counted as inconclusive ("ill-conditioned"), with the strict check's message; the tangent's
    /// own check against finite differences still runs as it is.
    /// </summary>
    private static void Arbitrated(Action strict, Action finiteDifferenceLevel)
    {
        try
        {
            strict();
        }
        catch (Exception e) when (IsAssertion(e))
        {
            finiteDifferenceLevel();
            throw new IllConditionedException(e.Message);
        }
    }

    private static bool IsAssertion(Exception e) => e.GetType().Namespace?.StartsWith("Xunit", StringComparison.Ordinal) == true;

    /// <summary>A roundoff-level check failed, but passes at the finite-difference tolerance (see <see cref="Arbitrated"/>).</summary>
    private sealed class IllConditionedException(string message) : Exception(message);

    private static Finding? Classify(string cls, Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (Exception e) when (IsAssertion(e))
        {
            string message = e.Message;
            var lines = message.Split('\n').Skip(1).Where(l => l.Length > 0 && !l.StartsWith("    ", StringComparison.Ordinal) && !l.StartsWith("...", StringComparison.Ordinal)).ToList();
            if (message.Contains("the generated methods are missing", StringComparison.Ordinal))
            {
                return new Finding(Classes.GeneratedCodeError, "missing generated method", message);
            }

            if (lines.Count > 0 && lines.All(l => l.Contains("bad test point", StringComparison.Ordinal)))
            {
                return new Finding(Classes.Inconclusive, "finite differences unreliable", message);
            }

            return new Finding(cls, string.Empty, message);
        }
        catch (IllConditionedException e)
        {
            return new Finding(Classes.Inconclusive, "ill-conditioned (roundoff check passes at the finite-difference tolerance)", e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("satisfies [SmoothWhere]", StringComparison.Ordinal))
        {
            return new Finding(Classes.Inconclusive, "no smooth point", e.Message);
        }
        catch (Exception e)
        {
            return new Finding(Classes.RuntimeException, e.GetType().Name, e.ToString());
        }
    }

    // ------------------------------------------------------------ span drivers

    private static MethodInfo Find(Type type, string name, bool driver) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .SingleOrDefault(mi => mi.Name == name && mi.GetParameters().Length > 0
                && (IsSpan(mi.GetParameters()[0].ParameterType) == driver) && !IsFloatTwin(mi))
        ?? throw new Xunit.Sdk.XunitException($"the elementwise method has no generated {(driver ? "span driver" : "scalar")} {name}");

    /// <summary>
    /// Whether a method belongs to the float twin the generator writes for a double [OptimizerStep] (the programs are in
    /// double, so a float parameter, by value, by reference or as a span's element, marks the twin and its derivatives).
    /// </summary>
    internal static bool IsFloatTwin(MethodInfo method)
        => method.GetParameters().Any(p => (p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType) is var t
            && (t == typeof(float) || (t.IsGenericType && t.GetGenericArguments()[0] == typeof(float))));

    private static bool IsSpan(Type t) => t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Span<>) || t.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>));

    private static bool PerElement(Param q) => q.Kind is PKind.Ref or PKind.Value;

    private static bool Active(Param q) => q.Kind is PKind.Ref or PKind.Value or PKind.Hyper;

    private static object Uniform(Param q, double v) => q.Kind == PKind.Int ? (object)2 : v;

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    /// <summary>The primal, tangent and adjoint span drivers against the scalar methods, element by element, bit for bit.</summary>
    public static void SpanDrivers(Method m, Type type)
    {
        var kernel = Find(type, m.Name, false);
        var driver = Find(type, m.Name, true);
        var tangent = Find(type, m.Name + "Tangent", false);
        var tangentDriver = Find(type, m.Name + "Tangent", true);
        var adjoint = Find(type, m.Name + "Adjoint", false);
        var adjointDriver = Find(type, m.Name + "Adjoint", true);
        var errors = new List<string>();
        var random = new Random(12345);
        foreach (int n in DriverLengths)
        {
            var ps = m.Params;
            double[][] values = ps.Select(q => PerElement(q) ? Draw(random, n) : [2 * random.NextDouble() - 1]).ToArray();
            double[][] dots = ps.Select(q => Active(q) ? Draw(random, PerElement(q) ? n : 1) : []).ToArray();
            double[][] bars = ps.Select(q => Active(q) ? Draw(random, PerElement(q) ? n : 1) : []).ToArray();

            // Primal.
            var expected = values.Select(v => (double[])v.Clone()).ToArray();
            for (int i = 0; i < n; i++)
            {
                var args = ps.Select((q, j) => PerElement(q) ? expected[j][i] : Uniform(q, values[j][0])).ToArray();
                Invoker.Invoke(kernel, args);
                for (int j = 0; j < ps.Length; j++)
                {
                    if (ps[j].Kind == PKind.Ref)
                    {
                        expected[j][i] = (double)args[j]!;
                    }
                }
            }

            var actual = values.Select(v => (double[])v.Clone()).ToArray();
            Invoker.Invoke(driver, ps.Select((q, j) => PerElement(q) ? actual[j] : Uniform(q, values[j][0])).ToArray());
            Compare(errors, $"n = {n}, primal", ps, expected, actual, n);

            // Tangent.
            var tv = values.Select(v => (double[])v.Clone()).ToArray();
            var td = dots.Select(v => (double[])v.Clone()).ToArray();
            for (int i = 0; i < n; i++)
            {
                var args = new List<object?>();
                for (int j = 0; j < ps.Length; j++)
                {
                    var q = ps[j];
                    args.Add(PerElement(q) ? tv[j][i] : Uniform(q, values[j][0]));
                    if (Active(q))
                    {
                        args.Add(PerElement(q) ? td[j][i] : dots[j][0]);
                    }
                }

                var array = args.ToArray();
                Invoker.Invoke(tangent, array);
                int at = 0;
                for (int j = 0; j < ps.Length; j++)
                {
                    if (ps[j].Kind == PKind.Ref)
                    {
                        tv[j][i] = (double)array[at]!;
                        td[j][i] = (double)array[at + 1]!;
                    }

                    at += Active(ps[j]) ? 2 : 1;
                }
            }

            var dv = values.Select(v => (double[])v.Clone()).ToArray();
            var dd = dots.Select(v => (double[])v.Clone()).ToArray();
            var dargs = new List<object?>();
            for (int j = 0; j < ps.Length; j++)
            {
                var q = ps[j];
                dargs.Add(PerElement(q) ? dv[j] : Uniform(q, values[j][0]));
                if (Active(q))
                {
                    dargs.Add(PerElement(q) ? dd[j] : dots[j][0]);
                }
            }

            Invoker.Invoke(tangentDriver, dargs.ToArray());
            Compare(errors, $"n = {n}, tangent values", ps, tv, dv, n);
            Compare(errors, $"n = {n}, tangents", ps, td, dd, n);

            // Adjoint: per-element Bars bit for bit; a uniform Bar is a sum over the elements (any order), compared within roundoff.
            var eb = bars.Select(v => (double[])v.Clone()).ToArray();
            var uniformSum = new double[ps.Length];
            var uniformMagnitude = new double[ps.Length];
            for (int i = 0; i < n; i++)
            {
                var args = new List<object?>();
                for (int j = 0; j < ps.Length; j++)
                {
                    var q = ps[j];
                    args.Add(PerElement(q) ? values[j][i] : Uniform(q, values[j][0]));
                    if (Active(q))
                    {
                        args.Add(PerElement(q) ? eb[j][i] : 0.0);
                    }
                }

                var array = args.ToArray();
                Invoker.Invoke(adjoint, array);
                int at = 0;
                for (int j = 0; j < ps.Length; j++)
                {
                    if (Active(ps[j]))
                    {
                        double bar = (double)array[at + 1]!;
                        if (PerElement(ps[j]))
                        {
                            eb[j][i] = bar;
                        }
                        else
                        {
                            uniformSum[j] += bar;
                            uniformMagnitude[j] += Math.Abs(bar);
                        }
                    }

                    at += Active(ps[j]) ? 2 : 1;
                }
            }

            var ab = bars.Select(v => (double[])v.Clone()).ToArray();
            var aargs = new List<object?>();
            var slots = new int[ps.Length];
            for (int j = 0; j < ps.Length; j++)
            {
                var q = ps[j];
                aargs.Add(PerElement(q) ? values[j] : Uniform(q, values[j][0]));
                if (Active(q))
                {
                    slots[j] = aargs.Count;
                    aargs.Add(PerElement(q) ? ab[j] : bars[j][0]);
                }
            }

            var adjointArgs = aargs.ToArray();
            Invoker.Invoke(adjointDriver, adjointArgs);
            for (int j = 0; j < ps.Length; j++)
            {
                var q = ps[j];
                if (!Active(q))
                {
                    continue;
                }

                if (PerElement(q))
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (!Same(eb[j][i], ab[j][i]))
                        {
                            errors.Add($"n = {n}, adjoint: {q.Name}Bar[{i}] is {ab[j][i]:R} from the span driver but {eb[j][i]:R} from the scalar method");
                        }
                    }
                }
                else
                {
                    double got = (double)adjointArgs[slots[j]]! - bars[j][0];
                    double tol = 1e-12 * (uniformMagnitude[j] + Math.Abs(bars[j][0])) + 1e-300;
                    if (!(Math.Abs(got - uniformSum[j]) <= tol))
                    {
                        errors.Add($"n = {n}, adjoint: uniform {q.Name}Bar gained {got:R} from the span driver but the scalar methods' sum is {uniformSum[j]:R}");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"span drivers differ from the scalar method ({AcceleratedWidths}):\n" + string.Join("\n", errors.Take(12)));
        }
    }

    /// <summary>
    /// The [OptimizerStep] method's vectorized step (<c>{Name}VectorizedDouble</c>, an <see cref="AutoHypergrad.Steps.IVectorizedStep{T}"/>)
    /// against the span drivers it packs, on the layouts IVectorizedStep documents: Step, Tangents (k = 2 directions,
    /// against the single-direction tangent driver once per direction) and Adjoint, bit for bit, options read from
    /// <see cref="AutoHypergrad.Steps.StepOptions"/>. A uniform hyperparameter's adjoint, a sum over the elements
    /// added to the one given, is compared within two ulps of the larger of the two (the kernel may add its sum to the
    /// given value where the driver adds element by element).
    /// </summary>
    public static void VectorizedStep(Method m, Type type)
    {
        var kernelType = type.GetNestedType(m.Name + "VectorizedDouble")
            ?? throw new Xunit.Sdk.XunitException($"the [OptimizerStep] method has no generated {m.Name}VectorizedDouble");
        var kernel = (AutoHypergrad.Steps.IVectorizedStep<double>)Activator.CreateInstance(kernelType)!;
        var driver = Find(type, m.Name, true);
        var tangentDriver = Find(type, m.Name + "Tangent", true);
        var adjointDriver = Find(type, m.Name + "Adjoint", true);
        var ps = m.Params;
        var state = ps.Where(q => q.Kind == PKind.Ref).ToList();
        var hypers = ps.Where(q => q.Kind == PKind.Hyper).ToList();
        int slots = state.Count, uniforms = hypers.Count;
        const int k = 2;
        var errors = new List<string>();
        var random = new Random(777);
        void Equal(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                if (!Same(expected[i], actual[i]))
                {
                    errors.Add($"{what}[{i}] is {actual[i]:R} from {m.Name}VectorizedDouble but {expected[i]:R} from the span drivers");
                    return;
                }
            }
        }

        foreach (int n in new[] { 1, 7, 17 })
        {
            var options = ps.Where(q => q.Kind == PKind.NoDiff).ToDictionary(q => q.Name, _ => 2 * random.NextDouble() - 1);
            var stepOptions = new AutoHypergrad.Steps.StepOptions(3, options);
            double[] w = Draw(random, slots * n), g = Draw(random, n), h = Draw(random, uniforms);
            double[] wDot = Draw(random, slots * k * n), gDot = Draw(random, k * n), hDot = Draw(random, uniforms * k);
            double[] wBar = Draw(random, slots * n), gBar = Draw(random, n), hBar = Draw(random, uniforms);

            // Arguments of a span driver: a state slot and a hyperparameter by their index, the rest by kind.
            object?[] Arguments(Func<int, Param, IEnumerable<object?>> stateSlot, Func<int, IEnumerable<object?>> gradient, Func<int, IEnumerable<object?>> hyper)
            {
                var args = new List<object?>();
                foreach (var q in ps)
                {
                    args.AddRange(q.Kind switch
                    {
                        PKind.Ref => stateSlot(state.IndexOf(q), q),
                        PKind.Value => gradient(0),
                        PKind.Hyper => hyper(hypers.IndexOf(q)),
                        _ => [options[q.Name]],
                    });
                }

                return args.ToArray();
            }

            double[] Slice(double[] a, int start, int length) => a.AsSpan(start, length).ToArray();

            // Step.
            var stepped = (double[])w.Clone();
            kernel.Step(stepped, g, h, stepOptions);
            var expected = Enumerable.Range(0, slots).Select(s => Slice(w, s * n, n)).ToArray();
            Invoker.Invoke(driver, Arguments((s, _) => [expected[s]], _ => [g], j => [h[j]]));
            Equal($"n = {n}, Step: state", expected.SelectMany(x => x).ToArray(), stepped);

            // Tangents: direction d against the single-direction tangent driver.
            var tw = (double[])w.Clone();
            var twDot = (double[])wDot.Clone();
            kernel.Tangents(tw, twDot, g, gDot, h, hDot, stepOptions);
            for (int d = 0; d < k; d++)
            {
                var values = Enumerable.Range(0, slots).Select(s => Slice(w, s * n, n)).ToArray();
                var dots = Enumerable.Range(0, slots).Select(s => Slice(wDot, ((s * k) + d) * n, n)).ToArray();
                Invoker.Invoke(tangentDriver, Arguments((s, _) => [values[s], dots[s]], _ => [g, Slice(gDot, d * n, n)], j => [h[j], hDot[(j * k) + d]]));
                Equal($"n = {n}, Tangents: state", values.SelectMany(x => x).ToArray(), tw);
                for (int s = 0; s < slots; s++)
                {
                    Equal($"n = {n}, Tangents: direction {d} of slot {s}", dots[s], twDot.AsSpan(((s * k) + d) * n, n));
                }
            }

            // Adjoint.
            var aw = (double[])wBar.Clone();
            var ag = (double[])gBar.Clone();
            var ah = (double[])hBar.Clone();
            kernel.Adjoint(w, aw, g, ag, h, ah, stepOptions);
            var bars = Enumerable.Range(0, slots).Select(s => Slice(wBar, s * n, n)).ToArray();
            var gradientBar = (double[])gBar.Clone();
            var args = Arguments((s, _) => [Slice(w, s * n, n), bars[s]], _ => [g, gradientBar], j => [h[j], hBar[j]]);
            Invoker.Invoke(adjointDriver, args);
            Equal($"n = {n}, Adjoint: state adjoint", bars.SelectMany(x => x).ToArray(), aw);
            Equal($"n = {n}, Adjoint: gradient adjoint", gradientBar, ag);
            int at = 0;
            foreach (var q in ps)
            {
                at += q.Kind switch { PKind.Ref or PKind.Value or PKind.Hyper => 2, _ => 1 };
                if (q.Kind == PKind.Hyper)
                {
                    double fromDriver = (double)args[at - 1]!, fromKernel = ah[hypers.IndexOf(q)];
                    double larger = Math.Max(Math.Abs(fromDriver), Math.Abs(fromKernel));
                    if (!(Math.Abs(fromDriver - fromKernel) <= 2 * (Math.BitIncrement(larger) - larger)))
                    {
                        errors.Add($"n = {n}, Adjoint: {q.Name}Bar is {fromKernel:R} from {m.Name}VectorizedDouble but {fromDriver:R} from the span driver");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("the vectorized step differs from the span drivers:\n" + string.Join("\n", errors.Take(12)));
        }
    }

    /// <summary>Vector-mode tangents (k directions) against k single tangents, bit for bit: the scalar method and the span driver.</summary>
    public static void VectorMode(Method m, Type type)
    {
        var single = Find(type, m.Name + "Tangent", false);
        var multi = Find(type, m.Name + "VectorModeTangent", false);
        var singleDriver = Find(type, m.Name + "Tangent", true);
        var multiDriver = Find(type, m.Name + "VectorModeTangent", true);
        var ps = m.Params;
        var errors = new List<string>();
        var random = new Random(54321);
        const int k = Directions;

        // Scalar method: one element.
        double[] values = ps.Select(_ => 2 * random.NextDouble() - 1).ToArray();
        double[][] dots = ps.Select(q => Active(q) ? Draw(random, k) : []).ToArray();
        var expectedValues = new double[ps.Length];
        var expectedDots = ps.Select(_ => new double[k]).ToArray();
        for (int d = 0; d < k; d++)
        {
            var args = new List<object?>();
            foreach (var (q, j) in ps.Select((q, j) => (q, j)))
            {
                args.Add(q.Kind == PKind.Int ? (object)2 : values[j]);
                if (Active(q))
                {
                    args.Add(dots[j][d]);
                }
            }

            var array = args.ToArray();
            Invoker.Invoke(single, array);
            int at = 0;
            for (int j = 0; j < ps.Length; j++)
            {
                if (ps[j].Kind == PKind.Ref)
                {
                    expectedValues[j] = (double)array[at]!;
                    expectedDots[j][d] = (double)array[at + 1]!;
                }

                at += Active(ps[j]) ? 2 : 1;
            }
        }

        {
            var args = new List<object?>();
            var slots = new int[ps.Length];
            var multiDots = dots.Select(v => (double[])v.Clone()).ToArray();
            foreach (var (q, j) in ps.Select((q, j) => (q, j)))
            {
                slots[j] = args.Count;
                args.Add(q.Kind == PKind.Int ? (object)2 : values[j]);
                if (Active(q))
                {
                    args.Add(multiDots[j]);
                }
            }

            var array = args.ToArray();
            Invoker.Invoke(multi, array);
            for (int j = 0; j < ps.Length; j++)
            {
                if (ps[j].Kind != PKind.Ref)
                {
                    continue;
                }

                if (!Same((double)array[slots[j]]!, expectedValues[j]))
                {
                    errors.Add($"scalar {m.Name}VectorModeTangent: {ps[j].Name} is {(double)array[slots[j]]!:R}, {m.Name}Tangent gives {expectedValues[j]:R}");
                }

                for (int d = 0; d < k; d++)
                {
                    if (!Same(multiDots[j][d], expectedDots[j][d]))
                    {
                        errors.Add($"scalar {m.Name}VectorModeTangent: {ps[j].Name}Dot[{d}] is {multiDots[j][d]:R}, {m.Name}Tangent in direction {d} gives {expectedDots[j][d]:R}");
                    }
                }
            }
        }

        // Span driver, direction-major k·n.
        foreach (int n in DriverLengths)
        {
            double[][] v = ps.Select(q => PerElement(q) ? Draw(random, n) : [2 * random.NextDouble() - 1]).ToArray();
            double[][] dv = ps.Select(q => Active(q) ? Draw(random, PerElement(q) ? k * n : k) : []).ToArray();
            var expected = ps.Select((q, j) => (double[])v[j].Clone()).ToArray();
            var expectedDirs = dv.Select(x => (double[])x.Clone()).ToArray();
            for (int d = 0; d < k; d++)
            {
                var state = v.Select(x => (double[])x.Clone()).ToArray();
                var args = new List<object?>();
                var dirSlices = new double[ps.Length][];
                for (int j = 0; j < ps.Length; j++)
                {
                    var q = ps[j];
                    args.Add(PerElement(q) ? state[j] : Uniform(q, v[j][0]));
                    if (Active(q))
                    {
                        dirSlices[j] = PerElement(q) ? dv[j].Skip(d * n).Take(n).ToArray() : [dv[j][d]];
                        args.Add(PerElement(q) ? dirSlices[j] : dirSlices[j][0]);
                    }
                }

                Invoker.Invoke(singleDriver, args.ToArray());
                for (int j = 0; j < ps.Length; j++)
                {
                    if (ps[j].Kind == PKind.Ref)
                    {
                        expected[j] = state[j];
                        Array.Copy(dirSlices[j], 0, expectedDirs[j], d * n, n);
                    }
                }
            }

            var mv = v.Select(x => (double[])x.Clone()).ToArray();
            var md = dv.Select(x => (double[])x.Clone()).ToArray();
            var margs = new List<object?>();
            for (int j = 0; j < ps.Length; j++)
            {
                var q = ps[j];
                margs.Add(PerElement(q) ? mv[j] : Uniform(q, v[j][0]));
                if (Active(q))
                {
                    margs.Add(md[j]);
                }
            }

            Invoker.Invoke(multiDriver, margs.ToArray());
            for (int j = 0; j < ps.Length; j++)
            {
                if (ps[j].Kind != PKind.Ref)
                {
                    continue;
                }

                for (int i = 0; i < n; i++)
                {
                    if (!Same(mv[j][i], expected[j][i]))
                    {
                        errors.Add($"n = {n}, driver {m.Name}VectorModeTangent: {ps[j].Name}[{i}] is {mv[j][i]:R}, {m.Name}Tangent gives {expected[j][i]:R}");
                    }
                }

                for (int i = 0; i < k * n; i++)
                {
                    if (!Same(md[j][i], expectedDirs[j][i]))
                    {
                        errors.Add($"n = {n}, driver {m.Name}VectorModeTangent: {ps[j].Name}Dot[{i}] (direction {i / n}, element {i % n}) is {md[j][i]:R}, {m.Name}Tangent gives {expectedDirs[j][i]:R}");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"vector-mode tangents differ from single tangents ({AcceleratedWidths}):\n" + string.Join("\n", errors.Take(12)));
        }
    }

    private static double[] Draw(Random random, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = 4 * random.NextDouble() - 2;
        }

        return a;
    }

    private static void Compare(List<string> errors, string what, IReadOnlyList<Param> ps, double[][] expected, double[][] actual, int n)
    {
        for (int j = 0; j < ps.Count; j++)
        {
            if (ps[j].Kind != PKind.Ref)
            {
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                if (!Same(expected[j][i], actual[j][i]))
                {
                    errors.Add($"{what}: {ps[j].Name}[{i}] is {actual[j][i]:R} from the span driver but {expected[j][i]:R} from the scalar method");
                }
            }
        }
    }
}
