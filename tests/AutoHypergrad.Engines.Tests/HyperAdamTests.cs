using System;
using AutoHypergrad.Outer;
using Xunit;

namespace AutoHypergrad.Engines.Tests;

/// <summary>
/// Adam on λ in its two forms: Kingma and Ba's (ε outside the square root) and RFHO's, the optimizer of λ in the
/// authors' scripts for Franceschi et al. (2017) (ε inside, on the uncorrected v): each step as its formula says, and
/// the inside form's floor under √v, which damps small gradient entries.
/// </summary>
public sealed class HyperAdamTests
{
    private const double Lr = 0.005, Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_step_is_its_forms_formula(bool inside)
    {
        double[] gradients = [3e-3, -1e-3, 2e-4, 5e-3, -4e-5];
        var adam = new HyperAdam(Lr, Beta1, Beta2, Eps, epsilonInsideSquareRoot: inside);
        double[] u = [0.2];
        double expected = 0.2, m = 0, v = 0;
        for (int t = 1; t <= gradients.Length; t++)
        {
            double g = gradients[t - 1];
            m = (Beta1 * m) + ((1 - Beta1) * g);
            v = (Beta2 * v) + ((1 - Beta2) * g * g);
            double c1 = 1 - Math.Pow(Beta1, t), c2 = 1 - Math.Pow(Beta2, t);
            expected -= inside
                ? Lr * Math.Sqrt(c2) / c1 * m / Math.Sqrt(v + Eps)
                : Lr * (m / c1) / (Math.Sqrt(v / c2) + Eps);
            adam.Step(u, [g]);

            // The same operations in the same order: the same bits.
            Assert.Equal(expected, u[0]);
        }
    }

    [Fact]
    public void Inside_the_root_epsilon_damps_a_small_first_step_and_barely_touches_a_large_one()
    {
        double FirstStep(bool inside, double g)
        {
            double[] u = [0];
            new HyperAdam(Lr, epsilonInsideSquareRoot: inside).Step(u, [g]);
            return -u[0];
        }

        // Outside, the first step is lr·|g|/(|g| + ε), lr to 0.1% for |g| ≥ 10⁻⁵; inside it is
        // lr·√((1 − β2)g²/((1 − β2)g² + ε)): a gradient of 10⁻⁵ moves 316 times less, one of 10⁻¹ 0.9995 as far.
        Assert.Equal(Lr * 1e-5 / (1e-5 + Eps), FirstStep(inside: false, 1e-5), 1e-15);
        Assert.Equal(Lr * Math.Sqrt(1e-13 / (1e-13 + Eps)), FirstStep(inside: true, 1e-5), 1e-15);
        Assert.InRange(FirstStep(inside: false, 1e-5) / FirstStep(inside: true, 1e-5), 315, 317);
        Assert.InRange(FirstStep(inside: true, 1e-1) / Lr, 0.999, 1);
        Assert.Contains("inside the square root", new HyperAdam(Lr, epsilonInsideSquareRoot: true).Describe(), StringComparison.Ordinal);
    }
}
