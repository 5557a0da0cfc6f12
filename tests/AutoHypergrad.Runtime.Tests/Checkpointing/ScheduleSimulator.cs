using System.Collections.Generic;
using AutoHypergrad.Engines.Checkpointing;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Checkpointing;

/// <summary>
/// Runs a schedule on a fake chain whose states are their step indices, asserting on every action that it is legal:
/// Store copies the working state it names into a slot below the budget, Restore reads the state the slot really holds,
/// Advance moves forward and never reaches a step still to be reversed, Reverse(t) comes in the order T, …, 1 with the
/// working state at s_(t−1). Slot 0 holds s_0 from the start.
/// </summary>
internal static class ScheduleSimulator
{
    /// <summary>What the replay measured: single steps advanced, and slots used (one more than the highest slot touched).</summary>
    public readonly record struct Replay(long Advances, int SlotsUsed, int Actions);

    public static Replay Run(IEnumerable<CheckpointAction> actions, int steps, int slots)
    {
        var held = new int?[slots];
        held[0] = 0;
        int working = 0, nextReverse = steps, slotsUsed = 1, count = 0;
        long advances = 0;
        foreach (CheckpointAction action in actions)
        {
            count++;
            switch (action.Kind)
            {
                case CheckpointActionKind.Store:
                    Assert.InRange(action.Slot, 0, slots - 1);
                    Assert.Equal(working, action.Step);
                    held[action.Slot] = working;
                    slotsUsed = System.Math.Max(slotsUsed, action.Slot + 1);
                    break;
                case CheckpointActionKind.Restore:
                    Assert.InRange(action.Slot, 0, slots - 1);
                    Assert.Equal(action.Step, held[action.Slot]);
                    working = action.Step;
                    break;
                case CheckpointActionKind.Advance:
                    Assert.InRange(action.Step, working + 1, nextReverse - 1);
                    advances += action.Step - working;
                    working = action.Step;
                    break;
                case CheckpointActionKind.Reverse:
                    Assert.Equal(nextReverse, action.Step);
                    Assert.Equal(action.Step - 1, working);
                    nextReverse--;
                    break;
            }
        }
        Assert.Equal(0, nextReverse);
        return new Replay(advances, slotsUsed, count);
    }
}
