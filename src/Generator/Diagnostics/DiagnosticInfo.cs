using AutoHypergrad.Generator.Helpers;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Diagnostics;

/// <summary>A diagnostic as a value, carried through the pipeline and reported from its own output.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => new(descriptor, location, EquatableArray.Of(messageArgs));

    /// <summary>The diagnostic, located in its syntax tree of <paramref name="compilation"/> where that tree is found.</summary>
    public Diagnostic ToDiagnostic(Compilation? compilation = null)
    {
        var args = new object[MessageArgs.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = MessageArgs[i];
        }

        return Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), args);
    }
}
