using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Regressions in the span drivers, vector-mode tangents and vectorized steps of elementwise methods (found by the
/// random-program tester): methods that assign a parameter. A uniform one ([Hyper], [NoDiff], int) assigned in the
/// body must not be changed for the other elements nor for the scalar tail, and stops being uniform where it is
/// assigned a per-element value; a per-element input (and its tangent, a read-only span in the vector-mode driver)
/// assigned in the body is a per-element copy. Uniform subexpressions hoisted out of the vector loop must not read
/// locals of the loop. Besides the derivative checks, <see cref="ElementwiseDriverTests"/> checks every span driver,
/// vector-mode tangent and vectorized step of these cases against the scalar methods, bit for bit.
/// </summary>
public static partial class ElementwiseRegressionCases
{
    // ---- A uniform parameter assigned a uniform value ----

    /// <summary>h0++ once per element, not once per call.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void HyperIncrement(ref double w, double g0, double g1, [Hyper] double h0)
    {
        h0++;
        w -= h0 + w;
    }

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HyperIncrement))]
    [Domain(-2, 2)]
    public static void HyperIncrementFloat(ref float w, float g0, float g1, [Hyper] float h0)
    {
        h0++;
        w -= h0 + w;
    }

    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n0), 3)]
    public static void HyperCompoundFromLocal(ref double w, double g0, double g1, [Hyper] double h0, [Hyper] double h1, int n0)
    {
        double t2 = 2.0;
        h1 -= -t2;
        w += (w + h1) * (w / (t2 * t2 + 1.0));
    }

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HyperCompoundFromLocal))]
    [Domain(-2, 2)]
    [Ints(nameof(n0), 3)]
    public static void HyperCompoundFromLocalFloat(ref float w, float g0, float g1, [Hyper] float h0, [Hyper] float h1, int n0)
    {
        float t2 = 2.0f;
        h1 -= -t2;
        w += (w + h1) * (w / (t2 * t2 + 1.0f));
    }

    /// <summary>Read before and after it is assigned, decremented, multiplied.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void HyperReadBeforeAndAfter(ref double w, ref double m, double g, [Hyper] double lr, [Hyper] double mu)
    {
        m = mu * m + g;
        w -= lr * m;
        lr--;
        mu *= mu;
        w += lr * mu * g;
        lr /= 2.0;
        m += lr;
    }

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HyperReadBeforeAndAfter))]
    [Domain(-2, 2)]
    public static void HyperReadBeforeAndAfterFloat(ref float w, ref float m, float g, [Hyper] float lr, [Hyper] float mu)
    {
        m = mu * m + g;
        w -= lr * m;
        lr--;
        mu *= mu;
        w += lr * mu * g;
        lr /= 2.0f;
        m += lr;
    }

    /// <summary>An integer parameter incremented.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [Ints(nameof(n), 3)]
    public static void IntIncrement(ref double w, double g, [Hyper] double lr, int n)
    {
        n++;
        w -= lr * n * g;
    }

    // ---- A uniform parameter assigned a per-element value ----

    [Differentiable, OptimizerStep]
    [Domain(-2, 2)]
    public static void HyperFromGradient(ref double w, double g0, [Hyper] double h0)
    {
        h0 = g0;
        w = h0;
    }

    [Differentiable, OptimizerStep]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HyperFromGradient))]
    [Domain(-2, 2)]
    public static void HyperFromGradientFloat(ref float w, float g0, [Hyper] float h0)
    {
        h0 = g0;
        w = h0;
    }

    /// <summary>Assigned in a branch on a per-element value: per element from there on.</summary>
    [Differentiable, OptimizerStep]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HyperInElementBranchSmooth))]
    [At(1.0, 0.5, 0.1)]
    [At(1.0, -0.5, 0.1)]
    public static void HyperInElementBranch(ref double w, double g, [Hyper] double lr)
    {
        if (g > 0.0)
        {
            lr *= 2.0;
        }

        w -= lr * g;
        lr += w;
        w *= lr;
    }

    public static bool HyperInElementBranchSmooth(double w, double g, double lr) => Math.Abs(g) > 1e-3;

    [Differentiable, OptimizerStep]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HyperInElementBranch))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HyperInElementBranchFloatSmooth))]
    [At(1.0, 0.5, 0.1)]
    [At(1.0, -0.5, 0.1)]
    public static void HyperInElementBranchFloat(ref float w, float g, [Hyper] float lr)
    {
        if (g > 0.0f)
        {
            lr *= 2.0f;
        }

        w -= lr * g;
        lr += w;
        w *= lr;
    }

    public static bool HyperInElementBranchFloatSmooth(float w, float g, float lr) => Math.Abs(g) > 1e-3;

    // ---- An assigned [NoDiff] option ----

    [Differentiable, OptimizerStep]
    [Domain(-2, 2)]
    public static void GradientFromOption(ref double w, double g0, [Hyper] double h0, [NoDiff] double c0)
    {
        g0 = c0;
        g0 /= (h0 * h0) + 1.0;
    }

    [Differentiable, OptimizerStep]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(GradientFromOption))]
    [Domain(-2, 2)]
    public static void GradientFromOptionFloat(ref float w, float g0, [Hyper] float h0, [NoDiff] float c0)
    {
        g0 = c0;
        g0 /= (h0 * h0) + 1.0f;
    }

    /// <summary>An option assigned a uniform value, then a per-element one (which carries derivatives).</summary>
    [Differentiable, OptimizerStep]
    [Domain(-2, 2)]
    public static void AssignedOption(ref double w, ref double m, double g, [Hyper] double lr, [NoDiff] double c)
    {
        c += 1.0;
        m = m * c + g;
        c = c * g - m;
        w -= lr * (m + c);
    }

    [Differentiable, OptimizerStep]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(AssignedOption))]
    [Domain(-2, 2)]
    public static void AssignedOptionFloat(ref float w, ref float m, float g, [Hyper] float lr, [NoDiff] float c)
    {
        c += 1.0f;
        m = m * c + g;
        c = c * g - m;
        w -= lr * (m + c);
    }

    // ---- A per-element input assigned ----

    [Differentiable]
    [Domain(-2, 2)]
    public static void ValueParameterConstant(ref double s1, double g1)
    {
        g1 = 1.0;
        s1 = g1;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void ValueParameterSelfSubtract(ref double w, double g0)
    {
        g0 -= g0;
        double t0 = g0;
        w = t0;
    }

    [Differentiable]
    [Domain(-2, 2)]
    public static void ValueParameterCompound(ref double w, double g, [Hyper] double lr)
    {
        w -= lr * g;
        g *= g;
        g--;
        w += g * lr;
        g = w - g;
        w -= g;
    }

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(ValueParameterCompound))]
    [Domain(-2, 2)]
    public static void ValueParameterCompoundFloat(ref float w, float g, [Hyper] float lr)
    {
        w -= lr * g;
        g *= g;
        g--;
        w += g * lr;
        g = w - g;
        w -= g;
    }

    // ---- Uniform subexpressions hoisted out of the loop that read locals of the loop ----

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HoistedAbsOfLocalSmooth))]
    [At(0.0, 0.5, 1.0)]
    [At(0.0, 1.0, 0.5)]
    public static void HoistedAbsOfLocal(ref double w, [Hyper] double h0, [Hyper] double h1)
    {
        double t0 = h0;
        double t1 = h1 > h0 ? Math.Abs(h1 + t0) : h0;
        w = t1;
    }

    public static bool HoistedAbsOfLocalSmooth(double w, double h0, double h1) => Math.Abs(h1 - h0) > 1e-3 && Math.Abs(h1 + h0) > 1e-3;

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(HoistedAbsOfLocal))]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HoistedAbsOfLocalFloatSmooth))]
    [At(0.0, 0.5, 1.0)]
    [At(0.0, 1.0, 0.5)]
    public static void HoistedAbsOfLocalFloat(ref float w, [Hyper] float h0, [Hyper] float h1)
    {
        float t0 = h0;
        float t1 = h1 > h0 ? MathF.Abs(h1 + t0) : h0;
        w = t1;
    }

    public static bool HoistedAbsOfLocalFloatSmooth(float w, float h0, float h1) => Math.Abs(h1 - h0) > 1e-3 && Math.Abs(h1 + h0) > 1e-3;

    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HoistedTernaryOfAssignedHyperSmooth))]
    public static void HoistedTernaryOfAssignedHyper(ref double w, double g0, [Hyper] double h0, [Hyper] double h1)
    {
        h0 *= (-Math.Clamp(1.5, -1.0, 1.0)) < Math.Sin(0.5) ? h0 : (Math.Tanh(3.0) * (!(((0.1 + h0) - (-h0)) > (h1 - h0)) ? w : g0));
        double t0 = h0 >= (h0 + g0) ? g0 : h1;
        w *= h1;
    }

    public static bool HoistedTernaryOfAssignedHyperSmooth(double w, double g0, double h0, double h1) => Math.Abs(g0) > 1e-3;

    /// <summary>A uniform local read in a per-element branch, beside a per-element one.</summary>
    [Differentiable]
    [Domain(-2, 2)]
    [SmoothWhere(nameof(HoistedInElementBranchSmooth))]
    [At(0.5, 1.0, 0.5)]
    [At(-0.5, 1.0, 0.5)]
    public static void HoistedInElementBranch(ref double w, double g, [Hyper] double lr)
    {
        double a = lr * lr;
        double b = g > 0.0 ? Math.Abs(a + lr) * g : Math.Sqrt(a + 1.0) * w;
        w -= b;
    }

    public static bool HoistedInElementBranchSmooth(double w, double g, double lr) => Math.Abs(g) > 1e-3 && Math.Abs(lr * lr + lr) > 1e-3;

    /// <summary>
    /// A value input assigned a uniform √: the derivative of √ is zero-safe (tDot == 0 ? 0 : …), a condition on a
    /// uniform tangent, which the vector-mode driver must read in each direction (was CS0019: a span compared with 0).
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void ValueAssignedUniformSqrt(ref double w, double g0, [Hyper] double h0)
    {
        g0 = Math.Sqrt(h0 * h0 + 0.5);
        w = g0;
    }

    // ---- The adjoint's accumulations (AccumulationForms) ----

    /// <summary>
    /// A uniform local read per element before and after another uniform value is computed from it. In the element's
    /// reverse order the adjoint of <c>a</c> gets its first share from <c>b</c>'s (assigned, from zero) and its second
    /// from the element's <c>a·g</c> (fused); the driver sums the element's shares in the loop and propagates
    /// <c>b</c>'s after it, where the first share must be added to the loop's sum, not assigned over it.
    /// </summary>
    [Differentiable]
    [Domain(-2, 2)]
    public static void UniformAdjointFirstShareAfterTheLoop(ref double w, double g, [Hyper] double lr)
    {
        double a = lr * lr;
        w -= a * g;
        double b = a * 3.0;
        w -= b * w;
    }

    [Differentiable]
    [DoubleTwin(typeof(ElementwiseRegressionCases), nameof(UniformAdjointFirstShareAfterTheLoop))]
    [Domain(-2, 2)]
    public static void UniformAdjointFirstShareAfterTheLoopFloat(ref float w, float g, [Hyper] float lr)
    {
        float a = lr * lr;
        w -= a * g;
        float b = a * 3.0f;
        w -= b * w;
    }
}
