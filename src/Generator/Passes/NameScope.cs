using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoHypergrad.Generator.Passes;

/// <summary>Hands out identifiers that collide with nothing the user wrote and nothing handed out before.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public NameScope(IEnumerable<string> taken)
    {
        foreach (var name in taken)
        {
            _used.Add(name);
        }
    }

    private NameScope(HashSet<string> used) => _used = new HashSet<string>(used, StringComparer.Ordinal);

    /// <summary>A scope for one generated method, starting from the names taken so far.</summary>
    public NameScope Clone() => new(_used);

    /// <summary><paramref name="preferred"/> if it is free, else the first free of preferred1, preferred2, ….</summary>
    public string Fresh(string preferred)
    {
        var name = preferred;
        for (var i = 1; !_used.Add(name); i++)
        {
            name = preferred + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>Claims a name fixed by the contract (xDot, xBar); the parser has already rejected collisions.</summary>
    public void Claim(string name) => _used.Add(name);
}
