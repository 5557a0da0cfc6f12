using System;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// A span or array that a [Differentiable] method writes, passed again as another of its span or array arguments
/// (Step(a, a)): the primal then reads what it writes, which the derivatives cannot follow (the adjoint works on a
/// copy of what it writes). The generated tangent and adjoint refuse such aliases with an ArgumentException that
/// names both parameters; a caller's derivatives meet the same exception from the callee's.
/// </summary>
public sealed class CallAliasingTests
{
    [Fact]
    public void Tangent_refuses_the_same_span_as_input_and_destination()
    {
        double[] a = [0.5, -1.0, 2.0];
        double[] aDot = [1.0, 0.0, 0.0];
        var exception = Assert.Throws<ArgumentException>(() => CallRegressionCases.StepTangent(a, aDot, a, aDot));
        Assert.Equal("x", exception.ParamName);
        Assert.Contains("y and x share memory", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adjoint_refuses_the_same_span_as_input_and_destination()
    {
        double[] a = [0.5, -1.0, 2.0];
        double[] aBar = [1.0, 1.0, 1.0];
        var exception = Assert.Throws<ArgumentException>(() => CallRegressionCases.StepAdjoint(a, aBar, a, aBar));
        Assert.Equal("x", exception.ParamName);
        Assert.Contains("y and x share memory", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_slices_are_refused_too()
    {
        double[] a = [0.5, -1.0, 2.0, 3.0];
        double[] aDot = new double[4];
        var exception = Assert.Throws<ArgumentException>(() => CallRegressionCases.StepTangent(a.AsSpan(0, 3), aDot.AsSpan(0, 3), a.AsSpan(1, 3), aDot.AsSpan(1, 3)));
        Assert.Equal("x", exception.ParamName);
    }

    [Fact]
    public void Arrays_are_checked_in_both_directions()
    {
        double[] a = [0.5, -1.0, 2.0];
        double[] aBar = new double[3];
        double cBar = 0;
        var tangent = Assert.Throws<ArgumentException>(() => CallRegressionCases.ArrayStepTangent(a, aBar, a, aBar, 1.0, 0.0));
        Assert.Equal("x", tangent.ParamName);
        var adjoint = Assert.Throws<ArgumentException>(() => CallRegressionCases.ArrayStepAdjoint(a, aBar, a, aBar, 1.0, ref cBar, 1.0));
        Assert.Equal("x", adjoint.ParamName);
    }

    [Fact]
    public void Distinct_spans_are_accepted()
    {
        double[] x = [0.5, -1.0, 2.0];
        double[] y = [1.0, 2.0, 3.0];
        double[] xBar = new double[3];
        double[] yBar = [1.0, 1.0, 1.0];
        CallRegressionCases.StepAdjoint(x, xBar, y, yBar);
        Assert.Equal([0.5, 0.5, 0.5], yBar);
    }
}
