using System;
using System.Threading;

namespace AutoHypergrad.BenchmarkHarness.Engines;

/// <summary>
/// The highest working set of the process while one measurement runs, sampled every 20 ms on a thread of its own:
/// Process.PeakWorkingSet64 only ever grows, so it cannot tell a later, smaller mode's peak.
/// </summary>
public sealed class WorkingSetSampler
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _peak;

    private WorkingSetSampler()
    {
        _peak = Environment.WorkingSet;
        _thread = new Thread(Sample) { IsBackground = true, Name = "working set sampler" };
        _thread.Start();
    }

    /// <summary>Starts sampling.</summary>
    public static WorkingSetSampler Start() => new();

    /// <summary>Stops sampling; returns the highest working set seen, in bytes.</summary>
    public long Stop()
    {
        _stopping = true;
        _thread.Join();
        return Math.Max(_peak, Environment.WorkingSet);
    }

    private void Sample()
    {
        while (!_stopping)
        {
            _peak = Math.Max(_peak, Environment.WorkingSet);
            Thread.Sleep(Period);
        }
    }
}
