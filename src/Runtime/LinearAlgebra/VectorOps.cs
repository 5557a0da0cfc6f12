using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AutoHypergrad.LinearAlgebra;

/// <summary>
/// The vector operations the kernels need, as static members of a struct type so that a kernel generic over
/// <typeparamref name="TOps"/> is compiled once per vector width and element type, with every call inlined (the
/// pattern of System.Numerics.Tensors' operator structs).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVec">The vector type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/>, or <typeparamref name="T"/> itself for the scalar fallback.</typeparam>
/// <typeparam name="TOps">The implementing struct.</typeparam>
internal unsafe interface IVectorOps<T, TVec, TOps>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TVec : struct
    where TOps : struct, IVectorOps<T, TVec, TOps>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>A short name for descriptions ("Vector512").</summary>
    static abstract string Name { get; }

    /// <summary>
    /// Whether register blocks of about 20 accumulators fit: 512-bit vectors come with 32 registers (AVX-512), while
    /// the narrower widths are the best of machines with 16 (AVX2, SSE), where such blocks spill to the stack.
    /// </summary>
    static abstract bool WideRegisterBlocks { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(T* source);

    static abstract void Store(T* destination, TVec value);

    static abstract TVec Broadcast(T value);

    /// <summary>a·b + c, fused where the hardware fuses.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>The sum of the elements.</summary>
    static abstract T Sum(TVec value);

    /// <summary>A mask: all bits set in the first <paramref name="count"/> lanes, clear in the others.</summary>
    static abstract TVec FirstLanes(int count);

    /// <summary>a &amp; b, bitwise.</summary>
    static abstract TVec And(TVec a, TVec b);

    /// <summary>a &amp; ~b, bitwise.</summary>
    static abstract TVec AndNot(TVec a, TVec b);
}

/// <summary>AVX-512 (or any 512-bit) vectors.</summary>
internal unsafe struct Ops512<T> : IVectorOps<T, Vector512<T>, Ops512<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static string Name => "Vector512";

    public static bool WideRegisterBlocks => true;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector512<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // Every AVX-512 processor has FMA; the typeof tests are constants of each instantiation.
        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes(int count) => Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> a, Vector512<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> a, Vector512<T> b) => Vector512.AndNot(a, b);
}

/// <summary>AVX2 (or any 256-bit) vectors.</summary>
internal unsafe struct Ops256<T> : IVectorOps<T, Vector256<T>, Ops256<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static string Name => "Vector256";

    public static bool WideRegisterBlocks => false;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector256<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        // Without hardware FMA, Vector256.FusedMultiplyAdd is emulated element by element: far slower than a
        // multiply and an add, which round twice but stay within the same error bound.
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes(int count) => Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> a, Vector256<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> a, Vector256<T> b) => Vector256.AndNot(a, b);
}

/// <summary>SSE / NEON (128-bit) vectors.</summary>
internal unsafe struct Ops128<T> : IVectorOps<T, Vector128<T>, Ops128<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static string Name => "Vector128";

    public static bool WideRegisterBlocks => false;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector128<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FirstLanes(int count) => Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> a, Vector128<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> a, Vector128<T> b) => Vector128.AndNot(a, b);
}

/// <summary>One element at a time: the fallback where no vector width is hardware accelerated.</summary>
internal unsafe struct OpsScalar<T> : IVectorOps<T, T, OpsScalar<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static string Name => "scalar";

    public static bool WideRegisterBlocks => false;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, T value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    // A multiply and an add: a software fused multiply-add would be much slower, and the error bound is the same.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FirstLanes(int count) => count > 0 ? T.AllBitsSet : T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T And(T a, T b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AndNot(T a, T b) => a & ~b;
}
