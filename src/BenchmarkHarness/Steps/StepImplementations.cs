using System;
using System.Collections.Generic;
using AutoHypergrad.Optimizers;
using H = AutoHypergrad.BenchmarkHarness.Steps.BenchHyper;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>What a kernel computes: the step, its tangent, its adjoint, or its tangents in k directions at once.</summary>
public enum StepPart
{
    Primal,
    Tangent,
    Adjoint,

    /// <summary>The vector-mode tangent in <see cref="BenchHyper.Directions"/> directions, timed per element and direction.</summary>
    Tangents,
}

/// <summary>
/// One optimizer's kernels on <see cref="StepBuffers"/>: the generated span drivers (primal, tangent, vector-mode
/// tangent, adjoint) and, where written, the hand-written ones and the TensorPrimitives chain of the primal.
/// </summary>
/// <param name="Name">The optimizer's class name.</param>
/// <param name="StateCount">The number of per-element state slots besides w.</param>
/// <param name="Primal">The generated span driver <c>Step</c>.</param>
/// <param name="Tangent">The generated span driver <c>StepTangent</c>.</param>
/// <param name="Tangents">The generated span driver <c>StepVectorModeTangent</c> on <see cref="StepBuffers.Directions"/>.</param>
/// <param name="TangentIn">The generated span driver <c>StepTangent</c> in one of those directions.</param>
/// <param name="Adjoint">The generated span driver <c>StepAdjoint</c>.</param>
/// <param name="HandPrimal">The primal step written by hand (StepBenchmarks/HandWritten*.cs).</param>
/// <param name="Chain">The primal step as a chain of TensorPrimitives calls.</param>
/// <param name="HandTangent">The tangent written by hand, where it is.</param>
/// <param name="HandAdjoint">The adjoint written by hand, where it is.</param>
/// <param name="CPrimal">The primal step in C (<see cref="CompiledC"/>), where it is written, given the compiled library.</param>
public sealed record StepImplementations(
    string Name,
    int StateCount,
    Action<StepBuffers> Primal,
    Action<StepBuffers> Tangent,
    Action<StepBuffers> Tangents,
    Action<StepBuffers, int> TangentIn,
    Action<StepBuffers> Adjoint,
    Action<StepBuffers>? HandPrimal,
    Action<StepBuffers>? Chain,
    Action<StepBuffers>? HandTangent = null,
    Action<StepBuffers>? HandAdjoint = null,
    Func<CompiledC, Action<StepBuffers>>? CPrimal = null)
{
    /// <summary>The C reference of <paramref name="kind"/>, where one is written and <paramref name="c"/> was compiled.</summary>
    public Action<StepBuffers>? InC(StepPart kind, CompiledC? c) => kind == StepPart.Primal && c is not null && CPrimal is not null ? CPrimal(c) : null;

    public Action<StepBuffers> Generated(StepPart kind) => kind switch
    {
        StepPart.Primal => Primal,
        StepPart.Tangent => Tangent,
        StepPart.Tangents => Tangents,
        _ => Adjoint,
    };

    public Action<StepBuffers>? HandWritten(StepPart kind) => kind switch
    {
        StepPart.Primal => HandPrimal,
        StepPart.Tangent => HandTangent,
        StepPart.Adjoint => HandAdjoint,
        _ => null,
    };

    /// <summary>What the vector-mode tangent replaces: <c>StepTangent</c> once per direction, each a pass over the step.</summary>
    public void TangentInEachDirection(StepBuffers buffers)
    {
        for (int j = 0; j < buffers.Directions.Count; j++)
        {
            TangentIn(buffers, j);
        }
    }

    /// <summary>
    /// The same k tangents, each from the same values (as the vector-mode tangent computes them): the values are
    /// put back before each direction, so that the step is taken once. For checking, not timing.
    /// </summary>
    public void TangentInEachDirectionFromOneState(StepBuffers buffers)
    {
        double[] w = (double[])buffers.W.Clone();
        double[][] state = Array.ConvertAll(buffers.State, a => (double[])a.Clone());
        for (int j = 0; j < buffers.Directions.Count; j++)
        {
            w.CopyTo(buffers.W, 0);
            for (int k = 0; k < state.Length; k++)
            {
                state[k].CopyTo(buffers.State[k], 0);
            }

            TangentIn(buffers, j);
        }
    }

    /// <summary>
    /// The bytes one element of <paramref name="kind"/> must move, counting each span read and each span written once:
    /// the primal reads w, the states and g and writes w and the states; the tangent does the same for values and
    /// tangents; the adjoint reads the values, the adjoints and ḡ and writes the adjoints of w, the states and g. The
    /// vector-mode tangent moves the values once and the tangents once per direction: per element and direction, the
    /// primal's bytes × (k + 1) / k.
    /// </summary>
    public int BytesPerElement(StepPart kind)
    {
        int slots = 1 + StateCount;
        int primal = (slots + 1) + slots;
        int k = BenchHyper.Directions;
        return kind switch
        {
            StepPart.Primal => primal * sizeof(double),
            StepPart.Tangent => 2 * primal * sizeof(double),
            StepPart.Tangents => primal * (k + 1) * sizeof(double) / k,
            _ => (2 * (slots + 1) + (slots + 1)) * sizeof(double),
        };
    }

    /// <summary>Every optimizer in src/Optimizers, in <see cref="Optimizers.Optimizers.All"/>'s order.</summary>
    public static IReadOnlyList<StepImplementations> All { get; } =
    [
        new("Sgd", 0,
            b => Sgd.Step(b.W, b.G, H.Lr, H.Wd),
            b => Sgd.StepTangent(b.W, b.WD, b.G, b.GD, H.Lr, H.LrDot, H.Wd, H.WdDot),
            b => Sgd.StepVectorModeTangent(b.W, b.Directions.WD, b.G, b.Directions.GD, H.Lr, H.LrDots, H.Wd, H.WdDots),
            (b, j) => Sgd.StepTangent(
                b.W, b.Directions.WDIn(j), b.G, b.Directions.GDIn(j), H.Lr, H.LrDots[j], H.Wd, H.WdDots[j]),
            b => Sgd.StepAdjoint(b.W, b.WD, b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Wd, ref b.HyperBar[1]),
            b => HandWrittenSgd.Step(b.W, b.G, H.Lr, H.Wd),
            TensorPrimitivesChains.Sgd),
        new("Momentum", 1,
            b => Momentum.Step(b.W, b.State[0], b.G, H.Lr, H.Mu, H.Wd),
            b => Momentum.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, H.LrDot, H.Mu, H.MuDot, H.Wd, H.WdDot),
            b => Momentum.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.G, b.Directions.GD, H.Lr, H.LrDots, H.Mu,
                H.MuDots, H.Wd, H.WdDots),
            (b, j) => Momentum.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.G, b.Directions.GDIn(j), H.Lr,
                H.LrDots[j], H.Mu, H.MuDots[j], H.Wd, H.WdDots[j]),
            b => Momentum.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Mu, ref b.HyperBar[1], H.Wd, ref b.HyperBar[2]),
            b => HandWrittenMomentum.Step(b.W, b.State[0], b.G, H.Lr, H.Mu, H.Wd),
            TensorPrimitivesChains.Momentum),
        new("Nesterov", 1,
            b => Nesterov.Step(b.W, b.State[0], b.G, H.Lr, H.Mu, H.Wd),
            b => Nesterov.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, H.LrDot, H.Mu, H.MuDot, H.Wd, H.WdDot),
            b => Nesterov.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.G, b.Directions.GD, H.Lr, H.LrDots, H.Mu,
                H.MuDots, H.Wd, H.WdDots),
            (b, j) => Nesterov.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.G, b.Directions.GDIn(j), H.Lr,
                H.LrDots[j], H.Mu, H.MuDots[j], H.Wd, H.WdDots[j]),
            b => Nesterov.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Mu, ref b.HyperBar[1], H.Wd, ref b.HyperBar[2]),
            b => HandWrittenMomentum.NesterovStep(b.W, b.State[0], b.G, H.Lr, H.Mu, H.Wd),
            TensorPrimitivesChains.Nesterov),
        new("Adam", 2,
            b => Adam.Step(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt),
            b => Adam.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, H.LrDot, H.Beta1, H.Beta1Dot,
                H.Beta2, H.Beta2Dot, H.Eps, H.EpsDot, H.Wd, H.WdDot, H.T, H.EpsInsideSqrt),
            b => Adam.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.State[1], b.Directions.StateD[1], b.G,
                b.Directions.GD, H.Lr, H.LrDots, H.Beta1, H.Beta1Dots, H.Beta2, H.Beta2Dots, H.Eps, H.EpsDots, H.Wd,
                H.WdDots, H.T, H.EpsInsideSqrt),
            (b, j) => Adam.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.State[1], b.Directions.StateDIn(1,
                j), b.G, b.Directions.GDIn(j), H.Lr, H.LrDots[j], H.Beta1, H.Beta1Dots[j], H.Beta2, H.Beta2Dots[j],
                H.Eps, H.EpsDots[j], H.Wd, H.WdDots[j], H.T, H.EpsInsideSqrt),
            b => Adam.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Beta1,
                ref b.HyperBar[1], H.Beta2, ref b.HyperBar[2], H.Eps, ref b.HyperBar[3], H.Wd, ref b.HyperBar[4], H.T, H.EpsInsideSqrt),
            b => HandWrittenAdam.Step(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt),
            TensorPrimitivesChains.Adam,
            HandTangent: b => HandWrittenAdam.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, H.LrDot, H.Beta1, H.Beta1Dot,
                H.Beta2, H.Beta2Dot, H.Eps, H.EpsDot, H.Wd, H.WdDot, H.T, H.EpsInsideSqrt),
            HandAdjoint: b => HandWrittenAdam.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Beta1,
                ref b.HyperBar[1], H.Beta2, ref b.HyperBar[2], H.Eps, ref b.HyperBar[3], H.Wd, ref b.HyperBar[4], H.T, H.EpsInsideSqrt),
            CPrimal: c => b => c.AdamStep(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt)),
        new("AdamW", 2,
            b => AdamW.Step(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt),
            b => AdamW.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, H.LrDot, H.Beta1, H.Beta1Dot,
                H.Beta2, H.Beta2Dot, H.Eps, H.EpsDot, H.Wd, H.WdDot, H.T, H.EpsInsideSqrt),
            b => AdamW.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.State[1], b.Directions.StateD[1], b.G,
                b.Directions.GD, H.Lr, H.LrDots, H.Beta1, H.Beta1Dots, H.Beta2, H.Beta2Dots, H.Eps, H.EpsDots, H.Wd,
                H.WdDots, H.T, H.EpsInsideSqrt),
            (b, j) => AdamW.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.State[1], b.Directions.StateDIn(1,
                j), b.G, b.Directions.GDIn(j), H.Lr, H.LrDots[j], H.Beta1, H.Beta1Dots[j], H.Beta2, H.Beta2Dots[j],
                H.Eps, H.EpsDots[j], H.Wd, H.WdDots[j], H.T, H.EpsInsideSqrt),
            b => AdamW.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Beta1,
                ref b.HyperBar[1], H.Beta2, ref b.HyperBar[2], H.Eps, ref b.HyperBar[3], H.Wd, ref b.HyperBar[4], H.T, H.EpsInsideSqrt),
            b => HandWrittenAdaptive.AdamWStep(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Beta1, H.Beta2, H.Eps, H.Wd, H.T, H.EpsInsideSqrt),
            TensorPrimitivesChains.AdamW),
        new("RmsProp", 1,
            b => RmsProp.Step(b.W, b.State[0], b.G, H.Lr, H.Alpha, H.Eps, H.Wd),
            b => RmsProp.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, H.LrDot, H.Alpha, H.AlphaDot, H.Eps, H.EpsDot, H.Wd, H.WdDot),
            b => RmsProp.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.G, b.Directions.GD, H.Lr, H.LrDots, H.Alpha,
                H.AlphaDots, H.Eps, H.EpsDots, H.Wd, H.WdDots),
            (b, j) => RmsProp.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.G, b.Directions.GDIn(j), H.Lr,
                H.LrDots[j], H.Alpha, H.AlphaDots[j], H.Eps, H.EpsDots[j], H.Wd, H.WdDots[j]),
            b => RmsProp.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Alpha, ref b.HyperBar[1], H.Eps,
                ref b.HyperBar[2], H.Wd, ref b.HyperBar[3]),
            b => HandWrittenAdaptive.RmsPropStep(b.W, b.State[0], b.G, H.Lr, H.Alpha, H.Eps, H.Wd),
            TensorPrimitivesChains.RmsProp),
        new("Adagrad", 1,
            b => Adagrad.Step(b.W, b.State[0], b.G, H.Lr, H.Eps, H.Wd),
            b => Adagrad.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, H.LrDot, H.Eps, H.EpsDot, H.Wd, H.WdDot),
            b => Adagrad.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.G, b.Directions.GD, H.Lr, H.LrDots, H.Eps,
                H.EpsDots, H.Wd, H.WdDots),
            (b, j) => Adagrad.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.G, b.Directions.GDIn(j), H.Lr,
                H.LrDots[j], H.Eps, H.EpsDots[j], H.Wd, H.WdDots[j]),
            b => Adagrad.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Eps, ref b.HyperBar[1], H.Wd, ref b.HyperBar[2]),
            b => HandWrittenAdaptive.AdagradStep(b.W, b.State[0], b.G, H.Lr, H.Eps, H.Wd),
            TensorPrimitivesChains.Adagrad),
        new("Adadelta", 2,
            b => Adadelta.Step(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Rho, H.Eps, H.Wd),
            b => Adadelta.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, H.LrDot, H.Rho, H.RhoDot,
                H.Eps, H.EpsDot, H.Wd, H.WdDot),
            b => Adadelta.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.State[1], b.Directions.StateD[1], b.G,
                b.Directions.GD, H.Lr, H.LrDots, H.Rho, H.RhoDots, H.Eps, H.EpsDots, H.Wd, H.WdDots),
            (b, j) => Adadelta.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.State[1], b.Directions.StateDIn(1,
                j), b.G, b.Directions.GDIn(j), H.Lr, H.LrDots[j], H.Rho, H.RhoDots[j], H.Eps, H.EpsDots[j], H.Wd,
                H.WdDots[j]),
            b => Adadelta.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.State[1], b.StateD[1], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Rho,
                ref b.HyperBar[1], H.Eps, ref b.HyperBar[2], H.Wd, ref b.HyperBar[3]),
            b => HandWrittenAdaptive.AdadeltaStep(b.W, b.State[0], b.State[1], b.G, H.Lr, H.Rho, H.Eps, H.Wd),
            TensorPrimitivesChains.Adadelta),
        new("Lion", 1,
            b => Lion.Step(b.W, b.State[0], b.G, H.Lr, H.Beta1, H.LionBeta2, H.Wd),
            b => Lion.StepTangent(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, H.LrDot, H.Beta1, H.Beta1Dot, H.LionBeta2, H.Beta2Dot, H.Wd, H.WdDot),
            b => Lion.StepVectorModeTangent(
                b.W, b.Directions.WD, b.State[0], b.Directions.StateD[0], b.G, b.Directions.GD, H.Lr, H.LrDots, H.Beta1,
                H.Beta1Dots, H.LionBeta2, H.Beta2Dots, H.Wd, H.WdDots),
            (b, j) => Lion.StepTangent(
                b.W, b.Directions.WDIn(j), b.State[0], b.Directions.StateDIn(0, j), b.G, b.Directions.GDIn(j), H.Lr,
                H.LrDots[j], H.Beta1, H.Beta1Dots[j], H.LionBeta2, H.Beta2Dots[j], H.Wd, H.WdDots[j]),
            b => Lion.StepAdjoint(
                b.W, b.WD, b.State[0], b.StateD[0], b.G, b.GD, H.Lr, ref b.HyperBar[0], H.Beta1, ref b.HyperBar[1], H.LionBeta2,
                ref b.HyperBar[2], H.Wd, ref b.HyperBar[3]),
            b => HandWrittenAdaptive.LionStep(b.W, b.State[0], b.G, H.Lr, H.Beta1, H.LionBeta2, H.Wd),
            TensorPrimitivesChains.Lion),
    ];
}
