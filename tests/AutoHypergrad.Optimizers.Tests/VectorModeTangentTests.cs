using System;
using System.Linq;
using System.Reflection;
using AutoHypergrad.Steps;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// Vector-mode tangents (<c>StepVectorModeTangent</c>: one primal pass carrying k directions) equal k separate tangents, to
/// the bit, for every optimizer in double and float: the span driver (per-element tangents direction-major, direction
/// j of element i at j·n + i) against the single-direction span driver <c>StepTangent</c> run once per direction on
/// the same inputs, primal outputs included, at lengths around every vector width (every tail) and k = 1, 2, 3, 5;
/// and the scalar method (k contiguous directions of one element) against the scalar single-direction tangent.
/// </summary>
public sealed class VectorModeTangentTests
{
    private static readonly int[] Lengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 1001];

    private static readonly int[] DirectionCounts = [1, 2, 3, 5];

    public static TheoryData<string, string> Optimizers()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in OptimizerCases.Types)
        {
            data.Add(type.Name, "double");
            data.Add(type.Name, "float");
        }

        return data;
    }

    public static TheoryData<string> Optimizer()
    {
        var data = new TheoryData<string>();
        foreach (var type in OptimizerCases.Types)
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void The_span_driver_equals_k_single_direction_span_drivers(string optimizer, string scalar)
    {
        var type = OptimizerCases.Get(optimizer);
        var descriptor = Descriptors.Of(type);
        CheckEveryShape(type, scalar, name => name switch
        {
            "t" => 3,
            "wd" => 0.01,
            _ => descriptor.Hyperparameters.Single(h => h.Name == name).Default,
        });
    }

    /// <summary>Masks for per-element branches, a branch on a value it overwrites, k from the per-element tangents.</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void A_step_with_per_element_branches_equals_k_single_direction_span_drivers(string scalar)
        => CheckEveryShape(typeof(ClippedStep), scalar, name => name == "clip" ? 0.25 : throw new ArgumentException(name));

    /// <summary>A [PerElement] hyperparameter: its tangents are per-element ones, k·n values.</summary>
    [Fact]
    public void A_per_element_hyperparameter_has_per_element_tangents()
        => CheckEveryShape(typeof(PerParameterSgd), "double", name => name == "wd" ? 0.01 : throw new ArgumentException(name));

    /// <summary>No vector form (a power of per-element values): the scalar loop, with the same layout.</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void A_step_without_a_vector_form_equals_k_single_direction_span_drivers(string scalar)
        => CheckEveryShape(typeof(PowerStep), scalar, name => name == "lr" ? 0.1 : throw new ArgumentException(name));

    [Theory]
    [MemberData(nameof(Optimizer))]
    public void The_scalar_kernel_equals_k_scalar_tangents(string optimizer)
    {
        const int k = 3;
        var type = OptimizerCases.Get(optimizer);
        var step = new StepMethod(type, typeof(double));
        var single = step.Tangent;
        var kernel = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "StepVectorModeTangent" && m.GetParameters()[0].ParameterType == typeof(double).MakeByRefType());
        var random = new Random(StableSeed.Of(optimizer));
        var descriptor = Descriptors.Of(type);
        for (var trial = 0; trial < 20; trial++)
        {
            ElementwiseDriverChecks.CheckVectorModeKernel(optimizer, kernel, single, k, random, (name, type0) => type0 == typeof(bool) ? trial % 2 == 1 : PrimalValue(name, random, descriptor));
        }
    }

    [Fact]
    public void A_per_element_tangent_must_hold_k_directions_of_n_values()
    {
        double[] w = new double[5], v = new double[5], g = new double[5];
        double[] wDot = new double[10], vDot = new double[11], gDot = new double[10];
        double[] lrDot = [1, 0], muDot = [0, 1], wdDot = [0, 0];
        var error = Assert.Throws<ArgumentException>(() => Momentum.StepVectorModeTangent(w, wDot, v, vDot, g, gDot, 0.1, lrDot, 0.9, muDot, 0.0, wdDot));
        Assert.Equal("vDot", error.ParamName);
        Assert.StartsWith("vDot has length 11; it must hold 2 directions of 5 elements one after the other (direction j of element i at j * 5 + i), 10 values.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_uniform_tangent_must_hold_k_values()
    {
        double[] w = new double[5], v = new double[5], g = new double[5];
        double[] wDot = new double[10], vDot = new double[10], gDot = new double[10];
        double[] lrDot = [1, 0], muDot = [0, 1, 0], wdDot = [0, 0];
        var error = Assert.Throws<ArgumentException>(() => Momentum.StepVectorModeTangent(w, wDot, v, vDot, g, gDot, 0.1, lrDot, 0.9, muDot, 0.0, wdDot));
        Assert.Equal("muDot", error.ParamName);
        Assert.StartsWith("muDot has length 3; lrDot has length 2: they must be equal.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_values_must_have_one_length()
    {
        double[] w = new double[5], v = new double[5], g = new double[4];
        double[] wDot = new double[10], vDot = new double[10], gDot = new double[10];
        double[] lrDot = [1, 0], muDot = [0, 1], wdDot = [0, 0];
        var error = Assert.Throws<ArgumentException>(() => Momentum.StepVectorModeTangent(w, wDot, v, vDot, g, gDot, 0.1, lrDot, 0.9, muDot, 0.0, wdDot));
        Assert.Equal("g", error.ParamName);
    }

    [Fact]
    public void Without_uniform_tangents_k_comes_from_the_per_element_ones()
    {
        double[] w = new double[4], m = new double[4], g = new double[4];
        var error = Assert.Throws<ArgumentException>(() => ClippedStep.StepVectorModeTangent(w, new double[9], m, new double[9], g, new double[9], 0.25));
        Assert.Equal("wDot", error.ParamName);
        Assert.StartsWith("wDot has length 9; it must hold 2 directions of 4 elements", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => ClippedStep.StepVectorModeTangent(w, new double[8], m, new double[8], g, new double[12], 0.25));
        Assert.Equal("gDot", error.ParamName);

        // No elements: no directions, and nothing to check.
        ClippedStep.StepVectorModeTangent([], [], [], [], [], [], 0.25);
    }

    [Fact]
    public void With_no_directions_the_driver_still_takes_the_step()
    {
        double[] w = [0.5, -0.25, 1, 2, 3, 4, 5, 6, 7, 8, 9], v = new double[11], g = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        double[] w2 = w.ToArray(), v2 = v.ToArray();
        Momentum.StepVectorModeTangent(w, [], v, [], g, [], 0.1, [], 0.9, [], 0.01, []);
        Momentum.Step(w2, v2, g, 0.1, 0.9, 0.01);
        Assert.Equal(w2, w);
        Assert.Equal(v2, v);
    }

    /// <summary>Every length and every k, with the bool option (epsInsideSqrt) both ways where there is one.</summary>
    private static void CheckEveryShape(Type type, string scalarName, Func<string, double> uniform)
    {
        var scalar = scalarName == "double" ? typeof(double) : typeof(float);
        var vectorMode = SpanDriver(type, "StepVectorModeTangent", scalar);
        var single = SpanDriver(type, "StepTangent", scalar);
        Assert.Equal(
            single.GetParameters().Select(p => p.Name),
            vectorMode.GetParameters().Select(p => p.Name));
        var options = vectorMode.GetParameters().Any(p => p.ParameterType == typeof(bool)) ? new[] { false, true } : [false];
        foreach (var option in options)
        {
            foreach (var length in Lengths)
            {
                foreach (var k in DirectionCounts)
                {
                    Check(type, vectorMode, single, scalar, length, k, uniform, option);
                }
            }
        }
    }

    private static void Check(Type type, MethodInfo vectorMode, MethodInfo single, Type scalar, int length, int k, Func<string, double> uniform, bool option)
    {
        var random = new Random(StableSeed.Of(type.Name, scalar.Name, length, k, option));
        var what = $"{type.Name}.StepVectorModeTangent({scalar.Name}, n = {length}, k = {k}{(option ? ", option" : string.Empty)})";
        ElementwiseDriverChecks.CheckVectorModeDriver(what, vectorMode, single, scalar, length, k, random, name => ElementValue(name, random), uniform, option);
    }

    private static MethodInfo SpanDriver(Type type, string name, Type scalar)
        => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters()[0].ParameterType == typeof(Span<>).MakeGenericType(scalar));

    /// <summary>State (m, v, s, u) positive as the optimizers keep it; weights and gradients of either sign.</summary>
    private static double ElementValue(string name, Random random)
        => name is "m" or "v" or "s" or "u" ? 0.05 + random.NextDouble() : Signed(random);

    private static double PrimalValue(string name, Random random, Optimizer descriptor)
        => name switch
        {
            "t" => 3,
            "wd" => 0.01,
            "w" or "g" or "m" or "v" or "s" or "u" => ElementValue(name, random),
            _ => descriptor.Hyperparameters.Single(h => h.Name == name).Default,
        };

    private static double Signed(Random random) => ElementwiseDriverChecks.Signed(random);
}
