using System;
using System.Linq;
using System.Reflection;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// Vector-mode tangents (<c>StepTangents</c>: one primal pass carrying k directions) equal k separate tangents, to
/// the bit, for every optimizer: through the span driver (k directions per element, element-major) against the scalar
/// tangent kernel called once per element and direction.
/// </summary>
public sealed class VectorModeTangentTests
{
    public static TheoryData<string> Optimizers()
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
    public void K_directions_in_one_pass_equal_k_tangents(string optimizer)
    {
        const int length = 19;
        const int k = 3;
        var type = OptimizerCases.Get(optimizer);
        var step = new StepMethod(type, typeof(double));
        var driver = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "StepTangents" && m.GetParameters()[0].ParameterType == typeof(Span<double>));
        var kernel = step.Tangent.GetParameters();
        var parameters = driver.GetParameters();
        Assert.Equal(kernel.Length, parameters.Length);
        var random = new Random(optimizer.GetHashCode(StringComparison.Ordinal) & 0xffff);
        var descriptor = Descriptors.Of(type);

        // Driver arguments: values per element, k tangents per element (element-major), k tangents per uniform value.
        var arguments = new object?[parameters.Length];
        for (var p = 0; p < parameters.Length; p++)
        {
            var name = parameters[p].Name!;
            var isTangent = name.EndsWith("Dot", StringComparison.Ordinal);
            var owner = isTangent ? name[..^3] : name;
            var perElement = IsPerElement(step.Step.GetParameters(), owner);
            arguments[p] = parameters[p].ParameterType switch
            {
                var t when t == typeof(double) => Uniform(owner, descriptor, random),
                var t when t == typeof(bool) => false,
                _ when isTangent && perElement => Draw(length * k, random),
                _ when isTangent => Draw(k, random),
                _ => Draw(length, random, positive: owner is not ("w" or "g")),
            };
        }

        var expected = arguments.Select(a => a is double[] array ? (object?)array.ToArray() : a).ToArray();
        Invoker.Invoke(driver, arguments);

        for (var d = 0; d < k; d++)
        {
            for (var i = 0; i < length; i++)
            {
                var call = new object?[kernel.Length];
                for (var p = 0; p < kernel.Length; p++)
                {
                    var name = parameters[p].Name!;
                    var isTangent = name.EndsWith("Dot", StringComparison.Ordinal);
                    call[p] = expected[p] switch
                    {
                        double[] a when isTangent && a.Length == length * k => a[(i * k) + d],
                        double[] a when isTangent => a[d],
                        double[] a => a[i],
                        var value => value,
                    };
                }

                // The primal state as it was: the scalar kernel updates a copy per direction.
                step.Tangent.Invoke(null, call);
                for (var p = 0; p < kernel.Length; p++)
                {
                    if (!kernel[p].ParameterType.IsByRef)
                    {
                        continue;
                    }

                    var name = parameters[p].Name!;
                    var got = (double[])arguments[p]!;
                    var want = (double)call[p]!;
                    var at = name.EndsWith("Dot", StringComparison.Ordinal) ? (i * k) + d : i;
                    Assert.True(
                        BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got[at]),
                        $"{optimizer}.StepTangents {name}[{at}] (element {i}, direction {d}): {got[at]}, one direction at a time {want}");
                }
            }
        }
    }

    private static bool IsPerElement(ParameterInfo[] kernel, string name)
        => kernel.Any(p => p.Name == name && (p.ParameterType.IsByRef || p.GetCustomAttribute<HyperAttribute>() is null && p.GetCustomAttribute<NoDiffAttribute>() is null));

    private static double[] Draw(int count, Random random, bool positive = false)
        => Enumerable.Range(0, count).Select(_ => positive ? 0.05 + random.NextDouble() : (random.NextDouble() * 2) - 1).ToArray();

    private static double Uniform(string name, OptimizerDescriptor descriptor, Random random)
        => name == "t" ? 3 : name == "wd" ? 0.01 : descriptor.Hyperparameters.Single(h => h.Name == name).Default;
}
