using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace AutoHypergrad.Cuda.Native;

/// <summary>Loads a native library from a list of candidate names, and its exports, with one message when it is absent.</summary>
internal static class NativeLoader
{
    /// <summary>The first of <paramref name="candidates"/> that loads, or null, with every candidate's reason in <paramref name="reasons"/>.</summary>
    public static IntPtr? TryLoad(IReadOnlyList<string> candidates, out string reasons)
    {
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                reasons = "";
                return handle;
            }

            failures.Add(candidate);
        }

        reasons = "tried " + string.Join(", ", failures);
        return null;
    }

    /// <summary>The address of export <paramref name="name"/> of <paramref name="library"/>; throws naming both if it is missing.</summary>
    public static IntPtr Export(IntPtr library, string libraryName, string name)
        => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new CudaUnavailableException($"{libraryName} has no export {name}: the installed version is too old or not the expected library.");
}
