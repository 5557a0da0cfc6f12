using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>MPICH's launcher and library: there, or why not and how to install them.</summary>
internal static class Mpiexec
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static readonly NativeRequirement Requirement = new("MPICH", "AUTOHYPERGRAD_REQUIRE_MPI", Missing);

    /// <summary>MPICH's launcher: <c>mpiexec.mpich</c> (Debian's name beside Open MPI's), else an <c>mpiexec</c> on the path.</summary>
    private static readonly Lazy<string?> Launcher = new(() => new[] { "mpiexec.mpich", "mpiexec" }.Select(OnPath).FirstOrDefault(p => p is not null));

    private static string RankProgram => Path.Combine(AppContext.BaseDirectory, "AutoHypergrad.Distributed.Ranks.dll");

    /// <summary>
    /// Runs the rank program's <paramref name="scenario"/> on <paramref name="ranks"/> processes and returns each rank's
    /// result, by rank; any other outcome fails the test with what the processes printed.
    /// </summary>
    public static string[] Run(int ranks, params string[] scenario)
    {
        string directory = Directory.CreateTempSubdirectory("autohypergrad-mpi-").FullName;
        try
        {
            var (exitCode, output, error) = Launch(ranks, directory, [RankProgram, directory, .. scenario]);
            Assert.True(exitCode == 0, $"mpiexec exited with {exitCode}: {error}{output}");
            return Enumerable.Range(0, ranks).Select(rank => File.ReadAllText(Path.Combine(directory, $"rank-{rank}-of-{ranks}.txt"))).ToArray();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary><c>mpiexec -n <paramref name="ranks"/> dotnet <paramref name="arguments"/></c> in <paramref name="directory"/>, to the end (or the test fails after <see cref="Timeout"/>).</summary>
    public static (int ExitCode, string Output, string Error) Launch(int ranks, string directory, string[] arguments)
        => Execute(Launcher.Value ?? throw new InvalidOperationException("No mpiexec."), ["-n", $"{ranks}", "dotnet", .. arguments], directory);

    /// <summary>
    /// <c>dotnet <paramref name="arguments"/></c> in <paramref name="directory"/> as one process, without a launcher, with
    /// <paramref name="environment"/> added to its environment; to the end (or the test fails after <see cref="Timeout"/>).
    /// </summary>
    public static (int ExitCode, string Output, string Error) Alone(string directory, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
        => Execute("dotnet", arguments, directory, environment);

    private static (int ExitCode, string Output, string Error) Execute(
        string program, string[] arguments, string directory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran past {Timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Kills (SIGKILL) the process of rank <paramref name="rank"/> whose command line contains <paramref name="command"/>: the one whose environment says PMI_RANK=<paramref name="rank"/>.</summary>
    public static void KillRank(int rank, string command)
    {
        foreach (var process in Process.GetProcessesByName("dotnet"))
        {
            string root = Path.Combine("/proc", $"{process.Id}");
            try
            {
                bool ours = File.ReadAllText(Path.Combine(root, "cmdline")).Contains(command, StringComparison.Ordinal);
                bool ranked = File.ReadAllText(Path.Combine(root, "environ")).Split('\0').Contains($"PMI_RANK={rank}");
                if (ours && ranked)
                {
                    process.Kill();
                    return;
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException($"No process of rank {rank} running {command}.");
    }

    private static string? Missing()
    {
        if (Launcher.Value is null)
        {
            return $"mpiexec.mpich is not on the path; {MpiSession.InstallHint}";
        }

        foreach (string name in MpiSession.LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }
        }

        return $"MPICH's library did not load (tried {string.Join(", ", MpiSession.LibraryNames)}); {MpiSession.InstallHint}";
    }

    private static string? OnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact that runs ranks under mpiexec: skipped, with the reason, where MPICH is missing (and not required).</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute() => Skip = Mpiexec.Requirement.SkipReason;
}

/// <summary>A theory that runs ranks under mpiexec: skipped, with the reason, where MPICH is missing (and not required).</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute() => Skip = Mpiexec.Requirement.SkipReason;
}
