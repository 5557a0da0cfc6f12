using System.Linq;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>Checkpointed reverse: the same bits as full storage, within its memory budget, and truncation.</summary>
public sealed class CheckpointingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(40)]
    public void Checkpointed_reverse_is_bit_identical_to_full_storage_and_stays_within_its_slots(int slots)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Adam", ["lr", "beta1", "beta2", "weights"], steps: 40, loss: Objectives.Models.LossHyperparameters.ExampleWeights);
        var full = new ReverseHypergradient<double>(dynamics, response).Compute(lambda);
        var checkpointed = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(slots)).Compute(lambda);

        Agreement.Identical(full, checkpointed, $"{slots} slots");
        Assert.Equal(39, full.Cost.StoredStates); // s_0 … s_38: s_39 is the working state when step 40 is reversed.
        Assert.True(checkpointed.Cost.StoredStates <= slots, $"{checkpointed.Cost.StoredStates} states stored with a budget of {slots}.");
        long stateBytes = full.Cost.StoredBytes / full.Cost.StoredStates;
        Assert.Equal(checkpointed.Cost.StoredStates * stateBytes, checkpointed.Cost.StoredBytes);
        Assert.True(checkpointed.Cost.ForwardSteps >= full.Cost.ForwardSteps);
        Assert.Equal(40, checkpointed.Cost.ReverseSteps);
        if (slots < 40)
        {
            Assert.True(checkpointed.Cost.PeakBytes < full.Cost.PeakBytes);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_second_call_writes_into_the_first_calls_trajectory_and_gives_its_bits(int slots)
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Adam", ["lr", "beta1", "weights"], steps: 40, loss: Objectives.Models.LossHyperparameters.ExampleWeights);
        var engine = new ReverseHypergradient<double>(dynamics, response, slots == 0 ? ReverseOptions.Full : ReverseOptions.Checkpointed(slots));
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        var first = engine.Compute(lambda);
        long firstBytes = System.GC.GetAllocatedBytesForCurrentThread() - before;
        before = System.GC.GetAllocatedBytesForCurrentThread();
        var second = engine.Compute(lambda);
        long secondBytes = System.GC.GetAllocatedBytesForCurrentThread() - before;

        Agreement.Identical(first, second, "the second call");
        Assert.True(first.Cost.StoredBytes > 0);
        Assert.True(
            secondBytes < firstBytes - first.Cost.StoredBytes,
            $"The second call allocated {secondBytes} bytes, the first {firstBytes} with {first.Cost.StoredBytes} of stored states and records.");
    }

    [Fact]
    public void Full_storage_runs_each_step_once_and_checkpointing_recomputes_the_binomial_optimum()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Sgd", ["lr"], steps: 30);
        var full = new ReverseHypergradient<double>(dynamics, response).Compute(lambda);
        Assert.Equal(30, full.Cost.ForwardSteps);

        // The schedule's advances, the step to s_T, and one step for each adjoint whose step record was not kept: those
        // whose s_{t−1} was reached by advancing rather than restored from a slot that had run step t.
        var checkpointed = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Checkpointed(4)).Compute(lambda);
        var schedule = Checkpointing.CheckpointSchedule.Revolve(30, 4);
        var actions = schedule.Actions;
        int unrecorded = Enumerable.Range(0, actions.Count)
            .Count(i => actions[i].Kind == Checkpointing.CheckpointActionKind.Reverse && actions[i].Step < 30
                        && actions[i - 1].Kind != Checkpointing.CheckpointActionKind.Restore);
        Assert.Equal(Checkpointing.CheckpointSchedule.OptimalAdvanceCount(30, 4), schedule.AdvanceCount);
        Assert.Equal(schedule.AdvanceCount + 1 + unrecorded, checkpointed.Cost.ForwardSteps);
    }

    [Fact]
    public void Truncation_to_every_step_is_full_reverse()
    {
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Momentum", ["lr", "mu"], steps: 15);
        var full = new ReverseHypergradient<double>(dynamics, response).Compute(lambda);
        var truncated = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Truncated(15)).Compute(lambda);
        Agreement.Identical(full, truncated, "K = T");
    }

    [Fact]
    public void Truncation_to_one_step_of_sgd_is_the_last_steps_direct_effect()
    {
        // With K = 1 only B_T is kept: ∂f/∂lr ≈ ∂E/∂w_T · ∂w_T/∂lr = −∂E/∂w_T · g_T (SGD, wd = 0.01: d = g + wd·w).
        var (dynamics, response, lambda) = EngineProblems.Create<double>("Sgd", ["lr"], steps: 9);
        var truncated = new ReverseHypergradient<double>(dynamics, response, ReverseOptions.Truncated(1)).Compute(lambda);

        var state = new double[dynamics.StateLength];
        dynamics.Initialize(lambda, state);
        for (int t = 1; t < 9; t++)
        {
            dynamics.Step(t, state, lambda);
        }

        var before = (double[])state.Clone();
        dynamics.Step(9, state, lambda);
        var direction = before.Zip(state, (w, next) => (next - w) / lambda[0]).ToArray();
        var gradient = new double[state.Length];
        response.Gradient(state, lambda, gradient, new double[1]);
        double expected = gradient.Zip(direction, (a, b) => a * b).Sum();
        Assert.Equal(expected, truncated.Gradient[0], 1e-12 * System.Math.Abs(expected));
        Assert.Equal(1, truncated.Cost.StoredStates);
    }
}
