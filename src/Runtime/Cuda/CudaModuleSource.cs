using System;
using System.Collections.Generic;

namespace AutoHypergrad.Cuda;

/// <summary>How a CUDA kernel generated from a [Differentiable] method takes one of its parameters.</summary>
public enum CudaParameterRole
{
    /// <summary>The number of elements n (<c>long long</c>).</summary>
    Count,

    /// <summary>The number of tangent directions k (<c>int</c>).</summary>
    Directions,

    /// <summary>One value for all elements, passed by value.</summary>
    Uniform,

    /// <summary>A uniform adjoint: a pointer to one value, to which the kernel adds the sum over the elements.</summary>
    UniformAccumulator,

    /// <summary>n values, read.</summary>
    ElementInput,

    /// <summary>n values, read and written.</summary>
    ElementState,

    /// <summary>k·n values, read and written: direction j of element i at j·n + i.</summary>
    ElementDirections,

    /// <summary>k·n values, read: direction j of element i at j·n + i.</summary>
    ElementInputDirections,

    /// <summary>k values, read: a uniform value's tangent in direction j at j.</summary>
    UniformDirections,
}

/// <summary>Whether a kernel parameter is a value of the method or its tangent or adjoint.</summary>
public enum CudaDerivative
{
    Value,
    Tangent,
    Adjoint,
}

/// <summary>
/// One parameter of a generated CUDA kernel: its name, C type (<c>double</c>, <c>float</c>, <c>int</c>,
/// <c>long long</c>, <c>bool</c>; the element type for pointers), role, the method's parameter it belongs to
/// (<c>w</c> for <c>wDot</c> and <c>wBar</c>; empty for the count and the directions), and which derivative it is.
/// </summary>
public sealed record CudaParameter(string Name, string CType, CudaParameterRole Role, string Of, CudaDerivative Derivative);

/// <summary>A generated CUDA kernel: its (extern "C") name and its parameters in launch order.</summary>
public sealed record CudaKernelSignature(string Name, IReadOnlyList<CudaParameter> Parameters);

/// <summary>
/// CUDA C for NVRTC and the kernels in it: what a device loads. The generator's modules
/// (<see cref="CudaModuleSource"/>) are programs, and so are the hand-written kernels of AutoHypergrad.Cuda.
/// </summary>
/// <param name="Name">A name for logs and errors (the file name NVRTC reports).</param>
/// <param name="Source">The CUDA C source.</param>
/// <param name="Kernels">Its <c>extern "C" __global__</c> kernels, with their parameters in launch order.</param>
public record CudaProgram(string Name, string Source, IReadOnlyList<CudaKernelSignature> Kernels);

/// <summary>
/// The CUDA C that the generator writes for an elementwise [Differentiable] method (in the generated class
/// <c>{Method}Cuda{Double|Single}</c> beside it): the source of its primal, tangent and adjoint kernels, for NVRTC.
/// </summary>
/// <param name="Method">The method, <c>Type.Method</c>.</param>
/// <param name="Element">The element type, <c>double</c> or <c>float</c>.</param>
/// <param name="Source">The CUDA C source.</param>
/// <param name="Primal">The method on every element.</param>
/// <param name="Tangent">Its tangent in k directions on every element.</param>
/// <param name="Adjoint">Its adjoint on every element, uniform adjoints summed.</param>
public sealed record CudaModuleSource(string Method, string Element, string Source, CudaKernelSignature Primal, CudaKernelSignature Tangent, CudaKernelSignature Adjoint)
    : CudaProgram($"{Method} ({Element})", Source, [Primal, Tangent, Adjoint])
{
    /// <summary>The generated module of the [Differentiable] method <paramref name="method"/> of <paramref name="type"/> in <typeparamref name="T"/>, or null if it has none.</summary>
    public static CudaModuleSource? Find<T>(Type type, string method)
    {
        ArgumentNullException.ThrowIfNull(type);
        var suffix = typeof(T) == typeof(float) ? "Single" : typeof(T) == typeof(double) ? "Double" : throw new NotSupportedException($"CUDA kernels exist for float and double, not {typeof(T).Name}.");
        return type.GetNestedType(method + "Cuda" + suffix)?.GetProperty("Module")?.GetValue(null) as CudaModuleSource;
    }
}
