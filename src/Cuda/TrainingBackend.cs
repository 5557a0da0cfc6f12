using System;
using System.Collections.Generic;
using System.Numerics;
using AutoHypergrad.Data;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Cuda;

/// <summary>
/// Where a training run runs, behind the interfaces the engines use: its softmax-regression objectives
/// (<see cref="IObjective{T}"/>), the optimizer's step (<see cref="IVectorizedStep{T}"/>) and the engines' state
/// (<see cref="IStateMemory{T}"/>). On the CPU: the fused <see cref="WeightedSoftmaxRegression{T}"/>, the generated C#
/// step and host arrays. On a CUDA device: <see cref="CudaSoftmaxRegression{T}"/> (cuBLAS GEMMs and a loss-head
/// kernel), <see cref="CudaVectorizedStep{T}"/> (the generated CUDA C) and <see cref="CudaStateMemory{T}"/> (managed
/// memory), so that a hypergradient keeps its data, state and trajectory on the device. Disposing it frees what it
/// made on the device.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class TrainingBackend<T> : ITrainingBackend<T>, IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IKernelDevice? _device;
    private readonly CudaDevice? _opened;
    private readonly CudaStateMemory<T>? _memory;
    private readonly List<IDisposable> _made = [];
    private readonly Dictionary<string, IVectorizedStep<T>> _steps = new(StringComparer.OrdinalIgnoreCase);

    private readonly int _threads;
    private IDataDistribution? _distribution;

    private TrainingBackend(IKernelDevice? device, CudaDevice? opened = null, int threads = 1)
    {
        _device = device;
        _opened = opened;
        _threads = threads;
        if (device is not null)
        {
            _memory = new CudaStateMemory<T>(device);
        }
    }

    /// <summary>The CPU, each objective's pass on <paramref name="threads"/> threads (<see cref="WeightedSoftmaxRegression{T}.Threads"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static TrainingBackend<T> Cpu(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return new(null, threads: threads);
    }

    /// <summary><paramref name="device"/>, which the caller keeps and disposes after this backend.</summary>
    public static TrainingBackend<T> Cuda(IKernelDevice device) => new(device ?? throw new ArgumentNullException(nameof(device)));

    /// <summary>
    /// The backend <paramref name="device"/> names: <c>cpu</c>, or <c>cuda</c>, which opens the first GPU (and
    /// closes it on <see cref="Dispose"/>); without a driver it throws <see cref="CudaUnavailableException"/>, whose
    /// one line says what is missing. On the CPU each pass runs on <paramref name="threads"/> threads.
    /// </summary>
    public static TrainingBackend<T> Open(string device, int threads = 1)
    {
        if (device == "cpu")
        {
            return Cpu(threads);
        }

        var gpu = CudaDevice.Open();
        try
        {
            return new TrainingBackend<T>(gpu, gpu);
        }
        catch
        {
            gpu.Dispose();
            throw;
        }
    }

    /// <summary>
    /// This backend with its objectives over data split across <paramref name="distribution"/>'s processes (the ranks of
    /// an MPI run), each process's part on this backend.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend is a CUDA device: a distributed run trains on the CPU.</exception>
    public TrainingBackend<T> Across(IDataDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (_device is not null)
        {
            throw new NotSupportedException("A run across processes trains on the CPU; give --device cpu.");
        }

        _distribution = distribution;
        return this;
    }

    /// <summary>The processes the data are split across; null for this process alone.</summary>
    public IDataDistribution? Distribution => _distribution;

    /// <summary>Whether this process writes the run's files and prints its tables: always, but on the other ranks of a distributed run.</summary>
    public bool WritesResults => _distribution?.WritesResults ?? true;

    /// <summary>The backend in words, for reports: <c>CPU</c>, or the device; with the processes of a distributed run.</summary>
    public string Description
        => (_device is null ? (_threads == 1 ? "CPU" : $"CPU, {_threads} threads") : _device.Description)
           + (_distribution is { } d ? $" on each of {d.Processes} processes" : string.Empty);

    /// <summary>Where the engines keep the state.</summary>
    public IStateMemory<T> Memory => _memory ?? (IStateMemory<T>)HostStateMemory<T>.Instance;

    /// <summary>Softmax regression on <paramref name="data"/>, with one weight per example in λ when <paramref name="exampleWeights"/>.</summary>
    public IObjective<T> SoftmaxRegression(Dataset<T> data, bool exampleWeights)
    {
        if (_distribution is { } distribution)
        {
            return distribution.Objective(data, part => WeightedSoftmaxRegression<T>.Create(part, exampleWeights, _threads));
        }

        if (_device is null)
        {
            return WeightedSoftmaxRegression<T>.Create(data, exampleWeights, _threads);
        }

        var objective = CudaSoftmaxRegression<T>.Create(_device, data, exampleWeights);
        _made.Add(objective);
        return objective;
    }

    /// <summary>The step of <paramref name="optimizer"/>, made once.</summary>
    public IVectorizedStep<T> Step(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!_steps.TryGetValue(optimizer.Name, out var step))
        {
            if (_device is null)
            {
                step = optimizer.Step<T>();
            }
            else
            {
                var cuda = new CudaVectorizedStep<T>(_device, optimizer);
                _made.Add(cuda);
                step = cuda;
            }

            _steps[optimizer.Name] = step;
        }

        return step;
    }

    /// <summary>Frees a device objective made by <see cref="SoftmaxRegression"/> once it is no longer used; nothing on the CPU.</summary>
    public void Release(IObjective<T> objective)
    {
        if (objective is IDisposable disposable && _made.Remove(disposable))
        {
            disposable.Dispose();
        }
    }

    /// <summary>Frees what this backend made on the device, and the device if it opened it.</summary>
    public void Dispose()
    {
        foreach (var made in _made)
        {
            made.Dispose();
        }

        _made.Clear();
        _memory?.Dispose();
        _opened?.Dispose();
    }
}
