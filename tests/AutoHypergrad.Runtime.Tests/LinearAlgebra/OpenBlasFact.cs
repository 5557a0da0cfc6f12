using AutoHypergrad.LinearAlgebra;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>OpenBLAS for the tests of its binding: loaded, or why not and how to install it.</summary>
internal static class OpenBlas
{
    public static readonly NativeRequirement Requirement = new(
        "OpenBLAS",
        "AUTOHYPERGRAD_REQUIRE_OPENBLAS",
        () => OpenBlasLibrary.Instance is null
            ? $"it did not load ({OpenBlasLibrary.LoadReport}); install Debian's libopenblas0 (sudo apt-get install libopenblas0)"
            : null);
}

/// <summary>A fact about OpenBLAS: skipped, with the reason, where it does not load (and is not required).</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute() => Skip = OpenBlas.Requirement.SkipReason;
}

/// <summary>A theory about OpenBLAS: skipped, with the reason, where it does not load (and is not required).</summary>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute() => Skip = OpenBlas.Requirement.SkipReason;
}
