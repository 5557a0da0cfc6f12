using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>Without an MPI library, starting MPI is one line that names what was tried and how to install it.</summary>
public sealed class MissingLibraryTests
{
    [Fact]
    public void A_missing_library_is_one_line_naming_it_and_how_to_install_MPICH()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoHypergrad.Distributed.Ranks.dll"));
        start.ArgumentList.Add(Path.GetTempPath());
        start.ArgumentList.Add("sum");
        start.ArgumentList.Add("1");
        start.ArgumentList.Add("1");
        start.Environment[MpiSession.LibraryVariable] = "libno-such-mpi.so.12";
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(3, process.ExitCode);
        Assert.Equal(
            $"MPI library not found: tried libno-such-mpi.so.12; {MpiSession.InstallHint} (or name an MPICH-ABI library in {MpiSession.LibraryVariable}).",
            error.Trim());
    }
}
