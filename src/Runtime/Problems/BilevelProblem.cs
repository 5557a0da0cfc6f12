using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Engines.Outer;
using AutoHypergrad.Engines.Training;
using AutoHypergrad.Objectives;

namespace AutoHypergrad;

/// <summary>The optional settings of a <see cref="BilevelProblem{T}"/>.</summary>
public sealed record BilevelOptions
{
    /// <summary>w_0, the weights training starts from; null for zeros.</summary>
    public IReadOnlyList<double>? InitialWeights { get; init; }

    /// <summary>Whether w_0 is tuned too (as the hyperparameter <c>w0</c>).</summary>
    public bool TuneInitialWeights { get; init; }

    /// <summary>The batch size of every step; null for full batches.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The seed of the batches' shuffles.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Loss hyperparameters to tune by name, for a training objective that is not generated from an <c>[Objective]</c>
    /// loss (a built-in model's <c>l2</c>, <c>weights</c>); a generated one's are tuned through its constructor.
    /// </summary>
    public IReadOnlyList<string> TuneLoss { get; init; } = [];

    /// <summary>The outer loop's domain of a tuned hyperparameter by name, where it should not be the declared one.</summary>
    public IReadOnlyDictionary<string, Domain> Domains { get; init; } = new Dictionary<string, Domain>();
}

/// <summary>
/// A hyperparameter problem: train w on a training objective with an optimizer for a number of steps, and measure the
/// trained w on a validation objective; f(λ) is that validation value as a function of the tuned hyperparameters λ.
/// One object takes it to every engine (<see cref="Hypergradient(Engine, IProgress{EngineProgress}?)"/>), to the
/// on-line methods (<see cref="RealTime"/>, <see cref="HypergradientDescent"/>) and to the outer loop
/// (<see cref="Optimize"/>).
/// <code>
/// var problem = new BilevelProblem&lt;double&gt;(
///     new HuberRidge.LossObjective(parameterCount: 6, x, y, rows, 5, l2: Tune(1e-3)),
///     AmsGrad.StepOptimizer(lr: Tune(0.05), beta1: 0.9, beta2: 0.99, eps: 1e-8),
///     new HuberRidge.SquaredErrorObjective(parameterCount: 6, xv, yv, rowsV, 5),
///     steps: 50);
/// HypergradientResult g = problem.Hypergradient(Engine.Reverse);
/// </code>
/// The tuned hyperparameters are those given as <see cref="HyperparameterValue.Tune"/> to the optimizer's factory and the
/// objective's constructor, in that order (then <see cref="BilevelOptions.TuneLoss"/>, then w_0); each keeps to the
/// domain its <c>[Hyper]</c> declares.
/// </summary>
/// <typeparam name="T">float or double: the precision of training.</typeparam>
public sealed class BilevelProblem<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly BatchSchedule? _batches;

    /// <summary>The problem with the validation error of the trained weights on <paramref name="validation"/> (at its hyperparameters' values) as f.</summary>
    /// <exception cref="ArgumentException">Nothing is tuned, a name is tuned twice, or the parts do not fit together; the message says which.</exception>
    public BilevelProblem(IObjective<T> training, Optimizer optimizer, IObjective<T> validation, int steps, BilevelOptions? options = null)
        : this(training, optimizer, new ValidationError<T>(validation ?? throw new ArgumentNullException(nameof(validation))), steps, options)
    {
    }

    /// <summary>The problem with <paramref name="response"/> as f (a validation error of the final state, or any other).</summary>
    /// <exception cref="ArgumentException">Nothing is tuned, a name is tuned twice, or the parts do not fit together; the message says which.</exception>
    public BilevelProblem(IObjective<T> training, Optimizer optimizer, IResponseObjective<T> response, int steps, BilevelOptions? options = null)
    {
        Training = training ?? throw new ArgumentNullException(nameof(training));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Response = response ?? throw new ArgumentNullException(nameof(response));
        Options = options ?? new BilevelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);

        var initial = Options.InitialWeights?.ToArray() ?? new double[training.ParameterCount];
        if (initial.Length != training.ParameterCount)
        {
            throw new ArgumentException($"InitialWeights has {initial.Length} values; the training objective has {training.ParameterCount} parameters.", nameof(options));
        }

        var tuned = optimizer.Hyperparameters.Select((h, i) => (h.Name, Value: optimizer.Values[i]))
            .Where(p => p.Value.Tuned)
            .Select(p => p.Value.PerStep ? p.Name + HyperparameterSpace.PerStepSuffix : p.Name)
            .Concat(training is GeneratedObjective<T> generated ? generated.Declared.Where(h => h.Value.Tuned).Select(h => h.Name) : [])
            .Concat(Options.TuneLoss)
            .Concat(Options.TuneInitialWeights ? [HyperparameterSpace.InitialWeightsName] : Array.Empty<string>())
            .ToList();
        if (tuned.Count == 0)
        {
            throw new ArgumentException(
                $"Nothing is tuned: give a hyperparameter of {optimizer.Name} or of the training objective as HyperparameterValue.Tune(start), or set TuneInitialWeights.",
                nameof(optimizer));
        }

        Space = HyperparameterSpace.Create(
            optimizer.Hyperparameters.Select(h => h.Name).ToArray(),
            optimizer.ValuesArray(),
            training.Hyperparameters,
            training.Hyperparameters.Defaults<double>(),
            initial,
            steps,
            tuned,
            optimizer.Hyperparameters.Select(h => h.PerElement).ToArray());
        _batches = Options.BatchSize is { } size ? new BatchSchedule(training.ExampleCount, size, Options.Seed) : null;
        Dynamics = new TrainingDynamics<T>(training, optimizer.Kernel<T>(), Space, _batches, optimizer.StepOptions);
        Domains = DomainMap.Declared(Space, optimizer, Options.Domains);
        if (Options.Domains.Keys.FirstOrDefault(n => !Space.Tuned.Any(b => b.Name == n)) is { } stray)
        {
            throw new ArgumentException($"Domains names '{stray}', which is not tuned; the tuned hyperparameters are {string.Join(", ", Space.Tuned.Select(b => b.Name))}.", nameof(options));
        }

        Domains.CheckContains(Space.InitialValues());
    }

    /// <summary>The training objective J(w; λ_J).</summary>
    public IObjective<T> Training { get; }

    /// <summary>The optimizer with its hyperparameters' values.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>f: the response of the trained state.</summary>
    public IResponseObjective<T> Response { get; }

    /// <summary>The settings.</summary>
    public BilevelOptions Options { get; }

    /// <summary>What λ is: the tuned blocks, and every hyperparameter's value.</summary>
    public HyperparameterSpace Space { get; }

    /// <summary>The training run as the engines see it.</summary>
    public TrainingDynamics<T> Dynamics { get; }

    /// <summary>Where each tuned block may lie; the outer loop keeps λ there.</summary>
    public DomainMap Domains { get; }

    /// <summary>The starting λ: each tuned hyperparameter at its given value.</summary>
    public double[] InitialHyperparameters => Space.InitialValues();

    /// <summary>The engine <paramref name="engine"/> names, over this problem.</summary>
    public IHypergradientEngine Engine(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Kind == EngineKind.Implicit
            ? new ImplicitHypergradient<T>(Training, Space, Response, engine.ImplicitOptions)
            : engine.Over(Dynamics, Response);
    }

    /// <summary>f and ∇f at the starting λ with <paramref name="engine"/>.</summary>
    public HypergradientResult Hypergradient(Engine engine, IProgress<EngineProgress>? progress = null)
        => Engine(engine).Compute(InitialHyperparameters, progress);

    /// <summary>f and ∇f at <paramref name="lambda"/> with <paramref name="engine"/>.</summary>
    public HypergradientResult Hypergradient(Engine engine, ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
        => Engine(engine).Compute(lambda, progress);

    /// <summary>
    /// The outer loop: from the starting λ, the hypersteps of <paramref name="hyperOptimizer"/> that <paramref name="options"/> allow
    /// along ∇f from <paramref name="engine"/>, in λ's domains; <paramref name="progress"/> sees each hyper-iteration.
    /// </summary>
    public OuterResult Optimize(Engine engine, IHyperOptimizer hyperOptimizer, OuterOptions options, Action<OuterIteration, double[]>? progress = null)
    {
        var hypergradient = Engine(engine);
        var updater = new HyperparameterUpdater(Domains, hyperOptimizer, InitialHyperparameters);
        return new HyperparameterOptimization(lambda => hypergradient.Compute(lambda), updater, options).Run(progress);
    }

    /// <summary>Real-time hyperparameter optimization: one training run, a hyperstep of <paramref name="hyperOptimizer"/> every <paramref name="interval"/> steps.</summary>
    public RealTimeResult<T> RealTime(IHyperOptimizer hyperOptimizer, int interval, IProgress<EngineProgress>? progress = null)
        => new RealTimeHyperparameterOptimization<T>(Dynamics, Response, new HyperparameterUpdater(Domains, hyperOptimizer, InitialHyperparameters), interval).Run(progress);

    /// <summary>Hypergradient descent on the optimizer's learning rate <c>lr</c> during one training run, moved by <paramref name="learningRateOptimizer"/>.</summary>
    public HypergradientDescentResult<T> HypergradientDescent(ILearningRateOptimizer learningRateOptimizer, HypergradientDescentOptions? options = null, IProgress<EngineProgress>? progress = null)
        => new HypergradientDescent<T>(Training, Optimizer.Kernel<T>(), Space, _batches, learningRateOptimizer, Response, (options ?? new HypergradientDescentOptions()) with { StepOptions = Optimizer.StepOptions })
            .Run(progress);
}
