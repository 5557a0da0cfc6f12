using System;
using System.IO;
using AutoHypergrad.Data;
using Xunit;
using static AutoHypergrad.Runtime.Tests.Data.IdxFiles;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>Tests that set the process's environment, run alone so that no other test sees it changed.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection
{
}

[Collection(nameof(EnvironmentCollection))]
public sealed class MnistLocatorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ExplicitPathIsTheOnlyCandidate()
    {
        WriteFakeMnist(_directory.Path);
        Assert.Equal(_directory.Path, MnistLocator.Find(_directory.Path));
        Assert.Equal([_directory.Path], MnistLocator.Candidates(_directory.Path));

        string empty = Directory.CreateDirectory(Path.Combine(_directory.Path, "empty")).FullName;
        Assert.Null(MnistLocator.Find(empty));
    }

    [Fact]
    public void DirectoryMissingAFileIsNotFound()
    {
        WriteFakeMnist(_directory.Path);
        File.Delete(Path.Combine(_directory.Path, "t10k-labels-idx1-ubyte.gz"));
        Assert.Null(MnistLocator.Find(_directory.Path));
    }

    [Fact]
    public void EnvironmentVariableComesBeforeTheRepository()
    {
        WriteFakeMnist(_directory.Path);
        string? saved = Environment.GetEnvironmentVariable(MnistLocator.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MnistLocator.EnvironmentVariable, _directory.Path);
            Assert.Equal(_directory.Path, MnistLocator.Find());
            Assert.Equal([_directory.Path], MnistLocator.Candidates());

            string other = Directory.CreateDirectory(Path.Combine(_directory.Path, "other")).FullName;
            WriteFakeMnist(other);
            Assert.Equal(other, MnistLocator.Find(other));

            Environment.SetEnvironmentVariable(MnistLocator.EnvironmentVariable, null);
            Assert.Equal(RepositoryCandidates(), MnistLocator.Candidates());
        }
        finally
        {
            Environment.SetEnvironmentVariable(MnistLocator.EnvironmentVariable, saved);
        }
    }

    /// <summary>data/mnist, then ../shared/data/mnist, of the repository holding this test's build output.</summary>
    private static string[] RepositoryCandidates()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "AutoHypergrad.sln")))
        {
            root = root.Parent!;
        }

        return [Path.Combine(root.FullName, "data", "mnist"), Path.Combine(root.Parent!.FullName, "shared", "data", "mnist")];
    }

    /// <summary>The four MNIST files, tiny, in the name variants the reader accepts.</summary>
    private static void WriteFakeMnist(string directory)
    {
        File.WriteAllBytes(Path.Combine(directory, "train-images-idx3-ubyte"), Images(1));
        File.WriteAllBytes(Path.Combine(directory, "train-labels.idx1-ubyte"), Labels(1));
        File.WriteAllBytes(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Gzip(Images(1)));
        File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), Gzip(Labels(1)));
    }
}
