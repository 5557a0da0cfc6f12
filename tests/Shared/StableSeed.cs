using System.Globalization;

namespace AutoHypergrad.Testing;

/// <summary>
/// A seed from a test case's parts that is the same in every process (FNV-1a over their invariant text).
/// <c>HashCode.Combine</c> is randomized per process, so a seed made with it draws other inputs on every run and a
/// failure cannot be reproduced.
/// </summary>
public static class StableSeed
{
    public static int Of(params object[] parts)
    {
        uint hash = 2166136261;
        foreach (char c in string.Join('|', System.Array.ConvertAll(parts, p => System.Convert.ToString(p, CultureInfo.InvariantCulture))))
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }
}
