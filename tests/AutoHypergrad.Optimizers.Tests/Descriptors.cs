using System;
using System.Linq;

namespace AutoHypergrad.Optimizers.Tests;

internal static class Descriptors
{
    public static OptimizerDescriptor Of(Type optimizer) => Optimizers.All.Single(d => d.Type == optimizer);
}
