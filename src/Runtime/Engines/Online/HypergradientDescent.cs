using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AutoHypergrad.Domains;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Objectives;
using AutoHypergrad.Steps;

namespace AutoHypergrad.Engines.Online;

/// <summary>
/// Hypergradient descent (Baydin, Cornish, Martínez Rubio, Schmidt and Wood, "Online Learning Rate Adaptation with
/// Hypergradient Descent", ICLR 2018): training with any optimizer step u_t = Φ(s_{t−1}, g_t; α) − w_{t−1} while its
/// learning rate α follows its own gradient, one step back:
/// <code>
/// ∂u_0/∂α = 0
/// for t = 1 … T:
///     g_t = ∇f(θ_{t−1})                         (the objective on batch_t)
///     h_t = g_t · ∂u_{t−1}/∂α                   (the hypergradient)
///     α_t = P(update(α_{t−1}, h_t))              (a learning-rate optimizer, then [floor, ceiling])
///     s_t, ∂u_t/∂α = Φ and its tangent at (s_{t−1}, g_t; α_t) along α
/// </code>
/// The paper derives ∂u/∂α by hand for each optimizer (−g_t for SGD, −(g_t + μv_t) for SGDN, −m̂_t/(√v̂_t + ε) for
/// Adam); here it is the weight slot of the generated tangent of the step with the hyperparameter tangent 1 on lr and
/// zero state and gradient tangents, ∂s_t/∂α with s_{t−1} and g_t held fixed, so every optimizer with an lr gets it
/// without code of its own. One global α; the rates are spans so that a per-parameter α (h_i = g_i·∂u_i/∂α_i) takes
/// the same learning-rate optimizers.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class HypergradientDescent<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The hyperparameter that hypergradient descent adapts.</summary>
    public const string LearningRateName = "lr";

    private readonly IObjective<T> _objective;
    private readonly IVectorizedStep<T> _step;
    private readonly HyperparameterSpace _space;
    private readonly BatchSchedule? _batches;
    private readonly ILearningRateOptimizer _learningRateOptimizer;
    private readonly IResponseObjective<T>? _validation;
    private readonly HypergradientDescentOptions _options;
    private readonly Domain _domain;
    private readonly int _learningRateIndex;
    private readonly int _n;

    /// <summary>Training with <paramref name="step"/> on <paramref name="objective"/>, its lr adapted by <paramref name="learningRateOptimizer"/>.</summary>
    /// <param name="objective">f, the training objective.</param>
    /// <param name="step">The optimizer's step; it must have a hyperparameter named lr.</param>
    /// <param name="space">
    /// The run's fixed values: the optimizer's hyperparameters (lr is α_0), the loss hyperparameters, w_0 and the
    /// number of steps T. Its tuned blocks are ignored.
    /// </param>
    /// <param name="batches">The batch of each step; null for full batch.</param>
    /// <param name="learningRateOptimizer">How α moves along h_t.</param>
    /// <param name="validation">E, evaluated on w_t every <see cref="HypergradientDescentOptions.ValidationInterval"/> steps and at the end; null for none.</param>
    /// <param name="options">The learning rate's bounds, the validation interval and the step options.</param>
    /// <exception cref="ArgumentException">The space does not fit the step or the objective, or α_0 lies outside its bounds.</exception>
    public HypergradientDescent(
        IObjective<T> objective,
        IVectorizedStep<T> step,
        HyperparameterSpace space,
        BatchSchedule? batches,
        ILearningRateOptimizer learningRateOptimizer,
        IResponseObjective<T>? validation = null,
        HypergradientDescentOptions? options = null)
    {
        TrainingDynamics<T>.CheckRun(objective, step, space, batches);
        _objective = objective;
        _step = step;
        _space = space;
        _learningRateOptimizer = learningRateOptimizer ?? throw new ArgumentNullException(nameof(learningRateOptimizer));
        _options = options ?? new HypergradientDescentOptions();
        _learningRateIndex = step.HyperparameterNames.ToList().IndexOf(LearningRateName);
        if (_learningRateIndex < 0)
        {
            throw new ArgumentException($"{step.Name} has no hyperparameter '{LearningRateName}' to adapt.", nameof(step));
        }

        if (!(_options.Floor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.Floor, "The learning rate's floor must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(_options.ValidationInterval, nameof(options));
        _domain = Domain.Box(_options.Floor, _options.Ceiling);
        if (!_domain.Contains([InitialLearningRate], out _))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The initial learning rate {InitialLearningRate} lies outside its domain {_domain.Describe()}."),
                nameof(space));
        }

        _batches = batches;
        _validation = validation;
        _n = objective.ParameterCount;
    }

    /// <summary>The number of training steps T.</summary>
    public int Steps => _space.Steps;

    /// <summary>α_0, the space's lr.</summary>
    public double InitialLearningRate => _space.OptimizerValues[_learningRateIndex];

    /// <summary>Trains for T steps from w_0, adapting α.</summary>
    /// <exception cref="NonFiniteValueException">The loss, the state, the hypergradient or α is not finite.</exception>
    public HypergradientDescentResult<T> Run(IProgress<EngineProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        int steps = Steps;
        bool adapts = _learningRateOptimizer.Adapts;
        var state = new T[_step.StateNames.Count * _n];
        for (int i = 0; i < _n; i++)
        {
            state[i] = T.CreateChecked(_space.InitialWeights[i]);
        }

        var lossLambda = _space.LossValues.Select(T.CreateChecked).ToArray();
        var hyper = TrainingDynamics<T>.PackOptimizerValues(_step, _space, _n);

        var gradient = new T[_n];

        // k = 1 direction: λ̇ = 1 on lr (on every α_i of a per-parameter lr), ṡ_{t−1} = 0 and ġ = 0, so the state
        // tangent after a step is ∂s_t/∂α with s_{t−1} and g_t held fixed; its weight slot is ∂u_t/∂α, kept until the
        // next step's h. The step is elementwise, so with per-parameter rates entry i is ∂u_i/∂α_i.
        var stateTangent = adapts ? new T[state.Length] : [];
        var gradientTangent = adapts ? new T[_n] : [];
        var hyperTangent = new T[VectorizedStepLayout.HyperparameterTangentLength(_step, _n, 1)];
        hyperTangent.AsSpan(
            VectorizedStepLayout.HyperparameterTangentOffset(_step, _learningRateIndex, _n, 1),
            VectorizedStepLayout.HyperparameterTangentSize(_step, _learningRateIndex, _n, 1)).Fill(T.One);
        int rateOffset = VectorizedStepLayout.HyperparameterOffset(_step, _learningRateIndex, _n);

        var rate = new double[VectorizedStepLayout.HyperparameterSize(_step, _learningRateIndex, _n)];
        Array.Fill(rate, InitialLearningRate);
        var hypergradient = new double[rate.Length];
        var losses = new double[steps];
        var rates = new double[steps];
        var hypergradients = adapts ? new double[steps] : null;
        var validation = new List<ValidationPoint>();
        _learningRateOptimizer.Reset(rate.Length);
        for (int t = 1; t <= steps; t++)
        {
            var batch = _batches?.At(t - 1) ?? Batch.Full;
            var w = state.AsSpan(0, _n);
            losses[t - 1] = double.CreateChecked(_objective.Gradient(w, lossLambda, batch, gradient));
            CheckFinite(losses[t - 1], t, "the training loss", rate[0]);
            if (adapts)
            {
                Hypergradient(gradient, stateTangent.AsSpan(0, _n), _step.PerElement[_learningRateIndex], hypergradient);
                CheckFinite(hypergradient, t, "the hypergradient h", rate[0]);
                _learningRateOptimizer.Step(rate, hypergradient);
                CheckFinite(rate, t, "the learning rate α", rate[0]);
                _domain.Project(rate);
                hypergradients![t - 1] = hypergradient.Sum();
            }

            rates[t - 1] = rate.Average();
            for (int i = 0; i < rate.Length; i++)
            {
                hyper[rateOffset + i] = T.CreateChecked(rate[i]);
            }

            var stepOptions = _options.StepOptions.At(t);
            if (adapts)
            {
                Array.Clear(stateTangent);
                _step.Tangents(state, stateTangent, gradient, gradientTangent, hyper, hyperTangent, stepOptions);
                CheckState(stateTangent, t, "the tangent ∂s/∂α of", rate[0]);
            }
            else
            {
                _step.Step(state, gradient, hyper, stepOptions);
            }

            CheckState(state, t, "the state", rate[0]);
            if (_validation is not null && (t == steps || (_options.ValidationInterval > 0 && t % _options.ValidationInterval == 0)))
            {
                validation.Add(new ValidationPoint(t, double.CreateChecked(_validation.Value(state, ReadOnlySpan<T>.Empty))));
            }

            progress?.Report(new EngineProgress("hypergradient descent", t, steps));
        }

        return new HypergradientDescentResult<T>(state, losses, rates, hypergradients, validation, clock.Elapsed);
    }

    /// <summary>
    /// h = g·∂u/∂α for a global α (accumulated in double), or h_i = g_i·∂u_i/∂α_i for per-parameter rates.
    /// </summary>
    private static void Hypergradient(ReadOnlySpan<T> gradient, ReadOnlySpan<T> updateTangent, bool perParameter, Span<double> hypergradient)
    {
        if (perParameter)
        {
            for (int i = 0; i < gradient.Length; i++)
            {
                hypergradient[i] = double.CreateChecked(gradient[i]) * double.CreateChecked(updateTangent[i]);
            }

            return;
        }

        double sum = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            sum += double.CreateChecked(gradient[i]) * double.CreateChecked(updateTangent[i]);
        }

        hypergradient[0] = sum;
    }

    private void CheckState(ReadOnlySpan<T> values, int step, string what, double rate)
    {
        int index = FiniteGuard.FirstNonFinite(values);
        if (index >= 0)
        {
            throw new NonFiniteValueException(
                Where(step), $"{what} {_step.StateNames[index / _n]}[{index % _n}] = {values[index]}", Describe(rate));
        }
    }

    private void CheckFinite(ReadOnlySpan<double> values, int step, string what, double rate)
    {
        int index = FiniteGuard.FirstNonFinite(values);
        if (index >= 0)
        {
            CheckFinite(values[index], step, values.Length == 1 ? what : $"{what}[{index}]", rate);
        }
    }

    private void CheckFinite(double value, int step, string what, double rate)
    {
        if (!double.IsFinite(value))
        {
            throw new NonFiniteValueException(Where(step), string.Create(CultureInfo.InvariantCulture, $"{what} = {value}"), Describe(rate));
        }
    }

    private string Where(int step) => string.Create(CultureInfo.InvariantCulture, $"Step {step} of {Steps}");

    private static string Describe(double rate) => string.Create(CultureInfo.InvariantCulture, $"{LearningRateName}={rate:G6}");
}
