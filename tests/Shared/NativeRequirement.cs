using System;
using System.IO;

namespace AutoHypergrad.Testing;

/// <summary>
/// Something outside .NET that some tests need (a native library, a GPU): either it is there, or those tests are
/// skipped with a reason that names it and how to install it.
/// </summary>
/// <remarks>
/// <para>
/// A machine with only the .NET SDK runs the README's test command with 0 failures: the tests that need OpenBLAS or
/// NVRTC are skipped there. So that a skip is never silent, the first skip writes one line to
/// <c>skipped-{Name}.txt</c> beside the test assembly, and Directory.Build.targets prints it after the test run.
/// </para>
/// <para>
/// Where the variable <see cref="RequireVariable"/> is <c>1</c> (.ci/run sets it after installing the library), the
/// tests are not skipped: they run and fail where the library does not load, so CI never skips them silently.
/// </para>
/// </remarks>
internal sealed class NativeRequirement
{
    /// <summary>The files' prefix; Directory.Build.targets prints <c>$(TargetDir)skipped-*.txt</c>.</summary>
    public const string NotePrefix = "skipped-";

    private readonly Lazy<string?> _skipReason;

    /// <param name="name">What is needed, as a user knows it: "OpenBLAS", "NVRTC", "a CUDA GPU".</param>
    /// <param name="requireVariable">The environment variable that turns the skip into a failure, or null.</param>
    /// <param name="missing">Null where the thing is there; else why not, and how to install it.</param>
    public NativeRequirement(string name, string? requireVariable, Func<string?> missing)
    {
        Name = name;
        RequireVariable = requireVariable;
        _skipReason = new Lazy<string?>(() => Decide(missing));
    }

    public string Name { get; }

    public string? RequireVariable { get; }

    /// <summary>Whether the environment requires it (the tests must run, and fail where it is missing).</summary>
    public bool IsRequired => RequireVariable is not null && Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Null where the tests run; else the skip reason, which names the library and how to install it.</summary>
    public string? SkipReason => _skipReason.Value;

    private string? Decide(Func<string?> missing)
    {
        if (IsRequired)
        {
            return null;
        }

        string? why = missing();
        if (why is null)
        {
            return null;
        }

        WriteNote($"skipped the tests that need {Name}: {why}");
        return $"needs {Name}: {why}";
    }

    private void WriteNote(string line)
    {
        string file = Path.Combine(AppContext.BaseDirectory, NotePrefix + Sanitize(Name) + ".txt");
        try
        {
            File.WriteAllText(file, line + "\n");
        }
        catch (IOException)
        {
            // The note is a courtesy; the skip reasons are in the test results either way.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Sanitize(string name)
    {
        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = char.IsLetterOrDigit(chars[i]) ? char.ToLowerInvariant(chars[i]) : '-';
        }

        return new string(chars);
    }
}
