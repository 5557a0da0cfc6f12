using System;
using AutoHypergrad.Data;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>
/// The real MNIST, found by <see cref="MnistLocator"/> and read once for all the tests of a class. When it is missing, every test
/// that uses it fails (it is not skipped), saying where it was looked for.
/// </summary>
public sealed class MnistFixture
{
    public MnistFixture()
    {
        Directory = MnistLocator.Find() ?? throw new InvalidOperationException(
            $"MNIST was not found: looked in {string.Join(", ", MnistLocator.Candidates())} "
            + $"(environment variable {MnistLocator.EnvironmentVariable}: '{Environment.GetEnvironmentVariable(MnistLocator.EnvironmentVariable)}'). "
            + "Run 'bash scripts/get-mnist.sh' in the repository, or set the environment variable to a directory holding the four IDX files.");
        Train = MnistReader.Read<float>(Directory, MnistSplit.Train);
        Test = MnistReader.Read<float>(Directory, MnistSplit.Test);
    }

    public string Directory { get; }

    public Dataset<float> Train { get; }

    public Dataset<float> Test { get; }
}
