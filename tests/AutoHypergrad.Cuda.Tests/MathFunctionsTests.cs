using System;
using System.Linq;
using AutoHypergrad.Testing;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>An elementwise method that calls every Math function the CUDA emitter maps, in double and float.</summary>
public static partial class MathFunctions
{
    [Differentiable]
    public static void Mix(ref double y, double x, [Hyper] double a)
    {
        double s = Math.Max(x, a) + Math.Min(x, -a) + Math.Clamp(x, -0.5, 0.5) + Math.Abs(x) * Math.Sign(x);
        double e = Math.Exp(x * a) + Math.Log(x * x + 1.0) + Math.Tanh(x) + Math.Sin(x) * Math.Cos(a);
        y = Math.FusedMultiplyAdd(s, e, y) + Math.Pow(Math.Abs(x) + 1.0, a) + Math.Sqrt(y * y + 1.0);
    }

    [Differentiable]
    public static void Mix(ref float y, float x, [Hyper] float a)
    {
        float s = MathF.Max(x, a) + MathF.Min(x, -a) + Math.Clamp(x, -0.5f, 0.5f) + MathF.Abs(x) * MathF.Sign(x);
        float e = MathF.Exp(x * a) + MathF.Log(x * x + 1.0f) + MathF.Tanh(x) + MathF.Sin(x) * MathF.Cos(a);
        y = MathF.FusedMultiplyAdd(s, e, y) + MathF.Pow(MathF.Abs(x) + 1.0f, a) + MathF.Sqrt(y * y + 1.0f);
    }
}

/// <summary>
/// The mapped Math functions (Max, Min, Clamp, Abs, Sign, Exp, Log, Tanh, Sin, Cos, FusedMultiplyAdd, Pow, Sqrt):
/// the module compiles with NVRTC without a warning, and its host build computes the primal, the tangent and the
/// adjoint with the bits of the generated C# scalar methods, element by element, on inputs that include ±0 and ties
/// (Max and Min of equal values, Clamp at its bounds).
/// </summary>
public sealed unsafe class MathFunctionsTests
{
    private static readonly double[] Inputs = [0.0, -0.0, 0.5, -0.5, 0.25, -0.75, 1.5, -2.0, 0.3, 3.0];

    [NvrtcFact]
    public void Compiles_with_NVRTC_without_warnings()
    {
        foreach (var module in new[] { MathFunctions.MixCudaDouble.Module, MathFunctions.MixCudaSingle.Module })
        {
            Assert.Equal(string.Empty, CudaCompiler.Compile(module, "sm_80").Log);
        }
    }

    [Fact]
    public void Host_build_matches_the_CSharp_bit_for_bit_in_double()
    {
        const double a = 0.5;
        int n = Inputs.Length;
        var x = Inputs;
        var y = x.Select(v => 1 - v).ToArray();
        var xDot = x.Select(v => 0.25 + v).ToArray();
        var yDot = x.Select(v => v - 0.125).ToArray();
        var yBar = x.Select(v => 2 * v + 1).ToArray();

        // C#, element by element; a's adjoint summed in element order from 0.
        var yStep = (double[])y.Clone();
        var yTangent = (double[])y.Clone();
        var yDotOut = (double[])yDot.Clone();
        var yBarOut = (double[])yBar.Clone();
        var xBar = new double[n];
        double aBar = 0;
        for (int i = 0; i < n; i++)
        {
            MathFunctions.Mix(ref yStep[i], x[i], a);
            MathFunctions.MixTangent(ref yTangent[i], ref yDotOut[i], x[i], xDot[i], a, 0.75);
            MathFunctions.MixAdjoint(y[i], ref yBarOut[i], x[i], ref xBar[i], a, ref aBar);
        }

        var module = MathFunctions.MixCudaDouble.Module;
        using var device = new HostDevice();
        var loaded = device.Load(module);
        using var dy = new DeviceBuffer<double>(device, y);
        using var dx = new DeviceBuffer<double>(device, x);
        Launch(loaded, module.Primal, n, [(long)n, dy.Pointer, dx.Pointer, a]);
        Assert.Equal(Bits(yStep), Bits(dy.ToArray()));

        using var ty = new DeviceBuffer<double>(device, y);
        using var tyDot = new DeviceBuffer<double>(device, yDot);
        using var txDot = new DeviceBuffer<double>(device, xDot);
        using var aDot = new DeviceBuffer<double>(device, [0.75]);
        Launch(loaded, module.Tangent, n, [(long)n, 1, ty.Pointer, tyDot.Pointer, dx.Pointer, txDot.Pointer, a, aDot.Pointer]);
        Assert.Equal(Bits(yTangent), Bits(ty.ToArray()));
        Assert.Equal(Bits(yDotOut), Bits(tyDot.ToArray()));

        using var ay = new DeviceBuffer<double>(device, y);
        using var ayBar = new DeviceBuffer<double>(device, yBar);
        using var axBar = new DeviceBuffer<double>(device, new double[n]);
        using var aaBar = new DeviceBuffer<double>(device, [0.0]);
        Launch(loaded, module.Adjoint, n, [(long)n, ay.Pointer, ayBar.Pointer, dx.Pointer, axBar.Pointer, a, aaBar.Pointer]);
        Assert.Equal(Bits(yBarOut), Bits(ayBar.ToArray()));
        Assert.Equal(Bits(xBar), Bits(axBar.ToArray()));
        Assert.Equal(BitConverter.DoubleToInt64Bits(aBar), BitConverter.DoubleToInt64Bits(aaBar.ToArray()[0]));
    }

    [Fact]
    public void Host_build_matches_the_CSharp_bit_for_bit_in_float()
    {
        const float a = 0.5f;
        var x = Inputs.Select(v => (float)v).ToArray();
        var y = x.Select(v => 1 - v).ToArray();
        var expected = (float[])y.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            MathFunctions.Mix(ref expected[i], x[i], a);
        }

        var module = MathFunctions.MixCudaSingle.Module;
        using var device = new HostDevice();
        using var dy = new DeviceBuffer<float>(device, y);
        using var dx = new DeviceBuffer<float>(device, x);
        Launch(device.Load(module), module.Primal, x.Length, [(long)x.Length, dy.Pointer, dx.Pointer, a]);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), dy.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static void Launch(ILoadedModule module, CudaKernelSignature kernel, int n, object[] arguments)
        => KernelLaunch.Launch(module, kernel, n, arguments);
}
