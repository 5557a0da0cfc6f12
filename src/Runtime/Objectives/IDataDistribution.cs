using System;
using System.Numerics;
using AutoHypergrad.Data;

namespace AutoHypergrad.Objectives;

/// <summary>
/// The processes a run's data are split across (the ranks of an MPI run): every process runs the same program on the
/// same arguments, each builds its objectives over its part of the data, and one of them writes the run's files.
/// </summary>
public interface IDataDistribution
{
    /// <summary>The processes of the run.</summary>
    int Processes { get; }

    /// <summary>Whether this process writes the run's files (results, checkpoints) and prints its tables.</summary>
    bool WritesResults { get; }

    /// <summary>
    /// The objective over <paramref name="data"/> (every process passes the same) whose products are those that
    /// <paramref name="build"/> makes of each process's part, summed over the processes.
    /// </summary>
    IObjective<T> Objective<T>(Dataset<T> data, Func<Dataset<T>, IObjective<T>> build)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}
