using System;
using System.Numerics.Tensors;
using Xunit;
using D = AutoHypergrad.Derivatives.TensorPrimitivesDerivatives;

namespace AutoHypergrad.Runtime.Tests;

/// <summary>Choices at kinks (Max), NaN, and calls written the way generated code writes them.</summary>
public class SemanticsTests
{
    [Fact]
    public void MaxOfASpanDifferentiatesTheFirstMaximum()
    {
        double[] x = [1, 3, -2, 3, 2];
        double[] xDot = [10, 20, 30, 40, 50];
        (double value, double tangent) = D.MaxTangent<double>(x, xDot);
        Assert.Equal(3, value);
        Assert.Equal(20, tangent);
        Assert.Equal(1, TensorPrimitives.IndexOfMax<double>(x));

        double[] xBar = [1, 1, 1, 1, 1];
        D.MaxAdjoint<double>(x, xBar, 0.5);
        Assert.Equal([1, 1.5, 1, 1, 1], xBar);
    }

    [Fact]
    public void MaxOfASpanWithNaNDifferentiatesTheFirstNaN()
    {
        double[] x = [1, double.NaN, 5, double.NaN];
        double[] xDot = [10, 20, 30, 40];
        (double value, double tangent) = D.MaxTangent<double>(x, xDot);
        Assert.True(double.IsNaN(value));
        Assert.Equal(20, tangent);

        double[] xBar = new double[4];
        D.MaxAdjoint<double>(x, xBar, 1.0);
        Assert.Equal([0, 1, 0, 0], xBar);
    }

    [Fact]
    public void MaxOfASpanPrefersPositiveZero()
    {
        double[] x = [-0.0, 0.0, -1];
        double[] xDot = [10, 20, 30];
        (double value, double tangent) = D.MaxTangent<double>(x, xDot);
        Assert.True(double.IsPositive(value) && value == 0);
        Assert.Equal(20, tangent);
    }

    [Fact]
    public void MaxOfAnEmptySpanThrowsAsThePrimalDoes()
    {
        Assert.Throws<ArgumentException>(() => TensorPrimitives.Max<double>(ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => D.MaxTangent<double>(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => D.MaxAdjoint<double>(ReadOnlySpan<double>.Empty, Span<double>.Empty, 1.0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void ElementwiseMaxSelectsXOnTiesAndTheNaNOperand(int n)
    {
        // Pattern per element (cycled): x > y, y > x, tie, x NaN, y NaN, both NaN, −0 vs +0, +0 vs −0.
        double[] xs = [2, 1, 3, double.NaN, 1, double.NaN, -0.0, 0.0];
        double[] ys = [1, 2, 3, 1, double.NaN, double.NaN, 0.0, -0.0];
        bool[] selectsX = [true, false, true, true, false, true, true, true];
        double[] x = new double[n], y = new double[n], xDot = new double[n], yDot = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = xs[i % xs.Length];
            y[i] = ys[i % ys.Length];
            xDot[i] = 100 + i;
            yDot[i] = 200 + i;
        }

        double[] destination = new double[n], destinationDot = new double[n];
        D.MaxTangent<double>(x, xDot, y, yDot, destination, destinationDot);
        double[] xBar = new double[n], yBar = new double[n], destinationBar = new double[n];
        Array.Fill(destinationBar, 1.0);
        D.MaxAdjoint<double>(x, xBar, y, yBar, destination, destinationBar);

        for (int i = 0; i < n; i++)
        {
            bool chooseX = selectsX[i % selectsX.Length];
            Assert.Equal(chooseX ? xDot[i] : yDot[i], destinationDot[i]);
            Assert.Equal(chooseX ? 1.0 : 0.0, xBar[i]);
            Assert.Equal(chooseX ? 0.0 : 1.0, yBar[i]);
            Assert.Equal(0.0, destinationBar[i]);
            Assert.Equal(double.IsNaN(x[i]) || double.IsNaN(y[i]), double.IsNaN(destination[i]));
        }

        // Against a scalar y: the same rule, with y's share summed.
        double[] scalarDot = new double[n];
        D.MaxTangent<double>(x, xDot, 1.0, -5.0, destination, scalarDot);
        double[] xBar2 = new double[n], scalarBar = [0.0];
        Array.Fill(destinationBar, 1.0);
        D.MaxAdjoint<double>(x, xBar2, 1.0, ref scalarBar[0], destination, destinationBar);
        double toY = 0;
        for (int i = 0; i < n; i++)
        {
            bool chooseX = x[i] >= 1.0 || double.IsNaN(x[i]);
            Assert.Equal(chooseX ? xDot[i] : -5.0, scalarDot[i]);
            Assert.Equal(chooseX ? 1.0 : 0.0, xBar2[i]);
            toY += chooseX ? 0 : 1;
        }

        Assert.Equal(toY, scalarBar[0]);
    }

    [Fact]
    public void SoftMaxDerivativesRefuseALongerDestination()
    {
        double[] x = [0.5, 1, 2];
        double[] xDot = [1, 0, 0];
        ArgumentException tangent = Assert.Throws<ArgumentException>(() => D.SoftMaxTangent<double>(x, xDot, new double[4], new double[4]));
        Assert.Equal("destination", tangent.ParamName);
        ArgumentException adjoint = Assert.Throws<ArgumentException>(() => D.SoftMaxAdjoint<double>(x, new double[3], new double[4], new double[4]));
        Assert.Equal("destination", adjoint.ParamName);
    }

    [Fact]
    public void SgdStepInPlaceAsGeneratedCodeWouldCallIt()
    {
        // w ← w − lr·g, written TensorPrimitives.MultiplyAdd(g, -lr, w, w), with Span locals and no type arguments.
        Span<double> w = [1.0, -2.0, 0.5];
        Span<double> wDot = [0.1, 0.2, 0.3];
        ReadOnlySpan<double> g = [3.0, 1.0, -1.0];
        ReadOnlySpan<double> gDot = [1.0, 0.0, 2.0];
        double lr = 0.1, lrDot = 1.0;
        D.MultiplyAddTangent(g, gDot, -lr, -lrDot, w, wDot, w, wDot);
        Assert.Equal([0.7, -2.1, 0.6], w.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        // wDot = gDot·(−lr) + g·(−lrDot) + wDot
        Assert.Equal([-0.1 - 3.0 + 0.1, -1.0 + 0.2, -0.2 + 1.0 + 0.3], wDot.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);

        ReadOnlySpan<double> wIn = [1.0, -2.0, 0.5];
        Span<double> wBar = [1.0, 1.0, 1.0]; // the adjoint of the output w on entry
        Span<double> gBar = [0.0, 0.0, 0.0];
        double minusLrBar = 0;
        D.MultiplyAddAdjoint(g, gBar, -lr, ref minusLrBar, wIn, wBar, wIn, wBar);
        Assert.Equal([1.0, 1.0, 1.0], wBar.ToArray()); // ∂w_out/∂w_in = 1
        Assert.Equal([-0.1, -0.1, -0.1], gBar.ToArray());
        Assert.Equal(3.0, minusLrBar);
    }

    [Fact]
    public void FloatSpansInferFloat()
    {
        ReadOnlySpan<float> x = [1f, 2f, 3f];
        ReadOnlySpan<float> xDot = [1f, 0f, 0f];
        (float value, float tangent) = D.SumOfSquaresTangent(x, xDot);
        Assert.Equal(14f, value);
        Assert.Equal(2f, tangent);

        Span<float> destination = stackalloc float[3];
        Span<float> destinationDot = stackalloc float[3];
        D.ExpTangent(x, xDot, destination, destinationDot);
        Assert.Equal(MathF.Exp(1f), destinationDot[0], 5);
    }
}
