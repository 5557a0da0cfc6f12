using System;

namespace AutoHypergrad.Cuda;

/// <summary>A library the CUDA backend needs (the driver libcuda, NVRTC, cuBLAS) is missing, or no device is present; the message says which and what was tried.</summary>
public sealed class CudaUnavailableException : Exception
{
    public CudaUnavailableException(string message)
        : base(message)
    {
    }
}

/// <summary>A CUDA driver, NVRTC or cuBLAS call failed: the message names the call and the library's error string.</summary>
public sealed class CudaException : Exception
{
    public CudaException(string call, int code, string description)
        : base($"{call} failed: {description} (error {code}).")
    {
        Call = call;
        Code = code;
    }

    /// <summary>The API call that failed.</summary>
    public string Call { get; }

    /// <summary>Its CUresult, nvrtcResult or cublasStatus_t.</summary>
    public int Code { get; }
}
