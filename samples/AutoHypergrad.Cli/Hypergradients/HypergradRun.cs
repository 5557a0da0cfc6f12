using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// One <c>hypergrad</c> run: the command line's <see cref="TrainingProblem{T}"/> and the engine <c>--mode</c> names
/// over it (the library's <see cref="Engine"/>), with the implicit engine's diagnostics kept for the report.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class HypergradRun<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly HypergradOptions _options;
    private readonly IHypergradientEngine? _engine;

    public HypergradRun(HypergradOptions options, TrainingData data, IDataDistribution? distribution = null)
    {
        _options = options;
        Problem = new TrainingProblem<T>(options, data, options.Settings.Tuned, distribution).Problem;
        _engine = EngineOf(options) is { } engine ? Problem.Engine(engine) : null;
    }

    /// <summary>The run as the library's entry point.</summary>
    public BilevelProblem<T> Problem { get; }

    public HyperparameterSpace Space => Problem.Space;

    public DomainMap Domains => Problem.Domains;

    /// <summary>The diagnostics of the implicit engine's last hypergradient.</summary>
    public ImplicitResult? LastImplicit { get; private set; }

    /// <summary>f(λ) and ∇f(λ) with the chosen engine.</summary>
    public HypergradientResult Compute(double[] lambda, IProgress<EngineProgress>? progress)
        => _engine switch
        {
            ImplicitHypergradient<T> implicitEngine => (LastImplicit = implicitEngine.Compute(lambda)).Hypergradient,
            { } engine => engine.Compute(lambda, progress),
            null => throw new InvalidOperationException("Real-time HO computes no hypergradient of the whole run."),
        };

    /// <summary>The optimizer of λ that <c>--hyper-optimizer</c> and <c>--hyper-lr</c> name.</summary>
    public IHyperOptimizer HyperOptimizer()
        => _options.HyperOptimizer == "sgd" ? new HyperSgd(_options.HyperLearningRate) : new HyperAdam(_options.HyperLearningRate);

    /// <summary>Real-time HO: one training run with a hyperstep every <see cref="HypergradOptions.Interval"/> steps; also E of the trained state.</summary>
    public (RealTimeResult<T> Result, double Value) RealTime(IProgress<EngineProgress>? progress)
    {
        var result = Problem.RealTime(HyperOptimizer(), _options.Interval, progress);
        var lambda = result.Lambda.Select(T.CreateChecked).ToArray();
        // RealTime has required the response: the problem was built with one.
        return (result, double.CreateChecked(Problem.Response!.Value(result.State, lambda)));
    }

    /// <summary>HOAG from the space's starting λ, in its domains; each iteration's diagnostics reach <paramref name="progress"/>.</summary>
    public HoagResult Hoag(Action<HoagIteration, double[]>? progress)
        => Problem.Hoag(new HoagOptions(_options.Outer), ImplicitOptions(_options), progress);

    /// <summary>The library's engine for <c>--mode</c>; null for real-time HO, which has no hypergradient of the whole run.</summary>
    private static Engine? EngineOf(HypergradOptions options) => options.Mode switch
    {
        HypergradMode.Reverse => Engine.Reverse,
        HypergradMode.Truncated => Engine.Truncated(options.TruncationSteps),
        HypergradMode.Checkpointed => Engine.Checkpointed(options.Slots),
        HypergradMode.Forward => options.Directions > 0 ? Engine.ForwardInBlocks(options.Directions) : Engine.Forward,
        HypergradMode.FiniteDifferences => Engine.FiniteDifferences,
        HypergradMode.Implicit => Engine.ImplicitAtOptimum(ImplicitOptions(options)),
        _ => null,
    };

    private static ImplicitOptions ImplicitOptions(HypergradOptions options) => new(options.Tolerance, options.LinearSolver);

    /// <summary>λ by name.</summary>
    public static Dictionary<string, double> ByName(IReadOnlyList<string> names, IReadOnlyList<double> values)
        => names.Select((name, i) => (name, values[i])).ToDictionary(p => p.name, p => p.Item2);
}
