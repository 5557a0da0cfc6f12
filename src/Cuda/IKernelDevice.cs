using System;
using System.Numerics;

namespace AutoHypergrad.Cuda;

/// <summary>
/// Where generated kernels run: a CUDA GPU through the driver API (<see cref="CudaDevice"/>), or, for tests on a
/// machine without one, the same CUDA C compiled as host C++. Memory is addressed by raw device pointers; launches
/// take cuLaunchKernel's argument convention (an array of pointers to the argument values, in the kernel's
/// parameter order), so that everything above this interface is the same code on both.
/// </summary>
public interface IKernelDevice : IDisposable
{
    /// <summary>The device in words, for reports ("NVIDIA H200, sm_90, 141 GB").</summary>
    string Description { get; }

    /// <summary>Allocates <paramref name="bytes"/> bytes of device memory (uninitialized).</summary>
    IntPtr Allocate(long bytes);

    /// <summary>
    /// Allocates <paramref name="bytes"/> bytes of managed memory (cuMemAllocManaged): one address that both the host
    /// and the kernels use, resident on the device while only kernels touch it. Host code may read and write it, as
    /// a <see cref="Span{T}"/>, once the work that writes it has finished; the CUDA backend's operations finish
    /// theirs before they return.
    /// </summary>
    IntPtr AllocateManaged(long bytes);

    /// <summary>
    /// Whether [<paramref name="pointer"/>, pointer + <paramref name="bytes"/>) lies in one allocation of
    /// <see cref="AllocateManaged"/>, so that a kernel can use it as it is.
    /// </summary>
    bool IsManaged(IntPtr pointer, long bytes);

    /// <summary>Frees memory from <see cref="Allocate"/> or <see cref="AllocateManaged"/>.</summary>
    void Free(IntPtr pointer);

    /// <summary>Copies host bytes to device memory.</summary>
    void CopyToDevice(IntPtr destination, ReadOnlySpan<byte> source);

    /// <summary>Copies device memory to host bytes.</summary>
    void CopyToHost(IntPtr source, Span<byte> destination);

    /// <summary>Copies <paramref name="bytes"/> bytes within device memory.</summary>
    void CopyOnDevice(IntPtr destination, IntPtr source, long bytes);

    /// <summary>Compiles (or finds, when it was loaded before) <paramref name="program"/>'s kernels for this device.</summary>
    ILoadedModule Load(CudaProgram program);

    /// <summary>
    /// C = α·op(A)·op(B) + β·C on device memory, in cuBLAS's column-major convention (cublasDgemm, cublasSgemm):
    /// op(A) is m×k, op(B) k×n, C m×n; element (i, j) of a matrix with leading dimension ld is at i + j·ld, and op(X)
    /// is X or Xᵀ. β = 0 does not read C. Ordered with the launches (the default stream), asynchronous on a GPU.
    /// <typeparamref name="T"/> is float or double. Row-major callers go through
    /// <see cref="RowMajorGemm.GemmRowMajor{T}"/>.
    /// </summary>
    void Gemm<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, IntPtr a, int lda, IntPtr b, int ldb, T beta, IntPtr c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>Waits for every launch and copy issued so far.</summary>
    void Synchronize();
}

/// <summary>A module's kernels, loaded on a device.</summary>
public interface ILoadedModule
{
    /// <summary>The program the kernels come from.</summary>
    CudaProgram Program { get; }

    /// <summary>
    /// Launches <paramref name="kernel"/> over <paramref name="elements"/> elements (a grid-stride grid the device
    /// chooses) with <paramref name="arguments"/>: one pointer to each argument's value, in the kernel's order.
    /// Asynchronous on a GPU.
    /// </summary>
    unsafe void Launch(CudaKernelSignature kernel, long elements, IntPtr* arguments);
}
