namespace AutoHypergrad.Generator;

/// <summary>Names of the incremental pipeline's steps, for caching tests.</summary>
public static class TrackingNames
{
    public const string Parse = "Parse";
    public const string Differentiate = "Differentiate";
    public const string Emit = "Emit";
    public const string EmitCuda = "EmitCuda";
    public const string Registry = "Registry";
}
