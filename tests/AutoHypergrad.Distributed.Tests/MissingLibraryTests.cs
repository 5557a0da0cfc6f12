using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace AutoHypergrad.Distributed.Tests;

/// <summary>Without an MPI library, starting MPI is one line that names what was tried and how to install it.</summary>
public sealed class MissingLibraryTests
{
    [Fact]
    public void A_missing_library_is_one_line_naming_it_and_how_to_install_MPICH()
    {
        var (exitCode, _, error) = Mpiexec.Alone(
            Path.GetTempPath(),
            [Path.Combine(AppContext.BaseDirectory, "AutoHypergrad.Distributed.Ranks.dll"), Path.GetTempPath(), "sum", "1", "1"],
            new Dictionary<string, string> { [MpiSession.LibraryVariable] = "libno-such-mpi.so.12" });

        Assert.Equal(3, exitCode);
        Assert.Equal(
            $"MPI library not found: tried libno-such-mpi.so.12; {MpiSession.InstallHint} (or name an MPICH-ABI library in {MpiSession.LibraryVariable}).",
            error.Trim());
    }
}
