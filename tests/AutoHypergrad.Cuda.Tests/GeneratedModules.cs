using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Steps;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>The generated CUDA module of every optimizer in src/Optimizers, in float and double.</summary>
public static class GeneratedModules
{
    public static CudaModuleSource Of(Optimizer optimizer, bool single)
        => (single ? CudaModuleSource.Find<float>(optimizer.Type, "Step") : CudaModuleSource.Find<double>(optimizer.Type, "Step"))
           ?? throw new Xunit.Sdk.XunitException($"{optimizer.Name}.Step has no generated CUDA module in {(single ? "float" : "double")}.");

    /// <summary>Every (optimizer, precision) pair, for theories.</summary>
    public static TheoryData<string, bool> All()
    {
        var data = new TheoryData<string, bool>();
        foreach (var optimizer in AutoHypergrad.Optimizers.Optimizers.All)
        {
            data.Add(optimizer.Name, false);
            data.Add(optimizer.Name, true);
        }

        return data;
    }

    public static IEnumerable<CudaModuleSource> Every()
        => AutoHypergrad.Optimizers.Optimizers.All.SelectMany(o => new[] { Of(o, false), Of(o, true) });
}
