using System;
using System.Linq;
using AutoHypergrad.Engines;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// Data hyper-cleaning's hypergradient (softmax regression with one weight per training example, gradient descent)
/// with everything on the device: the objective's products (<see cref="CudaSoftmaxRegression{T}"/>), the step
/// (<see cref="CudaVectorizedStep{T}"/>) and the engines' state (<see cref="CudaStateMemory{T}"/>), on the host build here
/// and on a GPU where there is one. It agrees with the CPU run; the device's engines agree with each other and with
/// finite differences; and per step only λ-sized values cross between host and device.
/// </summary>
public sealed class DeviceHypergradientTests(ITestOutputHelper output)
{
    // 40 examples of 96 features in 10 classes: n = 970 weights, m = 40 example weights, so that a copy of the
    // state (n values) and one of λ (m values) are easy to tell apart.
    private const int Rows = 40, Features = 96, Classes = 10, Steps = 12;

    [Fact]
    public void Reverse_hypergradient_on_the_device_matches_the_CPU_and_the_device_engines_agree()
    {
        using var device = new HostDevice();
        output.WriteLine(AssertDeviceRunMatchesCpu(device));
    }

    [Fact]
    public void A_device_run_moves_lambda_sized_values_per_step_not_the_state()
    {
        using var device = new HostDevice();
        using var problem = new Problem(device);
        var lambda = problem.Lambda;
        long before = device.BytesToDevice + device.BytesToHost;
        var result = new ReverseHypergradient<double>(problem.Device, problem.DeviceResponse).Compute(lambda);
        long moved = device.BytesToDevice + device.BytesToHost - before;

        // Per step, at most: λ up for the gradient, for H·v and the cross adjoint; the loss adjoint λ̄_J up and down;
        // and a few scalars (J, the step's uniform adjoints, the finite check's int): 4m + 16 values. Once: w_0 (n).
        int n = problem.Device.ParameterCount, m = problem.Device.HyperparameterCount;
        long steps = result.Cost.ForwardSteps + result.Cost.ReverseSteps;
        long bound = n * sizeof(double) + steps * (4L * m + 16) * sizeof(double);
        Assert.True(moved <= bound, $"moved {moved} bytes in {steps} steps; λ-sized traffic allows {bound}");
        Assert.True(moved < steps * (long)n * sizeof(double) / 2, $"moved {moved} bytes: half a state per step or more");
        output.WriteLine($"{moved} bytes in {steps} steps ({(double)moved / steps:F0} per step; the state is {n * sizeof(double)}); bound {bound}");
    }

    /// <summary>
    /// On <paramref name="device"/>: Reverse-HG against the CPU (fused objective, C# step, host arrays) within the
    /// bound below; checkpointed = full to the bit; forward = reverse and finite differences = reverse within rounding.
    /// Returns the largest relative differences seen, for the test's output.
    /// </summary>
    internal static string AssertDeviceRunMatchesCpu(IKernelDevice device)
    {
        using var problem = new Problem(device);
        var lambda = problem.Lambda;
        var cpu = new ReverseHypergradient<double>(problem.Cpu, problem.CpuResponse).Compute(lambda);
        var full = new ReverseHypergradient<double>(problem.Device, problem.DeviceResponse).Compute(lambda);

        // Each product differs from the CPU's by at most 20·B·d·u of its largest entry (CudaSoftmaxRegressionTests);
        // gradient descent at this learning rate does not expand differences, so T forward and T reverse steps
        // accumulate at most 2T such errors: 2·12·20·40·96·2⁻⁵³ ≈ 2.1e−10 of the largest component.
        double bound = 2 * Steps * CudaSoftmaxRegressionTests.Bound(Rows, Features, Math.Pow(2, -53));
        double againstCpu = AssertClose(cpu.Gradient, full.Gradient, bound, "device against CPU");
        Assert.True(Math.Abs(cpu.Value - full.Value) <= bound * Math.Abs(cpu.Value), $"E: device {full.Value:R}, CPU {cpu.Value:R}");
        Assert.Contains(full.Gradient, g => g != 0);

        var checkpointed = new ReverseHypergradient<double>(problem.Device, problem.DeviceResponse, ReverseOptions.Checkpointed(3)).Compute(lambda);
        Assert.Equal(full.Gradient, checkpointed.Gradient);
        Assert.Equal(full.Value, checkpointed.Value);

        // Forward mode sums the same chain rule in another order: rounding apart, T·m·u-sized.
        var forward = new ForwardHypergradient<double>(problem.Device, problem.DeviceResponse, maxDirections: 16).Compute(lambda);
        double againstForward = AssertClose(full.Gradient, forward.Gradient, 1e-10, "device forward against device reverse");

        // Central differences with Richardson extrapolation: truncation O(h⁴) and rounding ε/h at h = 1e−3·|λ|.
        var differences = new FiniteDifferenceHypergradient<double>(problem.Device, problem.DeviceResponse).Compute(lambda);
        double againstDifferences = AssertClose(full.Gradient, differences.Gradient, 1e-6, "device reverse against finite differences");
        return $"largest relative differences: device against CPU {againstCpu:E2} (bound {bound:E2}), forward {againstForward:E2}, finite differences {againstDifferences:E2}";
    }

    /// <summary>Asserts every entry within <paramref name="relative"/> of the largest |expected|; returns the largest relative difference.</summary>
    private static double AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        double scale = expected.Max(Math.Abs), largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"{what}: [{i}] {actual[i]:R}, expected {expected[i]:R} (bound {relative:E1} of {scale:E3})");
            largest = Math.Max(largest, Math.Abs(expected[i] - actual[i]) / scale);
        }

        return largest;
    }

    /// <summary>The same hyper-cleaning problem on the CPU and on a device.</summary>
    private sealed class Problem : IDisposable
    {
        private readonly CudaSoftmaxRegression<double> _training;
        private readonly CudaSoftmaxRegression<double> _validation;
        private readonly CudaVectorizedStep<double> _step;
        private readonly CudaStateMemory<double> _memory;

        public Problem(IKernelDevice device)
        {
            var training = SoftmaxAgreement.Data(Rows, Features, Classes, seed: 21);
            var validation = SoftmaxAgreement.Data(30, Features, Classes, seed: 22);
            var sgd = AutoHypergrad.Optimizers.Optimizers.Find("Sgd");
            var cpuTraining = WeightedSoftmaxRegression<double>.Create(training, exampleWeights: true);
            var names = sgd.Hyperparameters.Select(h => h.Name).ToArray();
            var values = sgd.ValuesArray();
            values[Array.IndexOf(names, "lr")] = 0.5;
            var space = HyperparameterSpace.Create(
                names, values, cpuTraining.Hyperparameters, cpuTraining.Hyperparameters.Defaults<double>(), new double[cpuTraining.ParameterCount], Steps, ["weights"]);
            Lambda = Enumerable.Range(0, Rows).Select(i => 0.5 + 0.01 * i).ToArray();

            Cpu = new TrainingDynamics<double>(cpuTraining, sgd.Step<double>(), space, null, new StepOptions(1));
            CpuResponse = new ValidationError<double>(WeightedSoftmaxRegression<double>.Create(validation, exampleWeights: false));

            _training = CudaSoftmaxRegression<double>.Create(device, training, exampleWeights: true);
            _validation = CudaSoftmaxRegression<double>.Create(device, validation, exampleWeights: false);
            _step = new CudaVectorizedStep<double>(device, sgd);
            _memory = new CudaStateMemory<double>(device);
            Device = new TrainingDynamics<double>(_training, _step, space, null, new StepOptions(1), _memory);
            DeviceResponse = new ValidationError<double>(_validation);
        }

        public double[] Lambda { get; }

        public TrainingDynamics<double> Cpu { get; }

        public ValidationError<double> CpuResponse { get; }

        public TrainingDynamics<double> Device { get; }

        public ValidationError<double> DeviceResponse { get; }

        public void Dispose()
        {
            _memory.Dispose();
            _step.Dispose();
            _validation.Dispose();
            _training.Dispose();
        }
    }
}
