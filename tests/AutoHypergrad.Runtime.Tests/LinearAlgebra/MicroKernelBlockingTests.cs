using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using AutoHypergrad.LinearAlgebra;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.LinearAlgebra;

/// <summary>
/// The fused softmax objective picks its register blocks by the processor's vector registers (half-size blocks with 16,
/// AVX2's): the smaller blocks must give every sum the same bits as the larger ones, so that a result does not depend
/// on which blocks ran. Both are compared here on every vector width the machine runs.
/// </summary>
public sealed unsafe class MicroKernelBlockingTests
{
    public static TheoryData<int, int> Lengths => new()
    {
        { 3, 0 },     // shorter than a vector: one element at a time
        { 16, 0 },
        { 37, 0 },    // a masked last vector and scalar tail
        { 37, 3 },    // a masked first vector
        { 784, 0 },   // MNIST
        { 784, 5 },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Two_Dot2x5_give_the_bits_of_one_Dot4x5(int k, int head)
    {
        DotBlocks<float>(k, head);
        DotBlocks<double>(k, head);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(64, 784)]
    [InlineData(7, 100)]
    public void AddOuter1x10_alone_gives_the_bits_of_AddOuter2x10(int rows, int features)
    {
        OuterBlocks<float>(rows, features);
        OuterBlocks<double>(rows, features);
    }

    private static void DotBlocks<T>(int k, int head)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(k * 31 + head);
        T[] a = Draw<T>(random, 4 * k);
        T[] bt = Draw<T>(random, 5 * k);
        if (Vector512.IsHardwareAccelerated)
        {
            Dots<T, Vector512<T>, Ops512<T>>(a, bt, k, head);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Dots<T, Vector256<T>, Ops256<T>>(a, bt, k, head);
        }

        Dots<T, Vector128<T>, Ops128<T>>(a, bt, k, head);
    }

    private static void Dots<T, TVec, TOps>(T[] a, T[] bt, int k, int head)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        if (head >= TOps.Count)
        {
            return;
        }

        var large = new T[20];
        var small = new T[20];
        fixed (T* pa = a, pb = bt, pl = large, ps = small)
        {
            MicroKernels.Dot4x5<T, TVec, TOps>(k, head, pa, pa + k, pa + (2 * k), pa + (3 * k), pb, k, pl);
            MicroKernels.Dot2x5<T, TVec, TOps>(k, head, pa, pa + k, pb, k, ps);
            MicroKernels.Dot2x5<T, TVec, TOps>(k, head, pa + (2 * k), pa + (3 * k), pb, k, ps + 10);
        }

        Assert.Equal(Bits(large), Bits(small));
        Assert.Contains(large, s => s != T.Zero);
    }

    private static void OuterBlocks<T>(int rows, int features)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(rows * 1009 + features);
        T[] x = Draw<T>(random, rows * features);
        T[] delta = Draw<T>(random, rows * 10);
        T[] start = Draw<T>(random, 10 * features);
        if (Vector512.IsHardwareAccelerated)
        {
            Outers<T, Vector512<T>, Ops512<T>>(x, delta, start, rows, features);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Outers<T, Vector256<T>, Ops256<T>>(x, delta, start, rows, features);
        }

        Outers<T, Vector128<T>, Ops128<T>>(x, delta, start, rows, features);
    }

    /// <summary>Gᵀ += Δᵀ·X over the columns both kernels cover: pairs of vectors then one, against one vector at a time.</summary>
    private static void Outers<T, TVec, TOps>(T[] x, T[] delta, T[] start, int rows, int features)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVec : struct
        where TOps : struct, IVectorOps<T, TVec, TOps>
    {
        var large = (T[])start.Clone();
        var small = (T[])start.Clone();
        int covered = features / TOps.Count * TOps.Count;
        fixed (T* px = x, pd = delta, pl = large, ps = small)
        {
            T** rowPointers = stackalloc T*[rows];
            for (int r = 0; r < rows; r++)
            {
                rowPointers[r] = px + (r * features);
            }

            int j = 0;
            for (; j + (2 * TOps.Count) <= covered; j += 2 * TOps.Count)
            {
                MicroKernels.AddOuter2x10<T, TVec, TOps>(rows, rowPointers, j, pd, 10, pl, features);
            }

            for (; j < covered; j += TOps.Count)
            {
                MicroKernels.AddOuter1x10<T, TVec, TOps>(rows, rowPointers, j, pd, 10, pl, features);
            }

            for (j = 0; j < covered; j += TOps.Count)
            {
                MicroKernels.AddOuter1x10<T, TVec, TOps>(rows, rowPointers, j, pd, 10, ps, features);
            }
        }

        Assert.Equal(Bits(large), Bits(small));
        Assert.NotEqual(Bits(start), Bits(large));
    }

    private static T[] Draw<T>(Random random, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        return values;
    }

    private static long[] Bits<T>(T[] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Array.ConvertAll(values, v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v)) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v)));
}
