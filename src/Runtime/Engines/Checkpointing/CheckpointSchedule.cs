using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace AutoHypergrad.Engines.Checkpointing;

/// <summary>
/// A schedule that reverses a chain s_t = Φ_t(s_(t−1)), t = 1, …, T, keeping at most <see cref="Slots"/> stored states:
/// the binomial checkpointing of A. Griewank, "Achieving logarithmic growth of temporal and spatial complexity in reverse
/// automatic differentiation", Optimization Methods and Software 1 (1992), as implemented by A. Griewank and A. Walther,
/// "Algorithm 799: Revolve", ACM Transactions on Mathematical Software 26(1) (2000).
/// </summary>
/// <remarks>
/// <para><b>Convention.</b> Memory holds <see cref="Slots"/> stored states plus one working state. At the start the working state
/// is s_0 and slot 0 already holds s_0: no Store is emitted for it, and slot 0 counts toward <see cref="Slots"/>. The schedule
/// runs Reverse(t) for t = T, T − 1, …, 1 in that order, each with the working state at s_(t−1), and every Slot it names is
/// below <see cref="Slots"/> (slots are used as a stack: a Store at slot k happens while slots 0 … k − 1 are live).</para>
/// <para><b>Generation.</b> Enumerating the schedule (<c>foreach</c>) generates the actions lazily from a stack of at most
/// slots + 1 pending segments; the time is O(T + <see cref="AdvanceCount"/>), no more than running the advances. The factory
/// walks the schedule once to measure <see cref="AdvanceCount"/> and <see cref="MaxSlotsUsed"/> (T = 10⁶, 1000 slots: about 0.15 s).
/// <see cref="Actions"/> materialises the list on first use: at most 4T − 3 actions of 12 bytes.</para>
/// </remarks>
public sealed class CheckpointSchedule : IEnumerable<CheckpointAction>
{
    private IReadOnlyList<CheckpointAction>? _actions;

    private CheckpointSchedule(int steps, int slots)
    {
        Steps = steps;
        Slots = slots;
        int step = 0, highestSlot = 0;
        foreach (CheckpointAction action in this)
        {
            switch (action.Kind)
            {
                case CheckpointActionKind.Advance: AdvanceCount += action.Step - step; step = action.Step; break;
                case CheckpointActionKind.Restore: step = action.Step; break;
                case CheckpointActionKind.Reverse: step = action.Step - 1; break;
                case CheckpointActionKind.Store: highestSlot = Math.Max(highestSlot, action.Slot); break;
            }
        }
        MaxSlotsUsed = highestSlot + 1;
    }

    /// <summary>The number of steps T to reverse.</summary>
    public int Steps { get; }

    /// <summary>The number of stored states allowed, slot 0 (holding s_0) included.</summary>
    public int Slots { get; }

    /// <summary>The total number of single steps advanced by the schedule (a Reverse is not counted).</summary>
    public long AdvanceCount { get; }

    /// <summary>The number of slots the schedule uses: one more than the highest slot it stores into (1 when it stores nothing).</summary>
    public int MaxSlotsUsed { get; }

    /// <summary>The actions in order, materialised on first use (enumerate the schedule itself to stream them).</summary>
    public IReadOnlyList<CheckpointAction> Actions => _actions ??= Array.AsReadOnly(this.ToArray());

    /// <summary>The schedule with the fewest advances that reverses <paramref name="steps"/> steps within <paramref name="slots"/> slots.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> or <paramref name="slots"/> is below 1.</exception>
    public static CheckpointSchedule Revolve(int steps, int slots)
    {
        Validate(steps, slots);
        return new CheckpointSchedule(steps, slots);
    }

    /// <summary>
    /// No recomputation: slots = steps, each of s_1, …, s_(T−2) is stored once (s_0 is in slot 0 from the start, s_(T−1) is the
    /// working state when Reverse(T) runs), T − 1 advances. It is <see cref="Revolve"/> with a slot per step.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    public static CheckpointSchedule StoreAll(int steps) => Revolve(steps, steps);

    /// <summary>
    /// The fewest advances that reverse <paramref name="steps"/> = l steps with <paramref name="slots"/> = c slots (the start's
    /// included): t(l, c) = r·l − β(c + 1, r − 1), where β(c, r) = C(c + r, c) and r is the least repetition number with
    /// β(c, r) ≥ l (Griewank 1992, Griewank &amp; Walther 2000).
    /// </summary>
    /// <remarks>
    /// β(c, r) is the most steps c slots reverse advancing no step more than r times. The recursion F(l, c) = min over
    /// 1 ≤ j &lt; l of j + F(l − j, c − 1) + F(j, c), F(1, c) = 0, F(l, 1) = l(l − 1)/2, has this solution: with one slot
    /// r = l − 1 and t = l(l − 1) − C(l, 2) = l(l − 1)/2; with c ≥ l − 1 slots r = 1 and t = l − 1; and a split taking the right
    /// part in its range r and the left part in its range r − 1 costs j + r(l − j) − β(c, r − 1) + (r − 1)j − β(c + 1, r − 2),
    /// which is t(l, c) by Pascal's rule: the schedule attains t(l, c). That nothing does better is Griewank's theorem; the tests
    /// check it against the recursion for l ≤ 60, c ≤ 8.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> or <paramref name="slots"/> is below 1.</exception>
    public static long OptimalAdvanceCount(int steps, int slots)
    {
        Validate(steps, slots);
        var (r, _, last, _) = Binomials(steps, slots);
        return (long)r * steps - last * ((long)slots + r) / ((long)slots + 1);   // β(c + 1, r − 1) = β(c, r − 1)·(c + r)/(c + 1)
    }

    /// <summary>Streams the actions; see the remarks on the class for the cost.</summary>
    public IEnumerator<CheckpointAction> GetEnumerator()
    {
        // Each segment reverses Length steps from Start, whose state is in Slot, with Slots slots (that one included);
        // the working state is s_Start when it begins, after a Restore where RestoreFirst says so.
        var pending = new Stack<Segment>();
        pending.Push(new Segment(0, Steps, Slots, 0, RestoreFirst: false));
        while (pending.TryPop(out Segment segment))
        {
            if (segment.RestoreFirst)
                yield return new(CheckpointActionKind.Restore, segment.Start, segment.Slot);
            if (segment.Length == 1)
            {
                yield return new(CheckpointActionKind.Reverse, segment.Start + 1, 0);
                continue;
            }

            int split = Split(segment.Length, segment.Slots), middle = segment.Start + split, right = segment.Length - split;
            yield return new(CheckpointActionKind.Advance, middle, 0);
            if (right > 1)   // a one-step right part is reversed from the working state: no need to store it
                yield return new(CheckpointActionKind.Store, middle, segment.Slot + 1);
            pending.Push(segment with { Length = split, RestoreFirst = true });
            pending.Push(new Segment(middle, right, segment.Slots - 1, segment.Slot + 1, RestoreFirst: false));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private readonly record struct Segment(int Start, int Length, int Slots, int Slot, bool RestoreFirst);

    /// <summary>
    /// The first advance j for l ≥ 2 steps with c slots. Any j with β(c, r − 2) ≤ j ≤ β(c, r − 1) and
    /// β(c − 1, r − 1) ≤ l − j ≤ β(c − 1, r) puts the left part in range r − 1 and the right part in range r, which costs
    /// t(l, c) (see <see cref="OptimalAdvanceCount"/>); the interval is not empty because β(c, r − 1) &lt; l ≤ β(c, r).
    /// Take its smallest point.
    /// </summary>
    private static int Split(int steps, int slots)
    {
        var (_, beforeLast, last, current) = Binomials(steps, slots);
        return (int)Math.Max(Math.Max(1, beforeLast), steps - (current - last));   // β(c − 1, r) = β(c, r) − β(c, r − 1)
    }

    /// <summary>The repetition number r (the least with β(c, r) ≥ l) and β(c, r − 2), β(c, r − 1), β(c, r); β(c, i &lt; 0) = 0.</summary>
    private static (int R, long BeforeLast, long Last, long Current) Binomials(int steps, int slots)
    {
        if (slots == 1)   // β(1, r) = r + 1: skip the loop, which would take l − 1 turns
        {
            int r = steps - 1;
            return (r, Math.Max(0, r - 1), r, r + 1);
        }

        int repetitions = 0;
        long beforeLast = 0, last = 0, current = 1;
        while (current < steps)
        {
            repetitions++;
            (beforeLast, last) = (last, current);
            current = current * ((long)slots + repetitions) / repetitions;   // exact: C(n, k) = C(n − 1, k − 1)·n/k
        }
        return (repetitions, beforeLast, last, current);
    }

    private static void Validate(int steps, int slots)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "A checkpoint schedule reverses at least one step.");
        if (slots < 1)
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "A checkpoint schedule needs at least one slot: slot 0 holds s_0.");
    }
}
