using System;
using System.Collections.Generic;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>The CUDA C of elementwise methods: NVRTC where libnvrtc loads, and the host build (g++) against the C# scalar kernels.</summary>
public sealed partial class CudaChecks
{
    public string Note { get; private set; } = "CUDA: NOT CHECKED (the NVRTC and host g++ comparison of the CUDA C is not implemented in this tester yet)";

    public IEnumerable<(Prog Prog, Finding Finding)> Check(List<(Prog Prog, Type Type)> items) => [];
}
