using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using AutoHypergrad.Distributed;
using Spectre.Console;

namespace AutoHypergrad.Cli.Commands;

/// <summary>
/// A command started by <c>mpiexec -n N</c> (N &gt; 1) runs as one of N ranks: MPI is started, the data are split across
/// the ranks, and only rank 0 prints and writes files. MPICH's launcher says so in <c>PMI_SIZE</c>; without it the
/// command runs alone, and the MPI backend's assembly is not loaded.
/// </summary>
internal static class MpiLaunch
{
    /// <summary>The ranks, where the command was started by an MPI launcher with several; null otherwise.</summary>
    /// <exception cref="MpiUnavailableException">MPICH's library is missing; the message says what was tried and how to install it.</exception>
    public static MpiSession? Join()
        => Launched ? Start() : null;

    /// <summary>Whether an MPI launcher started this command as one of several ranks (<c>PMI_SIZE</c> &gt; 1).</summary>
    public static bool Launched => int.TryParse(Environment.GetEnvironmentVariable("PMI_SIZE"), out int size) && size > 1;

    /// <summary>This process's rank where <see cref="Launched"/> (<c>PMI_RANK</c>, known before MPI starts); 0 otherwise.</summary>
    public static int Rank => Launched && int.TryParse(Environment.GetEnvironmentVariable("PMI_RANK"), out int rank) ? rank : 0;

    /// <summary>
    /// Rank 0's <paramref name="value"/> on every rank (the value itself without ranks): what rank 0 alone computed,
    /// such as the wall time a baseline's search is given.
    /// </summary>
    public static double FromRoot(MpiSession? ranks, double value)
        => ranks is null ? value : double.Parse(ranks.Share(ranks.IsRoot ? value.ToString("R", CultureInfo.InvariantCulture) : string.Empty)[0], CultureInfo.InvariantCulture);

    /// <summary>Starts MPI and, on every rank but 0, silences the console: the ranks take the same steps and rank 0 reports them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MpiSession Start()
    {
        var session = MpiSession.Start(Environment.GetCommandLineArgs());
        if (!session.IsRoot)
        {
            Console.SetOut(TextWriter.Null);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        }

        return session;
    }
}

/// <summary>Rank 0's sums over the ranks of an MPI run: how many, the messages and bytes it sent, and their wall time (waits included).</summary>
internal sealed record RankTraffic(long Sums, long Messages, long Bytes, double Seconds)
{
    public static RankTraffic? Of(MpiSession? session)
        => session?.Traffic is { } t ? new RankTraffic(t.Sums, t.Messages, t.Bytes, t.Seconds) : null;

    public override string ToString()
        => FormattableString.Invariant($"Rank 0's sums over the ranks: {Sums} sums, {Messages} messages, {Bytes / 1e6:0.0} MB sent, {Seconds:0.0} s in them.");
}
