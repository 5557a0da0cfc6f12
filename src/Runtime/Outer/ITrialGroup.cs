using System.Collections.Generic;

namespace AutoHypergrad.Outer;

/// <summary>
/// The processes that share a search's independent trials (an MPI run's ranks): trial i runs on process
/// i mod <see cref="Processes"/>, whole, on all the data, and the finished trials are shared so that every process
/// ends with all of them.
/// </summary>
public interface ITrialGroup
{
    /// <summary>This process's index, 0 … <see cref="Processes"/> − 1.</summary>
    int Process { get; }

    /// <summary>The processes of the run.</summary>
    int Processes { get; }

    /// <summary>
    /// Every process's <paramref name="own"/> text, in process order, on every process. A collective call: every
    /// process makes it, and none returns before all have made it.
    /// </summary>
    IReadOnlyList<string> Share(string own);
}

/// <summary>One process alone: every trial is its own.</summary>
public sealed class SingleProcess : ITrialGroup
{
    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    private SingleProcess()
    {
    }

    /// <inheritdoc/>
    public int Process => 0;

    /// <inheritdoc/>
    public int Processes => 1;

    /// <inheritdoc/>
    public IReadOnlyList<string> Share(string own) => [own];
}
