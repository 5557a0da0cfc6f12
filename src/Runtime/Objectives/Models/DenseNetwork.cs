using System;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using AutoHypergrad.LinearAlgebra;

namespace AutoHypergrad.Objectives.Models;

/// <summary>
/// A stack of dense layers z_l = a_{l−1}·W_l + b_l, a_l = σ(z_l) (no activation after the last), over a batch of
/// rows, with the four passes an objective needs: forward, backward (the gradient), and Pearlmutter's R-forward and
/// R-backward (the Hessian-vector product, "Fast exact multiplication by the Hessian", 1994). The parameters are one
/// flat vector: for each layer W_l (inputs × outputs, row-major), then b_l. The first layer's forward and tangent
/// products share one GEMM, x·[W₀ V₀], so the data are read once.
/// </summary>
internal sealed class DenseNetwork<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _widths;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;
    private readonly Activation _activation;

    // Per layer, rows × width: pre-activations, activations (hidden layers), output gradients δ = ∂J/∂z, gradients
    // with respect to the activations (hidden layers), and their tangents along v.
    private readonly T[][] _z;
    private readonly T[][] _a;
    private readonly T[][] _delta;
    private readonly T[][] _gradA;
    private readonly T[][] _zDot;
    private readonly T[][] _aDot;
    private readonly T[][] _rDelta;
    private T[] _packed = [];
    private T[] _fused = [];
    private int _capacity;

    public DenseNetwork(int[] widths, bool bias, Activation activation)
    {
        _widths = widths;
        _activation = activation;
        int layers = widths.Length - 1;
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffsets[l] = offset;
            offset += widths[l] * widths[l + 1];
            _biasOffsets[l] = bias ? offset : -1;
            offset += bias ? widths[l + 1] : 0;
        }

        ParameterCount = offset;
        _z = new T[layers][];
        _a = new T[layers][];
        _delta = new T[layers][];
        _gradA = new T[layers][];
        _zDot = new T[layers][];
        _aDot = new T[layers][];
        _rDelta = new T[layers][];
    }

    public int Layers => _widths.Length - 1;

    public int Inputs => _widths[0];

    public int Outputs => _widths[^1];

    public int ParameterCount { get; }

    public bool HasBias => _biasOffsets[0] >= 0;

    public int In(int layer) => _widths[layer];

    public int Out(int layer) => _widths[layer + 1];

    public int WeightOffset(int layer) => _weightOffsets[layer];

    /// <summary>Where b_l starts, or −1 without biases.</summary>
    public int BiasOffset(int layer) => _biasOffsets[layer];

    /// <summary>The output of the last <see cref="Forward"/>: rows × outputs.</summary>
    public Span<T> Output(int rows) => _z[Layers - 1].AsSpan(0, rows * Outputs);

    /// <summary>The output's tangent from the last <see cref="ForwardWithTangent"/>.</summary>
    public Span<T> OutputTangent(int rows) => _zDot[Layers - 1].AsSpan(0, rows * Outputs);

    /// <summary>Where the loss writes δ = ∂J/∂z of the output before <see cref="Backward"/>.</summary>
    public Span<T> OutputDelta(int rows) => _delta[Layers - 1].AsSpan(0, rows * Outputs);

    /// <summary>Where the loss writes R{δ} of the output before <see cref="TangentBackward"/>.</summary>
    public Span<T> OutputDeltaTangent(int rows) => _rDelta[Layers - 1].AsSpan(0, rows * Outputs);

    public void Forward(ReadOnlySpan<T> w, ReadOnlySpan<T> x, int rows)
    {
        Reserve(rows);
        for (int l = 0; l < Layers; l++)
        {
            Affine(l, w, Input(l, x, rows), _z[l], rows);
            Activate(l, rows);
        }
    }

    /// <summary>
    /// The forward pass and its tangent along v: ż_l = ȧ_{l−1}·W_l + a_{l−1}·V_l + v_b, ȧ_l = σ′(z_l) ⊙ ż_l. With
    /// <paramref name="forwardDone"/>, the forward pass of the last <see cref="Forward"/> on the same w and rows is
    /// reused and only the tangent is computed.
    /// </summary>
    public void ForwardWithTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> x, int rows, bool forwardDone)
    {
        Reserve(rows);
        if (forwardDone)
        {
            Affine(0, v, x.Slice(0, rows * Inputs), _zDot[0], rows);
        }
        else
        {
            FirstLayerWithTangent(w, v, x, rows);
            Activate(0, rows);
        }

        ActivateTangent(0, rows);
        for (int l = 1; l < Layers; l++)
        {
            int inputs = In(l), outputs = Out(l);
            if (!forwardDone)
            {
                Affine(l, w, _a[l - 1], _z[l], rows);
                Activate(l, rows);
            }

            Blas.Gemm(false, false, rows, outputs, inputs, T.One, _aDot[l - 1], inputs, w.Slice(WeightOffset(l), inputs * outputs), outputs, T.Zero, _zDot[l], outputs);
            Blas.Gemm(false, false, rows, outputs, inputs, T.One, _a[l - 1], inputs, v.Slice(WeightOffset(l), inputs * outputs), outputs, T.One, _zDot[l], outputs);
            AddBias(l, v, _zDot[l], rows);
            ActivateTangent(l, rows);
        }
    }

    /// <summary>
    /// Back-propagates <see cref="OutputDelta"/>: the δ of every layer, and, when <paramref name="gradient"/> is not
    /// empty, writes ∂J/∂w (the data term's part of it) there.
    /// </summary>
    public void Backward(ReadOnlySpan<T> w, ReadOnlySpan<T> x, int rows, Span<T> gradient)
    {
        for (int l = Layers - 1; l >= 0; l--)
        {
            int inputs = In(l), outputs = Out(l);
            if (!gradient.IsEmpty)
            {
                Blas.Gemm(true, false, inputs, outputs, rows, T.One, Input(l, x, rows), inputs, _delta[l], outputs, T.Zero, gradient.Slice(WeightOffset(l), inputs * outputs), outputs);
                ColumnSums(l, _delta[l], rows, gradient, accumulate: false);
            }

            if (l > 0)
            {
                Blas.Gemm(false, true, rows, inputs, outputs, T.One, _delta[l], outputs, w.Slice(WeightOffset(l), inputs * outputs), outputs, T.Zero, _gradA[l - 1], inputs);
                HiddenDelta(l - 1, rows);
            }
        }
    }

    /// <summary>
    /// The values <see cref="SavePasses"/> writes for a batch of <paramref name="rows"/>: every layer's
    /// pre-activations z_l and every hidden layer's ∂J/∂a_l. The activations and the hidden δ follow from them
    /// elementwise, so they are recomputed instead of stored.
    /// </summary>
    public int PassesLength(int rows) => PassBlocks(rows).Sum(block => block.Length);

    /// <summary>Writes the passes of the last <see cref="Forward"/> and <see cref="Backward"/> (see <see cref="PassesLength"/>).</summary>
    public void SavePasses(int rows, Span<T> passes)
    {
        foreach (var (source, offset, length) in PassBlocks(rows))
        {
            source.AsSpan(0, length).CopyTo(passes.Slice(offset, length));
        }
    }

    /// <summary>
    /// Puts back what <see cref="SavePasses"/> wrote, as <see cref="Forward"/> and <see cref="Backward"/> leave it,
    /// to the bit, except the output's δ, which the loss writes: the activations and hidden δ are recomputed by the
    /// same elementwise functions.
    /// </summary>
    public void RestorePasses(int rows, ReadOnlySpan<T> passes)
    {
        Reserve(rows);
        foreach (var (destination, offset, length) in PassBlocks(rows))
        {
            passes.Slice(offset, length).CopyTo(destination);
        }

        for (int l = 0; l < Layers - 1; l++)
        {
            Activate(l, rows);
            HiddenDelta(l, rows);
        }
    }

    /// <summary>Where each stored block lives: z_l for every layer, then ∂J/∂a_l for the hidden ones.</summary>
    private System.Collections.Generic.IEnumerable<(T[] Array, int Offset, int Length)> PassBlocks(int rows)
    {
        int offset = 0;
        for (int l = 0; l < Layers; l++)
        {
            yield return (_z[l], offset, rows * Out(l));
            offset += rows * Out(l);
        }

        for (int l = 0; l < Layers - 1; l++)
        {
            yield return (_gradA[l], offset, rows * Out(l));
            offset += rows * Out(l);
        }
    }

    /// <summary>δ_l = ∂J/∂a_l ⊙ σ′(z_l) of hidden layer <paramref name="layer"/>.</summary>
    private void HiddenDelta(int layer, int rows)
    {
        int n = rows * Out(layer);
        ActivationFunctions.TimesFirst(_activation, _z[layer].AsSpan(0, n), _a[layer].AsSpan(0, n), _gradA[layer].AsSpan(0, n), _delta[layer].AsSpan(0, n));
    }

    /// <summary>
    /// R-backward: from <see cref="OutputDeltaTangent"/> and the δ of <see cref="Backward"/>, writes H·v (the data
    /// term's part) into <paramref name="result"/>. Needs <see cref="ForwardWithTangent"/> and <see cref="Backward"/>
    /// (with or without the gradient) on the same w, v and rows first.
    /// </summary>
    public void TangentBackward(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> x, int rows, Span<T> result)
    {
        for (int l = Layers - 1; l >= 0; l--)
        {
            int inputs = In(l), outputs = Out(l);
            var resultW = result.Slice(WeightOffset(l), inputs * outputs);

            // R{∂J/∂W_l} = a_{l−1}ᵀ·R{δ_l} + ȧ_{l−1}ᵀ·δ_l (the data do not move: ȧ₋₁ = 0).
            Blas.Gemm(true, false, inputs, outputs, rows, T.One, Input(l, x, rows), inputs, _rDelta[l], outputs, T.Zero, resultW, outputs);
            if (l > 0)
            {
                Blas.Gemm(true, false, inputs, outputs, rows, T.One, _aDot[l - 1], inputs, _delta[l], outputs, T.One, resultW, outputs);
            }

            ColumnSums(l, _rDelta[l], rows, result, accumulate: false);
            if (l == 0)
            {
                break;
            }

            // R{∂J/∂a_{l−1}} = R{δ_l}·W_lᵀ + δ_l·V_lᵀ; R{δ_{l−1}} = σ′ ⊙ R{∂J/∂a} + σ″ ⊙ ż ⊙ ∂J/∂a.
            var rGradA = _rDelta[l - 1];
            Blas.Gemm(false, true, rows, inputs, outputs, T.One, _rDelta[l], outputs, w.Slice(WeightOffset(l), inputs * outputs), outputs, T.Zero, rGradA, inputs);
            Blas.Gemm(false, true, rows, inputs, outputs, T.One, _delta[l], outputs, v.Slice(WeightOffset(l), inputs * outputs), outputs, T.One, rGradA, inputs);
            int n = rows * inputs;
            ActivationFunctions.SecondOrderDelta(
                _activation, _z[l - 1].AsSpan(0, n), _a[l - 1].AsSpan(0, n), _zDot[l - 1].AsSpan(0, n), _gradA[l - 1].AsSpan(0, n), rGradA.AsSpan(0, n));
        }
    }

    private ReadOnlySpan<T> Input(int layer, ReadOnlySpan<T> x, int rows)
        => layer == 0 ? x.Slice(0, rows * Inputs) : _a[layer - 1].AsSpan(0, rows * In(layer));

    private void Affine(int layer, ReadOnlySpan<T> w, ReadOnlySpan<T> input, Span<T> output, int rows)
    {
        int inputs = In(layer), outputs = Out(layer);
        Blas.Gemm(false, false, rows, outputs, inputs, T.One, input, inputs, w.Slice(WeightOffset(layer), inputs * outputs), outputs, T.Zero, output, outputs);
        AddBias(layer, w, output, rows);
    }

    /// <summary>z₀ and ż₀ from one GEMM: x·[W₀ V₀] (rows × 2·outputs), then split.</summary>
    private void FirstLayerWithTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> v, ReadOnlySpan<T> x, int rows)
    {
        int inputs = In(0), outputs = Out(0), width = 2 * outputs;
        var weights = w.Slice(WeightOffset(0), inputs * outputs);
        var directions = v.Slice(WeightOffset(0), inputs * outputs);
        var packed = Workspace.Grow(ref _packed, inputs * width);
        for (int r = 0; r < inputs; r++)
        {
            weights.Slice(r * outputs, outputs).CopyTo(packed.Slice(r * width, outputs));
            directions.Slice(r * outputs, outputs).CopyTo(packed.Slice(r * width + outputs, outputs));
        }

        var fused = Workspace.Grow(ref _fused, rows * width);
        Blas.Gemm(false, false, rows, width, inputs, T.One, x.Slice(0, rows * inputs), inputs, packed, width, T.Zero, fused, width);
        for (int i = 0; i < rows; i++)
        {
            fused.Slice(i * width, outputs).CopyTo(_z[0].AsSpan(i * outputs, outputs));
            fused.Slice(i * width + outputs, outputs).CopyTo(_zDot[0].AsSpan(i * outputs, outputs));
        }

        AddBias(0, w, _z[0], rows);
        AddBias(0, v, _zDot[0], rows);
    }

    private void AddBias(int layer, ReadOnlySpan<T> parameters, Span<T> output, int rows)
    {
        if (BiasOffset(layer) < 0)
        {
            return;
        }

        int outputs = Out(layer);
        var bias = parameters.Slice(BiasOffset(layer), outputs);
        for (int i = 0; i < rows; i++)
        {
            var row = output.Slice(i * outputs, outputs);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>∂J/∂b_l = Σ_rows δ_l, written (or added) at b_l's place in <paramref name="result"/>.</summary>
    private void ColumnSums(int layer, ReadOnlySpan<T> delta, int rows, Span<T> result, bool accumulate)
    {
        if (BiasOffset(layer) < 0)
        {
            return;
        }

        int outputs = Out(layer);
        var sums = result.Slice(BiasOffset(layer), outputs);
        if (!accumulate)
        {
            sums.Clear();
        }

        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Add(sums, delta.Slice(i * outputs, outputs), sums);
        }
    }

    private void Activate(int layer, int rows)
    {
        if (layer < Layers - 1)
        {
            int n = rows * Out(layer);
            ActivationFunctions.Apply(_activation, _z[layer].AsSpan(0, n), _a[layer].AsSpan(0, n));
        }
    }

    private void ActivateTangent(int layer, int rows)
    {
        if (layer < Layers - 1)
        {
            int n = rows * Out(layer);
            ActivationFunctions.TimesFirst(_activation, _z[layer].AsSpan(0, n), _a[layer].AsSpan(0, n), _zDot[layer].AsSpan(0, n), _aDot[layer].AsSpan(0, n));
        }
    }

    /// <summary>Makes every workspace hold <paramref name="rows"/> rows (they only grow).</summary>
    private void Reserve(int rows)
    {
        if (rows <= _capacity)
        {
            return;
        }

        for (int l = 0; l < Layers; l++)
        {
            int n = rows * Out(l);
            _z[l] = new T[n];
            _delta[l] = new T[n];
            _zDot[l] = new T[n];
            _rDelta[l] = new T[n];
            if (l < Layers - 1)
            {
                _a[l] = new T[n];
                _gradA[l] = new T[n];
                _aDot[l] = new T[n];
            }
        }

        _capacity = rows;
    }
}
