using System;
using AutoHypergrad.Outer;

namespace AutoHypergrad.SelfTuning;

/// <summary>Settings of <see cref="SelfTuningTrainer"/>; the defaults are the paper's where it gives them.</summary>
public sealed record SelfTuningOptions
{
    /// <summary>T_train, steps on φ per cycle (the paper: 5).</summary>
    public int TrainingSteps { get; init; } = 5;

    /// <summary>T_valid, steps on (λ, σ) per cycle (the paper: 1).</summary>
    public int ValidationSteps { get; init; } = 1;

    /// <summary>Adam's step size α on φ.</summary>
    public double ParameterLearningRate { get; init; } = 1e-3;

    /// <summary>Adam's step size β on (λ, log σ).</summary>
    public double HyperparameterLearningRate { get; init; } = 3e-3;

    /// <summary>τ, the weight of the entropy term (the paper: 0.001).</summary>
    public double EntropyWeight { get; init; } = 1e-3;

    /// <summary>The initial σ of every component of the perturbation (the paper: 0.5).</summary>
    public double InitialPerturbation { get; init; } = 0.5;

    /// <summary>Whether σ is tuned with λ; false keeps it at <see cref="InitialPerturbation"/>.</summary>
    public bool TunePerturbation { get; init; } = true;

    /// <summary>Seeds the perturbations.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// Self-Tuning Networks' training algorithm (MacKay, Vicol, Lorraine, Duvenaud &amp; Grosse, ICLR 2019, Algorithm 1):
/// each cycle takes T_train steps on the best-response parameters φ of
/// E_ε[f(λ + ε, ŵ_φ(λ + ε))], then T_valid steps on λ and σ of E_ε[F(λ + ε, ŵ_φ(λ + ε))] − τ·H[p(ε | σ)], with
/// ε ~ N(0, diag σ²) drawn per example. The hyperparameter gradient is the model's (direct + response, through the
/// STN layers); σ gets it through the reparametrization ε = σ ⊙ z. Both updates are Adam steps, as in the paper.
/// </summary>
public sealed class SelfTuningTrainer
{
    private readonly IStnModel _model;
    private readonly SelfTuningOptions _options;
    private readonly Random _random;
    private readonly HyperAdam _parameterAdam;
    private readonly HyperAdam _hyperAdam;
    private readonly double[] _hyper;  // λ then log σ
    private int _trainingCalls;
    private int _validationCalls;

    /// <summary>A trainer of <paramref name="model"/> from φ = <paramref name="parameters"/> (updated in place) and λ = <paramref name="hyperparameters"/> (free values).</summary>
    /// <exception cref="ArgumentException">A span of the wrong length, or options out of range.</exception>
    public SelfTuningTrainer(IStnModel model, double[] parameters, ReadOnlySpan<double> hyperparameters, SelfTuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        _options = options ?? new SelfTuningOptions();
        if (parameters.Length != model.ParameterCount)
        {
            throw new ArgumentException($"parameters has {parameters.Length} values; the model has {model.ParameterCount}.", nameof(parameters));
        }

        if (hyperparameters.Length != model.HyperparameterCount)
        {
            throw new ArgumentException($"hyperparameters has {hyperparameters.Length} values; the model has {model.HyperparameterCount}.", nameof(hyperparameters));
        }

        if (!(_options.InitialPerturbation > 0) || _options.TrainingSteps < 0 || _options.ValidationSteps < 0)
        {
            throw new ArgumentException($"Options out of range: {_options}.", nameof(options));
        }

        _model = model;
        Parameters = parameters;
        int h = model.HyperparameterCount;
        _hyper = new double[2 * h];
        hyperparameters.CopyTo(_hyper);
        _hyper.AsSpan(h).Fill(Math.Log(_options.InitialPerturbation));
        _random = new Random(_options.Seed);
        _parameterAdam = new HyperAdam(_options.ParameterLearningRate);
        _hyperAdam = new HyperAdam(_options.HyperparameterLearningRate);
    }

    /// <summary>φ, updated in place.</summary>
    public double[] Parameters { get; }

    /// <summary>λ, the current (free) hyperparameters.</summary>
    public ReadOnlySpan<double> Hyperparameters => _hyper.AsSpan(0, _model.HyperparameterCount);

    /// <summary>log σ, the perturbation's scale.</summary>
    public ReadOnlySpan<double> LogSigma => _hyper.AsSpan(_model.HyperparameterCount);

    /// <summary>The training loss of the last φ step.</summary>
    public double LastTrainingLoss { get; private set; } = double.NaN;

    /// <summary>The validation objective E_val − τ·H of the last hyperparameter step.</summary>
    public double LastValidationObjective { get; private set; } = double.NaN;

    /// <summary>Runs <paramref name="cycles"/> cycles of T_train φ steps then T_valid (λ, σ) steps.</summary>
    public void Run(int cycles)
    {
        for (int c = 0; c < cycles; c++)
        {
            for (int t = 0; t < _options.TrainingSteps; t++)
            {
                TrainingStep();
            }

            for (int t = 0; t < _options.ValidationSteps; t++)
            {
                HyperparameterStep();
            }
        }
    }

    /// <summary>φ ← Adam(φ, ∇_φ f(λ + ε, ŵ_φ(λ + ε))).</summary>
    public void TrainingStep()
    {
        int n = _model.TrainingBatchSize, h = _model.HyperparameterCount;
        double[] rows = new double[n * h], z = new double[n * h];
        Perturb(rows, z);
        double[] gradient = new double[Parameters.Length];
        LastTrainingLoss = _model.TrainingLoss(Parameters, rows, gradient, _trainingCalls++);
        _parameterAdam.Step(Parameters, gradient);
    }

    /// <summary>(λ, log σ) ← Adam on E_ε[F(λ + ε, ŵ_φ(λ + ε))] − τ·H[p(ε | σ)].</summary>
    public void HyperparameterStep()
    {
        int n = _model.ValidationBatchSize, h = _model.HyperparameterCount;
        double[] rows = new double[n * h], z = new double[n * h], rowGradient = new double[n * h];
        Perturb(rows, z);
        double loss = _model.ValidationLoss(Parameters, rows, rowGradient, _validationCalls++);
        ReadOnlySpan<double> logSigma = LogSigma;
        double[] gradient = new double[2 * h];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < h; i++)
            {
                double g = rowGradient[r * h + i];
                gradient[i] += g;                                      // ∂(λ + σz)/∂λ = 1
                gradient[h + i] += g * z[r * h + i] * Math.Exp(logSigma[i]);  // ∂(λ + σz)/∂log σ = σz
            }
        }

        GaussianPerturbation.AddEntropyGradient(logSigma, -_options.EntropyWeight, gradient.AsSpan(h));
        LastValidationObjective = loss - _options.EntropyWeight * GaussianPerturbation.Entropy(logSigma);
        if (!_options.TunePerturbation)
        {
            gradient.AsSpan(h).Clear();
        }

        _hyperAdam.Step(_hyper, gradient);
    }

    /// <summary>rows[r, i] = λᵢ + σᵢ z[r, i], z ~ N(0, 1).</summary>
    private void Perturb(Span<double> rows, Span<double> z)
    {
        int h = _model.HyperparameterCount;
        for (int k = 0; k < rows.Length; k++)
        {
            int i = k % h;
            z[k] = GaussianPerturbation.NextStandardNormal(_random);
            rows[k] = _hyper[i] + Math.Exp(_hyper[h + i]) * z[k];
        }
    }
}
