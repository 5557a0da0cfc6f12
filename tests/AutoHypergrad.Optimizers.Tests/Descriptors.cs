using System;
using System.Linq;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Optimizers.Tests;

internal static class Descriptors
{
    public static Optimizer Of(Type optimizer) => Optimizers.All.Single(d => d.Name == optimizer.Name);
}
