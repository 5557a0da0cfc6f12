using System;
using AutoHypergrad.Engines;
using Spectre.Console;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// A Spectre progress bar fed by the engines' <see cref="EngineProgress"/> (and the outer loop's iterations), on an
/// interactive terminal only: redirected output gets the results without the bar's frames.
/// </summary>
internal sealed class EngineProgressBar : IProgress<EngineProgress>
{
    private readonly ProgressTask? _outer;
    private readonly ProgressTask? _engine;
    private readonly string _outerLabel;

    private EngineProgressBar(ProgressContext? context, int outerIterations, string outerLabel)
    {
        _outerLabel = outerLabel;
        if (context is not null)
        {
            _outer = outerIterations > 0 ? context.AddTask(outerLabel, maxValue: outerIterations) : null;
            _engine = context.AddTask("starting", maxValue: 1);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a bar (with a second one for <paramref name="outerIterations"/> &gt; 0, what
    /// <paramref name="outerLabel"/> counts: the outer loop's hyper-iterations, a search's trials).
    /// </summary>
    public static TResult Run<TResult>(int outerIterations, Func<EngineProgressBar, TResult> work, string outerLabel = "hyper-iterations")
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(new EngineProgressBar(null, 0, outerLabel));
        }

        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => work(new EngineProgressBar(context, outerIterations, outerLabel)));
    }

    public void Report(EngineProgress value)
    {
        if (_engine is not null)
        {
            _engine.Description = value.Phase;
            _engine.MaxValue = Math.Max(1, value.Total);
            _engine.Value = value.Done;
        }
    }

    /// <summary>A hyper-iteration (or trial) is done: <paramref name="completed"/> of them, the last with f = <paramref name="value"/>.</summary>
    public void Outer(int completed, double value)
    {
        if (_outer is not null)
        {
            _outer.Description = FormattableString.Invariant($"{_outerLabel} (f = {value:G6})");
            _outer.Value = completed;
        }
    }
}
