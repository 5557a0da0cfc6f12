using System;
using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace AutoHypergrad.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line, for example <c>--filter '*' --job short</c>. Reports go to
/// <c>BenchmarkDotNet.Artifacts/</c> beside the built program (under the ignored <c>bin/</c>) unless
/// <c>--artifacts</c> says otherwise.
/// </summary>
public static class Program
{
    /// <summary>Hands the arguments to BenchmarkDotNet's switcher.</summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance.WithArtifactsPath(
            Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
