using System;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Engines;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// <see cref="CudaStateMemory{T}"/> on the host build of its kernels: each operation gives the host's bits for every
/// placement of its operands, and the engines, run with their state on the "device", give the same hypergradients to
/// the bit as with host arrays while copying only what the residency promises.
/// </summary>
public sealed class StateMemoryTests
{
    [Fact]
    public void Operations_on_managed_vectors_give_the_host_bits_in_double()
    {
        using var device = new HostDevice();
        Operations<double>(device);
    }

    [Fact]
    public void Operations_on_managed_vectors_give_the_host_bits_in_float()
    {
        using var device = new HostDevice();
        Operations<float>(device);
    }

    [Fact]
    public void Reverse_checkpointed_and_forward_hypergradients_with_the_state_on_the_device_equal_the_host_run_bit_for_bit()
    {
        using var device = new HostDevice();
        AssertResidentRunsEqualStagedRuns(device);
    }

    /// <summary>
    /// On <paramref name="device"/>, the same kernels with the engines' state staged from host arrays and resident in
    /// <see cref="CudaStateMemory{T}"/>: the same values reach the same kernels, so every engine gives the same bits.
    /// </summary>
    internal static void AssertResidentRunsEqualStagedRuns(IKernelDevice device)
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var kernel = new CudaVectorizedStep<double>(device, adam);
        using var memory = new CudaStateMemory<double>(device);
        var (host, hostResponse) = EngineRuns.Run(kernel, null, out var lambda);
        var (resident, residentResponse) = EngineRuns.Run(kernel, memory, out _);
        Assert.Same(memory, ((IDynamics<double>)resident).Memory);

        var expected = new ReverseHypergradient<double>(host, hostResponse).Compute(lambda);
        Assert.Contains(expected.Gradient, g => g != 0);
        foreach (var options in new[] { ReverseOptions.Full, ReverseOptions.Checkpointed(3), ReverseOptions.Truncated(4) })
        {
            var hostRun = new ReverseHypergradient<double>(host, hostResponse, options).Compute(lambda);
            var residentRun = new ReverseHypergradient<double>(resident, residentResponse, options).Compute(lambda);
            Assert.Equal(hostRun.Value, residentRun.Value);
            Assert.Equal(hostRun.Gradient, residentRun.Gradient);
        }

        var forwardHost = new ForwardHypergradient<double>(host, hostResponse, maxDirections: 2).Compute(lambda);
        var forwardResident = new ForwardHypergradient<double>(resident, residentResponse, maxDirections: 2).Compute(lambda);
        Assert.Equal(forwardHost.Gradient, forwardResident.Gradient);

        // Every vector an engine allocated was freed; what is left are the dynamics' own workspaces.
        Assert.Equal(4, memory.LiveVectors);
    }

    [Fact]
    public void A_resident_reverse_run_copies_the_initial_weights_and_the_finite_checks_only()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var device = new HostDevice();
        using var kernel = new CudaVectorizedStep<double>(device, adam);
        using var memory = new CudaStateMemory<double>(device);
        var (staged, stagedResponse) = EngineRuns.Run(kernel, null, out var lambda);
        var (resident, residentResponse) = EngineRuns.Run(kernel, memory, out _);

        long before = device.BytesToDevice + device.BytesToHost;
        var stagedRun = new ReverseHypergradient<double>(staged, stagedResponse).Compute(lambda);
        long stagedBytes = device.BytesToDevice + device.BytesToHost - before;

        long up = device.BytesToDevice, down = device.BytesToHost;
        var residentRun = new ReverseHypergradient<double>(resident, residentResponse).Compute(lambda);
        up = device.BytesToDevice - up;
        down = device.BytesToHost - down;

        // Up: w_0 into the state (Initialize), one int per finite check, and per reverse step the optimizer's
        // hyperparameter adjoints (λ-sized: Adam's five uniform ones), which the engine accumulates on the host;
        // down: the int and the adjoints. A check follows every forward step, every reverse step, s_0 and ∂E/∂s_T.
        int n = resident.ParameterCount;
        long checks = residentRun.Cost.ForwardSteps + residentRun.Cost.ReverseSteps + 2;
        long hyperparameterAdjoints = residentRun.Cost.ReverseSteps * VectorizedStepLayout.HyperparameterLength(kernel, n) * sizeof(double);
        Assert.Equal(5, VectorizedStepLayout.HyperparameterLength(kernel, n));
        Assert.Equal(n * sizeof(double) + checks * sizeof(int) + hyperparameterAdjoints, up);
        Assert.Equal(checks * sizeof(int) + hyperparameterAdjoints, down);

        // Staged, every step call moves the state (Adam's w, m, v) up and down.
        long stepCalls = stagedRun.Cost.ForwardSteps + stagedRun.Cost.ReverseSteps;
        Assert.True(stagedBytes >= stepCalls * 2 * resident.StateLength * sizeof(double), $"staged run moved {stagedBytes} bytes");
        Assert.Equal(stagedRun.Gradient, residentRun.Gradient);
    }

    [Fact]
    public void A_second_hypergradient_takes_its_trajectory_from_the_pool()
    {
        var adam = AutoHypergrad.Optimizers.Optimizers.Find("Adam");
        using var device = new HostDevice();
        using var kernel = new CudaVectorizedStep<double>(device, adam);
        using var memory = new CudaStateMemory<double>(device);
        var (resident, response) = EngineRuns.Run(kernel, memory, out var lambda);
        var engine = new ReverseHypergradient<double>(resident, response);
        var first = engine.Compute(lambda);
        int allocations = device.ManagedAllocations;
        Assert.True(allocations > 10, $"{allocations} allocations: the first run stores its 10 states and records");

        var second = engine.Compute(lambda);
        Assert.Equal(allocations, device.ManagedAllocations);
        Assert.Equal(first.Gradient, second.Gradient);
    }

    /// <summary>Clear, copy (every direction), add and the finite check on <paramref name="device"/>, against the host's bits.</summary>
    internal static void Operations<T>(IKernelDevice device)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var memory = new CudaStateMemory<T>(device);
        var host = HostStateMemory<T>.Instance;
        const int n = 1031;
        var random = new Random(5);
        var a = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() * 3)).ToArray();
        using var managedA = memory.Allocate(n);
        using var managedB = memory.Allocate(n);
        var x = managedA.Memory.Span;
        var y = managedB.Memory.Span;
        Assert.True(device.IsManaged(Address(x), n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

        // Copies in every direction.
        memory.Copy(a, x);
        Assert.Equal(a, x.ToArray());
        memory.Copy(x, y);
        Assert.Equal(a, y.ToArray());
        var back = new T[n];
        memory.Copy(y, back);
        Assert.Equal(a, back);

        // Add: managed += managed, and managed += host; the host's result, bit for bit.
        memory.Copy(b, y);
        memory.Add(x, y);
        var expected = (T[])b.Clone();
        host.Add(a, expected);
        Assert.Equal(expected, y.ToArray());
        memory.Add(b, y);
        host.Add(b, expected);
        Assert.Equal(expected, y.ToArray());

        // Clear to +0, not −0.
        memory.Clear(y);
        Assert.All(y.ToArray(), v => Assert.True(T.IsZero(v) && T.IsPositive(v)));

        // The first non-finite value, wherever it lies.
        Assert.Equal(-1, memory.FirstNonFinite(x));
        x[700] = T.NaN;
        x[12] = T.PositiveInfinity;
        x[n - 1] = T.NegativeInfinity;
        Assert.Equal(12, memory.FirstNonFinite(x));
        Assert.Equal(host.FirstNonFinite(x), memory.FirstNonFinite(x));
        Assert.Equal(700 - 13, memory.FirstNonFinite(x[13..]));
        Assert.Equal(host.FirstNonFinite(a), memory.FirstNonFinite(a));

        Assert.Throws<ArgumentException>(() => memory.Copy(a, managedB.Memory.Span[1..]));
    }

    private static unsafe IntPtr Address<T>(Span<T> values)
        where T : unmanaged
    {
        fixed (T* pointer = values)
        {
            return (IntPtr)pointer;
        }
    }
}
