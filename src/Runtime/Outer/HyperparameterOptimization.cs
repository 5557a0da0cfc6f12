using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using AutoHypergrad.Dynamics;
using AutoHypergrad.Engines;

namespace AutoHypergrad.Outer;

/// <summary>The options of an outer loop.</summary>
/// <param name="Iterations">The most hyper-iterations.</param>
/// <param name="Patience">Early stopping: stop after this many hyper-iterations without a better f(λ); 0 never stops early.</param>
/// <param name="MinImprovement">The relative decrease of f that counts as better.</param>
/// <param name="CheckpointPath">Where to save after each hyper-iteration and resume from; null for none.</param>
/// <param name="Fingerprint">Identifies the run, so that a checkpoint of another run is refused.</param>
/// <param name="SavesCheckpoints">
/// Whether this process writes the checkpoint, or only resumes from it: false on every process of a distributed run
/// but the one that writes its files (they all take the same steps).
/// </param>
public sealed record OuterOptions(
    int Iterations, int Patience = 0, double MinImprovement = 0, string? CheckpointPath = null, string Fingerprint = "", bool SavesCheckpoints = true);

/// <summary>One hyper-iteration: f(λ_k), |∇f(λ_k)| and the time it took.</summary>
public sealed record OuterIteration(int Iteration, double Value, double HypergradientNorm, double Seconds);

/// <summary>The outcome of an outer loop.</summary>
/// <param name="History">Every hyper-iteration, the resumed ones included.</param>
/// <param name="Lambda">λ after the last hyperstep.</param>
/// <param name="BestLambda">The λ with the lowest f seen (what early stopping returns).</param>
/// <param name="BestValue">Its f.</param>
/// <param name="BestIteration">Where it was seen.</param>
/// <param name="StoppedEarly">Whether early stopping ended the loop.</param>
/// <param name="ResumedFrom">The hyper-iterations a checkpoint already held (0: a fresh run).</param>
public sealed record OuterResult(
    IReadOnlyList<OuterIteration> History, double[] Lambda, double[] BestLambda, double BestValue, int BestIteration, bool StoppedEarly, int ResumedFrom);

/// <summary>
/// Gradient-based hyperparameter optimization: λ_{k+1} = update(λ_k, ∇f(λ_k)) in λ's domains, with any engine
/// giving ∇f, early stopping on f (the validation error) and a checkpoint after every hyper-iteration. Each ∇f is a
/// deterministic function of λ, so a run killed at any moment and resumed ends with the same λ as one that was not.
/// </summary>
public sealed class HyperparameterOptimization
{
    private readonly Func<double[], HypergradientResult> _hypergradient;
    private readonly HyperparameterUpdater _updater;

    /// <summary>An outer loop stepping <paramref name="updater"/> along <paramref name="hypergradient"/>.</summary>
    public HyperparameterOptimization(Func<double[], HypergradientResult> hypergradient, HyperparameterUpdater updater, OuterOptions options)
    {
        _hypergradient = hypergradient ?? throw new ArgumentNullException(nameof(hypergradient));
        _updater = updater ?? throw new ArgumentNullException(nameof(updater));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Iterations);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Patience);
    }

    /// <summary>The options.</summary>
    public OuterOptions Options { get; }

    /// <summary>
    /// Runs the remaining hyper-iterations (all of them, or those after the checkpoint's). <paramref name="progress"/>
    /// sees each iteration with the λ it was computed at.
    /// </summary>
    /// <exception cref="NonFiniteValueException">f, ∇f or the new λ is not finite; the checkpoint keeps the last good iteration.</exception>
    public OuterResult Run(Action<OuterIteration, double[]>? progress = null)
    {
        var history = new List<OuterIteration>();
        double[] bestLambda = _updater.Lambda.ToArray();
        double bestValue = double.PositiveInfinity;
        int bestIteration = -1;
        int sinceBest = 0;
        bool stoppedEarly = false;
        int resumedFrom = 0;
        if (Options.CheckpointPath is not null && OuterCheckpoint.Load(Options.CheckpointPath, Options.Fingerprint) is { } saved)
        {
            _updater.Restore(saved.Free, saved.OptimizerState);
            history.AddRange(saved.History);
            (bestLambda, bestValue, bestIteration, sinceBest, stoppedEarly) =
                (saved.BestLambda, saved.BestValue, saved.BestIteration, saved.SinceBest, saved.StoppedEarly);
            resumedFrom = saved.Completed;
        }

        for (int k = resumedFrom; k < Options.Iterations && !stoppedEarly; k++)
        {
            var clock = Stopwatch.StartNew();
            double[] lambda = _updater.Lambda.ToArray();
            var result = _hypergradient(lambda);
            CheckFinite(k, "f(λ)", [result.Value], result.Names, lambda);
            CheckFinite(k, "the hypergradient", result.Gradient, result.Names, lambda);
            var iteration = new OuterIteration(k, result.Value, TensorPrimitives.Norm<double>(result.Gradient), clock.Elapsed.TotalSeconds);
            history.Add(iteration);
            progress?.Invoke(iteration, lambda);

            if (result.Value < bestValue - Options.MinImprovement * Math.Abs(bestValue) || bestIteration < 0)
            {
                (bestLambda, bestValue, bestIteration, sinceBest) = (lambda, result.Value, k, 0);
            }
            else
            {
                sinceBest++;
                stoppedEarly = Options.Patience > 0 && sinceBest >= Options.Patience;
            }

            _updater.Step(result.Gradient);
            CheckFinite(k, "the new λ", _updater.Lambda, result.Names, lambda);
            Save(k + 1, bestLambda, bestValue, bestIteration, sinceBest, stoppedEarly, history);
        }

        return new OuterResult(history, _updater.Lambda.ToArray(), bestLambda, bestValue, bestIteration, stoppedEarly, resumedFrom);
    }

    private void Save(int completed, double[] bestLambda, double bestValue, int bestIteration, int sinceBest, bool stoppedEarly, List<OuterIteration> history)
    {
        if (Options.CheckpointPath is null || !Options.SavesCheckpoints)
        {
            return;
        }

        new OuterCheckpoint
        {
            Fingerprint = Options.Fingerprint,
            Completed = completed,
            Free = _updater.Free,
            OptimizerState = _updater.Optimizer.SaveState(),
            BestLambda = bestLambda,
            BestValue = bestValue,
            BestIteration = bestIteration,
            SinceBest = sinceBest,
            StoppedEarly = stoppedEarly,
            History = history,
        }.Save(Options.CheckpointPath);
    }

    private static void CheckFinite(int iteration, string what, ReadOnlySpan<double> values, IReadOnlyList<string> names, double[] lambda)
    {
        int index = FiniteGuard.FirstNonFinite(values);
        if (index >= 0)
        {
            string entry = values.Length == names.Count ? $"{what} {names[index]}" : what;
            string hyperparameters = string.Join(", ", names.Zip(lambda).Take(8).Select(p => FormattableString.Invariant($"{p.First}={p.Second:G6}")))
                                     + (names.Count > 8 ? $", … ({names.Count} values)" : string.Empty);
            throw new NonFiniteValueException($"Hyper-iteration {iteration}", $"{entry} = {values[index]}", hyperparameters);
        }
    }
}
