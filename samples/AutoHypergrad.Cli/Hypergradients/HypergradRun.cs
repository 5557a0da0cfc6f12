using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Engines.Outer;
using AutoHypergrad.Engines.Training;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// One training run set up for the engines from the command line: the dynamics (the optimizer's kernel on the
/// training objective) or, in implicit mode, the implicit engine on the training objective itself; the validation
/// error E, the hyperparameter space with its starting λ, and λ's domains.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class HypergradRun<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly HypergradOptions _options;
    private readonly Func<double[], IProgress<EngineProgress>?, HypergradientResult> _engine;

    public HypergradRun(HypergradOptions options, TrainingData data)
    {
        _options = options;
        var settings = options.Settings;
        var problem = new TrainingProblem<T>(options, data);
        Space = problem.Space;
        Response = new ValidationError<T>(problem.Validation);
        if (problem.Kernel is { } kernel)
        {
            Dynamics = new TrainingDynamics<T>(problem.Training, kernel, Space, problem.Batches, problem.StepOptions);
        }
        else
        {
            // No optimizer: the training loss is minimized to --tolerance rather than trained for T steps.
            Implicit = new ImplicitHypergradient<T>(problem.Training, Space, Response, new ImplicitOptions(options.Tolerance, options.LinearSolver));
        }

        Domains = DomainMap.Declared(Space, options.Optimizer, settings.Domains);
        _engine = ChooseEngine(options);
    }

    public HyperparameterSpace Space { get; }

    /// <summary>The training run; null in implicit mode.</summary>
    public TrainingDynamics<T>? Dynamics { get; }

    /// <summary>The implicit engine; null in the other modes.</summary>
    public ImplicitHypergradient<T>? Implicit { get; }

    /// <summary>The diagnostics of the implicit engine's last hypergradient.</summary>
    public ImplicitResult? LastImplicit { get; private set; }

    public ValidationError<T> Response { get; }

    public DomainMap Domains { get; }

    /// <summary>f(λ) and ∇f(λ) with the chosen engine.</summary>
    public HypergradientResult Compute(double[] lambda, IProgress<EngineProgress>? progress) => _engine(lambda, progress);

    /// <summary>An updater of λ in its domains with the chosen hyper-optimizer, from the space's starting λ.</summary>
    public HyperparameterUpdater Updater()
    {
        IHyperOptimizer optimizer = _options.HyperOptimizer == "sgd" ? new HyperSgd(_options.HyperLearningRate) : new HyperAdam(_options.HyperLearningRate);
        var lambda = Space.InitialValues();
        CheckStart(lambda);
        return new HyperparameterUpdater(Domains, optimizer, lambda);
    }

    /// <summary>The starting λ must lie in its domains: a start outside them is a usage error.</summary>
    private void CheckStart(ReadOnlySpan<double> lambda)
    {
        try
        {
            Domains.CheckContains(lambda);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{e.Message.TrimEnd('.')}; choose another start with --set or another domain with --domain.");
        }
    }

    /// <summary>Real-time HO: one training run with a hyperstep every <see cref="HypergradOptions.Interval"/> steps; also E of the trained state.</summary>
    public (RealTimeResult<T> Result, double Value) RealTime(IProgress<EngineProgress>? progress)
    {
        var result = new RealTimeHyperparameterOptimization<T>(Dynamics!, Response, Updater(), _options.Interval).Run(progress);
        var lambda = result.Lambda.Select(T.CreateChecked).ToArray();
        return (result, double.CreateChecked(Response.Value(result.State, lambda)));
    }

    /// <summary>HOAG from the space's starting λ, in its domains; each iteration's diagnostics reach <paramref name="progress"/>.</summary>
    public HoagResult Hoag(Action<HoagIteration, double[]>? progress)
    {
        var lambda = Space.InitialValues();
        CheckStart(lambda);
        var hoag = new Hoag((l, epsilon) => LastImplicit = Implicit!.Compute(l, epsilon), Domains, new HoagOptions(_options.Outer));
        return hoag.Run(lambda, progress);
    }

    private Func<double[], IProgress<EngineProgress>?, HypergradientResult> ChooseEngine(HypergradOptions options)
    {
        Engine? engine = options.Mode switch
        {
            HypergradMode.Reverse => AutoHypergrad.Engine.Reverse,
            HypergradMode.Truncated => new Engine(EngineKind.Truncated, TruncationSteps: options.TruncationSteps),
            HypergradMode.Checkpointed => new Engine(EngineKind.Checkpointed, Slots: options.Slots),
            HypergradMode.Forward => new Engine(EngineKind.Forward, MaxDirections: options.Directions),
            HypergradMode.FiniteDifferences => AutoHypergrad.Engine.FiniteDifferences,
            _ => null,
        };
        if (engine is not null)
        {
            var hypergradient = engine.Over(Dynamics!, Response);
            return (lambda, progress) => hypergradient.Compute(lambda, progress);
        }

        // Real-time HO has no hypergradient of the whole run; it runs through RealTime. The implicit engine's result
        // keeps its solves' diagnostics for the report.
        return options.Mode == HypergradMode.Implicit
            ? (lambda, _) => (LastImplicit = Implicit!.Compute(lambda)).Hypergradient
            : (_, _) => throw new InvalidOperationException("Real-time HO computes no hypergradient of the whole run.");
    }

    /// <summary>λ by name.</summary>
    public static Dictionary<string, double> ByName(IReadOnlyList<string> names, IReadOnlyList<double> values)
        => names.Select((name, i) => (name, values[i])).ToDictionary(p => p.name, p => p.Item2);
}
