using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Domains;
using AutoHypergrad.Engines;
using AutoHypergrad.Engines.Implicit;
using AutoHypergrad.Engines.Online;
using AutoHypergrad.Outer;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Steps;

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
    /// Hyperparameters to tune by name, after those given as <see cref="HyperparameterValue.Tune"/>, in this order: an
    /// optimizer hyperparameter (from the value it was given; <c>lr:per-step</c> for one value per step), a loss block
    /// of a training objective not generated from an <c>[Objective]</c> loss (a built-in model's <c>l2</c>,
    /// <c>weights</c>), or <c>w0</c>. Names read at run time (a command line, a file) go here; in code, prefer
    /// <see cref="HyperparameterValue.Tune"/>, whose names the compiler checks.
    /// </summary>
    public IReadOnlyList<string> Tune { get; init; } = [];

    /// <summary>
    /// The values of the training objective's loss blocks by name, where they should not be its defaults (a built-in
    /// model's <c>l2</c>); one value fills its block. A generated objective takes its values in its constructor.
    /// </summary>
    public IReadOnlyDictionary<string, double> LossValues { get; init; } = new Dictionary<string, double>();

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
///     new HuberRidge.LossObjective(train, parameterCount: 6, l2: Tune(1e-3)),
///     AmsGrad.StepOptimizer(lr: Tune(0.05), beta2: 0.99),
///     new HuberRidge.SquaredErrorObjective(validation, parameterCount: 6),
///     steps: 50);
/// HypergradientResult g = problem.Hypergradient(Engine.Reverse);
/// </code>
/// The tuned hyperparameters are those given as <see cref="HyperparameterValue.Tune"/> to the optimizer's factory and the
/// objective's constructor, in that order, then those <see cref="BilevelOptions.Tune"/> names, then w_0; each keeps to
/// the domain its <c>[Hyper]</c> declares. A problem at the training optimum (<see cref="AtOptimum(IObjective{T}, IResponseObjective{T}, BilevelOptions?)"/>)
/// has no optimizer and no run: f is the response at the minimizer of the training loss, which the implicit engine and
/// HOAG solve for. With nothing tuned a problem is a plain training run: <see cref="Train"/> gives its w_T. A
/// <see cref="TrainingRun"/> has no f at all: it only trains, at whatever λ its tuned names are given.
/// </summary>
/// <typeparam name="T">float or double: the precision of training.</typeparam>
public sealed class BilevelProblem<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The problem with the validation error of the trained weights on <paramref name="validation"/> (at its hyperparameters' values) as f.</summary>
    /// <param name="training">The training objective J(w; λ_J).</param>
    /// <param name="optimizer">The optimizer, from its generated factory, with its hyperparameters' values.</param>
    /// <param name="validation">The objective whose value at w_T is f, at its hyperparameters' defaults.</param>
    /// <param name="steps">T, the training steps.</param>
    /// <param name="options">w_0, batches, names to tune, domains.</param>
    /// <param name="backend">Where the step and the state live; null for the CPU.</param>
    /// <exception cref="ArgumentException">A name is unknown or tuned twice, a value lies outside its domain, or the parts do not fit together; the message says which.</exception>
    public BilevelProblem(IObjective<T> training, Optimizer optimizer, IObjective<T> validation, int steps, BilevelOptions? options = null, ITrainingBackend<T>? backend = null)
        : this(training, optimizer, new ValidationError<T>(validation ?? throw new ArgumentNullException(nameof(validation))), steps, options, backend)
    {
    }

    /// <summary>The problem with <paramref name="response"/> as f (a validation error of the final state, or any other).</summary>
    /// <param name="training">The training objective J(w; λ_J).</param>
    /// <param name="optimizer">The optimizer, from its generated factory, with its hyperparameters' values.</param>
    /// <param name="response">f as a function of the final state (and of λ).</param>
    /// <param name="steps">T, the training steps.</param>
    /// <param name="options">w_0, batches, names to tune, domains.</param>
    /// <param name="backend">Where the step and the state live; null for the CPU.</param>
    /// <exception cref="ArgumentException">A name is unknown or tuned twice, a value lies outside its domain, or the parts do not fit together; the message says which.</exception>
    public BilevelProblem(IObjective<T> training, Optimizer optimizer, IResponseObjective<T> response, int steps, BilevelOptions? options = null, ITrainingBackend<T>? backend = null)
        : this(
            training,
            optimizer ?? throw new ArgumentNullException(nameof(optimizer)),
            response ?? throw new ArgumentNullException(nameof(response)),
            steps,
            options,
            atOptimum: false,
            backend)
    {
    }

    private BilevelProblem(IObjective<T> training, Optimizer? optimizer, IResponseObjective<T>? response, int steps, BilevelOptions? options, bool atOptimum, ITrainingBackend<T>? backend = null)
    {
        Training = training ?? throw new ArgumentNullException(nameof(training));
        Optimizer = optimizer;
        Response = response;
        Options = options ?? new BilevelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (atOptimum && (Options.TuneInitialWeights || Options.Tune.Contains(HyperparameterSpace.InitialWeightsName) || Options.BatchSize is not null || Options.InitialWeights is not null))
        {
            throw new ArgumentException(
                "A problem at the training optimum has no run: its f does not depend on w_0 or on batches (tune the loss's hyperparameters only, and leave InitialWeights, TuneInitialWeights and BatchSize unset).",
                nameof(options));
        }

        var initial = Options.InitialWeights?.ToArray() ?? new double[training.ParameterCount];
        if (initial.Length != training.ParameterCount)
        {
            throw new ArgumentException($"InitialWeights has {initial.Length} values; the training objective has {training.ParameterCount} parameters.", nameof(options));
        }

        var optimizerHyperparameters = optimizer?.Hyperparameters ?? [];
        var tuned = optimizerHyperparameters.Select((h, i) => (h.Name, Value: optimizer!.Values[i]))
            .Where(p => p.Value.Tuned)
            .Select(p => p.Value.PerStep ? p.Name + HyperparameterSpace.PerStepSuffix : p.Name)
            .Concat(training is GeneratedObjective<T> generated ? generated.Declared.Where(h => h.Value.Tuned).Select(h => h.Name) : [])
            .Concat(Options.Tune)
            .Concat(Options.TuneInitialWeights ? [HyperparameterSpace.InitialWeightsName] : Array.Empty<string>())
            .ToList();
        Space = HyperparameterSpace.Create(
            optimizerHyperparameters.Select(h => h.Name).ToArray(),
            optimizer?.ValuesArray() ?? [],
            training.Hyperparameters,
            LossValues(training.Hyperparameters, Options.LossValues),
            initial,
            steps,
            tuned,
            optimizerHyperparameters.Select(h => h.PerElement).ToArray());
        Batches = Options.BatchSize is { } size ? new BatchSchedule(training.ExampleCount, size, Options.Seed) : null;
        Dynamics = optimizer is null
            ? null
            : new TrainingDynamics<T>(training, backend?.Step(optimizer) ?? optimizer.Step<T>(), Space, Batches, optimizer.StepOptions, backend?.Memory);
        Domains = DomainMap.Declared(Space, optimizer, Options.Domains);
        if (Options.Domains.Keys.FirstOrDefault(n => !Space.Tuned.Any(b => b.Name == n)) is { } stray)
        {
            throw new ArgumentException($"Domains names '{stray}', which is not tuned; the tuned hyperparameters are {string.Join(", ", Space.Tuned.Select(b => b.Name))}.", nameof(options));
        }

        Domains.CheckContains(Space.InitialValues());
    }

    /// <summary>
    /// The problem at the minimizer of <paramref name="training"/>'s loss, with the validation error on
    /// <paramref name="validation"/> as f: no optimizer and no run, for <see cref="Engine.ImplicitAtOptimum"/> and
    /// <see cref="Hoag"/>. The loss should have one minimizer (a convex model with an L2 term).
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown, a value lies outside its domain, or an option of a run is set; the message says which.</exception>
    public static BilevelProblem<T> AtOptimum(IObjective<T> training, IObjective<T> validation, BilevelOptions? options = null)
        => AtOptimum(training, new ValidationError<T>(validation ?? throw new ArgumentNullException(nameof(validation))), options);

    /// <summary>The problem at the minimizer of <paramref name="training"/>'s loss, with <paramref name="response"/> as f.</summary>
    /// <exception cref="ArgumentException">A name is unknown, a value lies outside its domain, or an option of a run is set; the message says which.</exception>
    public static BilevelProblem<T> AtOptimum(IObjective<T> training, IResponseObjective<T> response, BilevelOptions? options = null)
        => new(training, null, response ?? throw new ArgumentNullException(nameof(response)), steps: 1, options, atOptimum: true);

    /// <summary>
    /// A training run without an f: <see cref="Train"/> gives w_T of <paramref name="steps"/> steps of
    /// <paramref name="optimizer"/> on <paramref name="training"/>, at the values it is given for the hyperparameters
    /// tuned by name (<see cref="BilevelOptions.Tune"/>: a per-example weight vector, say), or with nothing tuned.
    /// Anything that differentiates f (an engine, the outer loop, HOAG, RTHO, hypergradient descent) is an
    /// <see cref="InvalidOperationException"/> that says so.
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown or tuned twice, a value lies outside its domain, or the parts do not fit together; the message says which.</exception>
    public static BilevelProblem<T> TrainingRun(IObjective<T> training, Optimizer optimizer, int steps, BilevelOptions? options = null, ITrainingBackend<T>? backend = null)
        => new(training, optimizer ?? throw new ArgumentNullException(nameof(optimizer)), response: null, steps, options, atOptimum: false, backend);

    /// <summary>The training objective J(w; λ_J).</summary>
    public IObjective<T> Training { get; }

    /// <summary>The optimizer with its hyperparameters' values; null for a problem at the training optimum.</summary>
    public Optimizer? Optimizer { get; }

    /// <summary>f: the response of the trained state; null for a <see cref="TrainingRun"/>.</summary>
    public IResponseObjective<T>? Response { get; }

    /// <summary>The settings.</summary>
    public BilevelOptions Options { get; }

    /// <summary>What λ is: the tuned blocks, and every hyperparameter's value.</summary>
    public HyperparameterSpace Space { get; }

    /// <summary>The batch of each step; null for full batches.</summary>
    public BatchSchedule? Batches { get; }

    /// <summary>The training run as the engines see it; null for a problem at the training optimum.</summary>
    public TrainingDynamics<T>? Dynamics { get; }

    /// <summary>Where each tuned block may lie; the outer loop keeps λ there.</summary>
    public DomainMap Domains { get; }

    /// <summary>The starting λ: each tuned hyperparameter at its given value.</summary>
    public double[] InitialHyperparameters => Space.InitialValues();

    /// <summary>The engine <paramref name="engine"/> names, over this problem.</summary>
    /// <exception cref="InvalidOperationException">Nothing is tuned, or the engine differentiates a run and this problem is at the training optimum.</exception>
    public IHypergradientEngine Engine(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        CheckTuned();
        var built = engine.Kind == EngineKind.Implicit
            ? new ImplicitHypergradient<T>(Training, Space, RequireResponse($"Engine.{engine.Kind}"), engine.ImplicitOptions)
            : engine.Over(Run($"Engine.{engine.Kind}"), RequireResponse($"Engine.{engine.Kind}"));
        return Training is IPartitionedAdjoints parts && engine.AccumulatesAdjoints ? new GatheringEngine(built, parts, Space) : built;
    }

    /// <summary>f and ∇f at the starting λ with <paramref name="engine"/>.</summary>
    public HypergradientResult Hypergradient(Engine engine, IProgress<EngineProgress>? progress = null)
        => Engine(engine).Compute(InitialHyperparameters, progress);

    /// <summary>f and ∇f at <paramref name="lambda"/> with <paramref name="engine"/>.</summary>
    public HypergradientResult Hypergradient(Engine engine, ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
        => Engine(engine).Compute(lambda, progress);

    /// <summary>An updater of λ by <paramref name="hyperOptimizer"/> in λ's domains, from the starting λ.</summary>
    /// <exception cref="InvalidOperationException">Nothing is tuned.</exception>
    public HyperparameterUpdater Updater(IHyperOptimizer hyperOptimizer)
    {
        CheckTuned();
        return new(Domains, hyperOptimizer, InitialHyperparameters);
    }

    /// <summary>
    /// The outer loop: from the starting λ, the hypersteps of <paramref name="hyperOptimizer"/> that <paramref name="options"/> allow
    /// along ∇f from <paramref name="engine"/>, in λ's domains; <paramref name="progress"/> sees each hyper-iteration,
    /// <paramref name="engineProgress"/> the steps of each hypergradient.
    /// </summary>
    public OuterResult Optimize(
        Engine engine, IHyperOptimizer hyperOptimizer, OuterOptions options, Action<OuterIteration, double[]>? progress = null, IProgress<EngineProgress>? engineProgress = null)
    {
        var hypergradient = Engine(engine);
        return new HyperparameterOptimization(lambda => hypergradient.Compute(lambda, engineProgress), Updater(hyperOptimizer), options).Run(progress);
    }

    /// <summary>
    /// HOAG (Pedregosa, 2016): the outer loop along implicit hypergradients whose inner and linear solves tighten
    /// with each iteration, from the starting λ in its domains; <paramref name="progress"/> sees each iteration.
    /// </summary>
    public HoagResult Hoag(HoagOptions options, ImplicitOptions? implicitOptions = null, Action<HoagIteration, double[]>? progress = null)
    {
        CheckTuned();
        var engine = new ImplicitHypergradient<T>(Training, Space, RequireResponse(nameof(Hoag)), implicitOptions);
        return Engines.Implicit.Hoag.For(engine, Domains, options).Run(InitialHyperparameters, progress);
    }

    /// <summary>Real-time hyperparameter optimization: one training run, a hyperstep of <paramref name="hyperOptimizer"/> every <paramref name="interval"/> steps.</summary>
    /// <exception cref="InvalidOperationException">A problem at the training optimum has no run.</exception>
    public RealTimeResult<T> RealTime(IHyperOptimizer hyperOptimizer, int interval, IProgress<EngineProgress>? progress = null)
        => new RealTimeHyperparameterOptimization<T>(Run(nameof(RealTime)), RequireResponse(nameof(RealTime)), Updater(hyperOptimizer), interval).Run(progress);

    /// <summary>Hypergradient descent on the optimizer's learning rate <c>lr</c> during one training run, moved by <paramref name="learningRateOptimizer"/>.</summary>
    /// <exception cref="InvalidOperationException">A problem at the training optimum has no run.</exception>
    public HypergradientDescentResult<T> HypergradientDescent(ILearningRateOptimizer learningRateOptimizer, HypergradientDescentOptions? options = null, IProgress<EngineProgress>? progress = null)
    {
        Run(nameof(HypergradientDescent));
        return new HypergradientDescent<T>(
                Training, Optimizer!.Step<T>(), Space, Batches, learningRateOptimizer, RequireResponse(nameof(HypergradientDescent)),
                (options ?? new HypergradientDescentOptions()) with { StepOptions = Optimizer.StepOptions })
            .Run(progress);
    }

    /// <summary>
    /// w_T: the weights after the training run at <paramref name="lambda"/> (the tuned hyperparameters' values, as
    /// the engines take them; empty when nothing is tuned), to evaluate a tuned λ with a metric
    /// (<see cref="ModelResponse{T}.Accuracy"/>) or on a test set. <paramref name="progress"/> sees each step.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lambda"/> is not as long as λ.</exception>
    /// <exception cref="NonFiniteValueException">Training diverged: the final state holds NaN or ∞ (the message names the entry and every hyperparameter's value).</exception>
    /// <exception cref="InvalidOperationException">A problem at the training optimum has no run.</exception>
    public T[] Train(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
        => Trained(lambda, nameof(Train), progress, (dynamics, state, _) => state[..dynamics.ParameterCount].ToArray());

    /// <summary>
    /// f(λ) = E(s_T(λ), λ) alone, without its hypergradient: the training run at <paramref name="lambda"/> and the
    /// response of its final state, what a derivative-free search (<see cref="Outer.RandomSearch"/>) compares.
    /// <paramref name="progress"/> sees each step.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lambda"/> is not as long as λ.</exception>
    /// <exception cref="NonFiniteValueException">Training diverged: the final state holds NaN or ∞.</exception>
    /// <exception cref="InvalidOperationException">A problem at the training optimum has no run, or the problem has no response.</exception>
    public double Value(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
    {
        var response = RequireResponse(nameof(Value));
        return Trained(lambda, nameof(Value), progress, (_, state, values) => double.CreateChecked(response.Value(state, values)));
    }

    /// <summary>What <paramref name="read"/> makes of the state after the training run at <paramref name="lambda"/> (and λ as <typeparamref name="T"/>).</summary>
    private TResult Trained<TResult>(ReadOnlySpan<double> lambda, string what, IProgress<EngineProgress>? progress, StateReader<TResult> read)
    {
        var dynamics = Run(what);
        if (lambda.Length != Space.Count)
        {
            throw new ArgumentException($"λ has {lambda.Length} values; this problem tunes {Space.Count} ({Space.Describe(InitialHyperparameters)}).", nameof(lambda));
        }

        var values = new T[lambda.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(lambda[i]);
        }

        using var memory = dynamics.Memory.Allocate(dynamics.StateLength);
        var state = memory.Memory.Span[..dynamics.StateLength];
        dynamics.Initialize(values, state);
        for (int t = 1; t <= dynamics.Steps; t++)
        {
            dynamics.Step(t, state, values);
            progress?.Report(new EngineProgress("training", t, dynamics.Steps));
        }

        // A diverged run stays non-finite, so one look at s_T finds it.
        FiniteGuard.CheckState(state, dynamics, step: 0, "the state", lambda);
        return read(dynamics, state, values);
    }

    private delegate TResult StateReader<TResult>(TrainingDynamics<T> dynamics, ReadOnlySpan<T> state, ReadOnlySpan<T> lambda);

    /// <summary>A hypergradient needs something to differentiate with respect to.</summary>
    private void CheckTuned()
    {
        if (Space.Count == 0)
        {
            throw new InvalidOperationException(
                $"Nothing is tuned: give a hyperparameter of {Optimizer?.Name ?? "the training objective"}{(Optimizer is null ? string.Empty : " or of the training objective")} as HyperparameterValue.Tune(start), or name it in BilevelOptions.Tune.");
        }
    }

    /// <summary>f, which <paramref name="what"/> differentiates.</summary>
    private IResponseObjective<T> RequireResponse(string what)
        => Response ?? throw new InvalidOperationException(
            $"{what} differentiates f, and this problem is a training run without one (BilevelProblem.TrainingRun): build it with a validation objective or a response to differentiate it.");

    /// <summary>The training run, which <paramref name="what"/> needs.</summary>
    private TrainingDynamics<T> Run(string what)
        => Dynamics ?? throw new InvalidOperationException(
            $"{what} differentiates a training run, and this problem is at the training optimum (no optimizer): use Engine.ImplicitAtOptimum or Hoag, or build the problem with an optimizer and steps.");

    /// <summary>The loss blocks' values: each block's default, or the value <paramref name="chosen"/> gives its name.</summary>
    private static double[] LossValues(HyperparameterLayout layout, IReadOnlyDictionary<string, double> chosen)
    {
        var values = layout.Defaults<double>();
        foreach (var (name, value) in chosen)
        {
            var block = layout.Find(name) ?? throw new ArgumentException(
                $"LossValues names '{name}', which is not a loss hyperparameter of the training objective; it has {(layout.Blocks.Count == 0 ? "none" : string.Join(", ", layout.Blocks.Select(b => b.Name)))}.",
                "options");
            values.AsSpan(block.Offset, block.Length).Fill(value);
        }

        return values;
    }

    /// <summary>An engine over an objective with partitioned adjoints: its result's partitioned loss blocks gathered.</summary>
    private sealed class GatheringEngine(IHypergradientEngine inner, IPartitionedAdjoints parts, HyperparameterSpace space) : IHypergradientEngine
    {
        public HypergradientResult Compute(ReadOnlySpan<double> lambda, IProgress<EngineProgress>? progress = null)
        {
            var result = inner.Compute(lambda, progress);
            foreach (var tuned in space.Tuned)
            {
                if (tuned.Kind == HyperparameterKind.Loss && parts.IsPartitioned(tuned.Name))
                {
                    parts.Gather(tuned.Name, result.Gradient.AsSpan(tuned.Offset, tuned.Length));
                }
            }

            return result;
        }
    }
}
