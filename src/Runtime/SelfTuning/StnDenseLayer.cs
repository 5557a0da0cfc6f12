using System;
using AutoHypergrad.LinearAlgebra;

namespace AutoHypergrad.SelfTuning;

/// <summary>
/// The dense layer of a Self-Tuning Network (MacKay, Vicol, Lorraine, Duvenaud &amp; Grosse, "Self-Tuning Networks:
/// Bilevel Optimization of Hyperparameters using Structured Best-Response Functions", ICLR 2019, §4.2, eq. 9): the
/// best-response weights are an affine function of the hyperparameters λ ∈ ℝʰ,
/// <code>
/// Ŵ(λ) = W_elem + (V λ) ⊙_row W_hyper        b̂(λ) = b_elem + (C λ) ⊙ b_hyper
/// </code>
/// and every example r of a batch carries its own λ_r (a row of the hyperparameter matrix Λ, n × h), so the layer
/// computes y_r = W_elem x_r + b_elem + (V λ_r) ⊙ (W_hyper x_r) + (C λ_r) ⊙ b_hyper without forming Ŵ(λ_r).
/// </summary>
/// <remarks>
/// The parameters φ of the layer are one span, in the order W_elem (out × in, row-major), b_elem (out), W_hyper
/// (out × in), b_hyper (out), V (out × h), C (out × h). Matrices are row-major, one example a row. The matrix
/// products go through <see cref="Blas.Gemm{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>,
/// the elementwise modulation through <see cref="StnElementwise.Modulate(ref double, double, double, double, double)"/>
/// and its generated adjoint. The layer keeps the intermediate products of its last <see cref="Forward"/> for
/// <see cref="Backward"/>; it is not thread-safe.
/// </remarks>
public sealed class StnDenseLayer
{
    private double[] _hidden = [];   // U = X W_hyperᵀ, n × out
    private double[] _scales = [];   // S = Λ Vᵀ, n × out
    private double[] _biasScales = []; // T = Λ Cᵀ, n × out
    private double[] _hiddenBar = [];
    private double[] _scalesBar = [];
    private double[] _biasScalesBar = [];
    private double[] _outputBar = [];

    /// <summary>A layer from <paramref name="inputs"/> to <paramref name="outputs"/> units conditioned on <paramref name="hyperparameters"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public StnDenseLayer(int inputs, int outputs, int hyperparameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hyperparameters);
        Inputs = inputs;
        Outputs = outputs;
        Hyperparameters = hyperparameters;
    }

    /// <summary>Input units.</summary>
    public int Inputs { get; }

    /// <summary>Output units.</summary>
    public int Outputs { get; }

    /// <summary>h, the hyperparameters that condition the weights.</summary>
    public int Hyperparameters { get; }

    /// <summary>The length of φ: 2·out·in + 2·out + 2·out·h.</summary>
    public int ParameterCount => 2 * Outputs * Inputs + 2 * Outputs + 2 * Outputs * Hyperparameters;

    /// <summary>
    /// Initializes φ: W_elem and W_hyper uniform in ±1/√in (PyTorch's nn.Linear), biases 0, V and C uniform in
    /// ±1/√h, as the paper's code does.
    /// </summary>
    public void Initialize(Span<double> parameters, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Check(parameters.Length, ParameterCount, nameof(parameters));
        parameters.Clear();
        int o = Outputs, i = Inputs, h = Hyperparameters;
        Fill(parameters.Slice(0, o * i), 1 / Math.Sqrt(i), random);
        Fill(parameters.Slice(WeightHyper, o * i), 1 / Math.Sqrt(i), random);
        Fill(parameters.Slice(ScaleWeights, 2 * o * h), 1 / Math.Sqrt(h), random);
    }

    /// <summary>Y = X Ŵ(λ_r)ᵀ + b̂(λ_r) row by row, for <paramref name="rows"/> examples.</summary>
    /// <param name="parameters">φ, <see cref="ParameterCount"/> values.</param>
    /// <param name="input">X, rows × in.</param>
    /// <param name="hyperparameters">Λ, rows × h: each example's hyperparameters.</param>
    /// <param name="rows">n, the examples.</param>
    /// <param name="output">Y, rows × out.</param>
    /// <exception cref="ArgumentException">A span of the wrong length.</exception>
    public void Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, ReadOnlySpan<double> hyperparameters, int rows, Span<double> output)
    {
        CheckShapes(parameters, input, hyperparameters, rows, output.Length, nameof(output));
        Ensure(rows);
        int o = Outputs, i = Inputs, h = Hyperparameters;
        Span<double> u = _hidden.AsSpan(0, rows * o), s = _scales.AsSpan(0, rows * o), t = _biasScales.AsSpan(0, rows * o);
        for (int r = 0; r < rows; r++)
        {
            parameters.Slice(BiasElem, o).CopyTo(output.Slice(r * o, o));
        }

        Blas.Gemm(false, true, rows, o, i, 1.0, input, i, parameters.Slice(0, o * i), i, 1.0, output, o);
        Blas.Gemm(false, true, rows, o, i, 1.0, input, i, parameters.Slice(WeightHyper, o * i), i, 0.0, u, o);
        Blas.Gemm(false, true, rows, o, h, 1.0, hyperparameters, h, parameters.Slice(ScaleWeights, o * h), h, 0.0, s, o);
        Blas.Gemm(false, true, rows, o, h, 1.0, hyperparameters, h, parameters.Slice(ScaleBiases, o * h), h, 0.0, t, o);
        ReadOnlySpan<double> biasHyper = parameters.Slice(BiasHyper, o);
        for (int r = 0; r < rows; r++)
        {
            StnElementwise.Modulate(output.Slice(r * o, o), u.Slice(r * o, o), s.Slice(r * o, o), t.Slice(r * o, o), biasHyper);
        }
    }

    /// <summary>
    /// Reverse mode through the last <see cref="Forward"/> (same φ, X, Λ): given Ȳ, <b>adds</b> ∂L/∂φ to
    /// <paramref name="parameterGradient"/>, X̄ to <paramref name="inputGradient"/> (skipped when empty) and Λ̄, the
    /// response part of the hyperparameter gradient, to <paramref name="hyperparameterGradient"/> (skipped when empty).
    /// </summary>
    /// <exception cref="ArgumentException">A span of the wrong length.</exception>
    public void Backward(
        ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, ReadOnlySpan<double> hyperparameters, int rows,
        ReadOnlySpan<double> outputGradient, Span<double> parameterGradient, Span<double> inputGradient, Span<double> hyperparameterGradient)
    {
        CheckShapes(parameters, input, hyperparameters, rows, outputGradient.Length, nameof(outputGradient));
        Check(parameterGradient.Length, ParameterCount, nameof(parameterGradient));
        if (rows * Outputs > _hidden.Length)
        {
            throw new InvalidOperationException($"Backward over {rows} rows needs a Forward over the same rows first.");
        }

        int o = Outputs, i = Inputs, h = Hyperparameters, n = rows * o;
        Span<double> uBar = _hiddenBar.AsSpan(0, n), sBar = _scalesBar.AsSpan(0, n), tBar = _biasScalesBar.AsSpan(0, n), yBar = _outputBar.AsSpan(0, n);
        uBar.Clear();
        sBar.Clear();
        tBar.Clear();
        outputGradient.CopyTo(yBar);
        ReadOnlySpan<double> biasHyper = parameters.Slice(BiasHyper, o);
        Span<double> biasHyperBar = parameterGradient.Slice(BiasHyper, o);
        for (int r = 0; r < rows; r++)
        {
            int at = r * o;
            // The value of y is not needed by the adjoint of y + s·u + t·bh; Ȳ passes through unchanged.
            StnElementwise.ModulateAdjoint(
                outputGradient.Slice(at, o), yBar.Slice(at, o), _hidden.AsSpan(at, o), uBar.Slice(at, o), _scales.AsSpan(at, o),
                sBar.Slice(at, o), _biasScales.AsSpan(at, o), tBar.Slice(at, o), biasHyper, biasHyperBar);
        }

        Blas.Gemm(true, false, o, i, rows, 1.0, yBar, o, input, i, 1.0, parameterGradient.Slice(0, o * i), i);
        Span<double> biasElemBar = parameterGradient.Slice(BiasElem, o);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = yBar.Slice(r * o, o);
            for (int k = 0; k < o; k++)
            {
                biasElemBar[k] += row[k];
            }
        }

        Blas.Gemm(true, false, o, i, rows, 1.0, uBar, o, input, i, 1.0, parameterGradient.Slice(WeightHyper, o * i), i);
        Blas.Gemm(true, false, o, h, rows, 1.0, sBar, o, hyperparameters, h, 1.0, parameterGradient.Slice(ScaleWeights, o * h), h);
        Blas.Gemm(true, false, o, h, rows, 1.0, tBar, o, hyperparameters, h, 1.0, parameterGradient.Slice(ScaleBiases, o * h), h);
        if (!inputGradient.IsEmpty)
        {
            Check(inputGradient.Length, rows * i, nameof(inputGradient));
            Blas.Gemm(false, false, rows, i, o, 1.0, yBar, o, parameters.Slice(0, o * i), i, 1.0, inputGradient, i);
            Blas.Gemm(false, false, rows, i, o, 1.0, uBar, o, parameters.Slice(WeightHyper, o * i), i, 1.0, inputGradient, i);
        }

        if (!hyperparameterGradient.IsEmpty)
        {
            Check(hyperparameterGradient.Length, rows * h, nameof(hyperparameterGradient));
            Blas.Gemm(false, false, rows, h, o, 1.0, sBar, o, parameters.Slice(ScaleWeights, o * h), h, 1.0, hyperparameterGradient, h);
            Blas.Gemm(false, false, rows, h, o, 1.0, tBar, o, parameters.Slice(ScaleBiases, o * h), h, 1.0, hyperparameterGradient, h);
        }
    }

    private static void Fill(Span<double> values, double bound, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = bound * (2 * random.NextDouble() - 1);
        }
    }

    private static void Check(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has {length} values; the layer expects {expected}.", name);
        }
    }

    private void CheckShapes(ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, ReadOnlySpan<double> hyperparameters, int rows, int outputLength, string outputName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Check(parameters.Length, ParameterCount, nameof(parameters));
        Check(input.Length, rows * Inputs, nameof(input));
        Check(hyperparameters.Length, rows * Hyperparameters, nameof(hyperparameters));
        Check(outputLength, rows * Outputs, outputName);
    }

    private void Ensure(int rows)
    {
        int length = rows * Outputs;
        if (_hidden.Length < length)
        {
            _hidden = new double[length];
            _scales = new double[length];
            _biasScales = new double[length];
            _hiddenBar = new double[length];
            _scalesBar = new double[length];
            _biasScalesBar = new double[length];
            _outputBar = new double[length];
        }
    }

    // Offsets in φ; W_elem starts at 0.
    internal int BiasElem => Outputs * Inputs;

    internal int WeightHyper => Outputs * Inputs + Outputs;

    internal int BiasHyper => 2 * Outputs * Inputs + Outputs;

    internal int ScaleWeights => 2 * Outputs * Inputs + 2 * Outputs;

    internal int ScaleBiases => ScaleWeights + Outputs * Hyperparameters;
}
