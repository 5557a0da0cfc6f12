using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoHypergrad.Testing;

/// <summary>
/// The checks of an elementwise method's generated span drivers against its scalar methods, shared by the optimizer
/// tests and the derivative cases (README, "Span drivers"). Elementwise outputs must be identical to the bit: the
/// vector code performs the same IEEE operations in the same order. A uniform adjoint is a sum over the elements,
/// added up lane by lane, so its order differs from the scalar loop's: it must agree within the rounding of a sum
/// of that many terms.
/// </summary>
internal static class ElementwiseDriverChecks
{
    /// <summary>
    /// The span driver <paramref name="driver"/> (<c>Step(Span w, …)</c>, its tangent or adjoint) against the scalar
    /// <paramref name="kernel"/> applied element by element, accumulators carried across elements, at one length.
    /// <paramref name="elementValue"/> draws a span's elements by parameter name, <paramref name="uniformValue"/> a
    /// uniform value by parameter name and type (the element type of a <c>ref</c> one).
    /// </summary>
    public static void CheckSpanDriver(
        string what, MethodInfo kernel, MethodInfo driver, Type scalar, int length, Random random,
        Func<string, double> elementValue, Func<string, Type, object> uniformValue)
    {
        var kernelParameters = kernel.GetParameters();
        var driverParameters = driver.GetParameters();
        Assert.Equal(kernelParameters.Length, driverParameters.Length);

        // Driver arguments: an array per span, a value per uniform parameter.
        var driverArguments = new object?[driverParameters.Length];
        for (var k = 0; k < driverParameters.Length; k++)
        {
            var type = driverParameters[k].ParameterType;
            var name = driverParameters[k].Name!;
            if (IsSpan(type))
            {
                var values = Enumerable.Range(0, length).Select(_ => elementValue(name)).ToArray();
                driverArguments[k] = scalar == typeof(double) ? values : values.Select(x => (float)x).ToArray();
            }
            else
            {
                driverArguments[k] = uniformValue(name, type.IsByRef ? type.GetElementType()! : type);
            }
        }

        // The same inputs for the scalar method, element by element; accumulators carried across elements.
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
            var name = $"{what}.{driver.Name}({scalar.Name}) n = {length}, {driverParameters[k].Name}";
            if (expected[k] is Array want)
            {
                var got = (Array)driverArguments[k]!;
                for (var i = 0; i < length; i++)
                {
                    Assert.True(
                        BitEquals(want.GetValue(i), got.GetValue(i)),
                        $"{name}[{i}]: scalar method {want.GetValue(i)}, span driver {got.GetValue(i)}");
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

    /// <summary>
    /// The vector-mode span driver <paramref name="vectorMode"/> (<c>StepVectorModeTangent</c>, per-element tangents
    /// direction-major) against the single-direction span driver <paramref name="single"/> (<c>StepTangent</c>) run
    /// once per direction on the same inputs, primal outputs included, at one length and number of directions k.
    /// <paramref name="uniform"/> gives a uniform value by parameter name (<paramref name="option"/> is every bool's).
    /// </summary>
    public static void CheckVectorModeDriver(
        string what, MethodInfo vectorMode, MethodInfo single, Type scalar, int length, int k, Random random,
        Func<string, double> elementValue, Func<string, double> uniform, bool option)
    {
        var parameters = vectorMode.GetParameters();
        var singleParameters = single.GetParameters();
        Assert.Equal(singleParameters.Select(p => p.Name), parameters.Select(p => p.Name));

        // Per-element values n, per-element tangents k·n (direction-major), uniform tangents k, uniform values one.
        var kinds = new Kind[parameters.Length];
        var arguments = new object?[parameters.Length];
        for (var p = 0; p < parameters.Length; p++)
        {
            var name = parameters[p].Name!;
            var perElement = IsSpan(singleParameters[p].ParameterType);
            kinds[p] = (IsSpan(parameters[p].ParameterType), perElement) switch
            {
                (true, true) when name.EndsWith("Dot", StringComparison.Ordinal) => Kind.ElementTangent,
                (true, true) => Kind.Element,
                (true, false) => Kind.UniformTangent,
                _ => Kind.Uniform,
            };
            arguments[p] = kinds[p] switch
            {
                Kind.Element => Values(scalar, Enumerable.Range(0, length).Select(_ => elementValue(name))),
                Kind.ElementTangent => Values(scalar, Enumerable.Range(0, k * length).Select(_ => Signed(random))),
                Kind.UniformTangent => Values(scalar, Enumerable.Range(0, k).Select(_ => Signed(random))),
                _ when parameters[p].ParameterType == typeof(bool) => option,
                _ when parameters[p].ParameterType == typeof(int) => (int)uniform(name),
                _ => Convert.ChangeType(uniform(name), scalar, System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        var inputs = arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();
        Invoker.Invoke(vectorMode, arguments);

        for (var d = 0; d < k; d++)
        {
            // Direction d alone: its block of each per-element tangent, its value of each uniform one, fresh values.
            var call = new object?[parameters.Length];
            for (var p = 0; p < parameters.Length; p++)
            {
                call[p] = kinds[p] switch
                {
                    Kind.Element => ((Array)inputs[p]!).Clone(),
                    Kind.ElementTangent => Block((Array)inputs[p]!, d, length),
                    Kind.UniformTangent => ((Array)inputs[p]!).GetValue(d),
                    _ => inputs[p],
                };
            }

            Invoker.Invoke(single, call);
            for (var p = 0; p < parameters.Length; p++)
            {
                if (kinds[p] is not (Kind.Element or Kind.ElementTangent))
                {
                    continue;
                }

                var want = (Array)call[p]!;
                var got = (Array)arguments[p]!;
                var offset = kinds[p] == Kind.ElementTangent ? d * length : 0;
                for (var i = 0; i < length; i++)
                {
                    Assert.True(
                        BitEquals(want.GetValue(i), got.GetValue(offset + i)),
                        $"{what} {parameters[p].Name}[{offset + i}] (element {i}, direction {d}): {got.GetValue(offset + i)}, one direction at a time {want.GetValue(i)}");
                }
            }
        }
    }

    /// <summary>
    /// The scalar vector-mode kernel <paramref name="kernel"/> (k contiguous directions of one element) against the
    /// scalar single-direction tangent <paramref name="single"/> run once per direction, primal outputs included.
    /// <paramref name="value"/> gives every value argument by parameter name and type (its tangents are drawn here).
    /// </summary>
    public static void CheckVectorModeKernel(string what, MethodInfo kernel, MethodInfo single, int k, Random random, Func<string, Type, object> value)
    {
        var parameters = kernel.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var p = 0; p < parameters.Length; p++)
        {
            var type = parameters[p].ParameterType;
            arguments[p] = IsSpan(type)
                ? Values(type.GetGenericArguments()[0], Enumerable.Range(0, k).Select(_ => Signed(random)))
                : value(parameters[p].Name!, type.IsByRef ? type.GetElementType()! : type);
        }

        var inputs = arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();
        Invoker.Invoke(kernel, arguments);
        for (var d = 0; d < k; d++)
        {
            var call = inputs.Select(a => a is Array array ? array.GetValue(d) : a).ToArray();
            single.Invoke(null, call);
            for (var p = 0; p < parameters.Length; p++)
            {
                var got = arguments[p] is Array tangents ? tangents.GetValue(d) : arguments[p];
                Assert.True(
                    BitEquals(call[p], got),
                    $"{what}.{kernel.Name} {parameters[p].Name} (direction {d}): {got}, one direction at a time {call[p]}");
            }
        }
    }

    public static bool IsSpan(Type type)
        => type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Span<>) || type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>));

    public static bool BitEquals(object? a, object? b) => a switch
    {
        double x => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits((double)b!),
        float x => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits((float)b!),
        _ => Equals(a, b),
    };

    public static double Signed(Random random) => (random.NextDouble() * 2) - 1;

    private static double ToDouble(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static Array Block(Array tangents, int direction, int length)
    {
        var block = Array.CreateInstance(tangents.GetType().GetElementType()!, length);
        Array.Copy(tangents, direction * length, block, 0, length);
        return block;
    }

    private static Array Values(Type scalar, IEnumerable<double> values)
        => scalar == typeof(double) ? values.ToArray() : values.Select(x => (float)x).ToArray();

    private enum Kind
    {
        Uniform,
        UniformTangent,
        Element,
        ElementTangent,
    }
}
