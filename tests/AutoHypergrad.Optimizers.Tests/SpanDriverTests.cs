using System;
using System.Linq;
using System.Reflection;
using AutoHypergrad.Steps;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// The generated span drivers (<c>Step(Span w, …)</c>, <c>StepTangent</c>, <c>StepAdjoint</c> over spans) against the
/// scalar methods they apply, element by element, for every optimizer, in double and float, at every length from 0 to
/// past two Vector512 widths (every tail) and at large odd lengths. Elementwise outputs must be identical to the bit:
/// the vector code performs the same IEEE operations in the same order. A uniform hyperparameter's adjoint is a sum
/// over the elements, added up lane by lane, so its order differs from the scalar loop's: it must agree within the
/// rounding of a sum of that many terms.
/// </summary>
public sealed class SpanDriverTests
{
    private static readonly int[] Lengths = Enumerable.Range(0, 35).Concat(new[] { 1000, 100_003 }).ToArray();

    public static TheoryData<string, string, string> Drivers()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var optimizer in OptimizerCases.Types)
        {
            foreach (var scalar in new[] { "double", "float" })
            {
                foreach (var kernel in new[] { "Step", "StepTangent", "StepAdjoint" })
                {
                    data.Add(optimizer.Name, scalar, kernel);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void SpanDriverEqualsTheScalarKernelOnEveryElement(string optimizer, string scalarName, string kernelName)
    {
        var type = OptimizerCases.Get(optimizer);
        var scalar = scalarName == "double" ? typeof(double) : typeof(float);
        var step = new StepMethod(type, scalar);
        var kernel = kernelName switch
        {
            "Step" => step.Step,
            "StepTangent" => step.Tangent,
            _ => step.Adjoint,
        };
        var driver = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == kernelName && m.GetParameters().Any(p => IsSpan(p.ParameterType)) && ElementType(m) == scalar);
        Assert.Equal(kernel.GetParameters().Length, driver.GetParameters().Length);

        foreach (var length in Lengths)
        {
            Check(type, kernel, driver, scalar, length);
        }
    }

    [Fact]
    public void SpanDriversRejectSpansOfDifferentLengths()
    {
        var w = new double[5];
        var v = new double[5];
        var g = new double[4];
        var error = Assert.Throws<ArgumentException>(() => Momentum.Step(w, v, g, 0.1, 0.9, 0.0));
        Assert.Equal("g", error.ParamName);
    }

    private static void Check(Type optimizer, MethodInfo kernel, MethodInfo driver, Type scalar, int length)
    {
        var random = new Random(StableSeed.Of(optimizer.Name, kernel.Name, scalar.Name, length));
        var descriptor = Descriptors.Of(optimizer);
        ElementwiseDriverChecks.CheckSpanDriver(optimizer.Name, kernel, driver, scalar, length, random, name => ElementValue(name, random), (name, type) => Uniform(name, type, descriptor, random));
    }

    /// <summary>State (m, v, s, u) positive as the optimizers keep it; weights, gradients and tangents of either sign.</summary>
    private static double ElementValue(string name, Random random)
        => name is "m" or "v" or "s" or "u" or "mDot" or "vDot" or "sDot" or "uDot" || name.EndsWith("Bar", StringComparison.Ordinal) && name.Length == 4
            ? 0.05 + random.NextDouble()
            : (random.NextDouble() * 2) - 1;

    private static object Uniform(string name, Type type, Optimizer descriptor, Random random)
    {
        if (type == typeof(bool))
        {
            return random.Next(2) == 1;
        }

        var baseName = name.EndsWith("Dot", StringComparison.Ordinal) || name.EndsWith("Bar", StringComparison.Ordinal) ? name[..^3] : name;
        double value = name == "t" ? 3
            : name.EndsWith("Dot", StringComparison.Ordinal) ? (random.NextDouble() * 2) - 1
            : name.EndsWith("Bar", StringComparison.Ordinal) ? 0.25
            : baseName == "wd" ? 0.01
            : descriptor.Hyperparameters.Single(h => h.Name == baseName).Default;
        return type == typeof(float) ? (object)(float)value : value;
    }

    private static bool IsSpan(Type type) => ElementwiseDriverChecks.IsSpan(type);

    private static Type ElementType(MethodInfo driver)
        => driver.GetParameters().Select(p => p.ParameterType).First(IsSpan).GetGenericArguments()[0];
}
