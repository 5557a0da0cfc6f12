namespace AutoHypergrad.Distributed;

/// <summary>What a rank's <see cref="ReproducibleSum"/> calls have sent and how long they took, waiting for the other ranks included.</summary>
public sealed class MpiTraffic
{
    /// <summary>The sums over the ranks.</summary>
    public long Sums { get; private set; }

    /// <summary>The messages this rank sent.</summary>
    public long Messages { get; private set; }

    /// <summary>The bytes of those messages.</summary>
    public long Bytes { get; private set; }

    /// <summary>The wall time inside the sums, waiting for the other ranks included.</summary>
    public double Seconds { get; private set; }

    internal void Sent(int bytes)
    {
        Messages++;
        Bytes += bytes;
    }

    internal void Summed(double seconds)
    {
        Sums++;
        Seconds += seconds;
    }
}
