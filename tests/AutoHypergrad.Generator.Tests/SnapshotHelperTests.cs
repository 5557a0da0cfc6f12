using System;
using System.IO;
using Xunit;

namespace AutoHypergrad.Generator.Tests;

public sealed class SnapshotHelperTests : IDisposable
{
    private readonly string _directory;

    public SnapshotHelperTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ahg-snapshot-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Matching_text_passes_whatever_the_line_endings()
    {
        File.WriteAllText(Path.Combine(_directory, "same.verified.cs"), "line 1\r\nline 2\r\n");
        var snapshot = new Snapshot(_directory, accept: false);

        snapshot.Check("line 1\nline 2\n", "same");
        snapshot.Check("line 1\rline 2", "same");

        Assert.False(File.Exists(snapshot.ReceivedPath("same")));
    }

    [Fact]
    public void Mismatch_fails_with_a_diff_naming_the_line_and_writes_received()
    {
        var verified = "class C\n{\n    int a;\n    int b;\n    int c;\n    int d;\n    int e;\n}\n";
        var received = "class C\n{\n    int a;\n    int b;\n    int CHANGED;\n    int d;\n    int e;\n}\n";
        File.WriteAllText(Path.Combine(_directory, "mismatch.verified.cs"), verified);
        var snapshot = new Snapshot(_directory, accept: false);

        var ex = Assert.Throws<SnapshotMismatchException>(() => snapshot.Check(received, "mismatch"));

        Assert.Contains("mismatch", ex.Message);
        Assert.Contains("-    5 |     int c;", ex.Message);
        Assert.Contains("+    5 |     int CHANGED;", ex.Message);
        Assert.Contains("     4 |     int b;", ex.Message); // context before
        Assert.Contains("     6 |     int d;", ex.Message); // context after
        Assert.Contains("@@ verified line 2, received line 2 @@", ex.Message);
        Assert.Contains(Snapshot.AcceptVariable, ex.Message);
        Assert.Equal(received, File.ReadAllText(snapshot.ReceivedPath("mismatch")));
        Assert.Equal(verified, File.ReadAllText(snapshot.VerifiedPath("mismatch"))); // untouched
    }

    [Fact]
    public void Missing_verified_file_fails_and_says_how_to_accept()
    {
        var snapshot = new Snapshot(_directory, accept: false);

        var ex = Assert.Throws<SnapshotMismatchException>(() => snapshot.Check("new text\n", "missing"));

        Assert.Contains("missing.verified.cs", ex.Message);
        Assert.Contains(Snapshot.AcceptVariable + "=1", ex.Message);
        Assert.Equal("new text\n", File.ReadAllText(snapshot.ReceivedPath("missing")));
        Assert.False(File.Exists(snapshot.VerifiedPath("missing")));
    }

    [Fact]
    public void Accept_mode_writes_the_verified_file_and_passes()
    {
        File.WriteAllText(Path.Combine(_directory, "accepted.verified.cs"), "old\n");
        File.WriteAllText(Path.Combine(_directory, "accepted.received.cs"), "stale\n");
        var accepting = new Snapshot(_directory, accept: true);

        accepting.Check("new 1\r\nnew 2", "accepted");
        accepting.Check("fresh\n", "brand-new");

        Assert.Equal("new 1\nnew 2\n", File.ReadAllText(accepting.VerifiedPath("accepted")));
        Assert.False(File.Exists(accepting.ReceivedPath("accepted")));
        Assert.Equal("fresh\n", File.ReadAllText(accepting.VerifiedPath("brand-new")));

        // And what was accepted now verifies.
        var verifying = new Snapshot(_directory, accept: false);
        verifying.Check("new 1\nnew 2\n", "accepted");
    }

    [Fact]
    public void Accept_mode_creates_the_directory()
    {
        var nested = Path.Combine(_directory, "does", "not", "exist");
        new Snapshot(nested, accept: true).Check("x\n", "created");

        Assert.True(File.Exists(Path.Combine(nested, "created.verified.cs")));
    }

    [Fact]
    public void Source_file_snapshots_live_beside_the_calling_test_not_in_bin()
    {
        var snapshot = Snapshot.ForSourceFile();

        Assert.Equal("Snapshots", Path.GetFileName(snapshot.Directory));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(snapshot.Directory)!, "AutoHypergrad.Generator.Tests.csproj")));
        Assert.DoesNotContain(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, snapshot.Directory);
    }

    [Fact]
    public void Diff_of_an_insertion_and_a_deletion()
    {
        var diff = LineDiff.Render("a\nb\nc\nd\n", "a\nc\nd\ne\n", context: 1);

        Assert.Contains("-    2 | b", diff);
        Assert.Contains("+    4 | e", diff);
        Assert.Equal(string.Empty, LineDiff.Render("same\n", "same"));
    }

    [Fact]
    public void Diff_edit_script_reproduces_both_texts()
    {
        var expected = new[] { "x", "a", "b", "c", "y", "z" };
        var actual = new[] { "a", "q", "c", "y", "w", "z" };

        var edits = LineDiff.Compute(expected, actual);

        Assert.Equal(expected, edits.FindAll(e => e.Kind != '+').ConvertAll(e => e.Text));
        Assert.Equal(actual, edits.FindAll(e => e.Kind != '-').ConvertAll(e => e.Text));
        Assert.Equal(4, edits.FindAll(e => e.Kind == ' ').Count); // LCS a, c, y, z
    }
}
