using System;
using System.Diagnostics;
using System.Linq;
using AutoHypergrad.Engines.Checkpointing;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Runtime.Tests.Checkpointing;

/// <summary>
/// Revolve against a brute-force recursion for the fewest advances, the closed form, StoreAll, long chains, and bad arguments.
/// Every schedule is replayed by <see cref="ScheduleSimulator"/>.
/// </summary>
public class CheckpointScheduleTests(ITestOutputHelper output)
{
    private const int MaxSteps = 60, MaxSlots = 8;

    /// <summary>
    /// F(l, c) = min over 1 ≤ j &lt; l of j + F(l − j, c − 1) + F(j, c), F(1, c) = 0, F(l, 1) = l(l − 1)/2: advance j steps from
    /// the stored start, store s_j and reverse the right part with the other c − 1 slots, then restore the start and
    /// reverse the left part with all c. The start's slot is counted in c, as in <see cref="CheckpointSchedule"/>.
    /// </summary>
    private static readonly long[,] BruteForce = Recursion();

    private static long[,] Recursion()
    {
        var f = new long[MaxSteps + 1, MaxSlots + 1];
        for (int l = 1; l <= MaxSteps; l++)
        {
            f[l, 1] = (long)l * (l - 1) / 2;
            for (int c = 2; c <= MaxSlots; c++)
                f[l, c] = l == 1 ? 0 : Enumerable.Range(1, l - 1).Min(j => j + f[l - j, c - 1] + f[j, c]);
        }
        return f;
    }

    [Fact]
    public void Revolve_is_optimal_for_every_chain_up_to_60_steps_and_8_slots()
    {
        for (int steps = 1; steps <= MaxSteps; steps++)
        {
            for (int slots = 1; slots <= MaxSlots; slots++)
            {
                var schedule = CheckpointSchedule.Revolve(steps, slots);
                var replay = ScheduleSimulator.Run(schedule, steps, slots);
                Assert.Equal(BruteForce[steps, slots], replay.Advances);
                Assert.Equal(replay.Advances, schedule.AdvanceCount);
                Assert.Equal(replay.Advances, CheckpointSchedule.OptimalAdvanceCount(steps, slots));
                Assert.Equal(replay.SlotsUsed, schedule.MaxSlotsUsed);
                Assert.Equal(schedule, schedule.Actions);
            }
        }
    }

    [Fact]
    public void With_a_slot_per_step_Revolve_is_StoreAll()
    {
        for (int steps = 1; steps <= MaxSteps; steps++)
        {
            var storeAll = CheckpointSchedule.StoreAll(steps);
            var replay = ScheduleSimulator.Run(storeAll, steps, steps);
            Assert.Equal(steps - 1, replay.Advances);
            Assert.Equal(Math.Max(1, steps - 1), storeAll.MaxSlotsUsed);   // s_(T−1) is the working state, never stored
            Assert.Equal(steps - 1, storeAll.Count(a => a.Kind == CheckpointActionKind.Advance));   // one step each
            Assert.Equal(Enumerable.Range(1, Math.Max(0, steps - 2)),
                storeAll.Where(a => a.Kind == CheckpointActionKind.Store).Select(a => a.Step));
            foreach (int slots in new[] { steps, steps + 1, 2 * steps + 5, int.MaxValue })
                Assert.Equal(storeAll.Actions, CheckpointSchedule.Revolve(steps, slots).Actions);
        }
    }

    [Theory]
    [InlineData(1000, 32)]
    [InlineData(10_000, 100)]
    [InlineData(100_000, 316)]
    [InlineData(1_000_000, 1000)]
    public void Long_chains_are_scheduled_quickly_with_little_recomputation(int steps, int slots)
    {
        var clock = Stopwatch.StartNew();
        var schedule = CheckpointSchedule.Revolve(steps, slots);
        TimeSpan built = clock.Elapsed;
        var replay = ScheduleSimulator.Run(schedule, steps, slots);
        double ratio = (double)schedule.AdvanceCount / steps, beyondFirstSweep = (double)(schedule.AdvanceCount - (steps - 1)) / steps;
        output.WriteLine($"T = {steps}, slots = {slots}: {replay.Actions} actions, AdvanceCount = {schedule.AdvanceCount}, "
            + $"AdvanceCount/T = {ratio:F3} ({beyondFirstSweep:F3} beyond the first sweep to s_(T-1)), "
            + $"MaxSlotsUsed = {schedule.MaxSlotsUsed}, built in {built.TotalMilliseconds:F0} ms");
        Assert.Equal(replay.Advances, schedule.AdvanceCount);
        Assert.Equal(CheckpointSchedule.OptimalAdvanceCount(steps, slots), schedule.AdvanceCount);
        Assert.Equal(replay.SlotsUsed, schedule.MaxSlotsUsed);
        Assert.InRange(ratio, 1.0, 3.0);   // below the repetition number r, which is 3 for these budgets
        Assert.True(built < TimeSpan.FromSeconds(5), $"built in {built}");
    }

    [Fact]
    public void The_closed_form_does_not_overflow_at_the_limits()
    {
        Assert.Equal(int.MaxValue - 1L, CheckpointSchedule.OptimalAdvanceCount(int.MaxValue, int.MaxValue));
        Assert.Equal((long)int.MaxValue * (int.MaxValue - 1L) / 2, CheckpointSchedule.OptimalAdvanceCount(int.MaxValue, 1));
        Assert.Equal(0, CheckpointSchedule.OptimalAdvanceCount(1, int.MaxValue));
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSchedule.Revolve(0, 4)).ParamName);
        Assert.Equal("slots", Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSchedule.Revolve(10, 0)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSchedule.StoreAll(-3)).ParamName);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSchedule.OptimalAdvanceCount(5, -1));
        Assert.Equal("slots", error.ParamName);
        Assert.Contains("slot 0 holds s_0", error.Message);
        Assert.Equal(-1, error.ActualValue);
    }
}
