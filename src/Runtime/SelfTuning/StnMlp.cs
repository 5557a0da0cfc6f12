using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using AutoHypergrad.Data;
using AutoHypergrad.LinearAlgebra;
using AutoHypergrad.Objectives;
using AutoHypergrad.Objectives.Models;

namespace AutoHypergrad.SelfTuning;

/// <summary>The sizes, batches and starting hyperparameters of a <see cref="StnMlp"/>.</summary>
public sealed record StnMlpOptions
{
    /// <summary>The widths of the hidden layers (ReLU).</summary>
    public IReadOnlyList<int> HiddenWidths { get; init; } = [200, 200];

    /// <summary>Examples per training step.</summary>
    public int TrainingBatchSize { get; init; } = 128;

    /// <summary>Examples per hyperparameter step.</summary>
    public int ValidationBatchSize { get; init; } = 128;

    /// <summary>The starting dropout rate of every layer's input.</summary>
    public double InitialDropout { get; init; } = 0.05;

    /// <summary>The starting L2 coefficient.</summary>
    public double InitialWeightDecay { get; init; } = 1e-4;

    /// <summary>The starting standard deviation of the Gaussian noise added to the inputs.</summary>
    public double InitialInputNoise { get; init; } = 0.05;

    /// <summary>Seeds the batch orders, the dropout masks and the input noise.</summary>
    public ulong Seed { get; init; } = 1;
}

/// <summary>
/// A multilayer perceptron of <see cref="StnDenseLayer"/>s with ReLU hidden units and a softmax cross-entropy head, the
/// model of an MNIST experiment of Self-Tuning Networks (MacKay et al., ICLR 2019). Its hyperparameters, each per
/// example and each tuned through its <see cref="StnHyperparameter"/> reparametrization:
/// <list type="bullet">
/// <item><c>dropout0</c> … <c>dropout{L−1}</c>: the dropout rate of each layer's input (logit), inverted dropout;</item>
/// <item><c>l2</c>: the coefficient c of c·Σ_l ‖Ŵ_l(λ)‖², the squared norm of every layer's best-response weights (log);</item>
/// <item><c>inputNoise</c>: the standard deviation of Gaussian noise added to the inputs before their dropout (log).</item>
/// </list>
/// The layers see the free values minus <see cref="Origin"/> (the starting free values), so that V·λ starts near 0.
/// The training loss applies the regularizers with each example's own (perturbed) hyperparameters; the validation
/// loss applies none (no dropout, no noise, no penalty, as in the paper), so its hyperparameter gradient is the
/// response gradient alone. The masks and the noise of a training step are a function of the seed and the step
/// (SplitMix64), so a step's loss is a deterministic function of φ and λ. Not thread-safe.
/// </summary>
/// <remarks>
/// Derivatives: the layers' from <see cref="StnDenseLayer.Backward"/> (the generated adjoint of
/// <see cref="StnElementwise.Modulate(ref double, double, double, double, double)"/> and GEMMs), the head's from the
/// objectives' softmax cross-entropy, the penalty's from the generated adjoint of
/// <see cref="StnElementwise.WeightDecay(ref double, double, double, double, double, double)"/>; dropout and ReLU multiply
/// by a gate g = m/(1 − p)·[z &gt; 0], whose backward multiplies by the same gate.
/// </remarks>
public sealed class StnMlp : IStnModel
{
    private const int EvaluationChunk = 1000;
    private readonly Dataset<double> _training;
    private readonly Dataset<double> _validation;
    private readonly StnDenseLayer[] _layers;
    private readonly int[] _offsets;
    private readonly LossHead<double> _head;
    private readonly BatchSchedule _trainingBatches;
    private readonly BatchSchedule _validationBatches;
    private readonly double[] _origin;
    private readonly ulong _seed;

    // Per layer l: its input a_l (rows × in_l), its output z_l (rows × out_l) and the gate that made a_l from the
    // previous output (l > 0) or from the noisy input (l = 0); the gradients with respect to a_l and z_l.
    private readonly double[][] _inputs;
    private readonly double[][] _outputs;
    private readonly double[][] _gates;
    private readonly double[][] _inputBars;
    private readonly double[][] _outputBars;
    private double[] _centered = [];
    private double[] _scratch = [];

    /// <summary>An MLP from <paramref name="training"/>'s features to its classes, validated on <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException">A data set without labels, the two with different features or classes, or options out of range.</exception>
    public StnMlp(Dataset<double> training, Dataset<double> validation, StnMlpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        Options = options ?? new StnMlpOptions();
        if (training.Labels is null || validation.Labels is null || training.ClassCount < 2)
        {
            throw new ArgumentException("An STN MLP classifies: both data sets need labels and at least two classes.", nameof(training));
        }

        if (training.FeatureCount != validation.FeatureCount || training.ClassCount != validation.ClassCount)
        {
            throw new ArgumentException(
                $"Training has {training.FeatureCount} features and {training.ClassCount} classes; validation {validation.FeatureCount} and {validation.ClassCount}.",
                nameof(validation));
        }

        if (Options.HiddenWidths.Any(w => w < 1) || Options.TrainingBatchSize < 1 || Options.ValidationBatchSize < 1
            || !(Options.InitialDropout is > 0 and < 1) || !(Options.InitialWeightDecay > 0) || !(Options.InitialInputNoise > 0))
        {
            throw new ArgumentException($"Options out of range: {Options}.", nameof(options));
        }

        _training = training;
        _validation = validation;
        int[] widths = [training.FeatureCount, .. Options.HiddenWidths, training.ClassCount];
        int layers = widths.Length - 1;
        var hyperparameters = new List<StnHyperparameter>();
        for (int l = 0; l < layers; l++)
        {
            hyperparameters.Add(new StnHyperparameter($"dropout{l}", StnHyperparameterKind.DropoutRate));
        }

        hyperparameters.Add(new StnHyperparameter("l2", StnHyperparameterKind.WeightDecay));
        hyperparameters.Add(new StnHyperparameter("inputNoise", StnHyperparameterKind.InputNoise));
        Hyperparameters = hyperparameters;
        _layers = new StnDenseLayer[layers];
        _offsets = new int[layers + 1];
        for (int l = 0; l < layers; l++)
        {
            _layers[l] = new StnDenseLayer(widths[l], widths[l + 1], hyperparameters.Count);
            _offsets[l + 1] = _offsets[l] + _layers[l].ParameterCount;
        }

        _head = LossHead<double>.Create(LossKind.CrossEntropy, training.ClassCount);
        _trainingBatches = new BatchSchedule(training.Count, Options.TrainingBatchSize, Options.Seed);
        _validationBatches = new BatchSchedule(validation.Count, Options.ValidationBatchSize, Options.Seed + 1);
        _seed = Options.Seed;
        _origin = Initial();
        _inputs = new double[layers][];
        _outputs = new double[layers][];
        _gates = new double[layers][];
        _inputBars = new double[layers][];
        _outputBars = new double[layers][];
        for (int l = 0; l < layers; l++)
        {
            _inputs[l] = _outputs[l] = _gates[l] = _inputBars[l] = _outputBars[l] = [];
        }
    }

    /// <summary>The options the model was made with.</summary>
    public StnMlpOptions Options { get; }

    /// <summary>The hyperparameters, in the order of a row of λ: the dropout rates of layers 0 … L−1, l2, inputNoise.</summary>
    public IReadOnlyList<StnHyperparameter> Hyperparameters { get; }

    /// <summary>The free values the layers measure λ from: those of the options' starting values.</summary>
    public ReadOnlySpan<double> Origin => _origin;

    /// <summary>The number of dense layers (and of dropout rates).</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Where l2 is in a row of λ.</summary>
    public int WeightDecayIndex => _layers.Length;

    /// <summary>Where inputNoise is in a row of λ.</summary>
    public int InputNoiseIndex => _layers.Length + 1;

    public int ParameterCount => _offsets[^1];

    public int HyperparameterCount => Hyperparameters.Count;

    public int TrainingBatchSize => _trainingBatches.BatchSize;

    public int ValidationBatchSize => _validationBatches.BatchSize;

    /// <summary>The free values of the options' starting hyperparameters.</summary>
    public double[] Initial()
    {
        double[] free = new double[HyperparameterCount];
        for (int l = 0; l < _layers.Length; l++)
        {
            free[l] = Hyperparameters[l].FreeOf(Options.InitialDropout);
        }

        free[WeightDecayIndex] = Hyperparameters[WeightDecayIndex].FreeOf(Options.InitialWeightDecay);
        free[InputNoiseIndex] = Hyperparameters[InputNoiseIndex].FreeOf(Options.InitialInputNoise);
        return free;
    }

    /// <summary>The values λ = r(u) of free values <paramref name="free"/> (one row).</summary>
    public double[] ValuesOf(ReadOnlySpan<double> free)
    {
        Check(free.Length, HyperparameterCount, nameof(free));
        double[] values = new double[free.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Hyperparameters[i].ValueOf(free[i]);
        }

        return values;
    }

    /// <summary>φ: every layer by <see cref="StnDenseLayer.Initialize"/>, from a generator seeded with <paramref name="seed"/>.</summary>
    public double[] InitialParameters(int seed)
    {
        var random = new Random(seed);
        double[] parameters = new double[ParameterCount];
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Initialize(parameters.AsSpan(_offsets[l], _layers[l].ParameterCount), random);
        }

        return parameters;
    }

    public double TrainingLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> parameterGradient, int step)
    {
        Check(parameterGradient.Length, ParameterCount, nameof(parameterGradient));
        var batch = _trainingBatches.At(step);
        int rows = batch.Count(_training.Count);
        double loss = Forward(parameters, _training, batch, hyperparameters, rows, step);
        parameterGradient.Clear();
        Backward(parameters, rows, parameterGradient, []);
        return loss + WeightDecay(parameters, hyperparameters, rows, parameterGradient);
    }

    public double ValidationLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> hyperparameterGradient, int step)
    {
        var batch = _validationBatches.At(step);
        int rows = batch.Count(_validation.Count);
        Check(hyperparameterGradient.Length, rows * HyperparameterCount, nameof(hyperparameterGradient));
        double loss = Forward(parameters, _validation, batch, hyperparameters, rows, step: null);
        hyperparameterGradient.Clear();
        Backward(parameters, rows, Workspace.Grow(ref _scratch, ParameterCount), hyperparameterGradient);
        return loss;
    }

    /// <summary>
    /// The mean cross-entropy and the accuracy on all of <paramref name="data"/> at the free hyperparameters
    /// <paramref name="free"/> (one row, unperturbed), without dropout, noise or penalty.
    /// </summary>
    public (double Loss, double Accuracy) Evaluate(ReadOnlySpan<double> parameters, ReadOnlySpan<double> free, Dataset<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(parameters.Length, ParameterCount, nameof(parameters));
        Check(free.Length, HyperparameterCount, nameof(free));
        if (data.Labels is null || data.FeatureCount != _training.FeatureCount || data.ClassCount != _training.ClassCount)
        {
            throw new ArgumentException($"{data.Source} does not have the training set's features and classes.", nameof(data));
        }

        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += EvaluationChunk)
        {
            int rows = Math.Min(EvaluationChunk, data.Count - start);
            int[] indices = Enumerable.Range(start, rows).ToArray();
            double[] lambda = new double[rows * HyperparameterCount];
            for (int r = 0; r < rows; r++)
            {
                free.CopyTo(lambda.AsSpan(r * HyperparameterCount));
            }

            lossSum += rows * Forward(parameters, data, Batch.Of(indices), lambda, rows, step: null);
            var targets = new Targets<double>(data.Labels.AsSpan(start, rows), default);
            ReadOnlySpan<double> logits = _outputs[^1].AsSpan(0, rows * data.ClassCount);
            for (int r = 0; r < rows; r++)
            {
                correct += _head.IsCorrect(logits, targets, r) ? 1 : 0;
            }
        }

        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>
    /// The forward pass over a batch; returns the mean cross-entropy and leaves the logits in the last layer's output,
    /// the head's δ = ∂loss/∂logits in its output gradient. With a <paramref name="step"/>, the training step's noise
    /// and dropout are applied with each row's hyperparameters; without one, neither.
    /// </summary>
    private double Forward(ReadOnlySpan<double> parameters, Dataset<double> data, Batch batch, ReadOnlySpan<double> hyperparameters, int rows, int? step)
    {
        Check(parameters.Length, ParameterCount, nameof(parameters));
        Check(hyperparameters.Length, rows * HyperparameterCount, nameof(hyperparameters));
        int h = HyperparameterCount, d = data.FeatureCount;
        Span<double> centered = Workspace.Grow(ref _centered, rows * h);
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(hyperparameters.Slice(r * h, h), _origin, centered.Slice(r * h, h));
        }

        Span<double> input = Workspace.Grow(ref _inputs[0], rows * d);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int index = batch.IndexAt(r);
            data.Row(index).CopyTo(input.Slice(r * d, d));
            labels[r] = data.Labels![index];
        }

        var random = new SplitMix64(_seed ^ (0xD1B54A32D192ED03UL * (ulong)((step ?? -1) + 2)));
        if (step is not null)
        {
            AddInputNoise(input, hyperparameters, rows, ref random);
            Span<double> gate = Workspace.Grow(ref _gates[0], rows * d);
            gate.Fill(1);
            Dropout(gate, Column(hyperparameters, 0, rows), ref random);
            TensorPrimitives.Multiply(input, gate, input);
        }

        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            Span<double> output = Workspace.Grow(ref _outputs[l], rows * layer.Outputs);
            layer.Forward(Layer(parameters, l), _inputs[l].AsSpan(0, rows * layer.Inputs), centered, rows, output);
            if (l + 1 < _layers.Length)
            {
                // a_{l+1} = z_l ⊙ g with g = [z_l > 0] · m/(1 − p): ReLU, then inverted dropout.
                Span<double> gate = Workspace.Grow(ref _gates[l + 1], output.Length);
                for (int k = 0; k < output.Length; k++)
                {
                    gate[k] = output[k] > 0 ? 1 : 0;
                }

                if (step is not null)
                {
                    Dropout(gate, Column(hyperparameters, l + 1, rows), ref random);
                }

                TensorPrimitives.Multiply(output, gate, Workspace.Grow(ref _inputs[l + 1], output.Length));
            }
        }

        int classes = data.ClassCount;
        double[] weights = new double[rows];
        Array.Fill(weights, 1.0 / rows);
        Span<double> delta = Workspace.Grow(ref _outputBars[^1], rows * classes);
        return _head.ValueAndDelta(_outputs[^1].AsSpan(0, rows * classes), new Targets<double>(labels, default), weights, delta);
    }

    /// <summary>Back from the head's δ through every layer; adds ∂/∂φ and, when not empty, ∂/∂λ (the response gradient).</summary>
    private void Backward(ReadOnlySpan<double> parameters, int rows, Span<double> parameterGradient, Span<double> hyperparameterGradient)
    {
        ReadOnlySpan<double> centered = _centered.AsSpan(0, rows * HyperparameterCount);
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            Span<double> inputBar = l == 0 ? [] : Workspace.Grow(ref _inputBars[l], rows * layer.Inputs);
            inputBar.Clear();
            layer.Backward(
                Layer(parameters, l), _inputs[l].AsSpan(0, rows * layer.Inputs), centered, rows, _outputBars[l].AsSpan(0, rows * layer.Outputs),
                parameterGradient.Slice(_offsets[l], layer.ParameterCount), inputBar, hyperparameterGradient);
            if (l > 0)
            {
                TensorPrimitives.Multiply(inputBar, _gates[l].AsSpan(0, inputBar.Length), Workspace.Grow(ref _outputBars[l - 1], inputBar.Length));
            }
        }
    }

    /// <summary>
    /// Adds (1/n) Σ_r c_r Σ_l ‖Ŵ_l(λ_r)‖² (c_r the row's l2) and its gradient in φ; returns the penalty. Per layer, with
    /// a = ‖W_elem[k]‖², b = ⟨W_elem[k], W_hyper[k]⟩, q = ‖W_hyper[k]‖² and S = Λ Vᵀ, the penalty of row r is
    /// Σ_k c_r (a_k + 2 S_rk b_k + S_rk² q_k), differentiated by the generated <c>WeightDecayAdjoint</c>.
    /// </summary>
    private double WeightDecay(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, int rows, Span<double> parameterGradient)
    {
        int h = HyperparameterCount;
        double[] coefficients = Column(hyperparameters, WeightDecayIndex, rows);
        ReadOnlySpan<double> centered = _centered.AsSpan(0, rows * h);
        double total = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            int o = layer.Outputs, i = layer.Inputs;
            ReadOnlySpan<double> phi = Layer(parameters, l);
            Span<double> phiBar = parameterGradient.Slice(_offsets[l], layer.ParameterCount);
            ReadOnlySpan<double> elem = phi.Slice(0, o * i), hyper = phi.Slice(layer.WeightHyper, o * i);
            double[] a = new double[o], b = new double[o], q = new double[o], aBar = new double[o], bBar = new double[o], qBar = new double[o];
            for (int k = 0; k < o; k++)
            {
                ReadOnlySpan<double> e = elem.Slice(k * i, i), w = hyper.Slice(k * i, i);
                a[k] = TensorPrimitives.Dot(e, e);
                b[k] = TensorPrimitives.Dot(e, w);
                q[k] = TensorPrimitives.Dot(w, w);
            }

            double[] s = new double[rows * o], sBar = new double[rows * o], penalty = new double[o], penaltyBar = new double[o], c = new double[o], cBar = new double[o];
            Blas.Gemm(false, true, rows, o, h, 1.0, centered, h, phi.Slice(layer.ScaleWeights, o * h), h, 0.0, s, o);
            for (int r = 0; r < rows; r++)
            {
                Array.Fill(c, coefficients[r]);
                Array.Fill(penaltyBar, 1.0 / rows);
                StnElementwise.WeightDecayAdjoint(penalty, penaltyBar, c, cBar, s.AsSpan(r * o, o), sBar.AsSpan(r * o, o), a, aBar, b, bBar, q, qBar);
                StnElementwise.WeightDecay(penalty, c, s.AsSpan(r * o, o), a, b, q);
            }

            total += TensorPrimitives.Sum(penalty) / rows;
            Blas.Gemm(true, false, o, h, rows, 1.0, sBar, o, centered, h, 1.0, phiBar.Slice(layer.ScaleWeights, o * h), h);
            Span<double> elemBar = phiBar.Slice(0, o * i), hyperBar = phiBar.Slice(layer.WeightHyper, o * i);
            for (int k = 0; k < o; k++)
            {
                ReadOnlySpan<double> e = elem.Slice(k * i, i), w = hyper.Slice(k * i, i);
                Span<double> eBar = elemBar.Slice(k * i, i), wBar = hyperBar.Slice(k * i, i);
                // ā → ∂‖e‖²/∂e = 2e; b̄ → ∂⟨e, w⟩ = (w, e); q̄ → ∂‖w‖²/∂w = 2w.
                TensorPrimitives.MultiplyAdd(e, 2 * aBar[k], eBar, eBar);
                TensorPrimitives.MultiplyAdd(w, bBar[k], eBar, eBar);
                TensorPrimitives.MultiplyAdd(e, bBar[k], wBar, wBar);
                TensorPrimitives.MultiplyAdd(w, 2 * qBar[k], wBar, wBar);
            }
        }

        return total;
    }

    /// <summary>input[r] += s_r·ξ, ξ ~ N(0, I), with s_r the row's inputNoise.</summary>
    private void AddInputNoise(Span<double> input, ReadOnlySpan<double> hyperparameters, int rows, ref SplitMix64 random)
    {
        int d = input.Length / rows;
        double[] scales = Column(hyperparameters, InputNoiseIndex, rows);
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = input.Slice(r * d, d);
            for (int k = 0; k < d; k++)
            {
                row[k] += scales[r] * StandardNormal(ref random);
            }
        }
    }

    /// <summary>
    /// Inverted dropout: gate[r, k] ⊙= m/(1 − p_r) with m ~ Bernoulli(1 − p_r) drawn for every entry, so that the
    /// gate's expectation is unchanged; row r of <paramref name="gate"/> (rows × width) drops with <paramref name="rates"/>[r].
    /// </summary>
    internal static void Dropout(Span<double> gate, ReadOnlySpan<double> rates, ref SplitMix64 random)
    {
        int width = gate.Length / rates.Length;
        for (int r = 0; r < rates.Length; r++)
        {
            double keep = 1 - rates[r], scale = 1 / keep;
            Span<double> row = gate.Slice(r * width, width);
            for (int k = 0; k < width; k++)
            {
                row[k] *= random.NextDouble() < keep ? scale : 0;
            }
        }
    }

    /// <summary>The values of hyperparameter <paramref name="index"/> in each of <paramref name="rows"/> rows of λ.</summary>
    private double[] Column(ReadOnlySpan<double> hyperparameters, int index, int rows)
    {
        double[] values = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            values[r] = Hyperparameters[index].ValueOf(hyperparameters[r * HyperparameterCount + index]);
        }

        return values;
    }

    /// <summary>Box–Muller from two uniforms.</summary>
    private static double StandardNormal(ref SplitMix64 random)
    {
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    private ReadOnlySpan<double> Layer(ReadOnlySpan<double> parameters, int l) => parameters.Slice(_offsets[l], _layers[l].ParameterCount);

    private static void Check(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has {length} values; the model expects {expected}.", name);
        }
    }
}
