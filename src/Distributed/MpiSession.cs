using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using AutoHypergrad.Data;
using AutoHypergrad.Objectives;
using AutoHypergrad.Outer;

namespace AutoHypergrad.Distributed;

/// <summary>MPI could not be used: MPICH's library did not load.</summary>
public sealed class MpiUnavailableException(string message) : Exception(message);

/// <summary>
/// This process's part in an MPI run (<c>mpiexec -n N …</c>): its rank among <see cref="Size"/> processes. One per
/// process, started once and disposed at the end (MPI cannot be started again after it is finalized). A process
/// started without a launcher is a run of one rank.
/// </summary>
/// <remarks>
/// MPI.NET 1.4.0 is built against MS-MPI and calls <c>msmpi.dll</c>; MPICH shares MS-MPI's handle ABI (integer
/// handles), so the calls are routed to MPICH's library. Open MPI's ABI differs (handles are pointers) and is not
/// supported.
/// </remarks>
public sealed class MpiSession : IDisposable, IDataDistribution, ITrialGroup
{
    /// <summary>The variable that names the MPI library to load (a path or a name), for an MPICH-ABI library elsewhere.</summary>
    public const string LibraryVariable = "AUTOHYPERGRAD_MPI_LIBRARY";

    /// <summary>
    /// The libraries tried, in order: <see cref="LibraryVariable"/>'s alone where it is set; else the names MPICH's
    /// library goes by (Debian's, the MPICH ABI's common name, an unversioned link).
    /// </summary>
    public static IReadOnlyList<string> LibraryNames
        => Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen ? [chosen] : ["libmpich.so.12", "libmpi.so.12", "libmpich.so"];

    /// <summary>How to install what is missing, for messages.</summary>
    public const string InstallHint = "install MPICH (Debian: sudo apt-get install mpich); Open MPI's ABI is not supported";

    private static readonly object Gate = new();
    private static nint _library;
    private static MpiSession? _current;
    private readonly MPI.Environment _environment;

    private MpiSession(MPI.Environment environment)
    {
        _environment = environment;
        World = MPI.Communicator.world;
        Rank = World.Rank;
        Size = World.Size;
    }

    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>The processes of the run.</summary>
    public int Size { get; }

    /// <summary>Whether this is rank 0, which writes the run's files and prints its tables.</summary>
    public bool IsRoot => Rank == 0;

    internal MPI.Intracommunicator World { get; }

    /// <summary>What this rank's sums over the ranks have sent and cost so far.</summary>
    public MpiTraffic Traffic { get; } = new();

    int IDataDistribution.Processes => Size;

    bool IDataDistribution.WritesResults => IsRoot;

    int ITrialGroup.Process => Rank;

    int ITrialGroup.Processes => Size;

    /// <summary>Every rank's <paramref name="own"/> text, in rank order, on every rank: their lengths, then their UTF-8 bytes, each gathered by MPI.</summary>
    public IReadOnlyList<string> Share(string own)
    {
        ArgumentNullException.ThrowIfNull(own);
        byte[] bytes = Encoding.UTF8.GetBytes(own);
        int[] lengths = World.Allgather(bytes.Length);
        byte[]? all = null;
        World.AllgatherFlattened(bytes, lengths, ref all);
        var texts = new string[Size];
        for (int rank = 0, start = 0; rank < Size; start += lengths[rank], rank++)
        {
            texts[rank] = Encoding.UTF8.GetString(all!, start, lengths[rank]);
        }

        return texts;
    }

    /// <summary>A <see cref="DataParallelObjective{T}"/> over <paramref name="data"/>, this rank's part built by <paramref name="build"/>.</summary>
    public IObjective<T> Objective<T>(Dataset<T> data, Func<Dataset<T>, IObjective<T>> build)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => DataParallelObjective<T>.Over(this, data, build);

    /// <summary>
    /// Starts MPI for this process (once; later calls return the same session). <paramref name="args"/> are the
    /// program's arguments, which MPI may read.
    /// </summary>
    /// <exception cref="MpiUnavailableException">MPICH's library is not installed; the message says what was tried and how to install it.</exception>
    public static MpiSession Start(string[] args)
    {
        lock (Gate)
        {
            if (_current is not null)
            {
                return _current;
            }

            LoadLibrary();
            var arguments = args ?? [];
            _current = new MpiSession(new MPI.Environment(ref arguments));
            return _current;
        }
    }

    /// <summary>Finalizes MPI; every rank must call it (the launcher waits for all of them).</summary>
    public void Dispose() => _environment.Dispose();

    /// <summary>Loads MPICH and routes MPI.NET's calls to <c>msmpi.dll</c> to it.</summary>
    private static void LoadLibrary()
    {
        if (_library != 0)
        {
            return;
        }

        foreach (string name in LibraryNames.ToArray())
        {
            if (NativeLibrary.TryLoad(name, out _library))
            {
                NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, Resolve);
                return;
            }
        }

        throw new MpiUnavailableException($"MPI library not found: tried {string.Join(", ", LibraryNames)}; {InstallHint} (or name an MPICH-ABI library in {LibraryVariable}).");
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
        => name.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase) ? _library : 0;
}
