using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// The generated span drivers (<c>Step(Span w, …)</c>, <c>StepTangent</c>, <c>StepAdjoint</c> over spans) against the
/// scalar kernels they apply, element by element, for every optimizer, in double and float, at every length from 0 to
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
        var random = new Random(HashCode.Combine(optimizer.Name, kernel.Name, scalar.Name, length));
        var descriptor = Descriptors.Of(optimizer);
        var kernelParameters = kernel.GetParameters();
        var driverParameters = driver.GetParameters();

        // Driver arguments: an array per span, a value per uniform parameter.
        var driverArguments = new object?[driverParameters.Length];
        for (var k = 0; k < driverParameters.Length; k++)
        {
            var type = driverParameters[k].ParameterType;
            var name = driverParameters[k].Name!;
            if (IsSpan(type))
            {
                var values = Enumerable.Range(0, length).Select(_ => ElementValue(name, random)).ToArray();
                driverArguments[k] = scalar == typeof(double) ? values : values.Select(x => (float)x).ToArray();
            }
            else
            {
                driverArguments[k] = Uniform(name, type.IsByRef ? type.GetElementType()! : type, descriptor, random);
            }
        }

        // The same inputs for the scalar kernel, element by element; accumulators carried across elements.
        var expected = driverArguments.Select(a => a is Array array ? (Array)array.Clone() : a).ToArray();
        var terms = new double[driverParameters.Length];
        for (var i = 0; i < length; i++)
        {
            var arguments = new object?[kernelParameters.Length];
            for (var k = 0; k < kernelParameters.Length; k++)
            {
                arguments[k] = expected[k] is Array array ? array.GetValue(i) : expected[k];
            }

            var before = (object?[])arguments.Clone();
            kernel.Invoke(null, arguments);
            for (var k = 0; k < kernelParameters.Length; k++)
            {
                if (expected[k] is Array array)
                {
                    array.SetValue(arguments[k], i);
                }
                else if (kernelParameters[k].ParameterType.IsByRef)
                {
                    terms[k] += Math.Abs(ToDouble(arguments[k]) - ToDouble(before[k]));
                    expected[k] = arguments[k];
                }
            }
        }

        Invoker.Invoke(driver, driverArguments);

        for (var k = 0; k < driverParameters.Length; k++)
        {
            var name = $"{optimizer.Name}.{driver.Name}({scalar.Name}) n = {length}, {driverParameters[k].Name}";
            if (expected[k] is Array want)
            {
                var got = (Array)driverArguments[k]!;
                for (var i = 0; i < length; i++)
                {
                    Assert.True(
                        BitEquals(want.GetValue(i), got.GetValue(i)),
                        $"{name}[{i}]: scalar kernel {want.GetValue(i)}, span driver {got.GetValue(i)}");
                }
            }
            else if (driverParameters[k].ParameterType.IsByRef)
            {
                // A sum of `length` terms in another order: within length · ε of the sum of their magnitudes.
                var epsilon = scalar == typeof(double) ? Math.Pow(2, -52) : Math.Pow(2, -23);
                var tolerance = (length + 1) * epsilon * (terms[k] + Math.Abs(ToDouble(expected[k])));
                var difference = Math.Abs(ToDouble(expected[k]) - ToDouble(driverArguments[k]));
                Assert.True(difference <= tolerance, $"{name}: scalar {ToDouble(expected[k])}, driver {ToDouble(driverArguments[k])}, difference {difference} > {tolerance}");
            }
        }
    }

    /// <summary>State (m, v, s, u) positive as the optimizers keep it; weights, gradients and tangents of either sign.</summary>
    private static double ElementValue(string name, Random random)
        => name is "m" or "v" or "s" or "u" or "mDot" or "vDot" or "sDot" or "uDot" || name.EndsWith("Bar", StringComparison.Ordinal) && name.Length == 4
            ? 0.05 + random.NextDouble()
            : (random.NextDouble() * 2) - 1;

    private static object Uniform(string name, Type type, OptimizerDescriptor descriptor, Random random)
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

    private static bool BitEquals(object? a, object? b) => a switch
    {
        double x => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits((double)b!),
        float x => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits((float)b!),
        _ => Equals(a, b),
    };

    private static double ToDouble(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsSpan(Type type)
        => type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Span<>) || type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>));

    private static Type ElementType(MethodInfo driver)
        => driver.GetParameters().Select(p => p.ParameterType).First(IsSpan).GetGenericArguments()[0];
}
