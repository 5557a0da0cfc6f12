using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Reflection;
using AutoHypergrad.Steps;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// The generated IVectorizedStep structs of every optimizer: Step, Tangents and Adjoint equal to the bit what the span
/// drivers give when called directly with the unpacked arguments (matched by name here, not by the kernel's
/// slicing); in double, the tangent against central finite differences of the kernel's own Step, and the adjoint
/// against the tangent by the dot-product test ⟨ȳ, J·ẋ⟩ = ⟨Jᵀ·ȳ, ẋ⟩. n = 37 is odd, so every vector width leaves
/// a tail; k = 3 directions. The hyperparameters, their tangents and adjoints are packed as the contract says,
/// through <see cref="VectorizedStepLayout"/>: a per-element one (a per-parameter learning rate) as n values and k·n
/// tangents, so that every loop over hyperparameter h runs over its <c>size</c> values e (1 or n), the value at
/// offset + e and direction j of its tangent at tangentOffset + j·size + e.
/// </summary>
public sealed class VectorizedStepTests
{
    private const int N = 37;
    private const int K = 3;

    /// <summary>The random inputs of one kernel call, in double; <see cref="As{T}"/> rounds them to T.</summary>
    private sealed record Inputs(
        double[] State,
        double[] Gradient,
        double[] Hyperparameters,
        double[] StateTangents,
        double[] GradientTangents,
        double[] HyperparameterTangents,
        double[] StateAdjoint,
        double[] GradientAdjoint,
        double[] HyperparameterAdjoints,
        StepOptions Options);

    /// <summary>Every optimizer, and <see cref="InterleavedStep"/> (per-element hyperparameters on both sides of a uniform one).</summary>
    public static TheoryData<string, bool> Cases()
    {
        TheoryData<string, bool> cases = OptimizerCases.Cases();
        cases.Add(nameof(InterleavedStep), false);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_kernel_is_the_span_drivers(string name, bool epsInsideSqrt) => KernelIsTheSpanDrivers<double>(name, epsInsideSqrt);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Single_kernel_is_the_span_drivers(string name, bool epsInsideSqrt) => KernelIsTheSpanDrivers<float>(name, epsInsideSqrt);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tangents_match_central_differences_of_Step(string name, bool epsInsideSqrt)
    {
        (IVectorizedStep<double> kernel, Inputs inputs, double[] tangents) = Forward(name, epsInsideSqrt, seed: 11);
        int s = kernel.StateNames.Count;
        Packing[] packing = Packing.Of(kernel, N, K);

        const double h = 1e-6;
        for (int j = 0; j < K; j++)
        {
            double[] Stepped(double sign)
            {
                double[] state = new double[s * N];
                for (int slot = 0; slot < s; slot++)
                {
                    for (int i = 0; i < N; i++)
                    {
                        state[slot * N + i] = inputs.State[slot * N + i] + sign * h * inputs.StateTangents[(slot * K + j) * N + i];
                    }
                }

                double[] gradient = Enumerable.Range(0, N).Select(i => inputs.Gradient[i] + sign * h * inputs.GradientTangents[j * N + i]).ToArray();
                double[] hyperparameters = (double[])inputs.Hyperparameters.Clone();
                foreach (Packing p in packing)
                {
                    for (int e = 0; e < p.Size; e++)
                    {
                        hyperparameters[p.Offset + e] += sign * h * inputs.HyperparameterTangents[p.TangentIndex(j, e)];
                    }
                }

                kernel.Step(state, gradient, hyperparameters, inputs.Options);
                return state;
            }

            double[] plus = Stepped(+1);
            double[] minus = Stepped(-1);
            for (int slot = 0; slot < s; slot++)
            {
                for (int i = 0; i < N; i++)
                {
                    double difference = (plus[slot * N + i] - minus[slot * N + i]) / (2 * h);
                    double tangent = tangents[(slot * K + j) * N + i];
                    Assert.True(
                        Math.Abs(difference - tangent) <= 1e-7 + 1e-6 * Math.Abs(tangent),
                        $"{name}: d{kernel.StateNames[slot]}[{i}] in direction {j}: tangent {tangent:R}, central difference {difference:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adjoint_passes_the_dot_product_test_against_Tangents(string name, bool epsInsideSqrt)
    {
        // J·ẋ for k directions at once, and Jᵀ·ȳ for one ȳ (the adjoints start at zero, so they are Jᵀ·ȳ alone).
        (IVectorizedStep<double> kernel, Inputs inputs, double[] tangents) = Forward(name, epsInsideSqrt, seed: 13);
        int s = kernel.StateNames.Count;
        double[] stateAdjoint = (double[])inputs.StateAdjoint.Clone();
        double[] gradientAdjoint = new double[N];
        double[] hyperparameterAdjoints = new double[VectorizedStepLayout.HyperparameterLength(kernel, N)];
        Packing[] packing = Packing.Of(kernel, N, K);
        kernel.Adjoint(inputs.State, stateAdjoint, inputs.Gradient, gradientAdjoint, inputs.Hyperparameters, hyperparameterAdjoints, inputs.Options);

        for (int j = 0; j < K; j++)
        {
            var forward = new Sum();
            var reverse = new Sum();
            for (int slot = 0; slot < s; slot++)
            {
                for (int i = 0; i < N; i++)
                {
                    forward.Add(inputs.StateAdjoint[slot * N + i] * tangents[(slot * K + j) * N + i]);
                    reverse.Add(stateAdjoint[slot * N + i] * inputs.StateTangents[(slot * K + j) * N + i]);
                }
            }

            for (int i = 0; i < N; i++)
            {
                reverse.Add(gradientAdjoint[i] * inputs.GradientTangents[j * N + i]);
            }

            foreach (Packing p in packing)
            {
                for (int e = 0; e < p.Size; e++)
                {
                    reverse.Add(hyperparameterAdjoints[p.Offset + e] * inputs.HyperparameterTangents[p.TangentIndex(j, e)]);
                }
            }

            double scale = Math.Max(forward.Magnitude, reverse.Magnitude);
            Assert.True(
                Math.Abs(forward.Value - reverse.Value) <= 1e-12 * scale,
                $"{name}, direction {j}: <ybar, J xdot> = {forward.Value:R}, <J^T ybar, xdot> = {reverse.Value:R} (terms up to {scale:R})");
        }
    }

    [Fact]
    public void Lengths_are_checked_once_naming_the_argument()
    {
        IVectorizedStep<double> kernel = Adam.StepOptimizer().Step<double>();
        var options = new StepOptions(1);
        double[] hyperparameters = Adam.StepOptimizer().ValuesArray();

        var state = Assert.Throws<ArgumentException>(() => kernel.Step(new double[3 * N - 1], new double[N], hyperparameters, options));
        Assert.Equal("state", state.ParamName);
        var hyper = Assert.Throws<ArgumentException>(() => kernel.Step(new double[3 * N], new double[N], new double[4], options));
        Assert.Equal("hyperparameters", hyper.ParamName);
        var tangents = Assert.Throws<ArgumentException>(() => kernel.Tangents(
            new double[3 * N], new double[3 * K * N], new double[N], new double[K * N], hyperparameters, new double[5 * K + 1], options));
        Assert.Equal("hyperparameterTangents", tangents.ParamName);
        var adjoint = Assert.Throws<ArgumentException>(() => kernel.Adjoint(
            new double[3 * N], new double[3 * N], new double[N], new double[N + 1], hyperparameters, new double[5], options));
        Assert.Equal("gradientAdjoint", adjoint.ParamName);
    }

    [Fact]
    public void Per_element_lengths_are_checked_against_the_packed_layout()
    {
        IVectorizedStep<double> kernel = SgdPerParameter.StepOptimizer().Step<double>();
        var options = new StepOptions(1);
        double[] hyperparameters = SgdPerParameter.StepOptimizer().Packed(N);
        Assert.Equal(1 + N, hyperparameters.Length);

        // One value per hyperparameter, the uniform layout, is not enough for a per-element learning rate.
        var hyper = Assert.Throws<ArgumentException>(() => kernel.Step(new double[N], new double[N], new double[2], options));
        Assert.Equal("hyperparameters", hyper.ParamName);
        Assert.Contains("needs 1 + 1 * n = 38: lr[n], wd", hyper.Message, StringComparison.Ordinal);
        var tangents = Assert.Throws<ArgumentException>(() => kernel.Tangents(
            new double[N], new double[K * N], new double[N], new double[K * N], hyperparameters, new double[2 * K], options));
        Assert.Equal("hyperparameterTangents", tangents.ParamName);
        var adjoint = Assert.Throws<ArgumentException>(() => kernel.Adjoint(
            new double[N], new double[N], new double[N], new double[N], hyperparameters, new double[2], options));
        Assert.Equal("hyperparameterAdjoints", adjoint.ParamName);

        // With no elements, the per-element hyperparameters take no values and k comes from the uniform ones.
        kernel.Step([], [], [0.5], options);
        kernel.Tangents([], [], [], [], [0.5], new double[K], options);
        kernel.Adjoint([], [], [], [], [0.5], new double[1], options);
    }

    /// <summary>The double kernel of <paramref name="name"/>, random inputs, and the state tangents J·ẋ after one step.</summary>
    private static (IVectorizedStep<double> Kernel, Inputs Inputs, double[] Tangents) Forward(string name, bool epsInsideSqrt, int seed)
    {
        (Type type, IVectorizedStep<double> kernel) = Subject<double>(name);
        Inputs inputs = Draw(type, kernel, epsInsideSqrt, seed);
        double[] tangents = (double[])inputs.StateTangents.Clone();
        kernel.Tangents((double[])inputs.State.Clone(), tangents, inputs.Gradient, inputs.GradientTangents, inputs.Hyperparameters, inputs.HyperparameterTangents, inputs.Options);
        return (kernel, inputs, tangents);
    }

    private static void KernelIsTheSpanDrivers<T>(string name, bool epsInsideSqrt)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (Type type, IVectorizedStep<T> kernel) = Subject<T>(name);
        Inputs inputs = Draw(type, kernel, epsInsideSqrt, seed: 7);
        var drivers = new Drivers<T>(type, kernel, inputs);

        T[] state = As<T>(inputs.State);
        kernel.Step(state, As<T>(inputs.Gradient), As<T>(inputs.Hyperparameters), inputs.Options);
        Bits.Identical(drivers.Step(), state, $"{name} Step: state");

        state = As<T>(inputs.State);
        T[] stateTangents = As<T>(inputs.StateTangents);
        kernel.Tangents(state, stateTangents, As<T>(inputs.Gradient), As<T>(inputs.GradientTangents), As<T>(inputs.Hyperparameters), As<T>(inputs.HyperparameterTangents), inputs.Options);
        (T[] expectedState, T[] expectedTangents) = drivers.Tangents();
        Bits.Identical(expectedState, state, $"{name} Tangents: state");
        Bits.Identical(expectedTangents, stateTangents, $"{name} Tangents: state tangents");

        // The adjoints start at random values: the gradient's and the hyperparameters' are added to.
        T[] unchanged = As<T>(inputs.State);
        T[] stateAdjoint = As<T>(inputs.StateAdjoint);
        T[] gradientAdjoint = As<T>(inputs.GradientAdjoint);
        T[] hyperparameterAdjoints = As<T>(inputs.HyperparameterAdjoints);
        kernel.Adjoint(unchanged, stateAdjoint, As<T>(inputs.Gradient), gradientAdjoint, As<T>(inputs.Hyperparameters), hyperparameterAdjoints, inputs.Options);
        (T[] expectedStateAdjoint, T[] expectedGradientAdjoint, T[] expectedHyperparameterAdjoints) = drivers.Adjoint();
        Bits.Identical(As<T>(inputs.State), unchanged, $"{name} Adjoint: state (unchanged)");
        Bits.Identical(expectedStateAdjoint, stateAdjoint, $"{name} Adjoint: state adjoint");
        Bits.Identical(expectedGradientAdjoint, gradientAdjoint, $"{name} Adjoint: gradient adjoint");
        Bits.Identical(expectedHyperparameterAdjoints, hyperparameterAdjoints, $"{name} Adjoint: hyperparameter adjoints");
    }

    /// <summary>
    /// The span drivers <c>Step</c>, <c>StepVectorModeTangent</c> and <c>StepAdjoint</c> of one optimizer, called through
    /// reflection with one array or value per parameter, found by the parameter's name (x, xDot, xBar).
    /// </summary>
    private sealed class Drivers<T>(Type optimizer, IVectorizedStep<T> kernel, Inputs inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly int _s = kernel.StateNames.Count;
        private readonly Packing[] _packing = Packing.Of(kernel, N, K);

        public T[] Step()
        {
            Dictionary<string, object> values = Values();
            Call(Driver("Step", typeof(Span<T>)), values);
            return Pack(kernel.StateNames.Select(n => (T[])values[n]));
        }

        public (T[] State, T[] Tangents) Tangents()
        {
            Dictionary<string, object> values = Values();
            for (int slot = 0; slot < _s; slot++)
            {
                values[kernel.StateNames[slot] + "Dot"] = As<T>(inputs.StateTangents.AsSpan(slot * K * N, K * N).ToArray());
            }

            values["gDot"] = As<T>(inputs.GradientTangents);
            foreach (Packing p in _packing)
            {
                values[p.Name + "Dot"] = As<T>(inputs.HyperparameterTangents.AsSpan(p.TangentOffset, K * p.Size).ToArray());
            }

            Call(Driver("StepVectorModeTangent", typeof(Span<T>)), values);
            return (Pack(kernel.StateNames.Select(n => (T[])values[n])), Pack(kernel.StateNames.Select(n => (T[])values[n + "Dot"])));
        }

        public (T[] State, T[] Gradient, T[] Hyperparameters) Adjoint()
        {
            Dictionary<string, object> values = Values();
            for (int slot = 0; slot < _s; slot++)
            {
                values[kernel.StateNames[slot] + "Bar"] = As<T>(inputs.StateAdjoint.AsSpan(slot * N, N).ToArray());
            }

            values["gBar"] = As<T>(inputs.GradientAdjoint);
            foreach (Packing p in _packing)
            {
                values[p.Name + "Bar"] = p.PerElement
                    ? As<T>(inputs.HyperparameterAdjoints.AsSpan(p.Offset, N).ToArray())
                    : T.CreateChecked(inputs.HyperparameterAdjoints[p.Offset]);
            }

            Call(Driver("StepAdjoint", typeof(ReadOnlySpan<T>)), values);
            return (
                Pack(kernel.StateNames.Select(n => (T[])values[n + "Bar"])),
                (T[])values["gBar"],
                _packing.SelectMany(p => p.PerElement ? (T[])values[p.Name + "Bar"] : [(T)values[p.Name + "Bar"]]).ToArray());
        }

        /// <summary>The primal arguments: each state slot, the gradient and per-element hyperparameters as arrays, uniform hyperparameters and options as values.</summary>
        private Dictionary<string, object> Values()
        {
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            for (int slot = 0; slot < _s; slot++)
            {
                values[kernel.StateNames[slot]] = As<T>(inputs.State.AsSpan(slot * N, N).ToArray());
            }

            values["g"] = As<T>(inputs.Gradient);
            foreach (Packing p in _packing)
            {
                values[p.Name] = p.PerElement
                    ? As<T>(inputs.Hyperparameters.AsSpan(p.Offset, N).ToArray())
                    : T.CreateChecked(inputs.Hyperparameters[p.Offset]);
            }

            foreach (string option in kernel.OptionNames)
            {
                values[option] = option == "t" ? T.CreateChecked(inputs.Options.StepNumber) : inputs.Options.Flag(option);
            }

            return values;
        }

        private MethodInfo Driver(string name, Type first) => optimizer
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters()[0].ParameterType == first);

        /// <summary>Calls <paramref name="driver"/> and writes back into <paramref name="values"/> what it passed by ref.</summary>
        private static void Call(MethodInfo driver, Dictionary<string, object> values)
        {
            ParameterInfo[] parameters = driver.GetParameters();
            object?[] arguments = parameters.Select(p => values.TryGetValue(p.Name!, out object? value)
                ? value
                : throw new InvalidOperationException($"{driver.Name}: no argument for '{p.Name}'.")).ToArray();
            Invoker.Invoke(driver, arguments);
            for (int i = 0; i < parameters.Length; i++)
            {
                values[parameters[i].Name!] = arguments[i]!;
            }
        }

        private static T[] Pack(IEnumerable<T[]> slots) => slots.SelectMany(slot => slot).ToArray();
    }

    /// <summary>
    /// Random inputs: state slots, gradient and hyperparameters in their usual ranges (Lion's c = beta1·m + (1 − beta1)·g
    /// kept at least 0.01 from sign's jump); tangents relative to the values (so that eps, 1e-8 or so, moves on its own
    /// scale); adjoints in [−1, 1]; t = 3 and epsInsideSqrt as asked.
    /// </summary>
    private static Inputs Draw<T>(Type type, IVectorizedStep<T> kernel, bool epsInsideSqrt, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        Assert.Equal("w", kernel.StateNames[0]);
        int s = kernel.StateNames.Count;
        Packing[] packing = Packing.Of(kernel, N, K);
        double[] hyperparameters = packing.SelectMany(p => Enumerable.Range(0, p.Size).Select(_ => OptimizerCases.Draw(p.Name, random))).ToArray();
        double[] state = kernel.StateNames.SelectMany(n => Enumerable.Range(0, N).Select(_ => OptimizerCases.Draw(n, random))).ToArray();
        double[] gradient = Enumerable.Range(0, N).Select(_ => OptimizerCases.Draw("g", random)).ToArray();
        if (type == typeof(Lion))
        {
            double beta1 = hyperparameters[packing.Single(p => p.Name == "beta1").Offset];
            for (int i = 0; i < N; i++)
            {
                while (Math.Abs(beta1 * state[N + i] + (1 - beta1) * gradient[i]) < 0.01)
                {
                    gradient[i] = OptimizerCases.Draw("g", random);
                }
            }
        }

        double[] Uniform(int count) => Enumerable.Range(0, count).Select(_ => 2 * random.NextDouble() - 1).ToArray();

        // Tangent layouts: state (slot·k + j)·n + i, gradient j·n + i, hyperparameters tangentOffset + j·size + e.
        double[] stateTangents = new double[s * K * N];
        for (int slot = 0; slot < s; slot++)
        {
            for (int j = 0; j < K; j++)
            {
                for (int i = 0; i < N; i++)
                {
                    stateTangents[(slot * K + j) * N + i] = (2 * random.NextDouble() - 1) * Math.Max(Math.Abs(state[slot * N + i]), 1e-3);
                }
            }
        }

        double[] gradientTangents = Enumerable.Range(0, K * N)
            .Select(index => (2 * random.NextDouble() - 1) * Math.Max(Math.Abs(gradient[index % N]), 1e-3))
            .ToArray();
        double[] hyperparameterTangents = new double[VectorizedStepLayout.HyperparameterTangentLength(kernel, N, K)];
        foreach (Packing p in packing)
        {
            for (int j = 0; j < K; j++)
            {
                for (int e = 0; e < p.Size; e++)
                {
                    hyperparameterTangents[p.TangentIndex(j, e)] = (2 * random.NextDouble() - 1) * hyperparameters[p.Offset + e];
                }
            }
        }

        var options = new StepOptions(3, new Dictionary<string, double> { ["epsInsideSqrt"] = epsInsideSqrt ? 1.0 : 0.0 });
        return new Inputs(
            state, gradient, hyperparameters,
            stateTangents, gradientTangents, hyperparameterTangents,
            Uniform(s * N), Uniform(N), Uniform(hyperparameters.Length),
            options);
    }

    /// <summary>The class declaring the step and its kernel over T: an optimizer by its descriptor, or the test's <see cref="InterleavedStep"/>.</summary>
    private static (Type Type, IVectorizedStep<T> Kernel) Subject<T>(string name)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (name != nameof(InterleavedStep))
        {
            Optimizer descriptor = Optimizers.Find(name);
            return (descriptor.Type, descriptor.Step<T>());
        }

        object kernel = typeof(T) == typeof(double) ? new InterleavedStep.StepVectorizedDouble() : new InterleavedStep.StepVectorizedSingle();
        return (typeof(InterleavedStep), (IVectorizedStep<T>)kernel);
    }

    /// <summary>Where hyperparameter <see cref="Name"/> lies in the packed values (and adjoints) and in the packed tangents.</summary>
    private sealed record Packing(string Name, bool PerElement, int Size, int Offset, int TangentOffset)
    {
        public static Packing[] Of<T>(IVectorizedStep<T> kernel, int n, int k)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
            => kernel.HyperparameterNames.Select((name, h) => new Packing(
                name,
                kernel.PerElement[h],
                VectorizedStepLayout.HyperparameterSize(kernel, h, n),
                VectorizedStepLayout.HyperparameterOffset(kernel, h, n),
                VectorizedStepLayout.HyperparameterTangentOffset(kernel, h, n, k))).ToArray();

        /// <summary>Direction j of value e: tangentOffset + j·size + e (j·n + i for a per-element one, j for a uniform one).</summary>
        public int TangentIndex(int j, int e) => TangentOffset + j * Size + e;
    }

    private static T[] As<T>(double[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => values.Select(T.CreateChecked).ToArray();

    /// <summary>A sum with the sum of its terms' magnitudes, the scale of its rounding error.</summary>
    private sealed class Sum
    {
        public double Value { get; private set; }

        public double Magnitude { get; private set; }

        public void Add(double term)
        {
            Value += term;
            Magnitude += Math.Abs(term);
        }
    }
}
