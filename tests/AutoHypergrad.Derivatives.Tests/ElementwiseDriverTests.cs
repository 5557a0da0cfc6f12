using System;
using System.Linq;
using System.Reflection;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Every elementwise case (those of <see cref="ElementwiseRegressionCases"/> and every other with span drivers): its span drivers (primal, tangent, adjoint) equal the scalar
/// methods element by element, its vector-mode span driver <c>{Name}VectorModeTangent</c> equals the single-direction span
/// driver once per direction, and its scalar vector-mode kernel the scalar tangent once per direction, to the bit
/// (<see cref="ElementwiseDriverChecks"/>, shared with the optimizer tests), at every length around the vector widths;
/// an [OptimizerStep] case has its vectorized steps. Values are drawn from the case's [Domain] boxes, integers from its
/// [Ints].
/// </summary>
public sealed class ElementwiseDriverTests
{
    private static readonly int[] Lengths = Enumerable.Range(0, 35).Concat(new[] { 67, 1001 }).ToArray();

    private static readonly int[] DirectionCounts = [1, 2, 3];

    public static TheoryData<string> Elementwise()
    {
        var data = new TheoryData<string>();
        // Every case with span drivers, not only the regression cases: the drivers of any elementwise method are the
        // scalar method's bits (Exp and Log keep the scalar loop for that; Sqrt, Abs, Max, Min are exact in a lane).
        foreach (CaseMethod method in CaseCatalog.Methods.Where(m => SpanDriver(m, m.Primal.Name) is not null).OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            data.Add(method.Id);
        }

        return data;
    }

    [Fact]
    public void The_regression_cases_have_span_drivers_and_vector_mode_tangents()
    {
        var ids = CaseCatalog.Methods.Where(m => SpanDriver(m, m.Primal.Name) is not null).Select(m => m.Id).ToHashSet();
        foreach (MethodInfo method in typeof(ElementwiseRegressionCases).GetMethods(BindingFlags.Public | BindingFlags.Static)
                     .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null && m.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>() is null))
        {
            Assert.Contains($"{nameof(ElementwiseRegressionCases)}.{method.Name}", ids);
            Assert.NotNull(SpanDriver(CaseCatalog.Get($"{nameof(ElementwiseRegressionCases)}.{method.Name}"), method.Name + "VectorModeTangent"));
        }
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Span_drivers_equal_the_scalar_methods_on_every_element(string id)
    {
        CaseMethod method = CaseCatalog.Get(id);
        var sampler = new PointSampler(method);
        foreach ((MethodInfo? kernel, string suffix) in new[] { (method.Primal, ""), (method.Tangent, "Tangent"), (method.Adjoint, "Adjoint") })
        {
            Assert.NotNull(kernel);
            MethodInfo driver = SpanDriver(method, method.Primal.Name + suffix) ?? throw new InvalidOperationException($"{id}: no span driver {method.Primal.Name}{suffix}.");
            foreach (int length in Lengths)
            {
                var random = new Random(PointSampler.SeedFor(id, $"{suffix} {length}"));
                ElementwiseDriverChecks.CheckSpanDriver(
                    id, kernel!, driver, method.RealType, length, random,
                    name => Value(method, sampler, name, random),
                    (name, type) => Uniform(method, sampler, name, type, random));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Vector_mode_span_driver_equals_k_single_direction_span_drivers(string id)
    {
        CaseMethod method = CaseCatalog.Get(id);
        var sampler = new PointSampler(method);
        string name = method.Primal.Name;
        MethodInfo vectorMode = SpanDriver(method, name + "VectorModeTangent") ?? throw new InvalidOperationException($"{id}: no span driver {name}VectorModeTangent.");
        MethodInfo single = SpanDriver(method, name + "Tangent")!;
        foreach (bool option in method.Parameters.Any(p => p.Type == typeof(bool)) ? new[] { false, true } : [false])
        {
            foreach (int length in Lengths)
            {
                foreach (int k in DirectionCounts)
                {
                    var random = new Random(PointSampler.SeedFor(id, $"{length} {k} {option}"));
                    ElementwiseDriverChecks.CheckVectorModeDriver(
                        $"{id}VectorModeTangent(n = {length}, k = {k})", vectorMode, single, method.RealType, length, k, random,
                        parameter => Value(method, sampler, parameter, random),
                        parameter => Convert.ToDouble(Uniform(method, sampler, parameter, method.Parameters.FirstOrDefault(p => p.Name == parameter)?.Type == typeof(int) ? typeof(int) : typeof(double), random), System.Globalization.CultureInfo.InvariantCulture),
                        option);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Vector_mode_kernel_equals_k_scalar_tangents(string id)
    {
        CaseMethod method = CaseCatalog.Get(id);
        var sampler = new PointSampler(method);
        MethodInfo kernel = method.MethodsNamed(method.Primal.Name + "VectorModeTangent")
            .Single(m => !ElementwiseDriverChecks.IsSpan(m.GetParameters()[0].ParameterType) && Scalar(m.GetParameters()[0].ParameterType) == Element(method));
        var random = new Random(PointSampler.SeedFor(id, "Tangents"));
        for (int trial = 0; trial < 20; trial++)
        {
            ElementwiseDriverChecks.CheckVectorModeKernel(id, kernel, method.Tangent!, 3, random, (name, type) => Uniform(method, sampler, name, type, random));
        }
    }

    [Fact]
    public void Optimizer_step_cases_have_vectorized_steps()
    {
        foreach (MethodInfo method in typeof(ElementwiseRegressionCases).GetMethods(BindingFlags.Public | BindingFlags.Static)
                     .Where(m => m.GetCustomAttribute<OptimizerStepAttribute>() is not null))
        {
            Type scalar = method.GetParameters()[0].ParameterType.GetElementType()!;
            string stepName = $"{method.Name}Vectorized{(scalar == typeof(double) ? "Double" : "Single")}";
            Type? step = typeof(ElementwiseRegressionCases).GetNestedType(stepName, BindingFlags.Public | BindingFlags.NonPublic)
                ?? typeof(ElementwiseRegressionCases).Assembly.GetTypes().FirstOrDefault(t => t.Name == stepName);
            Assert.True(step is not null, $"{method.Name}: no {stepName}.");
            Assert.Contains(step!.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(AutoHypergrad.Steps.IVectorizedStep<>));
        }
    }

    /// <summary>The overload of <paramref name="name"/> that takes spans of the method's own element type: the span driver (not its float twin's).</summary>
    private static MethodInfo? SpanDriver(CaseMethod method, string name)
    {
        if (method.Parameters.Any(p => p.IsSequence))
        {
            return null;
        }

        return method.MethodsNamed(name).SingleOrDefault(m =>
            m.GetParameters()[0].ParameterType is var span && ElementwiseDriverChecks.IsSpan(span) && span.GetGenericArguments()[0] == Element(method));
    }

    /// <summary>The method's element type: its first parameter's, by value or by reference.</summary>
    private static Type Element(CaseMethod method) => Scalar(method.Primal.GetParameters()[0].ParameterType);

    private static Type Scalar(Type parameter) => parameter.IsByRef ? parameter.GetElementType()! : parameter;

    /// <summary>A per-element value: in the parameter's box, a tangent or adjoint in [−1, 1].</summary>
    private static double Value(CaseMethod method, PointSampler sampler, string name, Random random)
    {
        CaseParameter? parameter = method.Parameters.FirstOrDefault(p => p.Name == name);
        if (parameter is null || !parameter.IsReal)
        {
            return ElementwiseDriverChecks.Signed(random);
        }

        (double min, double max) = sampler.Box(parameter.Position);
        return min + (max - min) * random.NextDouble();
    }

    /// <summary>A uniform value of <paramref name="type"/>: a parameter's in its box (an integer's its [Ints] value), a derivative's in [−1, 1].</summary>
    private static object Uniform(CaseMethod method, PointSampler sampler, string name, Type type, Random random)
    {
        if (type == typeof(bool))
        {
            return random.Next(2) == 1;
        }

        if (type == typeof(int))
        {
            return method.IntValues.TryGetValue(name, out int[]? values) ? values[0] : PointSampler.FixedInteger;
        }

        double value = Value(method, sampler, name, random);
        return type == typeof(float) ? (object)(float)value : value;
    }
}
