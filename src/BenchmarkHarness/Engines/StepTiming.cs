using System;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Dynamics;

namespace AutoHypergrad.BenchmarkHarness.Engines;

/// <summary>
/// The time of single calls, as the fastest and the median of many: on a shared machine a long measurement is always
/// interrupted, and the fastest call is the one least disturbed (<c>bench hyperclean</c>).
/// </summary>
public static class StepTiming
{
    /// <summary>
    /// The times of a training step and a reverse step of <paramref name="dynamics"/>, each from the same state every
    /// call (the state after one step, so that w ≠ 0): the fastest and the median of <paramref name="calls"/>, in ms.
    /// </summary>
    public static ((double Best, double Median) TrainingMs, (double Best, double Median) ReverseMs) TrainingAndReverse<T>(TrainingDynamics<T> dynamics, int calls)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        var lambda = dynamics.Space.InitialValues().Select(T.CreateChecked).ToArray();
        var state = new T[dynamics.StateLength];
        dynamics.Initialize(lambda, state);
        var record = new T[dynamics.StepRecordLength];
        dynamics.Step(1, state, lambda, record);

        // A state after one step (w ≠ 0, so a softmax is not uniform), and an adjoint of its size.
        var previous = state.ToArray();
        dynamics.Step(2, state, lambda, record);
        var random = new Random(1);
        var adjointStart = Enumerable.Range(0, dynamics.StateLength).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var adjoint = new T[adjointStart.Length];
        var lambdaAdjoint = new T[lambda.Length];
        var trainingMs = Times(calls, () =>
        {
            previous.CopyTo(state, 0);
            dynamics.Step(2, state, lambda);
        });
        var reverseMs = Times(calls, () =>
        {
            adjointStart.CopyTo(adjoint, 0);
            dynamics.Adjoint(2, previous, record, adjoint, lambda, lambdaAdjoint);
        });
        return (trainingMs, reverseMs);
    }

    /// <summary>The fastest and the median of <paramref name="calls"/> timed calls of <paramref name="call"/> (after two untimed), in ms.</summary>
    public static (double Best, double Median) Times(int calls, Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        call();
        call();
        var ms = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        return (ms[0], ms[calls / 2]);
    }
}
