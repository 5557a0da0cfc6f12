namespace AutoHypergrad.Engines.Checkpointing;

/// <summary>What a <see cref="CheckpointAction"/> does to the working state and the slots.</summary>
public enum CheckpointActionKind
{
    /// <summary>Copy the working state, which is s_Step, into <see cref="CheckpointAction.Slot"/>.</summary>
    Store,

    /// <summary>Overwrite the working state from <see cref="CheckpointAction.Slot"/>, which holds s_Step.</summary>
    Restore,

    /// <summary>Advance the working state from its current step to <see cref="CheckpointAction.Step"/>, one step at a time (cost: the difference).</summary>
    Advance,

    /// <summary>Run the adjoint of step <see cref="CheckpointAction.Step"/>; the working state is s_(Step−1) before and after.</summary>
    Reverse,
}

/// <summary>One instruction of a <see cref="CheckpointSchedule"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Step">The step the working state is at (Store, Restore), reaches (Advance) or whose adjoint runs (Reverse).</param>
/// <param name="Slot">The slot read or written by Store and Restore; 0 for Advance and Reverse.</param>
public readonly record struct CheckpointAction(CheckpointActionKind Kind, int Step, int Slot);
