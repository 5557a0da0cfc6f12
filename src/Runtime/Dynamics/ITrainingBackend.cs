using System.Numerics;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Dynamics;

/// <summary>
/// Where a training run's optimizer step and state live. Without one (null), the CPU: the optimizer's generated C#
/// step (<see cref="Optimizer.Step{T}"/>) and host arrays (<see cref="HostStateMemory{T}"/>);
/// <c>AutoHypergrad.Cuda.TrainingBackend&lt;T&gt;</c> puts both on a GPU, so that an engine keeps the trajectory there.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface ITrainingBackend<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The step of <paramref name="optimizer"/> on this backend.</summary>
    IVectorizedStep<T> Step(Optimizer optimizer);

    /// <summary>Where the engines keep state-sized vectors.</summary>
    IStateMemory<T> Memory { get; }
}
