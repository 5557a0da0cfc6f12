using System;
using Xunit;

namespace AutoHypergrad.Optimizers.Tests;

/// <summary>
/// One double step of each optimizer against the update equations computed by hand: literal numbers worked out on
/// paper, and, at random states, the algorithm re-written in PyTorch's order of operations (torch/optim/*.py), which
/// rounds differently but agrees to a few ulps.
/// </summary>
public sealed class HandComputedStepTests
{
    /// <summary>Two orders of the same dozen operations: a few ulps.</summary>
    private const double ReorderingTolerance = 1e-14;

    private const int RandomStates = 20;

    [Fact]
    public void Sgd_literal()
    {
        double w = 1;
        Sgd.Step(ref w, g: 0.5, lr: 0.1, wd: 0.01);
        Close(1 - 0.1 * 0.51, w, 1e-16); // 0.949
        Close(0.949, w, 1e-15);
    }

    [Fact]
    public void Momentum_literal()
    {
        double w = 1, v = 0.5;
        Momentum.Step(ref w, ref v, g: 0.2, lr: 0.1, mu: 0.9, wd: 0.1);
        Close(0.75, v, 1e-15);   // 0.9·0.5 + (0.2 + 0.1·1)
        Close(0.925, w, 1e-15);  // 1 − 0.1·0.75
    }

    [Fact]
    public void Nesterov_literal()
    {
        double w = 1, v = 0.5;
        Nesterov.Step(ref w, ref v, g: 0.2, lr: 0.1, mu: 0.9, wd: 0.1);
        Close(0.75, v, 1e-15);    // 0.9·0.5 + 0.3
        Close(0.9025, w, 1e-15);  // 1 − 0.1·(0.3 + 0.9·0.75)
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_first_step_from_zero_state_is_lr_times_the_gradient_sign(bool epsInsideSqrt)
    {
        double w = 0.5, m = 0, v = 0;
        Adam.Step(ref w, ref m, ref v, g: -0.2, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0, t: 1, epsInsideSqrt);
        Close(-0.02, m, 1e-15);  // 0.1·g
        Close((1 - 0.999) * 0.04, v, 1e-15);  // 0.001·g², with 1 − 0.999 as a double sees it (0.001 + 9e-19)
        // m̂ = g, v̂ = g²: w′ = w − lr·g/(|g| + eps) or w − lr·g/√(g² + eps).
        double denominator = epsInsideSqrt ? Math.Sqrt(0.04 + 1e-8) : 0.2 + 1e-8;
        Close(0.5 + 1e-3 * 0.2 / denominator, w, 1e-15);
        Assert.True(Math.Abs(w - 0.501) < 1e-9);
    }

    [Fact]
    public void Adadelta_first_step_from_zero_state()
    {
        double w = 1, s = 0, u = 0;
        Adadelta.Step(ref w, ref s, ref u, g: 1, lr: 1, rho: 0.9, eps: 1e-6, wd: 0);
        double delta = Math.Sqrt(1e-6) / Math.Sqrt(0.1 + 1e-6);
        Close(0.1, s, 1e-15);
        Close(0.1 * delta * delta, u, 1e-15);
        Close(1 - delta, w, 1e-15);
    }

    [Fact]
    public void Lion_literal_signs_and_decay()
    {
        double w = 2, m = 0.3;
        Lion.Step(ref w, ref m, g: -1, lr: 0.01, beta1: 0.9, beta2: 0.99, wd: 0.1);
        Close(1.988, w, 1e-15);  // c = 0.27 − 0.1 > 0: 2 − 0.01·(1 + 0.1·2)
        Close(0.287, m, 1e-15);  // 0.99·0.3 − 0.01

        w = 2;
        m = -0.3;
        Lion.Step(ref w, ref m, g: 1, lr: 0.01, beta1: 0.9, beta2: 0.99, wd: 0.1);
        Close(2.008, w, 1e-15);  // c < 0: 2 − 0.01·(−1 + 0.2)

        w = 2;
        m = 0;
        Lion.Step(ref w, ref m, g: 0, lr: 0.01, beta1: 0.9, beta2: 0.99, wd: 0.1);
        Close(1.998, w, 1e-15);  // c = 0, sign 0: decay only
        Assert.Equal(0.0, m);
    }

    [Fact]
    public void Every_optimizer_matches_PyTorch_order_at_random_states()
    {
        var random = new Random(11);
        for (int n = 0; n < RandomStates; n++)
        {
            double w = U(random, -1, 1), g = U(random, -1, 1), m = U(random, -0.5, 0.5);
            double v = U(random, 0.05, 1), s = U(random, 0.05, 1), u = U(random, 0.05, 1);
            double lr = U(random, 0.01, 0.1), beta1 = U(random, 0.5, 0.99), beta2 = U(random, 0.5, 0.999);
            double eps = Math.Pow(10, U(random, -8, -3)), wd = U(random, 0, 0.1);
            double t = random.Next(1, 20);

            {
                double w1 = w;
                Sgd.Step(ref w1, g, lr, wd);
                CloseUpdate(w, w - lr * (g + wd * w), w1);
            }

            {
                double w1 = w, v1 = m;
                Momentum.Step(ref w1, ref v1, g, lr, beta1, wd);
                double buf = m * beta1 + (g + w * wd); // buf.mul_(momentum).add_(d_p)
                Close(buf, v1, ReorderingTolerance);
                CloseUpdate(w, w + -lr * buf, w1);
            }

            {
                double w1 = w, v1 = m;
                Nesterov.Step(ref w1, ref v1, g, lr, beta1, wd);
                double dp = g + w * wd;
                double buf = m * beta1 + dp;
                double direction = dp + beta1 * buf; // d_p.add(buf, alpha=momentum)
                Close(buf, v1, ReorderingTolerance);
                CloseUpdate(w, w + -lr * direction, w1);
            }

            foreach (bool epsInsideSqrt in new[] { false, true })
            {
                double w1 = w, m1 = m, v1 = v;
                Adam.Step(ref w1, ref m1, ref v1, g, lr, beta1, beta2, eps, wd, t, epsInsideSqrt);
                (double wE, double mE, double vE) = PyTorchAdam(w, m, v, g + wd * w, lr, beta1, beta2, eps, t, epsInsideSqrt);
                Close(mE, m1, ReorderingTolerance);
                Close(vE, v1, ReorderingTolerance);
                CloseUpdate(w, wE, w1);

                double w2 = w, m2 = m, v2 = v;
                AdamW.Step(ref w2, ref m2, ref v2, g, lr, beta1, beta2, eps, wd, t, epsInsideSqrt);
                double decayed = w * (1 - lr * wd); // param.mul_(1 - lr * weight_decay), then Adam on g
                (wE, mE, vE) = PyTorchAdam(decayed, m, v, g, lr, beta1, beta2, eps, t, epsInsideSqrt);
                Close(mE, m2, ReorderingTolerance);
                Close(vE, v2, ReorderingTolerance);
                CloseUpdate(decayed, wE, w2);
            }

            {
                double w1 = w, s1 = s;
                RmsProp.Step(ref w1, ref s1, g, lr, beta2, eps, wd);
                double dp = g + w * wd;
                double squareAvg = s * beta2 + (1 - beta2) * dp * dp;
                double avg = Math.Sqrt(squareAvg) + eps;
                Close(squareAvg, s1, ReorderingTolerance);
                CloseUpdate(w, w + -lr * (dp / avg), w1);
            }

            {
                double w1 = w, s1 = s;
                Adagrad.Step(ref w1, ref s1, g, lr, eps, wd);
                double dp = g + w * wd;
                double stateSum = s + dp * dp;
                double std = Math.Sqrt(stateSum) + eps;
                Close(stateSum, s1, ReorderingTolerance);
                CloseUpdate(w, w + -lr * (dp / std), w1);
            }

            {
                double w1 = w, s1 = s, u1 = u;
                Adadelta.Step(ref w1, ref s1, ref u1, g, lr, beta2, eps, wd);
                double dp = g + w * wd;
                double squareAvg = s * beta2 + (1 - beta2) * dp * dp;
                double std = Math.Sqrt(squareAvg + eps);
                double delta = Math.Sqrt(u + eps) / std * dp;
                double accDelta = u * beta2 + (1 - beta2) * delta * delta;
                Close(squareAvg, s1, ReorderingTolerance);
                Close(accDelta, u1, ReorderingTolerance);
                CloseUpdate(w, w + -lr * delta, w1);
            }

            {
                double w1 = w, m1 = m;
                Lion.Step(ref w1, ref m1, g, lr, beta1, beta2, wd);
                double decayed = w * (1 - lr * wd);        // p.data.mul_(1 - lr * wd)
                double c = m * beta1 + g * (1 - beta1);    // exp_avg.clone().mul_(beta1).add(grad, alpha=1 - beta1)
                Close(decayed - lr * Math.Sign(c), w1, ReorderingTolerance);
                Close(m * beta2 + g * (1 - beta2), m1, ReorderingTolerance);
            }
        }
    }

    /// <summary>torch.optim.Adam's single-tensor step, with eps optionally under the square root.</summary>
    private static (double W, double M, double V) PyTorchAdam(
        double w, double m, double v, double g, double lr, double beta1, double beta2, double eps, double t, bool epsInsideSqrt)
    {
        m += (g - m) * (1 - beta1);                 // exp_avg.lerp_(grad, 1 - beta1)
        v = v * beta2 + (1 - beta2) * g * g;        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        double biasCorrection1 = 1 - Math.Pow(beta1, t);
        double biasCorrection2 = 1 - Math.Pow(beta2, t);
        double stepSize = lr / biasCorrection1;
        double denominator = epsInsideSqrt
            ? Math.Sqrt(v / biasCorrection2 + eps)
            : Math.Sqrt(v) / Math.Sqrt(biasCorrection2) + eps;
        return (w - stepSize * m / denominator, m, v);
    }

    private static double U(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    private static void Close(double expected, double actual, double relative) => Close(expected, actual, relative, Math.Abs(expected));

    /// <summary>
    /// A weight after its update, w − step: rounding errors are relative to |w| + |step|, not to the result, which
    /// can be much smaller when the step nearly cancels w.
    /// </summary>
    private static void CloseUpdate(double w, double expected, double actual) =>
        Close(expected, actual, ReorderingTolerance, Math.Abs(w) + Math.Abs(expected - w));

    private static void Close(double expected, double actual, double relative, double scale) =>
        Assert.True(Math.Abs(actual - expected) <= relative * scale,
            $"expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):E2} > {relative:E0} · {scale:E3})");
}
