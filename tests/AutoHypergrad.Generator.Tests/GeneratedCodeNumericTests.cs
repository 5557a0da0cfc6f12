using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// A cheap semantic check of the snapshot inputs: the generated code is compiled and loaded, and the Tangent
/// and Adjoint methods are compared with central finite differences of the original method (tangent) and with
/// the tangent through the dot-product identity &lt;outBar, J·d&gt; = &lt;J^T·outBar, d&gt; (adjoint), following
/// the calling convention of docs/contract.md. Double-precision methods only.
/// </summary>
public sealed class GeneratedCodeNumericTests
{
    [Theory]
    [InlineData(nameof(SnapshotTests.ScalarSource), "Samples.Scalar", "Smooth", new[] { 0.7, 1.3 })]
    [InlineData(nameof(SnapshotTests.ScalarSource), "Samples.Scalar", "Smooth", new[] { -1.9, 0.4 })]
    [InlineData(nameof(SnapshotTests.MomentumSource), "Samples.Momentum", "Step", new[] { 0.5, -0.2, 0.3, 0.1, 0.9 })]
    [InlineData(nameof(SnapshotTests.AdamSource), "Samples.Adam", "Step", new[] { 0.5, 0.01, 0.02, 0.3, 0.1, 0.9, 0.999, 1e-3, 3.0 })]
    [InlineData(nameof(SnapshotTests.BranchesSource), "Samples.Robust", "Huber", new[] { 0.4, 1.0 })]
    [InlineData(nameof(SnapshotTests.BranchesSource), "Samples.Robust", "Huber", new[] { 2.5, 1.0 })]
    [InlineData(nameof(SnapshotTests.BranchesSource), "Samples.Robust", "Huber", new[] { -2.5, 1.5 })]
    [InlineData(nameof(SnapshotTests.CallSource), "Samples.Model", "Loss", new[] { 1.7, 0.4 })]
    [InlineData(nameof(SnapshotTests.CallRefStateSource), "Samples.Optim", "Step", new[] { 1.2, 0.3, 0.1, 0.05 })]
    [InlineData(nameof(SnapshotTests.NestedSource), "Company.Models.Outer+Inner", "Sigmoid", new[] { 0.3 })]
    public void Tangent_and_adjoint_agree_with_finite_differences(string sourceField, string typeName, string method, double[] point)
    {
        var source = (string)typeof(SnapshotTests).GetField(sourceField)!.GetValue(null)!;
        var run = GeneratorHarness.RunValid(source);
        var assembly = Load(run.OutputCompilation);
        var type = assembly.GetType(typeName, throwOnError: true)!;
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        // The scalar methods: an elementwise method also has span drivers of the same names.
        MethodInfo? Scalar(string name) => type.GetMethods(flags).SingleOrDefault(m => m.Name == name && !m.GetParameters().Any(p => p.ParameterType.IsByRefLike));
        var primal = Scalar(method)!;
        var tangent = Scalar(method + "Tangent");
        var adjoint = Scalar(method + "Adjoint");
        Assert.NotNull(tangent);
        Assert.NotNull(adjoint);

        var parameters = primal.GetParameters();
        Assert.Equal(parameters.Length, point.Length);
        var active = parameters.Select(IsActive).ToArray();
        var isRef = parameters.Select(p => p.ParameterType.IsByRef).ToArray();
        var hasResult = primal.ReturnType != typeof(void);

        var random = new Random(1234);
        var direction = parameters.Select((_, i) => active[i] ? random.NextDouble() - 0.5 : 0.0).ToArray();

        // Outputs: the result (if any), then the ref parameters' final values.
        double[] Outputs(double[] x)
        {
            var args = parameters.Select((p, i) => Box(p, x[i])).ToArray();
            var result = primal.Invoke(null, args);
            var outputs = new List<double>();
            if (hasResult)
            {
                outputs.Add(Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture));
            }

            outputs.AddRange(Enumerable.Range(0, parameters.Length).Where(i => isRef[i]).Select(i => Convert.ToDouble(args[i], System.Globalization.CultureInfo.InvariantCulture)));
            return outputs.ToArray();
        }

        const double h = 1e-6;
        var plus = Outputs(point.Select((v, i) => v + (h * direction[i])).ToArray());
        var minus = Outputs(point.Select((v, i) => v - (h * direction[i])).ToArray());
        var finiteDifference = plus.Zip(minus, (a, b) => (a - b) / (2 * h)).ToArray();
        var value = Outputs(point);

        // Tangent: value, then (for active parameters) its dot, passed the same way.
        var tangentArgs = new List<object>();
        for (var i = 0; i < parameters.Length; i++)
        {
            tangentArgs.Add(Box(parameters[i], point[i]));
            if (active[i])
            {
                tangentArgs.Add(direction[i]);
            }
        }

        var tangentArray = tangentArgs.ToArray();
        var tangentResult = tangent!.Invoke(null, tangentArray);
        var tangentOutputs = new List<double>();
        var tangentValues = new List<double>();
        if (hasResult)
        {
            var tuple = (System.Runtime.CompilerServices.ITuple)tangentResult!;
            tangentValues.Add((double)tuple[0]!);
            tangentOutputs.Add((double)tuple[1]!);
        }

        for (int i = 0, k = 0; i < parameters.Length; i++, k++)
        {
            if (isRef[i])
            {
                tangentValues.Add((double)tangentArray[k]);
                tangentOutputs.Add((double)tangentArray[k + 1]);
            }

            if (active[i])
            {
                k++;
            }
        }

        AssertClose(value, tangentValues.ToArray(), 1e-12, "Tangent's primal value");
        AssertClose(finiteDifference, tangentOutputs.ToArray(), 1e-5, "Tangent vs finite differences");

        // Adjoint: value (by value, even for ref), then ref Bar for active parameters, then resultBar.
        var outputBar = value.Select(_ => random.NextDouble() - 0.5).ToArray();
        var adjointArgs = new List<object>();
        var barIndex = new int[parameters.Length];
        var refOutput = hasResult ? 1 : 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            adjointArgs.Add(Box(parameters[i], point[i]));
            barIndex[i] = -1;
            if (active[i])
            {
                barIndex[i] = adjointArgs.Count;
                adjointArgs.Add(isRef[i] ? outputBar[refOutput] : 0.0);
            }

            if (isRef[i])
            {
                refOutput++;
            }
        }

        if (hasResult)
        {
            adjointArgs.Add(outputBar[0]);
        }

        var adjointArray = adjointArgs.ToArray();
        adjoint!.Invoke(null, adjointArray);
        var left = outputBar.Zip(tangentOutputs, (a, b) => a * b).Sum();
        var right = Enumerable.Range(0, parameters.Length).Where(i => active[i]).Sum(i => (double)adjointArray[barIndex[i]] * direction[i]);
        Assert.True(
            Math.Abs(left - right) <= 1e-10 * (1 + Math.Abs(left)),
            $"<outBar, J d> = {left} but <J^T outBar, d> = {right}");
    }

    private static bool IsActive(ParameterInfo p)
    {
        var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        return (type == typeof(double) || type == typeof(float))
               && !p.GetCustomAttributes().Any(a => a.GetType().Name == "NoDiffAttribute");
    }

    private static object Box(ParameterInfo p, double value)
    {
        var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        return type == typeof(int) ? (int)value : type == typeof(float) ? (float)value : (object)value;
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}, output {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, GeneratorRun.Describe(emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
