using AutoHypergrad.Optimizers;

namespace AutoHypergrad.Cli.Commands;

/// <summary>The optimizer steps <see cref="StepDerivativesCommand"/> checks, each at a fixed, printed state.</summary>
internal static class OptimizerStepCases
{
    public static OptimizerStepCase Adam()
    {
        const double W = 0.5, M = 0.1, V = 0.02, G = 0.3, T = 3;
        return new OptimizerStepCase(
            "Adam (Kingma & Ba 2015), step t = 3",
            [new("w", W), new("m", M), new("v", V), new("g", G), new("t", T)],
            [new("lr", 0.01), new("beta1", 0.9), new("beta2", 0.999), new("eps", 1e-8), new("wd", 0)],
            Step: hyper =>
            {
                double w = W, m = M, v = V;
                Optimizers.Adam.Step(ref w, ref m, ref v, G, hyper[0], hyper[1], hyper[2], hyper[3], hyper[4], T, epsInsideSqrt: false);
                return [new("w", w), new("m", m), new("v", v)];
            },
            WeightTangent: (hyper, hyperDot) =>
            {
                double w = W, m = M, v = V;
                double wDot = 0, mDot = 0, vDot = 0;
                Optimizers.Adam.StepTangent(
                    ref w, ref wDot, ref m, ref mDot, ref v, ref vDot, G, 0,
                    hyper[0], hyperDot[0], hyper[1], hyperDot[1], hyper[2], hyperDot[2], hyper[3], hyperDot[3], hyper[4], hyperDot[4],
                    T, epsInsideSqrt: false);
                return wDot;
            },
            WeightAdjoint: hyper =>
            {
                double wBar = 1, mBar = 0, vBar = 0, gBar = 0;
                double lrBar = 0, beta1Bar = 0, beta2Bar = 0, epsBar = 0, wdBar = 0;
                Optimizers.Adam.StepAdjoint(
                    W, ref wBar, M, ref mBar, V, ref vBar, G, ref gBar,
                    hyper[0], ref lrBar, hyper[1], ref beta1Bar, hyper[2], ref beta2Bar, hyper[3], ref epsBar, hyper[4], ref wdBar,
                    T, epsInsideSqrt: false);
                return [lrBar, beta1Bar, beta2Bar, epsBar, wdBar];
            });
    }

    public static OptimizerStepCase HeavyBallMomentum()
    {
        const double W = 0.5, V = 0.2, G = 0.3;
        return new OptimizerStepCase(
            "Heavy-ball momentum (Polyak 1964)",
            [new("w", W), new("v", V), new("g", G)],
            [new("lr", 0.1), new("mu", 0.9), new("wd", 0)],
            Step: hyper =>
            {
                double w = W, v = V;
                Momentum.Step(ref w, ref v, G, hyper[0], hyper[1], hyper[2]);
                return [new("w", w), new("v", v)];
            },
            WeightTangent: (hyper, hyperDot) =>
            {
                double w = W, v = V;
                double wDot = 0, vDot = 0;
                Momentum.StepTangent(
                    ref w, ref wDot, ref v, ref vDot, G, 0, hyper[0], hyperDot[0], hyper[1], hyperDot[1], hyper[2], hyperDot[2]);
                return wDot;
            },
            WeightAdjoint: hyper =>
            {
                double wBar = 1, vBar = 0, gBar = 0;
                double lrBar = 0, muBar = 0, wdBar = 0;
                Momentum.StepAdjoint(
                    W, ref wBar, V, ref vBar, G, ref gBar, hyper[0], ref lrBar, hyper[1], ref muBar, hyper[2], ref wdBar);
                return [lrBar, muBar, wdBar];
            });
    }
}
